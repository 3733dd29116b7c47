"""The work breakdown (进度计划): tasks and milestones with planned dates, weight, dependencies and a
baseline kept when the plan is revised; and the progress reports the contractor files and the
supervising engineer confirms."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models


class ScheduleTask(models.Model):
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="schedule_tasks")
    code = models.CharField("编号", max_length=20)
    name = models.CharField("工作名称", max_length=120)
    is_milestone = models.BooleanField("里程碑节点", default=False)
    planned_start = models.DateField("计划开始")
    planned_end = models.DateField("计划完成")
    baseline_start = models.DateField("基线开始", null=True, blank=True)
    baseline_end = models.DateField("基线完成", null=True, blank=True)
    weight = models.DecimalField("权重", max_digits=7, decimal_places=2, default=Decimal(1))
    predecessors = models.ManyToManyField(
        "self", verbose_name="前置工作", symmetrical=False, blank=True, related_name="successors"
    )
    sort_order = models.PositiveIntegerField("顺序", default=0)
    progress = models.DecimalField("已确认进度（%）", max_digits=5, decimal_places=2, default=Decimal(0))
    actual_start = models.DateField("实际开始", null=True, blank=True)
    actual_end = models.DateField("实际完成", null=True, blank=True)

    class Meta:
        verbose_name = "进度计划工作"
        verbose_name_plural = "进度计划工作"
        ordering = ["project_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="construction_task_code_unique"),
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")), name="construction_task_dates"
            ),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="construction_task_weight"),
            models.CheckConstraint(condition=models.Q(progress__gte=0, progress__lte=100), name="construction_task_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProgressReport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待监理确认"
        CONFIRMED = "confirmed", "已确认"
        REJECTED = "rejected", "已退回"

    task = models.ForeignKey(ScheduleTask, verbose_name="工作", on_delete=models.PROTECT, related_name="reports")
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="progress_reports"
    )
    as_of = models.DateField("截至日期")
    percent = models.DecimalField("完成百分比", max_digits=5, decimal_places=2)
    note = models.TextField("说明", blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("填报时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    opinion = models.CharField("监理意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "进度填报"
        verbose_name_plural = "进度填报"
        ordering = ["-as_of", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__gte=0, percent__lte=100), name="construction_report_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.percent}%（{self.as_of}）"
