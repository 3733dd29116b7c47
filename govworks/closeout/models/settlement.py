"""The settlement audit (结算审计): the register of audit firms (造价咨询/审计机构) an agency keeps, and per
construction contract the contractor's 结算书 (送审), the firm drawn to audit it, its result (审定金额 with
the line differences), the contractor's confirmation or dispute (each dispute kept) and the approval."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from govworks.closeout import rules_settlement as rules


class AuditFirm(models.Model):
    """A 造价咨询/审计机构 on an agency's register (its subordinates draw from it too). ``external_org`` is its
    account on GovWorks, when it has one (its people then record their results themselves). The conflicts
    (agencies and companies it is tied to) exclude it from the draws of those projects."""

    agency = models.ForeignKey("org.Agency", verbose_name="登记单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("机构名称", max_length=120)
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    qualification = models.CharField("资质（造价咨询/审计）", max_length=120)
    qualification_valid_until = models.DateField("资质有效期至")
    external_org = models.ForeignKey(
        "org.ExternalOrganization", verbose_name="平台账号单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conflict_agencies = models.ManyToManyField("org.Agency", verbose_name="存在利害关系的单位", blank=True, related_name="+")
    conflict_orgs = models.ManyToManyField(
        "org.ExternalOrganization", verbose_name="存在利害关系的企业", blank=True, related_name="+"
    )
    is_active = models.BooleanField("在库", default=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "审计机构"
        verbose_name_plural = "审计机构库"
        ordering = ["agency_id", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "credit_code"], name="closeout_auditfirm_unique_code")]

    def __str__(self) -> str:
        return self.name


class Settlement(models.Model):
    """The settlement of one construction contract, from the contractor's 结算书 to its approval."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已送审（待抽取审计机构）"
        REVIEW = "review", "审核中"
        AUDITED = "audited", "已出审定结果（待施工单位确认）"
        CONFIRMED = "confirmed", "施工单位已确认（待审批）"
        APPROVED = "approved", "已审定批准"

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="settlements")
    contract = models.OneToOneField(
        "procurement.Contract", verbose_name="合同", on_delete=models.PROTECT, related_name="settlement"
    )
    number = models.CharField("结算编号", max_length=40)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    submitted_amount = models.DecimalField("送审金额（元）", max_digits=16, decimal_places=2)
    submitted_on = models.DateField("送审日期")
    due_on = models.DateField("审查期限", db_index=True)
    review_days = models.PositiveSmallIntegerField("审查时限（天）")
    submission_note = models.CharField("结算书说明", max_length=200, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="送审人", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("送审时间", auto_now_add=True)
    # the draw of the audit firm (replayable: pool, parties, seed)
    firm = models.ForeignKey(
        AuditFirm, verbose_name="审计机构", null=True, blank=True, on_delete=models.PROTECT, related_name="settlements"
    )
    draw_seed = models.CharField("抽取种子", max_length=64, blank=True)
    draw_pool = models.JSONField("抽取时的机构库与参建方", default=dict, blank=True)
    draw_excluded = models.JSONField("回避的机构", default=list, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽取人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    # the firm's result (the current round)
    approved_amount = models.DecimalField("审定金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    report_number = models.CharField("审计报告文号", max_length=60, blank=True)
    review_round = models.PositiveSmallIntegerField("审核轮次", default=0)
    result_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审定结果登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result_at = models.DateTimeField("审定结果登记时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="施工单位确认人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    requires_decision = models.BooleanField("须集体决策", default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        verbose_name = "结算审计"
        verbose_name_plural = "结算审计"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(submitted_amount__gt=0), name="closeout_settlement_submitted_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(approved_amount__isnull=False),
                name="closeout_settlement_approved_has_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="closeout_settlement_due_idx"),
            # the register's order: the first page is read from the index, not sorted from every row (bench/closeout_bench.py)
            models.Index(fields=["due_on", "id"], name="closeout_settlement_register"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def reduction_rate(self) -> Decimal | None:
        """审减率 (exact) of the current result, None while there is none."""
        if self.approved_amount is None:
            return None
        return rules.reduction_rate(Decimal(self.submitted_amount), Decimal(self.approved_amount))

    @property
    def reduction_text(self) -> str:
        return rules.percent(self.reduction_rate)

    @property
    def reduction_amount(self) -> Decimal | None:
        return None if self.approved_amount is None else Decimal(self.submitted_amount) - Decimal(self.approved_amount)

    def is_overdue(self, today: object) -> bool:
        return self.status != self.Status.APPROVED and self.due_on < today  # type: ignore[operator]


class SettlementLine(models.Model):
    """One line of the firm's current result: item, 送审, 审定 and why they differ."""

    settlement = models.ForeignKey(Settlement, verbose_name="结算", on_delete=models.CASCADE, related_name="lines")
    seq = models.PositiveSmallIntegerField("序号")
    name = models.CharField("项目名称", max_length=120)
    submitted_amount = models.DecimalField("送审金额（元）", max_digits=16, decimal_places=2)
    approved_amount = models.DecimalField("审定金额（元）", max_digits=16, decimal_places=2)
    reason = models.CharField("审增减原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "审定明细"
        ordering = ["settlement_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["settlement", "seq"], name="closeout_settlementline_unique_seq")]

    def __str__(self) -> str:
        return self.name

    @property
    def difference(self) -> Decimal:
        return Decimal(self.approved_amount) - Decimal(self.submitted_amount)


class SettlementDispute(models.Model):
    """The contractor's dispute of a result, with the result as it stood (kept when the firm reviews again)."""

    settlement = models.ForeignKey(Settlement, verbose_name="结算", on_delete=models.CASCADE, related_name="disputes")
    review_round = models.PositiveSmallIntegerField("审核轮次")
    reason = models.TextField("异议理由")
    approved_amount_before = models.DecimalField("异议时的审定金额（元）", max_digits=16, decimal_places=2)
    lines_before = models.JSONField("异议时的审定明细", default=list)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        verbose_name = "审定结果异议"
        ordering = ["settlement_id", "review_round", "id"]

    def __str__(self) -> str:
        return f"{self.settlement_id}#{self.review_round}"


def settlement_document_path(instance: SettlementDocument, filename: str) -> str:
    return f"closeout/settlements/{instance.settlement_id}/{filename}"


class SettlementDocument(models.Model):
    """A file of the contractor's 结算书 (结算书, 工程量计算书, 签证 …), checked by its content when uploaded."""

    settlement = models.ForeignKey(Settlement, verbose_name="结算", on_delete=models.CASCADE, related_name="documents")
    file = models.FileField("文件", upload_to=settlement_document_path)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "结算书文件"
        ordering = ["settlement_id", "id"]

    def __str__(self) -> str:
        return self.original_name
