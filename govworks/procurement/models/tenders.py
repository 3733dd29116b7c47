"""招标记录 of a competitive lot: announcement and document dates, bids (amount sealed until the opening
time), the opening record, the evaluation panel drawn from the expert pool, each evaluator's scores, the
computed ranking, the candidate publicity and the award notice. Until the opening a bid's amount is not in the
database in plain: ``Bid.amount`` is NULL and ``Bid.sealed_amount`` holds it SM4-encrypted (bound to the bid's
tender and supplier); the opening service (``services.tenders.tender_open``) decrypts and writes the plain amounts
in its transaction (issue 12, item 11). Amounts are read only through
:func:`govworks.procurement.selectors.tenders.bid_amount`, which hides them before ``Tender.opening_at``;
``Bid.__str__``/``__repr__`` never show the amount."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from govworks.core.encryption import DecryptionError, SM4SealedField


class EvaluationMethod(models.TextChoices):
    LOWEST_PRICE = "lowest_price", "经评审的最低投标价法"
    COMPREHENSIVE = "comprehensive", "综合评分法"


class Tender(models.Model):
    class Status(models.TextChoices):
        ANNOUNCED = "announced", "已发布公告"
        OPENED = "opened", "已开标"
        EVALUATED = "evaluated", "已评标"
        PUBLICIZED = "publicized", "候选人公示中"
        AWARDED = "awarded", "已定标"

    lot = models.OneToOneField("procurement.ProcurementLot", verbose_name="标段", on_delete=models.PROTECT, related_name="tender")
    number = models.CharField("招标编号", max_length=40, unique=True)
    announced_on = models.DateField("公告日期")
    documents_issued_on = models.DateField("招标文件发出日期")
    bid_deadline = models.DateTimeField("投标截止时间")
    opening_at = models.DateTimeField("开标时间")
    evaluation_method = models.CharField("评标方法", max_length=20, choices=EvaluationMethod.choices)
    criteria = models.JSONField("评分因素", default=list, blank=True)
    speciality = models.CharField("评标专家专业", max_length=16)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.ANNOUNCED)
    ranking = models.JSONField("评标排序", default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "招标"
        verbose_name_plural = "招标"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"招标 {self.number}"


class Bid(models.Model):
    tender = models.ForeignKey(Tender, verbose_name="招标", on_delete=models.PROTECT, related_name="bids")
    supplier = models.ForeignKey("procurement.Supplier", verbose_name="投标人", on_delete=models.PROTECT, related_name="bids")
    submitted_at = models.DateTimeField("递交时间")
    amount = models.DecimalField(
        "投标报价（元）", max_digits=16, decimal_places=2, null=True, blank=True, help_text="开标前为空（报价密封）"
    )
    sealed_amount = SM4SealedField("密封报价", max_length=60, null=True, blank=True, editable=False)
    bond_amount = models.DecimalField("投标保证金（元）", max_digits=16, decimal_places=2)
    valid = models.BooleanField("通过初步评审", default=True)
    invalid_reason = models.CharField("未通过原因", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "投标"
        verbose_name_plural = "投标"
        ordering = ["tender_id", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "supplier"], name="procurement_bid_one_per_supplier"),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0), name="procurement_bid_amount_positive"
            ),
            # sealed (ciphertext only) before the opening, plain (no ciphertext) after it — never both, never neither
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True, sealed_amount__isnull=False)
                | models.Q(amount__isnull=False, sealed_amount__isnull=True),
                name="procurement_bid_sealed_or_opened",
            ),
            models.CheckConstraint(condition=models.Q(bond_amount__gte=0), name="procurement_bid_bond_nonneg"),
        ]

    def __str__(self) -> str:  # never the amount
        return f"投标 #{self.pk}"

    def __repr__(self) -> str:
        return f"<Bid {self.pk} sealed>"


def bid_amount_seal(*, tender_id: int, supplier_id: int, amount: Decimal) -> str:
    """The stored form of a bid amount before the opening: SM4-GCM of ``<tender>:<supplier>:<amount>`` bound to the
    ``sealed_amount`` column. The ids inside mean a ciphertext swapped onto another bid is refused when opened."""
    field = Bid._meta.get_field("sealed_amount")
    assert isinstance(field, SM4SealedField)
    return field.seal(f"{tender_id}:{supplier_id}:{amount}")


def bid_amount_unseal(bid: Bid) -> Decimal:
    """The amount of a sealed bid. Only the opening service (and the reader after the opening time) call this;
    DecryptionError when the ciphertext was altered, moved to another bid or is under an unknown key."""
    field = Bid._meta.get_field("sealed_amount")
    assert isinstance(field, SM4SealedField)
    plain = field.unseal(str(bid.sealed_amount or ""))
    tender_id, supplier_id, amount = plain.split(":", 2)
    if (int(tender_id), int(supplier_id)) != (bid.tender_id, bid.supplier_id):
        raise DecryptionError(f"投标 #{bid.pk} 的密封报价不属于该投标")
    return Decimal(amount)


class TenderOpening(models.Model):
    tender = models.OneToOneField(Tender, verbose_name="招标", on_delete=models.PROTECT, related_name="opening")
    opened_at = models.DateTimeField("开标时间")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="主持人", on_delete=models.PROTECT, related_name="+")
    witnesses = models.TextField("监督/见证人员", blank=True)
    record_file = models.FileField("开标记录", upload_to="procurement/openings/%Y/%m/", blank=True)

    class Meta:
        verbose_name = "开标记录"
        verbose_name_plural = "开标记录"

    def __str__(self) -> str:
        return f"开标记录 #{self.pk}"


class EvaluationPanel(models.Model):
    """A draw of the 评标委员会. Every draw is kept: a re-draw (with its written reason) marks the earlier
    one as no longer current and points to it; exactly one draw of a tender is current."""

    tender = models.ForeignKey(Tender, verbose_name="招标", on_delete=models.PROTECT, related_name="panels")
    speciality = models.CharField("专业", max_length=16)
    panel_size = models.PositiveSmallIntegerField("人数")
    seed = models.CharField("随机种子", max_length=64)
    pool_snapshot = models.JSONField("抽取时专家库快照")
    excluded_snapshot = models.JSONField("回避专家", default=list)
    panel = models.JSONField("抽中专家")
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)
    is_current = models.BooleanField("当前有效", default=True)
    replaces = models.OneToOneField(
        "self", verbose_name="重新抽取所替代的抽取", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    redraw_reason = models.TextField("重新抽取理由", blank=True)

    class Meta:
        verbose_name = "评标委员会"
        verbose_name_plural = "评标委员会"
        ordering = ["tender_id", "drawn_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender"], condition=models.Q(is_current=True), name="procurement_panel_one_current_per_tender"
            ),
        ]

    def __str__(self) -> str:
        return f"评标委员会 #{self.pk}"


class EvaluationScore(models.Model):
    tender = models.ForeignKey(Tender, verbose_name="招标", on_delete=models.PROTECT, related_name="scores")
    evaluator = models.ForeignKey("projects.Expert", verbose_name="评委", on_delete=models.PROTECT, related_name="+")
    bid = models.ForeignKey(Bid, verbose_name="投标", on_delete=models.PROTECT, related_name="scores")
    criterion = models.CharField("评分因素", max_length=40)
    score = models.DecimalField("得分", max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = "评委评分"
        verbose_name_plural = "评委评分"
        ordering = ["tender_id", "evaluator_id", "bid_id", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["evaluator", "bid", "criterion"], name="procurement_score_unique"),
        ]

    def __str__(self) -> str:
        return f"评分 #{self.pk}"


class Award(models.Model):
    tender = models.OneToOneField(Tender, verbose_name="招标", on_delete=models.PROTECT, related_name="award")
    bid = models.ForeignKey(Bid, verbose_name="中标候选人", on_delete=models.PROTECT, related_name="+")
    publicity_start = models.DateField("公示开始")
    publicity_end = models.DateField("公示结束")
    notice_issued_on = models.DateField("中标通知书发出日期", null=True, blank=True)
    number = models.CharField("中标通知书编号", max_length=40, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "定标"
        verbose_name_plural = "定标"

    def __str__(self) -> str:
        return self.number or f"定标 #{self.pk}"
