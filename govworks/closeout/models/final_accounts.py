"""竣工财务决算: one per project — the final cost built from the records (contract settlements or payments,
other costs with evidence), the extensions of the deadline, the 报送资料 checklist and the 结余资金 returned.
Its approval runs through the projects' approval chain (kind ``final_accounts.approval``)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from govworks.closeout.rules_final_accounts import DOCUMENT_CHECKLIST, OTHER_COST_CATEGORIES


def final_accounts_upload_to(instance: models.Model, filename: str) -> str:
    return f"closeout/final_accounts/{instance._meta.model_name}/{filename}"


class FinalAccounts(models.Model):
    """A project's 竣工财务决算. The figures are worked out live from the cost lines while it is being
    prepared and frozen at submission (``final_cost`` … stay as submitted and approved)."""

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="final_accounts"
    )
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="编制人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    extension_months = models.PositiveSmallIntegerField("已批准延期（月）", default=0)
    contract_cost = models.DecimalField("建安及合同费用（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    other_cost = models.DecimalField("工程建设其他费用（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    final_cost = models.DecimalField("决算总投资（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    estimate = models.DecimalField("批复概算（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    budget = models.DecimalField("预算（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    received = models.DecimalField("资金到位（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField("提交审批时间", null=True, blank=True)
    report_filed_at = models.DateTimeField("决算报告归档时间", null=True, blank=True)
    note = models.TextField("编制说明", blank=True)

    class Meta:
        verbose_name = "竣工财务决算"
        verbose_name_plural = "竣工财务决算"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.project_id} 竣工财务决算"


class FinalCostLine(models.Model):
    """One line of the final cost: a contract (审定结算金额, or 已付金额 where no settlement is approved) or a
    工程建设其他费用 entered with its evidence."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", "合同费用"
        OTHER = "other", "工程建设其他费用"

    final_accounts = models.ForeignKey(FinalAccounts, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    contract = models.ForeignKey(
        "procurement.Contract", verbose_name="合同", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField("费用类别", max_length=20, choices=OTHER_COST_CATEGORIES, blank=True)
    label = models.CharField("名称", max_length=200)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    basis = models.CharField("计价依据", max_length=200)
    evidence = models.FileField("凭证", upload_to=final_accounts_upload_to, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "决算费用明细"
        verbose_name_plural = "决算费用明细"
        ordering = ["final_accounts_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="closeout_cost_line_amount"),
            models.CheckConstraint(
                condition=Q(kind="contract", contract__isnull=False) | Q(kind="other", contract__isnull=True),
                name="closeout_cost_line_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.amount:,.2f} 元"


class FinalAccountsExtension(models.Model):
    """延期申请: requested by the preparer, granted or refused by a leader (not the requester)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "待审批"
        GRANTED = "granted", "已批准"
        REFUSED = "refused", "未批准"

    final_accounts = models.ForeignKey(FinalAccounts, on_delete=models.CASCADE, related_name="extensions")
    months = models.PositiveSmallIntegerField("延期月数")
    reason = models.TextField("延期理由")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    opinion = models.CharField("审批意见", max_length=200, blank=True)

    class Meta:
        verbose_name = "决算延期申请"
        verbose_name_plural = "决算延期申请"
        ordering = ["final_accounts_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(months__gte=1), name="closeout_extension_months")]

    def __str__(self) -> str:
        return f"延期{self.months}个月（{self.get_status_display()}）"


class FinalAccountsDocument(models.Model):
    """One item of the 报送资料 checklist: uploaded, or named missing with the reason."""

    final_accounts = models.ForeignKey(FinalAccounts, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField("资料", max_length=30, choices=DOCUMENT_CHECKLIST)
    file = models.FileField("文件", upload_to=final_accounts_upload_to, blank=True)
    missing_reason = models.CharField("缺失说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    class Meta:
        verbose_name = "决算报送资料"
        verbose_name_plural = "决算报送资料"
        ordering = ["final_accounts_id", "id"]
        constraints = [models.UniqueConstraint(fields=["final_accounts", "code"], name="closeout_fa_document_unique")]

    def __str__(self) -> str:
        return self.get_code_display()


class SurplusReturn(models.Model):
    """结余资金缴回: an amount returned to the source it came from (国库 for 财政资金)."""

    final_accounts = models.ForeignKey(FinalAccounts, on_delete=models.CASCADE, related_name="surplus_returns")
    source = models.ForeignKey("finance.FundingSource", verbose_name="资金来源", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField("缴回金额（元）", max_digits=16, decimal_places=2)
    returned_on = models.DateField("缴回日期")
    document_number = models.CharField("缴款凭证号", max_length=60)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "结余资金缴回"
        verbose_name_plural = "结余资金缴回"
        ordering = ["final_accounts_id", "returned_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="closeout_surplus_amount")]

    def __str__(self) -> str:
        return f"缴回 {Decimal(self.amount):,.2f} 元"
