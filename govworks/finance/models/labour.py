"""Day labour (点工) records confirmed by the supervising engineer or the owner's representative, and the
migrant-worker wage account (农民工工资专用账户) of a contract with its monthly labour-cost transfers,
wage deposits (工资保证金) and the alerts raised for a month without a transfer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from govworks.core.encryption import SM4EncryptedCharField, masked


class DayLabour(models.Model):
    class Status(models.TextChoices):
        RECORDED = "recorded", "待确认"
        CONFIRMED = "confirmed", "已确认"

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="day_labour")
    cost_item = models.ForeignKey(
        "finance.CostItem", verbose_name="成本科目", null=True, blank=True, on_delete=models.PROTECT, related_name="day_labour"
    )
    team = models.CharField("施工班组", max_length=80)
    trade = models.CharField("工种", max_length=40)
    work_date = models.DateField("日期", db_index=True)
    people = models.PositiveSmallIntegerField("人数")
    workdays = models.DecimalField("工日", max_digits=8, decimal_places=2)
    unit_price = models.DecimalField("工日单价（元）", max_digits=10, decimal_places=2)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    content = models.CharField("工作内容", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RECORDED, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_as = models.CharField("确认身份", max_length=12, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "点工记录"
        verbose_name_plural = "点工记录"
        ordering = ["project_id", "-work_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(people__gt=0) & Q(workdays__gt=0), name="finance_day_labour_positive"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="finance_day_labour_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.work_date:%Y-%m-%d} {self.team}·{self.trade}"


class WageAccount(models.Model):
    contract = models.OneToOneField(
        "procurement.Contract", verbose_name="施工合同", on_delete=models.PROTECT, related_name="wage_account"
    )
    bank_name = models.CharField("开户银行", max_length=80)
    account_name = models.CharField("账户名称", max_length=120)
    account_number = SM4EncryptedCharField("专用账号", max_length=40)  # SM4 at rest (issue 12, item 11)
    labour_cost_ratio = models.DecimalField("人工费用占合同价比例", max_digits=5, decimal_places=4)
    opened_on = models.DateField("开户日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "农民工工资专用账户"
        verbose_name_plural = "农民工工资专用账户"
        constraints = [
            models.CheckConstraint(
                condition=Q(labour_cost_ratio__gt=0) & Q(labour_cost_ratio__lt=1), name="finance_wage_ratio_range"
            )
        ]

    def __str__(self) -> str:  # the number masked: this text reaches the audit trail and pages
        return f"{self.bank_name} {masked(self.account_number)}"


class WageTransfer(models.Model):
    account = models.ForeignKey(WageAccount, verbose_name="专用账户", on_delete=models.PROTECT, related_name="transfers")
    month = models.DateField("所属月份", help_text="该月1日")
    amount = models.DecimalField("拨付金额（元）", max_digits=16, decimal_places=2)
    transferred_on = models.DateField("拨付日期")
    voucher_number = models.CharField("凭证号", max_length=60)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "人工费用拨付"
        verbose_name_plural = "人工费用拨付"
        ordering = ["account_id", "month", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="finance_wage_transfer_positive")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} 拨付 {self.amount:,.2f} 元"


class WageDeposit(models.Model):
    class Form(models.TextChoices):
        CASH = "cash", "现金存储"
        GUARANTEE = "guarantee", "银行保函"

    contract = models.ForeignKey(
        "procurement.Contract", verbose_name="施工合同", on_delete=models.PROTECT, related_name="wage_deposits"
    )
    form = models.CharField("形式", max_length=10, choices=Form.choices)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    deposited_on = models.DateField("存储/开立日期")
    bank_name = models.CharField("银行", max_length=80)
    reference = models.CharField("凭证/保函编号", max_length=60)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "工资保证金"
        verbose_name_plural = "工资保证金"
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="finance_wage_deposit_positive")]

    def __str__(self) -> str:
        return f"工资保证金 {self.amount:,.2f} 元"


class WageAlert(models.Model):
    """A month in which no labour-cost transfer reached the wage account (raised by the periodic job)."""

    account = models.ForeignKey(WageAccount, verbose_name="专用账户", on_delete=models.PROTECT, related_name="alerts")
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("所属月份")
    raised_on = models.DateField("预警日期")
    resolved_at = models.DateTimeField("消除时间", null=True, blank=True)

    class Meta:
        verbose_name = "欠薪预警"
        verbose_name_plural = "欠薪预警"
        ordering = ["-month", "id"]
        constraints = [models.UniqueConstraint(fields=["account", "month"], name="finance_wage_alert_unique_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} 未拨付人工费用"
