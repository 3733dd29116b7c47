"""The procurement plan of a project (采购计划): its lots (标段) by category with their estimated amounts,
the method chosen for each with the recorded statutory ground, and the approved legal exceptions
(法定例外) that lift an obligation to tender. Which method a lot may use is decided by
``rules_methods.allowed_methods`` at the moment of choosing; the row keeps what was chosen and by whom."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govworks.procurement.rules_methods import (
    EXCEPTION_LABELS,
    GROUND_LABELS,
    METHOD_LABELS,
    ExceptionKind,
    Ground,
    Method,
)

METHOD_CHOICES = [(m.value, METHOD_LABELS[m]) for m in Method]
GROUND_CHOICES = [(g.value, GROUND_LABELS[g]) for g in Ground]
EXCEPTION_CHOICES = [(k.value, EXCEPTION_LABELS[k]) for k in ExceptionKind]


class LotCategory(models.TextChoices):
    WORKS = "works", "工程"
    GOODS = "goods", "货物"
    SERVICES = "services", "服务"


class LegalException(models.Model):
    """An approved exception to an obligation to tender, recorded for one project with its approval
    reference (批准文号), the approving body and the approval itself (PDF or image)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="legal_exceptions"
    )
    kind = models.CharField("例外情形", max_length=30, choices=EXCEPTION_CHOICES)
    approval_reference = models.CharField("批准文号", max_length=120, help_text="如：临财采〔2026〕18号")
    approving_body = models.CharField("批准机关", max_length=80, help_text="如：临江市财政局")
    approved_on = models.DateField("批准日期")
    file = models.FileField("批准文件", upload_to="procurement/exceptions/%Y/%m/")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "法定例外"
        verbose_name_plural = "法定例外"
        ordering = ["project_id", "-approved_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(approval_reference=""), name="procurement_exception_has_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.approval_reference}）"


class ProcurementLot(models.Model):
    """One 标段 of a project's procurement plan. ``combinable``: whether it could be procured together with
    the project's other lots of the same category (then the splitting check and the thresholds look at
    their total). ``method`` stays blank until chosen; ``ground`` is the recorded statutory reason category
    for a method other than open tendering."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="procurement_lots"
    )
    seq = models.PositiveSmallIntegerField("标段号")
    name = models.CharField("标段名称", max_length=120)
    category = models.CharField("类别", max_length=10, choices=LotCategory.choices)
    estimated_amount = models.DecimalField("估算金额（元）", max_digits=16, decimal_places=2)
    combinable = models.BooleanField(
        "可与同类标段合并采购", default=True, help_text="确因专业、工期或地点不同不能合并的，取消勾选并写明不合并理由"
    )
    not_combinable_reason = models.TextField(
        "不合并采购理由", blank=True, help_text="取消“可合并”即不参与化整为零检查，须书面说明理由；纪检监察可见"
    )
    is_government_procurement = models.BooleanField("属于政府采购", default=True)
    method = models.CharField("采购方式", max_length=30, choices=METHOD_CHOICES, blank=True)
    ground = models.CharField("适用情形", max_length=40, choices=GROUND_CHOICES, blank=True)
    legal_exception = models.ForeignKey(
        LegalException, verbose_name="法定例外", null=True, blank=True, on_delete=models.PROTECT, related_name="lots"
    )
    method_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确定人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method_decided_at = models.DateTimeField("确定时间", null=True, blank=True)
    notes = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "采购标段"
        verbose_name_plural = "采购标段"
        ordering = ["project_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["project", "seq"], name="procurement_lot_unique_seq"),
            models.CheckConstraint(condition=models.Q(estimated_amount__gt=0), name="procurement_lot_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.seq}号标段“{self.name}”"
