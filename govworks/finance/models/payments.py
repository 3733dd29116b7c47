"""Completed-value confirmations (已完工程价款确认) by the supervising engineer, payment requests (付款申请)
against contract milestones, treasury payment instructions (国库集中支付指令) and the treasury's
confirmations (支付回单) imported in files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from govworks.core.encryption import SM4EncryptedCharField, masked


class CompletedValue(models.Model):
    """The cumulative value of work done under a contract up to a date, confirmed by the supervising
    engineer (监理) or the owner's representative. Progress payments are checked against the latest."""

    class ConfirmedAs(models.TextChoices):
        SUPERVISOR = "supervisor", "监理工程师"
        OWNER = "owner", "建设单位代表"

    contract = models.ForeignKey(
        "procurement.Contract", verbose_name="合同", on_delete=models.PROTECT, related_name="completed_values"
    )
    period_end = models.DateField("计量截止日期")
    cumulative_value = models.DecimalField("累计已完工程价款（元）", max_digits=16, decimal_places=2)
    note = models.CharField("计量说明", max_length=200, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", on_delete=models.PROTECT, related_name="+")
    confirmed_as = models.CharField("确认身份", max_length=12, choices=ConfirmedAs.choices)
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)

    class Meta:
        verbose_name = "已完工程价款确认"
        verbose_name_plural = "已完工程价款确认"
        ordering = ["contract_id", "-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period_end"], name="finance_completed_value_unique_period"),
            models.CheckConstraint(condition=Q(cumulative_value__gte=0), name="finance_completed_value_nonneg"),
        ]

    def __str__(self) -> str:
        return f"截至 {self.period_end:%Y-%m-%d} 累计 {self.cumulative_value:,.2f} 元"


class PaymentRequest(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "起草中"
        SUBMITTED = "submitted", "审批中"
        APPROVED = "approved", "已批准（待国库支付）"
        PAID = "paid", "已支付"
        TREASURY_REJECTED = "treasury_rejected", "国库退回"
        WITHDRAWN = "withdrawn", "已撤回"

    #: the statuses whose amount counts against the contract ceiling and the source
    COMMITTED = (Status.APPROVED, Status.PAID)

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="payment_requests"
    )
    contract = models.ForeignKey(
        "procurement.Contract", verbose_name="合同", on_delete=models.PROTECT, related_name="payment_requests"
    )
    milestone = models.ForeignKey(
        "procurement.PaymentMilestone", verbose_name="付款节点", on_delete=models.PROTECT, related_name="payment_requests"
    )
    source = models.ForeignKey(
        "finance.FundingSource", verbose_name="资金来源", on_delete=models.PROTECT, related_name="requests"
    )
    number = models.CharField("申请编号", max_length=40)
    kind = models.CharField("款项类型", max_length=20)
    gross_amount = models.DecimalField("本期应付（元）", max_digits=16, decimal_places=2)
    advance_offset = models.DecimalField("扣回预付款（元）", max_digits=16, decimal_places=2, default=0)
    amount = models.DecimalField("本次实付（元）", max_digits=16, decimal_places=2)
    completed_value = models.ForeignKey(
        CompletedValue, verbose_name="依据的已完工程价款", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payee_account = models.ForeignKey(
        "procurement.SupplierBankAccount", verbose_name="收款账户", on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField("用途", max_length=200)
    attachment = models.FileField("支撑材料", upload_to="finance/requests/%Y/%m/", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    requires_decision = models.BooleanField("须集体决策", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    paid_on = models.DateField("支付日期", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "付款申请"
        verbose_name_plural = "付款申请"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="finance_request_unique_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_request_amount_positive"),
            models.CheckConstraint(condition=Q(advance_offset__gte=0), name="finance_request_offset_nonneg"),
        ]
        indexes = [
            models.Index(fields=["contract", "status"], name="finance_req_contract_status"),
            models.Index(fields=["project", "status", "paid_on"], name="finance_req_project_paid"),
            # covers the cost centre's paid-per-contract sum (no table reads)
            models.Index(fields=["project", "status", "contract", "amount"], name="finance_req_project_contract"),
        ]

    def __str__(self) -> str:
        return f"{self.number}"

    @property
    def agency_id(self) -> int:
        return self.project.agency_id  # type: ignore[no-any-return]

    def kind_label(self) -> str:
        from govworks.procurement.models import PaymentMilestone

        return str(dict(PaymentMilestone.Kind.choices).get(self.kind, self.kind))


class PaymentInstruction(models.Model):
    """The numbered instruction sent to the treasury (国库集中支付) for one approved request, with the
    fields the treasury system needs, frozen at issue."""

    class Status(models.TextChoices):
        ISSUED = "issued", "已发送待回单"
        PAID = "paid", "已支付"
        REJECTED = "rejected", "国库退回"

    request = models.OneToOneField(PaymentRequest, verbose_name="付款申请", on_delete=models.PROTECT, related_name="instruction")
    agency = models.ForeignKey("org.Agency", verbose_name="付款单位", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("支付指令编号", max_length=40, unique=True)
    payer_name = models.CharField("付款单位", max_length=120)
    indicator_number = models.CharField("预算指标文号", max_length=60)
    functional_class = models.CharField("功能分类科目", max_length=60)
    economic_class = models.CharField("经济分类科目", max_length=60)
    fund_kind = models.CharField("资金性质", max_length=20)
    payee_name = models.CharField("收款人", max_length=120)
    payee_bank = models.CharField("开户银行", max_length=80)
    payee_account = SM4EncryptedCharField("收款账号", max_length=40)  # SM4 at rest (issue 12, item 11)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    amount_words = models.CharField("金额大写", max_length=80)
    purpose = models.CharField("用途", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ISSUED, db_index=True)
    voucher_number = models.CharField("国库支付凭证号", max_length=60, blank=True)
    paid_on = models.DateField("支付日期", null=True, blank=True)
    rejection_reason = models.CharField("退回原因", max_length=200, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="开具人", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("开具时间", auto_now_add=True)
    confirmed_at = models.DateTimeField("回单登记时间", null=True, blank=True)

    class Meta:
        verbose_name = "国库支付指令"
        verbose_name_plural = "国库支付指令"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["voucher_number"], condition=~Q(voucher_number=""), name="finance_instruction_unique_voucher"
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | (Q(paid_on__isnull=False) & ~Q(voucher_number="")),
                name="finance_instruction_paid_has_voucher",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def payee_account_masked(self) -> str:
        return masked(self.payee_account)


class TreasuryImport(models.Model):
    """One imported confirmation file (回单文件); the same file (by SHA-256) is imported once."""

    agency = models.ForeignKey("org.Agency", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("文件摘要", max_length=64)
    rows_total = models.PositiveIntegerField("行数", default=0)
    rows_applied = models.PositiveIntegerField("登记行数", default=0)
    report = models.TextField("处理结果", blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "国库回单导入"
        verbose_name_plural = "国库回单导入"
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["agency", "sha256"], name="finance_treasury_import_unique_file")]

    def __str__(self) -> str:
        return self.file_name
