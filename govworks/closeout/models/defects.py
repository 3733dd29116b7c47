"""The defect-liability period (缺陷责任期) and the deposits: the period of the main construction contract
starting on the passed acceptance, the defects reported during it (rectification notices, ``source=defect``),
the quality deposit's return less deductions for unrepaired defects (a payment request through finance's
guards) and the return of the migrant-worker wage deposit (工资保证金, a documented step: the contractor's
pledge of no arrears, the publicity period, then the return)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class DefectPeriod(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "缺陷责任期内"
        RETURN_PREPARED = "prepared", "保证金返还核定"
        RETURN_REQUESTED = "requested", "保证金返还已申请付款"

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="defect_periods")
    contract = models.OneToOneField(
        "procurement.Contract", verbose_name="施工合同", on_delete=models.PROTECT, related_name="defect_period"
    )
    acceptance = models.ForeignKey(
        "closeout.Acceptance", verbose_name="竣工验收", on_delete=models.PROTECT, related_name="defect_periods"
    )
    starts_on = models.DateField("起算日期（竣工验收合格）")
    months = models.PositiveSmallIntegerField("期限（月）")
    ends_on = models.DateField("期满日期", db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING, db_index=True)

    class Meta:
        verbose_name = "缺陷责任期"
        verbose_name_plural = "缺陷责任期"
        ordering = ["ends_on", "id"]

    def __str__(self) -> str:
        return f"缺陷责任期 {self.starts_on:%Y-%m-%d}—{self.ends_on:%Y-%m-%d}"


class DefectReport(models.Model):
    """A defect reported during the period: the rectification notice sent to the contractor."""

    period = models.ForeignKey(DefectPeriod, verbose_name="缺陷责任期", on_delete=models.PROTECT, related_name="defects")
    notice = models.OneToOneField(
        "construction.RectificationNotice", verbose_name="整改通知单", on_delete=models.PROTECT, related_name="defect_report"
    )
    location = models.CharField("部位", max_length=120, blank=True)

    class Meta:
        verbose_name = "缺陷报修"
        verbose_name_plural = "缺陷报修"
        ordering = ["period_id", "id"]

    def __str__(self) -> str:
        return f"缺陷报修 {self.notice_id}"


class DepositReturn(models.Model):
    """The quality deposit's return at the end of the period: the deposit held, the deductions and the payment
    request raised through finance."""

    period = models.OneToOneField(
        DefectPeriod, verbose_name="缺陷责任期", on_delete=models.PROTECT, related_name="deposit_return"
    )
    deposit_amount = models.DecimalField("质量保证金（元）", max_digits=16, decimal_places=2)
    deductions_total = models.DecimalField("扣除合计（元）", max_digits=16, decimal_places=2, default=0)
    return_amount = models.DecimalField("应返还（元）", max_digits=16, decimal_places=2)
    basis = models.CharField("保证金计算依据", max_length=200)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核定人", on_delete=models.PROTECT, related_name="+")
    prepared_on = models.DateField("核定日期")
    payment_request = models.OneToOneField(
        "finance.PaymentRequest", verbose_name="付款申请", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "质量保证金返还"
        verbose_name_plural = "质量保证金返还"
        constraints = [
            models.CheckConstraint(condition=Q(deductions_total__gte=0), name="closeout_deposit_deductions_nonneg"),
            models.CheckConstraint(condition=Q(return_amount__gte=0), name="closeout_deposit_return_nonneg"),
        ]

    def __str__(self) -> str:
        return f"质量保证金返还 {self.return_amount:,.2f} 元"


class DepositDeduction(models.Model):
    """A deduction from the quality deposit: the cost of an unrepaired defect (repaired by others)."""

    deposit_return = models.ForeignKey(
        DepositReturn, verbose_name="保证金返还", on_delete=models.CASCADE, related_name="deductions"
    )
    defect = models.ForeignKey(
        DefectReport, verbose_name="缺陷", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("扣除理由", max_length=200)
    amount = models.DecimalField("扣除金额（元）", max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = "保证金扣除"
        verbose_name_plural = "保证金扣除"
        ordering = ["deposit_return_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="closeout_deduction_positive")]

    def __str__(self) -> str:
        return f"扣除 {self.amount:,.2f} 元：{self.reason}"


class WageDepositReturn(models.Model):
    """The return of the wage deposit (工资保证金): the contractor pledges no wage arrears, the pledge is
    published for the rule's days, then the return is recorded (the bank releases the cash or the guarantee)."""

    deposit = models.OneToOneField(
        "finance.WageDeposit", verbose_name="工资保证金", on_delete=models.PROTECT, related_name="return_record"
    )
    period = models.ForeignKey(DefectPeriod, verbose_name="缺陷责任期", on_delete=models.PROTECT, related_name="wage_returns")
    publicity_from = models.DateField("公示开始日期")
    publicity_days = models.PositiveSmallIntegerField("公示天数")
    pledge_note = models.CharField("无拖欠承诺", max_length=200)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    returned_on = models.DateField("返还日期", null=True, blank=True)
    return_reference = models.CharField("返还凭证", max_length=60, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="返还登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "工资保证金返还"
        verbose_name_plural = "工资保证金返还"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"工资保证金返还（公示自{self.publicity_from:%Y-%m-%d}）"
