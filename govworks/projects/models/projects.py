"""The project and its lifecycle stage (DOMAIN.md §4)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from govworks.core.models import TimeStampedModel


class ProjectType(models.TextChoices):
    NEW = "new", "新建"
    EXPANSION = "expansion", "改扩建"
    REPAIR = "repair", "修缮"
    ENERGY = "energy", "节能改造"
    IT = "it", "信息化"
    OTHER = "other", "其他"


class Stage(models.TextChoices):
    PLANNED = "planned", "计划"
    INITIATION = "initiation", "立项"
    FEASIBILITY = "feasibility", "可研"
    PRELIM_DESIGN = "prelim_design", "初设概算"
    DESIGN_REVIEW = "design_review", "施工图审查"
    PROCUREMENT = "procurement", "招标采购"
    CONTRACT = "contract", "合同"
    CONSTRUCTION = "construction", "施工"
    SUSPENDED = "suspended", "停工"
    ACCEPTANCE = "acceptance", "竣工验收"
    SETTLEMENT = "settlement", "结算审计"
    FINAL_ACCOUNTS = "final_accounts", "竣工决算"
    ARCHIVING = "archiving", "档案移交"
    ASSET_HANDOVER = "asset_handover", "资产移交"
    EVALUATION = "evaluation", "绩效评价"
    CLOSED = "closed", "关闭"


class FundingSource(models.TextChoices):
    FISCAL = "fiscal", "财政拨款"
    SPECIAL = "special", "专项资金"
    SELF = "self", "自筹"
    OTHER = "other", "其他"


class Project(TimeStampedModel):
    """A construction project of an agency, from plan to evaluation."""

    agency = models.ForeignKey("org.Agency", verbose_name="建设单位", on_delete=models.PROTECT, related_name="projects")
    code = models.CharField("项目编号", max_length=30)
    name = models.CharField("项目名称", max_length=120)
    project_type = models.CharField("项目类型", max_length=12, choices=ProjectType.choices)
    location = models.CharField("建设地点", max_length=200)
    plan_item = models.OneToOneField(
        "projects.PlanItem", verbose_name="年度计划项", null=True, blank=True, on_delete=models.PROTECT, related_name="project"
    )
    outside_plan_reason = models.TextField("计划外立项理由", blank=True)
    estimate_amount = models.DecimalField("估算金额（元）", max_digits=16, decimal_places=2)
    approved_estimate = models.DecimalField("批复概算（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    budget_amount = models.DecimalField("预算金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    funding_source = models.CharField("资金来源", max_length=10, choices=FundingSource.choices)
    planned_start = models.DateField("计划开工")
    planned_end = models.DateField("计划竣工")
    department = models.ForeignKey("org.Department", verbose_name="责任科室", on_delete=models.PROTECT, related_name="projects")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="项目负责人", on_delete=models.PROTECT, related_name="managed_projects"
    )
    stage = models.CharField("当前阶段", max_length=16, choices=Stage.choices, default=Stage.INITIATION, db_index=True)
    stage_entered_on = models.DateField("进入本阶段日期")
    stage_before_suspension = models.CharField("停工前阶段", max_length=16, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["-created_at"]
        constraints = [
            # unique across agencies: the code carries the agency's own code (LJJG-2026-0009)
            models.UniqueConstraint(fields=["code"], name="projects_project_code_unique_everywhere"),
            models.CheckConstraint(condition=models.Q(planned_end__gte=models.F("planned_start")), name="projects_project_dates"),
            models.CheckConstraint(condition=models.Q(estimate_amount__gt=0), name="projects_project_estimate_positive"),
        ]
        indexes = [
            models.Index(fields=["agency", "stage"], name="projects_agency_stage_idx"),
            models.Index(fields=["-created_at", "-id"], name="projects_newest_first_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_outside_plan(self) -> bool:
        return self.plan_item_id is None

    @property
    def controlling_amount(self) -> Decimal:
        """The amount the rules look at: the approved estimate once there is one, else the estimate."""
        return Decimal(self.approved_estimate or self.estimate_amount)


class StageTransition(models.Model):
    """One move of a project between stages, or a stage skipped with the rule that allowed it."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="transitions")
    from_stage = models.CharField("原阶段", max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField("新阶段", max_length=16, choices=Stage.choices)
    skipped = models.BooleanField("跳过", default=False)
    rule = models.CharField("依据", max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "阶段变更"
        ordering = ["project_id", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_stage} → {self.to_stage}"
