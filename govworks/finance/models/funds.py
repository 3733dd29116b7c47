"""Funds (资金来源) of a project with their budget indicator (预算指标) and receipts (到位), and the cost
items (成本科目) of the approved estimate with the contracts allocated to them.

A source keeps two running totals, changed only under a row lock by the payment services: ``committed``
(approved payment requests whose treasury instruction is not yet confirmed) and ``paid`` (confirmed by the
treasury). Nothing may be committed or paid beyond ``amount``: the check constraint is the last line of
defence behind the service guard."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class FundKind(models.TextChoices):
    FISCAL = "fiscal", "财政拨款"
    SPECIAL = "special", "专项资金"
    SELF = "self", "自筹资金"
    OTHER = "other", "其他资金"


class FundingSource(models.Model):
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="funding_sources")
    kind = models.CharField("资金性质", max_length=10, choices=FundKind.choices)
    name = models.CharField("资金名称", max_length=120)
    budget_year = models.PositiveSmallIntegerField("预算年度")
    indicator_number = models.CharField("预算指标文号", max_length=60)
    functional_class = models.CharField("功能分类科目", max_length=60, help_text="如 2010350 事业运行")
    economic_class = models.CharField("经济分类科目", max_length=60, help_text="如 31001 房屋建筑物购建")
    amount = models.DecimalField("指标金额（元）", max_digits=16, decimal_places=2)
    committed = models.DecimalField("已批复待支付（元）", max_digits=16, decimal_places=2, default=Decimal(0))
    paid = models.DecimalField("已支付（元）", max_digits=16, decimal_places=2, default=Decimal(0))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "资金来源"
        verbose_name_plural = "资金来源"
        ordering = ["project_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "indicator_number"], name="finance_source_unique_indicator"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_source_amount_positive"),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(paid__gte=0) & Q(amount__gte=F("committed") + F("paid")),
                name="finance_source_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}·{self.name}（{self.indicator_number}）"

    @property
    def balance(self) -> Decimal:
        """What may still be committed: the indicator less what is approved or paid."""
        return Decimal(self.amount) - Decimal(self.committed) - Decimal(self.paid)


class FundReceipt(models.Model):
    """Funds received (资金到位) against a source."""

    source = models.ForeignKey(FundingSource, verbose_name="资金来源", on_delete=models.PROTECT, related_name="receipts")
    received_on = models.DateField("到位日期")
    amount = models.DecimalField("到位金额（元）", max_digits=16, decimal_places=2)
    document_number = models.CharField("拨款文件/凭证号", max_length=60)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "资金到位"
        verbose_name_plural = "资金到位"
        ordering = ["source_id", "received_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="finance_receipt_amount_positive")]

    def __str__(self) -> str:
        return f"{self.received_on:%Y-%m-%d} 到位 {self.amount:,.2f} 元"


class CostItem(models.Model):
    """A line of the approved estimate (批复概算) of a project."""

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="cost_items")
    code = models.CharField("科目编码", max_length=20)
    name = models.CharField("科目名称", max_length=120)
    estimate_amount = models.DecimalField("概算金额（元）", max_digits=16, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "成本科目"
        verbose_name_plural = "成本科目"
        ordering = ["project_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="finance_cost_item_unique_code"),
            models.CheckConstraint(condition=Q(estimate_amount__gte=0), name="finance_cost_item_estimate_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ContractAllocation(models.Model):
    """Which cost item a contract is charged to (one contract, one item)."""

    contract = models.OneToOneField(
        "procurement.Contract", verbose_name="合同", on_delete=models.PROTECT, related_name="cost_allocation"
    )
    cost_item = models.ForeignKey(CostItem, verbose_name="成本科目", on_delete=models.PROTECT, related_name="allocations")

    class Meta:
        verbose_name = "合同成本归集"
        verbose_name_plural = "合同成本归集"

    def __str__(self) -> str:
        return f"合同#{self.contract_id} → 科目#{self.cost_item_id}"


class SourceMonth(models.Model):
    """What the treasury paid from a source in a month: a projection kept by the confirmation service
    under the source's row lock, so the fund dashboard reads months, never payments."""

    source = models.ForeignKey(FundingSource, verbose_name="资金来源", on_delete=models.CASCADE, related_name="months")
    month = models.DateField("月份")
    paid = models.DecimalField("当月支付（元）", max_digits=16, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = "资金来源月度支付"
        verbose_name_plural = "资金来源月度支付"
        constraints = [models.UniqueConstraint(fields=["source", "month"], name="finance_source_month_unique")]
        indexes = [models.Index(fields=["month"], name="finance_source_month_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.paid:,.2f} 元"
