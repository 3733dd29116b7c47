"""双随机一公开 (random inspections): “一单两库一细则” as data — the list of inspection items (一单), the inspector
register (执法检查人员名录库; the object register 检查对象名录库 is the live data, frozen in each draw's snapshot),
the plan with its working rules (细则) — the draws (seed, parameters, pool snapshot, result, SHA-256) and the results
the drawn inspectors enter, published on the portal."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govworks.integrity.rules_inspections import KIND_LABELS


class InspectionItem(models.Model):
    """One entry of the 随机抽查事项清单: 一般 items' ratio capped by a rule parameter, 重点 items not."""

    class Kind(models.TextChoices):
        GENERAL = "general", KIND_LABELS["general"]
        KEY = "key", KIND_LABELS["key"]

    agency = models.ForeignKey("org.Agency", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("抽查事项", max_length=100)
    kind = models.CharField("事项类别", max_length=10, choices=Kind.choices)
    ratio = models.DecimalField("抽查比例（%）", max_digits=5, decimal_places=2)
    basis = models.TextField("检查依据", max_length=2000)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "随机抽查事项"
        verbose_name_plural = "随机抽查事项清单"
        ordering = ["agency_id", "-kind", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="integrity_inspection_item_unique")]

    def __str__(self) -> str:
        return self.name


class Inspector(models.Model):
    """One person of the 执法检查人员名录库 (holding the register role 执法检查人员 of ``agency``): their employer
    and the companies they declared a conflict with."""

    agency = models.ForeignKey("org.Agency", verbose_name="名录库所属单位", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="检查人员", on_delete=models.PROTECT, related_name="+")
    employer_name = models.CharField("工作单位", max_length=120)
    employer_credit_code = models.CharField("工作单位统一社会信用代码", max_length=18, blank=True)
    conflict_orgs = models.ManyToManyField(
        "org.ExternalOrganization", verbose_name="申报存在利害关系的企业", blank=True, related_name="+"
    )
    conflict_note = models.CharField("利害关系说明", max_length=300, blank=True)
    is_active = models.BooleanField("在库", default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField("入库时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法检查人员"
        verbose_name_plural = "执法检查人员名录库"
        ordering = ["agency_id", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "user"], name="integrity_inspector_unique")]

    def __str__(self) -> str:
        return str(self.user)


class InspectionPlan(models.Model):
    """An 抽查计划: its items, the kind of object, the ratio, inspectors per object, the check period and the
    抽查工作细则 (working rules as text)."""

    class ObjectKind(models.TextChoices):
        PROJECT = "project", "在建项目"
        CONTRACTOR = "contractor", "施工单位"
        SUPERVISOR = "supervisor", "监理单位"

    agency = models.ForeignKey("org.Agency", verbose_name="实施单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("计划名称", max_length=120)
    items = models.ManyToManyField(InspectionItem, verbose_name="抽查事项", related_name="plans")
    object_kind = models.CharField("检查对象类别", max_length=12, choices=ObjectKind.choices)
    ratio = models.DecimalField("抽查比例（%）", max_digits=5, decimal_places=2)
    inspectors_per_object = models.PositiveSmallIntegerField("每个对象检查人员数")
    period_start = models.DateField("检查开始日期")
    period_end = models.DateField("检查结束日期")
    rules_text = models.TextField("抽查工作细则", max_length=5000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制定人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("制定时间", auto_now_add=True)

    class Meta:
        verbose_name = "抽查计划"
        verbose_name_plural = "抽查计划"
        ordering = ["-period_start", "-id"]

    def __str__(self) -> str:
        return self.title


class InspectionDraw(models.Model):
    """One draw of a plan. Every draw stays; a re-draw carries its reason and makes the earlier one
    superseded (``is_current`` False)."""

    plan = models.ForeignKey(InspectionPlan, verbose_name="抽查计划", on_delete=models.PROTECT, related_name="draws")
    number = models.PositiveSmallIntegerField("第几次抽取")
    seed = models.CharField("随机种子", max_length=64)
    parameters = models.JSONField("抽取参数")
    snapshot = models.JSONField("名录快照")
    result = models.JSONField("抽取结果")
    result_hash = models.CharField("SHA-256 摘要", max_length=64)
    redraw_reason = models.TextField("重新抽取理由", blank=True)
    is_current = models.BooleanField("有效", default=True)
    inspector_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="抽中的检查人员", blank=True, related_name="+"
    )
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)

    class Meta:
        verbose_name = "随机抽取"
        verbose_name_plural = "随机抽取"
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="integrity_inspection_draw_number")]

    def __str__(self) -> str:
        return f"{self.plan} 第{self.number}次抽取"


class InspectionResult(models.Model):
    """The result of checking one drawn object, entered by one of its drawn inspectors (谁检查、谁录入) and
    published on entry (谁公开). Entered after the deadline: accepted and marked overdue."""

    class Outcome(models.TextChoices):
        NO_ISSUE = "no_issue", "未发现问题"
        RECTIFY = "rectify", "发现问题，责令整改"
        REFER = "refer", "发现问题，移送处理"
        NOT_FOUND = "not_found", "检查对象无法检查"

    draw = models.ForeignKey(InspectionDraw, verbose_name="抽取", on_delete=models.PROTECT, related_name="results")
    plan = models.ForeignKey(InspectionPlan, verbose_name="抽查计划", on_delete=models.PROTECT, related_name="results")
    object_key = models.CharField("检查对象", max_length=40)
    object_label = models.CharField("检查对象名称", max_length=200)
    outcome = models.CharField("检查结果", max_length=12, choices=Outcome.choices)
    findings = models.TextField("检查情况（公开）", max_length=2000)
    internal_note = models.TextField("内部备注（不公开）", max_length=2000, blank=True)
    due_on = models.DateField("录入期限")
    is_overdue = models.BooleanField("逾期录入", default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)

    class Meta:
        verbose_name = "抽查结果"
        verbose_name_plural = "抽查结果"
        ordering = ["plan_id", "id"]
        constraints = [models.UniqueConstraint(fields=["draw", "object_key"], name="integrity_inspection_result_once")]

    def __str__(self) -> str:
        return f"{self.object_label}：{self.get_outcome_display()}"
