"""Payment freezes (暂停拨款). A project whose light turns red — or that a leader freezes by hand — has one
active freeze until a recovery plan and an authorised release lift it. Finance reads the active freeze
through ``construction.selectors.freezes.active_payment_freeze`` and refuses payments while it holds."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PaymentFreeze(models.Model):
    class Cause(models.TextChoices):
        RED_LIGHT = "red_light", "进度红灯"
        MAJOR_INCIDENT = "major_incident", "重大安全事故"
        MAJOR_HAZARD = "major_hazard", "重大事故隐患"
        MANUAL = "manual", "领导决定"

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="payment_freezes")
    cause = models.CharField("原因类别", max_length=16, choices=Cause.choices)
    reason = models.TextField("冻结原因")
    frozen_at = models.DateTimeField("冻结时间")
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="冻结人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField("解除时间", null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="解除人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    release_reason = models.TextField("解除依据", blank=True)

    class Meta:
        verbose_name = "暂停拨款"
        verbose_name_plural = "暂停拨款"
        ordering = ["project_id", "-frozen_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(released_at__isnull=True), name="construction_one_active_freeze"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_cause_display()}暂停拨款（{self.frozen_at:%Y-%m-%d}）"

    @property
    def active(self) -> bool:
        return self.released_at is None
