"""Risk alerts (风险预警): each finding a module reported (core.risk), stored once per (kind, fingerprint), read by
纪检监察 and 内审 of the agency concerned — never by the people the alert names — and handled: 已阅, 已排除 (with
a reason) or 已立案 (a case was opened from it). Every change of status is kept as a row of its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from govworks.core.risk import SEVERITY_LABELS

#: the severities of the risk registry (core.risk), stored by code
SEVERITY_CHOICES = list(SEVERITY_LABELS.items())


class RiskAlert(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "新"
        READ = "read", "已阅"
        CASE = "case", "已立案"
        EXCLUDED = "excluded", "已排除"

    kind = models.CharField("预警类型", max_length=60)
    severity = models.CharField("风险等级", max_length=10, choices=SEVERITY_CHOICES)
    fingerprint = models.CharField("识别码", max_length=200, help_text="同一事实只记录一次")
    agency = models.ForeignKey("org.Agency", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("预警事项", max_length=200)
    facts = models.JSONField("事实与数据", default=list, blank=True)
    rule_key = models.CharField("规则参数", max_length=80, blank=True)
    object_url = models.CharField("对象链接", max_length=300, blank=True)
    object_label = models.CharField("对象", max_length=200, blank=True)
    involved_user_ids = models.JSONField("涉及人员", default=list, blank=True)
    occurred_on = models.DateField("发生日期")
    detected_at = models.DateTimeField("发现时间", default=timezone.now)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.NEW)
    status_reason = models.TextField("排除理由", blank=True)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_at = models.DateTimeField("处理时间", null=True, blank=True)
    case_id = models.PositiveIntegerField("案件", null=True, blank=True)

    class Meta:
        verbose_name = "风险预警"
        verbose_name_plural = "风险预警"
        ordering = ["-detected_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "fingerprint"], name="integrity_alert_once")]
        indexes = [
            models.Index(fields=["agency", "-detected_at"], name="integrity_alert_agency_idx"),
            models.Index(fields=["agency", "status"], name="integrity_alert_status_idx"),
            models.Index(fields=["agency", "kind"], name="integrity_alert_kind_idx"),
            models.Index(fields=["agency", "severity"], name="integrity_alert_sev_idx"),
            models.Index(fields=["agency", "occurred_on"], name="integrity_alert_date_idx"),
            # the list's order across many agencies (a reader of the whole tree: the newest 50 without sorting
            # every row) and, with the columns included, the 26-week trend from the index alone (PostgreSQL)
            models.Index(fields=["-detected_at", "-id"], include=["agency", "severity"], name="integrity_alert_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title}"


class RiskAlertPerson(models.Model):
    """One person an alert names (the same ids as ``RiskAlert.involved_user_ids``, as rows so a list can leave
    out, in SQL on every database, the alerts that name the reader)."""

    alert = models.ForeignKey(RiskAlert, on_delete=models.CASCADE, related_name="people")
    user_id = models.PositiveIntegerField("人员")

    class Meta:
        verbose_name = "预警涉及人员"
        verbose_name_plural = "预警涉及人员"
        constraints = [models.UniqueConstraint(fields=["alert", "user_id"], name="integrity_alert_person_once")]
        indexes = [models.Index(fields=["user_id"], name="integrity_alert_person_idx")]

    def __str__(self) -> str:
        return f"预警{self.alert_id}：人员{self.user_id}"


class RiskAlertChange(models.Model):
    """A change of an alert's status: who, when, from what to what, why."""

    alert = models.ForeignKey(RiskAlert, on_delete=models.CASCADE, related_name="changes")
    before = models.CharField("原状态", max_length=10, choices=RiskAlert.Status.choices)
    after = models.CharField("新状态", max_length=10, choices=RiskAlert.Status.choices)
    reason = models.TextField("理由", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "预警处理记录"
        verbose_name_plural = "预警处理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"预警{self.alert_id}：{self.get_before_display()} → {self.get_after_display()}"
