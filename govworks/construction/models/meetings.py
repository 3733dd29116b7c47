"""例会/调度会 on site, and their action items tracked to done on the owners' workbenches."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SiteMeeting(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", "工地例会"
        DISPATCH = "dispatch", "调度会"

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="site_meetings")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    held_on = models.DateField("日期")
    agenda = models.TextField("议题")
    attendees = models.TextField("参会人员")
    minutes = models.TextField("会议纪要")
    decisions = models.TextField("议定事项", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "工地会议"
        verbose_name_plural = "工地会议"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}"


class ActionItem(models.Model):
    meeting = models.ForeignKey(SiteMeeting, verbose_name="会议", on_delete=models.PROTECT, related_name="actions")
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="action_items")
    text = models.CharField("事项", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任人", on_delete=models.PROTECT, related_name="construction_actions"
    )
    due_on = models.DateField("完成期限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_note = models.CharField("完成情况", max_length=300, blank=True)

    class Meta:
        verbose_name = "会议督办事项"
        verbose_name_plural = "会议督办事项"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_on"], name="construction_action_owner_idx")]

    def __str__(self) -> str:
        return self.text
