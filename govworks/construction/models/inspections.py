"""Quality and safety patrols (质量/安全巡查) with a checklist per project type, and the rectification
notices (整改通知单) each finding becomes: reply with evidence, verification (pass closes, fail reopens
with a new deadline), escalation when overdue, and — for a 重大隐患 — at once, with a stop-work order."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class InspectionKind(models.TextChoices):
    QUALITY = "quality", "质量巡查"
    SAFETY = "safety", "安全巡查"


class Inspection(models.Model):
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField("类别", max_length=10, choices=InspectionKind.choices)
    inspected_on = models.DateField("检查日期")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="检查人", on_delete=models.PROTECT, related_name="+")
    results = models.JSONField("检查表", default=list)
    summary = models.TextField("检查结论", blank=True)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "巡查"
        verbose_name_plural = "巡查"
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.inspected_on:%Y-%m-%d} {self.get_kind_display()}"

    @property
    def failed_items(self) -> list[dict]:
        return [r for r in self.results if not r.get("ok")]


def evidence_upload_to(instance: RectificationStep, filename: str) -> str:
    return f"construction/rectifications/{instance.notice_id}/{filename}"


class RectificationNotice(models.Model):
    class Severity(models.TextChoices):
        GENERAL = "general", "一般"
        SERIOUS = "serious", "较重"
        MAJOR = "major", "重大隐患"

    class Status(models.TextChoices):
        OPEN = "open", "待整改"
        REPLIED = "replied", "待复查"
        CLOSED = "closed", "已销项"

    class Source(models.TextChoices):
        """Where the problem was found: the loop is the same (issue → reply → verify), the owner differs."""

        SITE = "site", "施工巡查"
        ACCEPTANCE = "acceptance", "竣工验收"
        DEFECT = "defect", "缺陷责任期"

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="rectifications")
    inspection = models.ForeignKey(
        Inspection, verbose_name="巡查", null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    number = models.CharField("编号", max_length=30)
    source = models.CharField("来源", max_length=12, choices=Source.choices, default=Source.SITE, db_index=True)
    finding = models.TextField("问题描述")
    requirement = models.TextField("整改要求", blank=True)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    responsible_org = models.ForeignKey(
        "org.ExternalOrganization", verbose_name="责任单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_party = models.CharField("责任方", max_length=120)
    deadline = models.DateField("整改期限", db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField("签发日期")
    reopen_count = models.PositiveSmallIntegerField("复查不合格次数", default=0)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="升级至", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_on = models.DateField("升级日期", null=True, blank=True)
    stop_work = models.BooleanField("工程暂停令", default=False)
    closed_on = models.DateField("销项日期", null=True, blank=True)

    class Meta:
        verbose_name = "整改通知单"
        verbose_name_plural = "整改通知单"
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="construction_notice_number_unique")]

    def __str__(self) -> str:
        return f"整改通知单 {self.number}"

    def is_overdue(self, today: object) -> bool:
        return self.status != self.Status.CLOSED and self.deadline < today  # type: ignore[operator]


class RectificationStep(models.Model):
    """One step of a notice's loop: the contractor's reply with evidence, or the inspector's verdict."""

    class Kind(models.TextChoices):
        REPLY = "reply", "整改回复"
        PASS = "pass", "复查合格"
        FAIL = "fail", "复查不合格"
        ESCALATE = "escalate", "逾期升级"

    notice = models.ForeignKey(RectificationNotice, verbose_name="通知单", on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    text = models.TextField("内容")
    evidence = models.FileField("整改佐证", upload_to=evidence_upload_to, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    new_deadline = models.DateField("新整改期限", null=True, blank=True)

    class Meta:
        verbose_name = "整改办理"
        verbose_name_plural = "整改办理"
        ordering = ["notice_id", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()
