"""Named responsibility: who is responsible (责任人, 责任科室), consulted and informed at each stage."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govworks.org.roles import Role
from govworks.projects.models.projects import Stage


class ResponsibilityTemplate(models.Model):
    """Per project type (blank: all types) and stage: the role that is responsible, who is consulted and
    informed, and how many days the stage should take before its pending actions are overdue."""

    agency = models.ForeignKey("org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    project_type = models.CharField("项目类型", max_length=12, blank=True)
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices)
    responsible_role = models.CharField("责任角色", max_length=30, choices=Role.choices)
    consulted_roles = models.JSONField("征询角色", default=list, blank=True)
    informed_roles = models.JSONField("知会角色", default=list, blank=True)
    due_days = models.PositiveSmallIntegerField("办理时限（天）", default=30)

    class Meta:
        verbose_name = "责任分工模板"
        ordering = ["stage", "project_type"]
        constraints = [models.UniqueConstraint(fields=["agency", "project_type", "stage"], name="projects_resp_template_unique")]

    def __str__(self) -> str:
        return f"{self.project_type or '*'}:{self.stage} → {self.responsible_role}"


class ProjectResponsibility(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="responsibilities")
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "org.Department", verbose_name="责任科室", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consulted = models.CharField("征询", max_length=200, blank=True)
    informed = models.CharField("知会", max_length=200, blank=True)
    due_days = models.PositiveSmallIntegerField("办理时限（天）", default=30)

    class Meta:
        verbose_name = "阶段责任"
        ordering = ["project_id", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="projects_resp_unique")]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.stage} → {self.responsible_id}"
