"""Safety incidents (安全事故) with severity, injuries, cause and measures; a major one turns the light red."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SafetyIncident(models.Model):
    class Severity(models.TextChoices):
        MINOR = "minor", "轻微"
        GENERAL = "general", "一般事故"
        LARGER = "larger", "较大事故"
        MAJOR = "major", "重大事故"

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="safety_incidents"
    )
    occurred_on = models.DateField("发生日期")
    severity = models.CharField("等级", max_length=10, choices=Severity.choices)
    injuries = models.PositiveIntegerField("受伤人数", default=0)
    deaths = models.PositiveIntegerField("死亡人数", default=0)
    description = models.TextField("经过")
    cause = models.TextField("原因")
    measures = models.TextField("处置措施")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "安全事故"
        verbose_name_plural = "安全事故"
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.get_severity_display()}"

    @property
    def is_major(self) -> bool:
        """较大及以上 counts as major for the light (the issue's 重大安全事故)."""
        return self.severity in (self.Severity.LARGER, self.Severity.MAJOR)
