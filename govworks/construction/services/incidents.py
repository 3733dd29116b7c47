"""Safety incidents (安全事故): registered with severity, injuries, cause and measures. A 较大 or 重大
incident turns the light red at once (and with it freezes payments and opens the interview)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from govworks.construction import permissions as perms
from govworks.construction.models import SafetyIncident
from govworks.construction.services.lights import project_light_evaluate, site_locked
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.org.models import User
from govworks.projects.models import Project


def incident_register(
    *,
    actor: User,
    project: Project,
    occurred_on: dt.date,
    severity: str,
    description: str,
    cause: str,
    measures: str,
    injuries: int = 0,
    deaths: int = 0,
) -> SafetyIncident:
    """Register an incident; a major one re-evaluates the light (red)."""
    if not perms.may_manage(actor, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以登记安全事故")
    if severity not in SafetyIncident.Severity.values:
        raise DomainError("construction.incident_severity", "请选择事故等级", field="severity")
    if occurred_on > timezone.localdate():
        raise DomainError("construction.incident_date", "发生日期不能晚于今天", field="occurred_on")
    if injuries < 0 or deaths < 0:
        raise DomainError("construction.incident_people", "伤亡人数不能为负数", field="injuries")
    for value, name, label in (
        (description, "description", "经过"),
        (cause, "cause", "原因"),
        (measures, "measures", "处置措施"),
    ):
        if len(value.strip()) < 2:
            raise DomainError("construction.incident_text", f"请填写事故{label}", field=name)
    with transaction.atomic():
        site_locked(project)
        incident = SafetyIncident.objects.create(
            project=project,
            occurred_on=occurred_on,
            severity=severity,
            injuries=injuries,
            deaths=deaths,
            description=description.strip(),
            cause=cause.strip(),
            measures=measures.strip(),
            reported_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="construction.incident.register",
            obj=incident,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 登记安全事故（{incident.get_severity_display()}，伤{injuries}人，亡{deaths}人）：{description.strip()[:80]}",
        )
    if incident.is_major:
        project_light_evaluate(project=project, trigger="重大安全事故", actor=actor)
    return incident
