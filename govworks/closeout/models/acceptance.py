"""The completion acceptance (竣工验收): the contractor's declaration, the acceptance organised by the agency
with the five parties (建设/勘察/设计/施工/监理) and the 档案 pre-acceptance where required, each party's
opinion, the problems found (rectification notices of the construction loop, ``source=acceptance``), the
conclusion 合格/不合格 with its record PDF, and the 备案 with the filing authority.

A project has one acceptance per round: a 不合格 conclusion ends the round and the next declaration opens a
new one; the latest round is the project's acceptance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


def declaration_upload_to(instance: Acceptance, filename: str) -> str:
    return f"closeout/acceptance/{instance.project_id}/{filename}"


class Acceptance(models.Model):
    class Status(models.TextChoices):
        DECLARED = "declared", "施工单位已申报竣工"
        ORGANISED = "organised", "验收组织中"
        PASSED = "passed", "验收合格"
        FAILED = "failed", "验收不合格"

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="acceptances")
    round = models.PositiveSmallIntegerField("验收轮次", default=1)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DECLARED, db_index=True)
    # the contractor's declaration (工程竣工报告)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申报人", on_delete=models.PROTECT, related_name="+")
    declared_on = models.DateField("竣工申报日期")
    declared_on_behalf = models.BooleanField("建设单位代为登记", default=False)
    declaration_note = models.TextField("竣工报告摘要")
    declaration_file = models.FileField("工程竣工报告", upload_to=declaration_upload_to, blank=True)
    # the organisation
    organised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="组织人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_on = models.DateField("验收日期", null=True, blank=True, db_index=True)
    location = models.CharField("验收地点", max_length=120, blank=True)
    archive_pre_required = models.BooleanField("须城建档案预验收", default=False)
    archive_pre_on = models.DateField("档案预验收日期", null=True, blank=True)
    archive_pre_reference = models.CharField("档案认可文件编号", max_length=60, blank=True)
    # the written notice to the quality supervision body (建质〔2013〕171号第六条（三）)
    supervision_notified_on = models.DateField("通知质量监督机构日期", null=True, blank=True)
    supervision_body = models.CharField("质量监督机构", max_length=120, blank=True)
    supervision_notice_file = models.FileField("验收通知书（送达回执）", upload_to=declaration_upload_to, blank=True)
    supervision_notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="通知登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # the conclusion
    conclusion_note = models.TextField("验收结论意见", blank=True)
    concluded_on = models.DateField("验收结论日期", null=True, blank=True, db_index=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="结论登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        "projects.DocumentVersion", verbose_name="竣工验收报告", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # the filing (备案)
    filing_due_on = models.DateField("备案期限", null=True, blank=True, db_index=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    filing_number = models.CharField("备案编号", max_length=60, blank=True)
    filing_authority = models.CharField("备案机关", max_length=120, blank=True)
    filing = models.ForeignKey(
        "projects.DocumentVersion",
        verbose_name="竣工验收备案表",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="备案登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "竣工验收"
        verbose_name_plural = "竣工验收"
        ordering = ["project_id", "-round"]
        constraints = [
            models.UniqueConstraint(fields=["project", "round"], name="closeout_acceptance_unique_round"),
            models.CheckConstraint(
                condition=~Q(status="passed") | Q(concluded_on__isnull=False), name="closeout_acceptance_passed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"竣工验收（第{self.round}轮）"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DECLARED, self.Status.ORGANISED)

    @property
    def is_filed(self) -> bool:
        return self.filed_on is not None


class PartyRole(models.TextChoices):
    """The five parties of the completion acceptance (建设工程质量管理条例第十六条)."""

    OWNER = "owner", "建设单位"
    SURVEY = "survey", "勘察单位"
    DESIGN = "design", "设计单位"
    CONTRACTOR = "contractor", "施工单位"
    SUPERVISOR = "supervisor", "监理单位"


class AcceptanceParty(models.Model):
    """One of the five parties: the company (from the project's signed contract where known, a name
    otherwise) and its opinion."""

    class Opinion(models.TextChoices):
        PENDING = "", "待签署"
        AGREE = "agree", "同意验收"
        DISAGREE = "disagree", "不同意验收"

    acceptance = models.ForeignKey(Acceptance, verbose_name="竣工验收", on_delete=models.CASCADE, related_name="parties")
    role = models.CharField("参建方", max_length=12, choices=PartyRole.choices)
    name = models.CharField("单位名称", max_length=120)
    external_org = models.ForeignKey(
        "org.ExternalOrganization", verbose_name="外部单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contract = models.ForeignKey(
        "procurement.Contract", verbose_name="依据合同", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    representative = models.CharField("代表", max_length=60, blank=True)
    opinion = models.CharField("意见", max_length=10, choices=Opinion.choices, blank=True, default="")
    opinion_text = models.TextField("意见说明", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("签署时间", null=True, blank=True)

    class Meta:
        verbose_name = "验收参建方"
        verbose_name_plural = "验收参建方"
        ordering = ["acceptance_id", "id"]
        constraints = [models.UniqueConstraint(fields=["acceptance", "role"], name="closeout_acceptance_party_unique_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.name}"


class AcceptanceProblem(models.Model):
    """A problem found at the acceptance: the rectification notice (construction's loop) and who raised it."""

    acceptance = models.ForeignKey(Acceptance, verbose_name="竣工验收", on_delete=models.PROTECT, related_name="problems")
    notice = models.OneToOneField(
        "construction.RectificationNotice", verbose_name="整改通知单", on_delete=models.PROTECT, related_name="acceptance_problem"
    )
    raised_by_role = models.CharField("提出方", max_length=12, choices=PartyRole.choices, default=PartyRole.OWNER)

    class Meta:
        verbose_name = "验收问题"
        verbose_name_plural = "验收问题"
        ordering = ["acceptance_id", "id"]

    def __str__(self) -> str:
        return f"验收问题 {self.notice_id}"
