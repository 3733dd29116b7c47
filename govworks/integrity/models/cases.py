"""案件办理: a case opened from a source (an alert, a complaint, a manual 直接立案), its handlers, the people it
names (who never read it), investigation notes and evidence, 约谈 records, 整改 demanded and verified, the
conclusion and 办结. Everything but the header is confidential to the handlers and the 纪检 person who assigned
them (docs/adr/0024-cases-confidential-to-handlers.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CaseStatus(models.TextChoices):
    FILED = "filed", "立案"
    INVESTIGATING = "investigating", "调查"
    INTERVIEW = "interview", "约谈"
    RECTIFICATION = "rectification", "整改"
    CONCLUDED = "concluded", "结论"
    CLOSED = "closed", "办结"


class CaseOutcome(models.TextChoices):
    NO_ISSUE = "no_issue", "无问题"
    REMINDER = "reminder", "提醒谈话"
    ADMONISHMENT = "admonishment", "诫勉"
    REFERRAL = "referral", "移送"


class ManualCaseSource(models.Model):
    """直接立案: what a 纪检监察 person writes down when a case has no alert or complaint behind it (a lead from a
    meeting, a letter on paper). It is the source of kind ``"manual"``."""

    agency = models.ForeignKey("org.Agency", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("线索标题", max_length=120)
    summary = models.TextField("线索摘要", max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "直接立案线索"
        verbose_name_plural = "直接立案线索"
        ordering = ["-id"]

    def __str__(self) -> str:  # no title: the audit log shows this to people who may not read the case
        return f"直接立案线索 {self.pk}"


class Case(models.Model):
    """案件. ``source_*`` are copied from the source when the case was opened (the case keeps them even when the
    source changes later)."""

    number = models.CharField("案件编号", max_length=40, unique=True)
    agency = models.ForeignKey("org.Agency", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_kind = models.CharField("来源类型", max_length=20)
    source_id = models.PositiveBigIntegerField("来源编号")
    source_url = models.CharField("来源链接", max_length=300, blank=True)
    source_title = models.CharField("来源标题", max_length=200, blank=True)
    title = models.CharField("案件标题", max_length=120)
    summary = models.TextField("案情摘要", max_length=4000)
    status = models.CharField("状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.FILED, db_index=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="立案人", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField("立案时间", auto_now_add=True)
    handlers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="承办人", related_name="+", blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="指定人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField("指定时间", null=True, blank=True)
    investigating_since = models.DateTimeField("开始调查", null=True, blank=True)
    outcome = models.CharField("结论", max_length=16, choices=CaseOutcome.choices, blank=True)
    conclusion = models.TextField("结论意见", max_length=4000, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="结论人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concluded_at = models.DateTimeField("结论时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办结人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["source_kind", "source_id"], name="integrity_case_source_idx")]

    def __str__(self) -> str:
        return f"案件 {self.number}"


class CaseParty(models.Model):
    """A person the case names (涉及人员): from the source when opened, or added by a handler with a reason.
    They never read the case and may not handle it."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="parties")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="涉及人员", on_delete=models.PROTECT, related_name="+")
    from_source = models.BooleanField("来自线索来源", default=False)
    reason = models.CharField("添加理由", max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="添加人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "案件涉及人员"
        verbose_name_plural = "案件涉及人员"
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="integrity_caseparty_unique")]

    def __str__(self) -> str:  # no content: the audit log may show this to people who may not read the case
        return f"{self._meta.verbose_name} {self.pk}"


class CaseNote(models.Model):
    """调查记录 (confidential)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="notes")
    text = models.TextField("调查记录", max_length=8000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "案件调查记录"
        verbose_name_plural = "案件调查记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:  # no content: the audit log may show this to people who may not read the case
        return f"{self._meta.verbose_name} {self.pk}"


def case_evidence_upload_to(instance: CaseEvidence, filename: str) -> str:
    return f"integrity/cases/{instance.case_id}/{filename}"


class CaseEvidence(models.Model):
    """证据材料 (confidential): stored like the closeout documents, read only through the case's download view."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("证据文件", upload_to=case_evidence_upload_to)
    original_name = models.CharField("原文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    description = models.CharField("证据说明", max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "案件证据材料"
        verbose_name_plural = "案件证据材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:  # no content: the audit log may show this to people who may not read the case
        return f"{self._meta.verbose_name} {self.pk}"


class CaseInterview(models.Model):
    """约谈记录, in the shape of the red-light interview (``construction.Interview``: 约谈日期, 被约谈人, 约谈记录)
    with what a case adds: time, place, the interviewers and the commitments made."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="interviews")
    held_on = models.DateField("约谈日期")
    held_time = models.TimeField("约谈时间", null=True, blank=True)
    place = models.CharField("约谈地点", max_length=100)
    interviewees = models.CharField("被约谈人", max_length=200)
    interviewers = models.CharField("约谈人", max_length=200)
    minutes = models.TextField("约谈记录", max_length=8000)
    commitments = models.TextField("整改承诺", max_length=4000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "案件约谈记录"
        verbose_name_plural = "案件约谈记录"
        ordering = ["held_on", "id"]

    def __str__(self) -> str:  # no content: the audit log may show this to people who may not read the case
        return f"{self._meta.verbose_name} {self.pk}"


class CaseRectification(models.Model):
    """整改: demanded by a handler with a deadline, verified by another handler (or the assigner)."""

    class Status(models.TextChoices):
        PENDING = "pending", "整改中"
        PASSED = "passed", "验证通过"
        FAILED = "failed", "验证未通过"

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="rectifications")
    demand = models.TextField("整改要求", max_length=4000)
    deadline = models.DateField("整改期限", db_index=True)
    demanded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+")
    demanded_at = models.DateTimeField("提出时间", auto_now_add=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    verification = models.TextField("验证意见", max_length=4000, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="验证人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField("验证时间", null=True, blank=True)

    class Meta:
        verbose_name = "案件整改"
        verbose_name_plural = "案件整改"
        ordering = ["demanded_at", "id"]

    def __str__(self) -> str:  # no content: the audit log may show this to people who may not read the case
        return f"{self._meta.verbose_name} {self.pk}"
