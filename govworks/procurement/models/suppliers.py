"""The supplier register (供应商库), shared by every agency of the deployment: companies identified by
their 统一社会信用代码, their contacts, bank accounts and qualifications, the performance evaluations
agencies give after each contract (履约评价) and the grey and black lists (灰名单、黑名单)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govworks.core.encryption import SM4DigestField, SM4EncryptedCharField, masked
from govworks.core.models import TimeStampedModel
from govworks.org.models import validate_credit_code


class SupplierCategory(models.TextChoices):
    GENERAL_CONTRACTING = "general_contracting", "施工总承包"
    MEP = "mep", "机电安装"
    FIRE = "fire", "消防"
    INTELLIGENT = "intelligent", "智能化"
    DECORATION = "decoration", "装饰装修"
    COST_CONSULTING = "cost_consulting", "造价咨询"
    SUPERVISION = "supervision", "监理"
    DESIGN = "design", "勘察设计"
    GOODS = "goods", "货物供应"
    OTHER = "other", "其他"


class Supplier(TimeStampedModel):
    """A company that bids for and performs agencies' contracts. ``registered_by`` is the agency whose
    people keep the record up to date; every agency reads it."""

    name = models.CharField("单位名称", max_length=120)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code])
    category = models.CharField("主营类别", max_length=30, choices=SupplierCategory.choices)
    legal_representative = models.CharField("法定代表人", max_length=40)
    registered_capital = models.DecimalField("注册资本（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("注册地址", max_length=200, blank=True)
    external_org = models.OneToOneField(
        "org.ExternalOrganization",
        verbose_name="对应外部单位账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supplier",
        help_text="该企业已在组织机构中登记为外部单位（有人员账号）时关联",
    )
    note = models.TextField("备注", blank=True)
    registered_by = models.ForeignKey(
        "org.Agency", verbose_name="登记单位", on_delete=models.PROTECT, related_name="registered_suppliers"
    )

    class Meta:
        verbose_name = "供应商"
        verbose_name_plural = "供应商"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SupplierContact(models.Model):
    supplier = models.ForeignKey(Supplier, verbose_name="供应商", on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("姓名", max_length=40)
    title = models.CharField("职务", max_length=40, blank=True)
    phone = models.CharField("手机号", max_length=30)
    email = models.EmailField("电子邮箱", blank=True)
    is_primary = models.BooleanField("主要联系人", default=False)

    class Meta:
        verbose_name = "供应商联系人"
        verbose_name_plural = "供应商联系人"
        ordering = ["supplier_id", "-is_primary", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.phone}）"


class SupplierBankAccount(models.Model):
    supplier = models.ForeignKey(Supplier, verbose_name="供应商", on_delete=models.CASCADE, related_name="bank_accounts")
    bank_name = models.CharField("开户银行", max_length=80)
    account_name = models.CharField("账户名称", max_length=120)
    account_number = SM4EncryptedCharField("银行账号", max_length=40)  # SM4 at rest (issue 12, item 11)
    account_digest = SM4DigestField("银行账号摘要", source="account_number", db_index=True)  # keyed HMAC-SM3: matching
    is_default = models.BooleanField("默认收款账户", default=False)

    class Meta:
        verbose_name = "供应商银行账户"
        verbose_name_plural = "供应商银行账户"
        ordering = ["supplier_id", "-is_default", "id"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "account_digest"], name="procurement_bank_account_unique_number")
        ]

    def __str__(self) -> str:  # the number masked: this text reaches pages, pickers and the audit trail
        return f"{self.bank_name} {masked(self.account_number)}"

    @property
    def account_masked(self) -> str:
        return masked(self.account_number)


class Qualification(models.Model):
    """A licence (资质证书) with its grade and validity; valid up to and including ``expires_on``."""

    supplier = models.ForeignKey(Supplier, verbose_name="供应商", on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField("资质名称", max_length=80, help_text="如：建筑工程施工总承包、消防设施工程专业承包")
    category = models.CharField("适用类别", max_length=30, choices=SupplierCategory.choices)
    grade = models.CharField("资质等级", max_length=20, help_text="如：一级、二级、甲级")
    certificate_number = models.CharField("证书编号", max_length=60)
    issued_by = models.CharField("发证机关", max_length=80, blank=True)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至")

    class Meta:
        verbose_name = "资质"
        verbose_name_plural = "资质"
        ordering = ["supplier_id", "expires_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")), name="procurement_qualification_expires_after_issue"
            ),
            models.UniqueConstraint(fields=["supplier", "certificate_number"], name="procurement_qualification_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}{self.grade}"


class PerformanceEvaluation(models.Model):
    """An agency's evaluation of how a supplier performed one contract (履约评价), 0–100 points."""

    supplier = models.ForeignKey(Supplier, verbose_name="供应商", on_delete=models.PROTECT, related_name="evaluations")
    agency = models.ForeignKey("org.Agency", verbose_name="评价单位", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contract_name = models.CharField("合同名称", max_length=120)
    score = models.PositiveSmallIntegerField("评分")
    comment = models.TextField("评价意见")
    evaluated_on = models.DateField("评价日期")
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评价人", on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "履约评价"
        verbose_name_plural = "履约评价"
        ordering = ["supplier_id", "-evaluated_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(score__lte=100), name="procurement_evaluation_score_max_100")]

    def __str__(self) -> str:
        return f"{self.contract_name} {self.score}分"


class SupplierListing(models.Model):
    """A grey or black listing: from ``starts_on`` to ``ends_on`` inclusive (open-ended when empty), on
    the strength of a deciding document; lifting early keeps the row with who, when and why."""

    class Kind(models.TextChoices):
        GREY = "grey", "灰名单"
        BLACK = "black", "黑名单"

    supplier = models.ForeignKey(Supplier, verbose_name="供应商", on_delete=models.PROTECT, related_name="listings")
    kind = models.CharField("名单", max_length=10, choices=Kind.choices)
    reason = models.TextField("列入事由")
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期", null=True, blank=True, help_text="不填为长期")
    deciding_authority = models.CharField("决定机关", max_length=80, help_text="如：临江市住房和城乡建设局")
    deciding_document = models.CharField("决定文书", max_length=120, help_text="文号，如：临建罚〔2026〕12号")
    decided_by = models.ForeignKey("org.Agency", verbose_name="登记单位", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    lifted_at = models.DateTimeField("移出时间", null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="移出人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_reason = models.TextField("移出理由", blank=True)
    lifted_document = models.CharField("移出依据文书", max_length=120, blank=True)

    class Meta:
        verbose_name = "灰黑名单"
        verbose_name_plural = "灰黑名单"
        ordering = ["supplier_id", "-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="procurement_listing_period",
            ),
            models.CheckConstraint(condition=~models.Q(deciding_document=""), name="procurement_listing_has_document"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.get_kind_display()}"
