"""年度工程建设计划: drafted, decided collectively, filed with the superior agency, revised by new revisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govworks.core.models import TimeStampedModel
from govworks.projects.models.projects import FundingSource, ProjectType


class AnnualPlan(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "起草中"
        SUBMITTED = "submitted", "已提交会议审议"
        DECIDED = "decided", "已集体决策通过"
        FILED = "filed", "已报上级备案"
        RETURNED = "returned", "上级退回"
        SUPERSEDED = "superseded", "已被新修订版替代"

    agency = models.ForeignKey("org.Agency", verbose_name="单位", on_delete=models.PROTECT, related_name="annual_plans")
    year = models.PositiveSmallIntegerField("年度")
    revision = models.PositiveSmallIntegerField("修订版次", default=1)
    previous = models.OneToOneField(
        "self", verbose_name="上一版", null=True, blank=True, on_delete=models.PROTECT, related_name="next_revision"
    )
    title = models.CharField("计划名称", max_length=120)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    revision_reason = models.TextField("修订原因", blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="编制人", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    decided_at = models.DateTimeField("决策时间", null=True, blank=True)
    filed_at = models.DateTimeField("备案时间", null=True, blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    return_comment = models.TextField("退回意见", blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="退回人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "年度工程建设计划"
        verbose_name_plural = "年度工程建设计划"
        ordering = ["-year", "agency_id", "-revision"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "revision"], name="projects_plan_revision_unique")]

    def __str__(self) -> str:
        suffix = f"（第{self.revision}版）" if self.revision > 1 else ""
        return f"{self.title}{suffix}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class PlanItem(models.Model):
    plan = models.ForeignKey(AnnualPlan, verbose_name="计划", on_delete=models.CASCADE, related_name="items")
    seq = models.PositiveIntegerField("序号")
    name = models.CharField("项目名称", max_length=120)
    project_type = models.CharField("项目类型", max_length=12, choices=ProjectType.choices)
    location = models.CharField("建设地点", max_length=200)
    estimated_amount = models.DecimalField("估算金额（元）", max_digits=16, decimal_places=2)
    funding_source = models.CharField("资金来源", max_length=10, choices=FundingSource.choices)
    planned_start = models.DateField("计划开工")
    planned_end = models.DateField("计划竣工")
    department = models.ForeignKey("org.Department", verbose_name="责任科室", on_delete=models.PROTECT, related_name="+")
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人", on_delete=models.PROTECT, related_name="+")
    expected_outcome = models.TextField("预期成效")

    class Meta:
        verbose_name = "计划项目"
        verbose_name_plural = "计划项目"
        ordering = ["plan_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="projects_planitem_seq_unique")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.name}"
