"""Projects' risk-signal kinds (core.risk), for the 纪检监察 risk centre:

* ``projects.large_item_without_decision`` (三重一大) — a project past 立项 whose controlling amount (批复概算,
  else 估算) reaches ``tzyd.large_fund_min_amount`` of its agency (以上 includes the number) without a passed
  collective decision on it (e.g. the 概算 approved above the threshold after an initiation below it). A
  project brought in by 历史项目录入 had its earlier stages done offline and is left out. Daily scan.
* ``projects.outside_plan`` — a project initiated outside an approved annual plan (计划外立项), with its
  reason. Daily scan of the projects created in the last :data:`OUTSIDE_PLAN_DAYS` days.
* ``projects.sod_refused`` — a refused self-approval or separation-of-duty attempt (``SOD_REFUSED_ACTION``
  audit events): reported by ``approval_sod_refused_record`` outside the refused transaction, and found
  again by the daily scan of the last :data:`SCAN_DAYS` days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from govworks.core.money import yuan_text
from govworks.core.risk import Finding, Severity, SignalKind, register_signal_kind, signal_report
from govworks.core.rule_parameters import rule_value
from govworks.core.rule_seed import rule_name
from govworks.projects.models import AgendaItem, Project, Stage, StageTransition
from govworks.projects.selectors.approvals import SOD_REFUSED_ACTION

THRESHOLD_KEY = "tzyd.large_fund_min_amount"
IMPORT_NOTE_PREFIX = "历史项目录入："
SCAN_DAYS = 30
OUTSIDE_PLAN_DAYS = 365
PAST_INITIATION = [s for s in Stage.values if s not in (Stage.PLANNED, Stage.INITIATION)]


def _project_url(project: Any) -> str:
    return reverse("projects:project_detail", args=[project.pk])


# ------------------------------------------------------------------------------------------ 三重一大


def large_item_scan(today: dt.date) -> Iterator[Finding]:
    """Projects past 立项 at or above their agency's threshold without a passed decision (one query for the
    projects, one per agency for its threshold)."""
    ct = ContentType.objects.get_for_model(Project)
    passed = AgendaItem.objects.filter(subject_type=ct, subject_id=OuterRef("pk"), status=AgendaItem.Status.PASSED)
    imported = StageTransition.objects.filter(project=OuterRef("pk"), note__startswith=IMPORT_NOTE_PREFIX)
    rows = (
        Project.objects.filter(stage__in=PAST_INITIATION)
        .exclude(Exists(passed))
        .exclude(Exists(imported))
        .select_related("agency")
        .order_by("agency_id", "id")
    )
    thresholds: dict[int, Decimal] = {}
    for project in rows.iterator(chunk_size=500):
        if project.agency_id not in thresholds:
            thresholds[project.agency_id] = Decimal(str(rule_value(THRESHOLD_KEY, agency=project.agency)))
        threshold = thresholds[project.agency_id]
        amount = project.controlling_amount
        if amount < threshold:
            continue
        basis = "批复概算" if project.approved_estimate is not None else "估算金额"
        yield Finding(
            kind=LARGE_ITEM.key,
            fingerprint=f"project:{project.pk}",
            agency_id=project.agency_id,
            project_id=project.pk,
            title=f"{project.code} {project.name}：金额达到三重一大标准，未经集体决策",
            occurred_on=project.stage_entered_on,
            facts=(
                ("项目", f"{project.code} {project.name}"),
                (basis, yuan_text(amount)),
                (rule_name(THRESHOLD_KEY), yuan_text(threshold)),
                ("超出", yuan_text(amount - threshold)),
                ("当前阶段", project.get_stage_display()),
                ("集体决策", "无通过的会议决定"),
            ),
            object_url=_project_url(project),
            object_label=str(project),
            involved_user_ids=tuple(sorted({project.manager_id, project.created_by_id})),
        )


LARGE_ITEM = SignalKind(
    key="projects.large_item_without_decision",
    label="大额资金未经集体决策（三重一大）",
    severity=Severity.HIGH,
    module="projects",
    rule_key=THRESHOLD_KEY,
    description="项目已过立项阶段，金额达到三重一大大额资金标准，但没有通过的集体决策",
    scan=large_item_scan,
    order=20,
)
register_signal_kind(LARGE_ITEM)


# ------------------------------------------------------------------------------------------ 计划外立项


def outside_plan_scan(today: dt.date) -> Iterator[Finding]:
    """Projects created outside an annual plan in the last year (one query)."""
    since = timezone.now() - dt.timedelta(days=OUTSIDE_PLAN_DAYS)
    rows = Project.objects.filter(plan_item__isnull=True, created_at__gte=since).order_by("id")
    for project in rows.iterator(chunk_size=500):
        yield Finding(
            kind=OUTSIDE_PLAN.key,
            fingerprint=f"project:{project.pk}",
            agency_id=project.agency_id,
            project_id=project.pk,
            title=f"{project.code} {project.name}：计划外立项",
            occurred_on=timezone.localtime(project.created_at).date(),
            facts=(
                ("项目", f"{project.code} {project.name}"),
                ("估算金额", yuan_text(Decimal(project.estimate_amount))),
                ("年度计划", "未列入已批准的年度计划"),
                ("计划外立项理由", project.outside_plan_reason or "—"),
            ),
            object_url=_project_url(project),
            object_label=str(project),
            involved_user_ids=(project.created_by_id,),
        )


OUTSIDE_PLAN = SignalKind(
    key="projects.outside_plan",
    label="计划外立项",
    severity=Severity.MEDIUM,
    module="projects",
    description="项目未列入已批准的年度计划而立项",
    scan=outside_plan_scan,
    order=21,
)
register_signal_kind(OUTSIDE_PLAN)


# ------------------------------------------------------------------------------------------ 职责分离


def finding_of_sod_event(event: Any, project: Any | None) -> Finding | None:
    if event.agency_id is None:
        return None
    facts: list[tuple[str, str]] = []
    if project is not None:
        facts.append(("项目", f"{project.code} {project.name}"))
    facts += [("经过", event.summary), ("拒绝依据", event.reason), ("办理对象", event.object_repr)]
    return Finding(
        kind=SOD_REFUSED.key,
        fingerprint=f"event:{event.pk}",
        agency_id=event.agency_id,
        project_id=project.pk if project is not None else None,
        title=event.summary[:200],
        occurred_on=timezone.localtime(event.occurred_at).date(),
        facts=tuple(facts),
        object_url=_project_url(project) if project is not None else "",
        object_label=str(project) if project is not None else event.object_repr,
        involved_user_ids=(event.actor_id,) if event.actor_id else (),
    )


def _sod_scan(today: dt.date) -> Iterator[Finding]:
    from govworks.core.models import AuditEvent

    since = timezone.now() - dt.timedelta(days=SCAN_DAYS)
    events = list(AuditEvent.objects.filter(action=SOD_REFUSED_ACTION, occurred_at__gte=since).order_by("seq"))
    ids = {int(e.context_id) for e in events if e.context_type == "projects.project" and str(e.context_id).isdigit()}
    projects = Project.objects.in_bulk(ids) if ids else {}
    for event in events:
        project = projects.get(int(event.context_id)) if event.context_type == "projects.project" else None
        finding = finding_of_sod_event(event, project)
        if finding is not None:
            yield finding


SOD_REFUSED = SignalKind(
    key="projects.sod_refused",
    label="自批自审或违反职责分离的尝试",
    severity=Severity.HIGH,
    module="projects",
    description="有人试图审批自己起草、提交或已审批过的事项，被系统拒绝",
    scan=_sod_scan,
    order=22,
)
register_signal_kind(SOD_REFUSED)


def sod_refusal_reported(event: Any, project: Any | None) -> None:
    """Report a refused attempt (with its audit event), once the recording transaction committed."""
    finding = finding_of_sod_event(event, project)
    if finding is not None:
        transaction.on_commit(lambda: signal_report(finding))
