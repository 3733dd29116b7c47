"""Contracts (合同) of a project and their change orders (变更/签证). A contract is made from a lot whose
method is chosen (the direct-procurement path; the award path will add its award later) with a supplier
that may be awarded; its terms are checked by ``rules_contracts``. Payment terms are milestones; approved
change orders adjust the ceiling finance pays against (``rules_contracts.contract_ceiling``)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from govworks.core.money import percent_text


class PricingType(models.TextChoices):
    LUMP_SUM = "lump_sum", "总价合同"
    UNIT_PRICE = "unit_price", "单价合同"


class Contract(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "起草中"
        SIGNED = "signed", "已签订"

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="contracts")
    lot = models.ForeignKey("procurement.ProcurementLot", verbose_name="标段", on_delete=models.PROTECT, related_name="contracts")
    supplier = models.ForeignKey(
        "procurement.Supplier", verbose_name="乙方（供应商）", on_delete=models.PROTECT, related_name="contracts"
    )
    payee_account = models.ForeignKey(
        "procurement.SupplierBankAccount",
        verbose_name="收款账户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
        help_text="合同约定的乙方收款账户；付款只能付往此账户",
    )
    award_reference = models.CharField("中标通知书/授标依据", max_length=120, blank=True)
    number = models.CharField("合同编号", max_length=40)
    title = models.CharField("合同名称", max_length=200)
    is_main_construction = models.BooleanField("主体施工合同", default=False)
    amount = models.DecimalField("合同金额（元）", max_digits=16, decimal_places=2)
    pricing_type = models.CharField("计价方式", max_length=12, choices=PricingType.choices)
    starts_on = models.DateField("合同开始日期")
    ends_on = models.DateField("合同结束日期")
    award_notice_on = models.DateField("中标通知/采购确定日期")
    signed_on = models.DateField("签订日期", null=True, blank=True)
    performance_bond = models.DecimalField("履约保证金（元）", max_digits=16, decimal_places=2, default=0)
    advance_ratio = models.DecimalField("预付款比例", max_digits=5, decimal_places=4, help_text="小数，如 0.20 = 20%")
    progress_ratio = models.DecimalField("进度款支付比例", max_digits=5, decimal_places=4)
    quality_deposit_ratio = models.DecimalField("质量保证金比例", max_digits=5, decimal_places=4)
    defect_period_months = models.PositiveSmallIntegerField("缺陷责任期（月）")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "合同"
        verbose_name_plural = "合同"
        ordering = ["project_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="procurement_contract_unique_number"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="procurement_contract_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="signed") | models.Q(signed_on__isnull=False), name="procurement_contract_signed_on"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}《{self.title}》"


class PaymentMilestone(models.Model):
    class Kind(models.TextChoices):
        ADVANCE = "advance", "预付款"
        PROGRESS = "progress", "进度款"
        SETTLEMENT = "settlement", "结算款"
        RETENTION_RETURN = "retention_return", "质保金返还"

    contract = models.ForeignKey(Contract, verbose_name="合同", on_delete=models.CASCADE, related_name="milestones")
    seq = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    ratio = models.DecimalField("比例", max_digits=5, decimal_places=4, null=True, blank=True)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    condition = models.CharField("支付条件", max_length=200)

    class Meta:
        verbose_name = "付款节点"
        verbose_name_plural = "付款节点"
        ordering = ["contract_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["contract", "seq"], name="procurement_milestone_unique_seq")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.get_kind_display()}"

    @property
    def ratio_text(self) -> str:
        return "—" if self.ratio is None else percent_text(Decimal(self.ratio))


class ChangeCategory(models.TextChoices):
    DESIGN = "design", "设计变更"
    NEGOTIATION = "negotiation", "工程洽商"
    SITE_VISA = "site_visa", "现场签证"
    ESTIMATE = "estimate", "概算调整"


class Responsibility(models.TextChoices):
    OWNER = "owner", "建设单位"
    DESIGNER = "designer", "设计"
    CONTRACTOR = "contractor", "施工"
    SUPERVISOR = "supervisor", "监理"
    OTHER = "other", "其他"


class ChangeOrder(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "起草中"
        SUBMITTED = "submitted", "审批中"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已退回"

    contract = models.ForeignKey(Contract, verbose_name="合同", on_delete=models.PROTECT, related_name="changes")
    seq = models.PositiveSmallIntegerField("变更序号")
    category = models.CharField("类别", max_length=12, choices=ChangeCategory.choices)
    reason = models.TextField("变更原因")
    responsibility = models.CharField("责任归属", max_length=12, choices=Responsibility.choices)
    amount = models.DecimalField("变更金额（元，可为负）", max_digits=16, decimal_places=2)
    evidence = models.FileField("证明材料", upload_to="procurement/changes/%Y/%m/", blank=True)
    supervisor_opinion = models.TextField("监理意见", blank=True)
    designer_opinion = models.TextField("设计单位意见", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    requires_higher_approval = models.BooleanField("需上级审批及集体决策", default=False)
    cumulative_ratio_after = models.DecimalField("累计变更比例（含本次）", max_digits=7, decimal_places=4, default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "变更/签证"
        verbose_name_plural = "变更/签证"
        ordering = ["contract_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["contract", "seq"], name="procurement_change_unique_seq")]

    def __str__(self) -> str:
        return f"第{self.seq}号{self.get_category_display()}"

    @property
    def agency_id(self) -> int:
        return self.contract.project.agency_id  # type: ignore[no-any-return]
