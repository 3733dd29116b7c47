"""The construction site of a project (施工现场): where it is (for photo checks), the people on duty, and
the project's current traffic light as last evaluated. Who builds and who supervises it is not stored
here: they are the parties of the project's signed contracts (``construction.selectors.parties``)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"


class ProjectSite(models.Model):
    project = models.OneToOneField("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="site")
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    radius_m = models.PositiveIntegerField("现场范围（米）", default=500)
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="项目联络员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任领导", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    baseline_set_on = models.DateField("基线确定日期", null=True, blank=True)
    light = models.CharField("当前灯色", max_length=8, choices=Light.choices, default=Light.GREEN, db_index=True)
    light_since = models.DateField("灯色起始", null=True, blank=True)
    light_reason = models.CharField("亮灯原因", max_length=300, blank=True)
    planned_progress = models.DecimalField("序时进度（%）", max_digits=5, decimal_places=2, default=Decimal(0))
    actual_progress = models.DecimalField("实际进度（%）", max_digits=5, decimal_places=2, default=Decimal(0))
    evaluated_on = models.DateField("评价日期", null=True, blank=True)

    class Meta:
        verbose_name = "施工现场"
        verbose_name_plural = "施工现场"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="construction_site_latitude",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} 施工现场"

    @property
    def lag(self) -> Decimal:
        return self.planned_progress - self.actual_progress
