"""The history of a project's traffic light, and what a red light sets going: the interview (约谈) of
the responsible leader and the recovery plan (赶工计划) that, with an authorised release, lifts the
payment freeze."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govworks.construction.models.sites import Light


class LightEvaluation(models.Model):
    """One evaluation that changed the light (or the first one), with the facts it looked at."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="light_evaluations"
    )
    evaluated_on = models.DateField("评价日期")
    evaluated_at = models.DateTimeField("评价时间", auto_now_add=True)
    light = models.CharField("灯色", max_length=8, choices=Light.choices)
    previous = models.CharField("原灯色", max_length=8, choices=Light.choices, blank=True)
    planned_progress = models.DecimalField("序时进度（%）", max_digits=5, decimal_places=2)
    actual_progress = models.DecimalField("实际进度（%）", max_digits=5, decimal_places=2)
    overdue_days = models.PositiveIntegerField("节点最长逾期天数", default=0)
    reasons = models.TextField("原因")
    trigger = models.CharField("触发", max_length=40)

    class Meta:
        verbose_name = "亮灯记录"
        verbose_name_plural = "亮灯记录"
        ordering = ["project_id", "-evaluated_on", "-id"]
        indexes = [models.Index(fields=["project", "-evaluated_on"], name="construction_light_hist_idx")]

    def __str__(self) -> str:
        return f"{self.get_light_display()}（{self.evaluated_on}）"


class Interview(models.Model):
    """约谈: opened when the light turns red, for the leader in charge, with a due date."""

    class Status(models.TextChoices):
        OPEN = "open", "待约谈"
        HELD = "held", "已约谈"

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="interviews")
    freeze = models.ForeignKey(
        "construction.PaymentFreeze",
        verbose_name="暂停拨款",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="约谈领导", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("约谈事由")
    due_on = models.DateField("约谈期限")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    held_on = models.DateField("约谈日期", null=True, blank=True)
    interviewees = models.CharField("被约谈人", max_length=200, blank=True)
    minutes = models.TextField("约谈记录", blank=True)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)

    class Meta:
        verbose_name = "约谈"
        verbose_name_plural = "约谈"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"约谈（{self.due_on}前）"


class RecoveryPlan(models.Model):
    """赶工计划: how and by when the lag is made up. While it is in force (until its target date) a lag
    or overdue milestone shows yellow, not red; it is one of the two things a release needs."""

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="recovery_plans")
    freeze = models.ForeignKey(
        "construction.PaymentFreeze", verbose_name="暂停拨款", on_delete=models.PROTECT, related_name="recovery_plans"
    )
    measures = models.TextField("赶工措施")
    target_on = models.DateField("追回进度日期")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "赶工计划"
        verbose_name_plural = "赶工计划"
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"赶工计划（{self.target_on}前追回）"
