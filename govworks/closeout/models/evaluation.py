"""Performance evaluation (绩效评价, 财预〔2020〕10号): templates of indicators as data, and each project's
evaluation made from one — self-evaluation by the project's department, then the review (部门评价)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from govworks.closeout.reference_evaluation import AUTO_CHOICES
from govworks.closeout.rules_evaluation import DIMENSION_LABELS, GRADE_LABELS

DIMENSION_CHOICES = list(DIMENSION_LABELS.items())
GRADE_CHOICES = list(GRADE_LABELS.items())


class EvaluationTemplate(models.Model):
    """An indicator system: the weights of the four first-level indicators and the third-level indicators under
    them. ``agency`` None is the deployment's default (seeded from reference data, read-only); an agency edits
    its own copy."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("模板名称", max_length=100)
    source = models.CharField("依据", max_length=200)
    weight_decision = models.DecimalField("决策权重（分）", max_digits=5, decimal_places=2)
    weight_process = models.DecimalField("过程权重（分）", max_digits=5, decimal_places=2)
    weight_output = models.DecimalField("产出权重（分）", max_digits=5, decimal_places=2)
    weight_effect = models.DecimalField("效益权重（分）", max_digits=5, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "绩效评价模板"
        verbose_name_plural = "绩效评价模板"
        ordering = ["agency_id", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="closeout_eval_template_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def weights(self) -> dict[str, object]:
        return {
            "decision": self.weight_decision,
            "process": self.weight_process,
            "output": self.weight_output,
            "effect": self.weight_effect,
        }


class TemplateIndicator(models.Model):
    """A third-level indicator (三级指标) of a template with its points and how it is scored."""

    template = models.ForeignKey(EvaluationTemplate, verbose_name="模板", on_delete=models.CASCADE, related_name="indicators")
    seq = models.PositiveSmallIntegerField("序号")
    dimension = models.CharField("一级指标", max_length=10, choices=DIMENSION_CHOICES)
    level2 = models.CharField("二级指标", max_length=40)
    name = models.CharField("三级指标", max_length=60)
    points = models.DecimalField("分值", max_digits=5, decimal_places=2)
    method = models.CharField("评分方法", max_length=200)
    auto_key = models.CharField("系统取数", max_length=20, choices=AUTO_CHOICES, blank=True)
    full_at = models.DecimalField("满分值", max_digits=10, decimal_places=4, null=True, blank=True)
    zero_at = models.DecimalField("零分值", max_digits=10, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = "绩效评价模板指标"
        verbose_name_plural = "绩效评价模板指标"
        ordering = ["template_id", "seq"]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}·{self.level2}·{self.name}"


class Evaluation(models.Model):
    """A project's performance evaluation."""

    class Status(models.TextChoices):
        DRAFT = "draft", "自评中"
        SUBMITTED = "submitted", "待部门评价"
        RETURNED = "returned", "退回修改"
        APPROVED = "approved", "已评定"

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="performance_evaluation"
    )
    agency = models.ForeignKey("org.Agency", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(EvaluationTemplate, verbose_name="模板", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    score = models.DecimalField("总分", max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等级", max_length=10, choices=GRADE_CHOICES, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    self_summary = models.TextField("自评结论", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="自评人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("自评提交时间", null=True, blank=True)
    review_opinion = models.TextField("部门评价意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评价人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("评价时间", null=True, blank=True)
    approved_on = models.DateField("评定日期", null=True, blank=True)
    report = models.ForeignKey(
        "projects.DocumentVersion", verbose_name="绩效评价报告", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "绩效评价"
        verbose_name_plural = "绩效评价"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status"], name="closeout_eval_agency_status"),
            models.Index(fields=["created_at", "id"], name="closeout_eval_register"),  # the register, newest first
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="approved", approved_on__isnull=False, grade__gt="") | ~Q(status="approved"),
                name="closeout_eval_approved_has_grade",
            )
        ]

    def __str__(self) -> str:
        return f"绩效评价·{self.project_id}"


class EvaluationIndicator(models.Model):
    """One indicator of a project's evaluation: copied from the template, then measured by GovWorks (value with
    its source and numbers) or scored by hand with evidence and a comment."""

    evaluation = models.ForeignKey(Evaluation, verbose_name="绩效评价", on_delete=models.CASCADE, related_name="indicators")
    seq = models.PositiveSmallIntegerField("序号")
    dimension = models.CharField("一级指标", max_length=10, choices=DIMENSION_CHOICES)
    level2 = models.CharField("二级指标", max_length=40)
    name = models.CharField("三级指标", max_length=60)
    points = models.DecimalField("分值", max_digits=5, decimal_places=2)
    method = models.CharField("评分方法", max_length=200)
    auto_key = models.CharField("系统取数", max_length=20, choices=AUTO_CHOICES, blank=True)
    full_at = models.DecimalField("满分值", max_digits=10, decimal_places=4, null=True, blank=True)
    zero_at = models.DecimalField("零分值", max_digits=10, decimal_places=4, null=True, blank=True)
    value = models.DecimalField("系统取数值", max_digits=16, decimal_places=6, null=True, blank=True)
    source_text = models.CharField("取数来源", max_length=300, blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField("评分说明", blank=True)
    evidence = models.FileField("佐证材料", upload_to="closeout/evaluation/%Y/%m/", blank=True)
    evidence_name = models.CharField("佐证文件名", max_length=200, blank=True)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filled_at = models.DateTimeField("填报时间", null=True, blank=True)

    class Meta:
        verbose_name = "绩效评价指标"
        verbose_name_plural = "绩效评价指标"
        ordering = ["evaluation_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "seq"], name="closeout_eval_indicator_seq"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=models.F("points"))),
                name="closeout_eval_indicator_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}·{self.name}"

    @property
    def measured(self) -> bool:
        """GovWorks measured this indicator (its score is computed, not typed)."""
        return bool(self.auto_key) and self.value is not None
