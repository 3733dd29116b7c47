"""撤回 of a public record: the agency takes a publication back with a reason; the entry stays listed on the
portal as “已撤回：原因, 日期” without its content."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RecordType(models.TextChoices):
    """The kinds of records the portal publishes (one list page each)."""

    PLAN = "plan", "年度建设计划"
    PROJECT = "project", "项目立项"
    CONTRACT = "contract", "采购结果与合同授予"
    CHANGE = "change", "重大变更"
    CONSTRUCTION = "construction", "在建项目进度"
    ACCEPTANCE = "acceptance", "竣工验收"
    SETTLEMENT = "settlement", "结算审计结果"
    EVALUATION = "evaluation", "绩效评价"


class PortalWithdrawal(models.Model):
    record_type = models.CharField("公示类别", max_length=16, choices=RecordType.choices)
    record_id = models.PositiveBigIntegerField("记录编号")
    agency = models.ForeignKey("org.Agency", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("撤回原因")
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撤回人", on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField("撤回时间", auto_now_add=True)

    class Meta:
        verbose_name = "公示撤回"
        verbose_name_plural = "公示撤回"
        ordering = ["-withdrawn_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["record_type", "record_id"], name="portal_withdrawal_unique")]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} #{self.record_id} 已撤回"
