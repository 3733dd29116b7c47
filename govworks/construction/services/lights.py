"""The traffic light (红黄绿灯): evaluation of one project (on every progress change, incident or release)
and of every project under construction (daily, by the periodic job); and what red sets going — the
payment freeze finance must respect, the interview (约谈) of the responsible leader, the alert to the
project's owners — and the one path that lifts it, whatever its cause: a recovery plan (赶工计划), the
interview held, and a leader's release.

The facts of a batch of projects are read in a constant number of queries (tasks, freezes, incidents,
recovery plans), so the daily run over 50,000 projects is a few hundred queries plus the writes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from govworks.construction import permissions as perms
from govworks.construction import rules
from govworks.construction.models import (
    Interview,
    Light,
    LightEvaluation,
    PaymentFreeze,
    ProjectSite,
    RecoveryPlan,
    SafetyIncident,
    ScheduleTask,
)
from govworks.construction.selectors.freezes import freeze_release_path
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.rule_parameters import rule_value
from govworks.org.models import RoleGrant, User
from govworks.org.roles import Role
from govworks.projects.models import Project, Stage

#: 约谈 is to be held within this many days of the red light (a working habit, not a rule parameter).
INTERVIEW_DUE_DAYS = 5
CHUNK = 2000
MAJOR = (SafetyIncident.Severity.LARGER, SafetyIncident.Severity.MAJOR)


def light_params(agency: Any, on: dt.date | None = None) -> rules.LightParams:
    """The four light parameters in force for ``agency`` on ``on``."""
    return rules.LightParams(
        yellow_lag_points=Decimal(rule_value("light.yellow_lag_points", agency=agency, on=on)),
        red_lag_points=Decimal(rule_value("light.red_lag_points", agency=agency, on=on)),
        yellow_overdue_days=int(rule_value("light.yellow_overdue_days", agency=agency, on=on)),
        red_overdue_days=int(rule_value("light.red_overdue_days", agency=agency, on=on)),
    )


@dataclass
class Facts:
    """What the light of one project looks at, beyond the parameters."""

    tasks: list[rules.TaskFacts] = field(default_factory=list)
    freeze_active: bool = False
    last_release: dt.datetime | None = None
    major_incident: bool = False
    recovery_until: dt.date | None = None


def facts_for(project_ids: Sequence[int]) -> dict[int, Facts]:
    """The facts of the projects, four queries whatever their number."""
    facts: dict[int, Facts] = {pid: Facts() for pid in project_ids}
    for pid, start, end, weight, progress, milestone, actual_end in ScheduleTask.objects.filter(
        project_id__in=project_ids
    ).values_list("project_id", "planned_start", "planned_end", "weight", "progress", "is_milestone", "actual_end"):
        facts[pid].tasks.append(rules.TaskFacts(start, end, Decimal(weight), Decimal(progress), milestone, actual_end))
    for pid, released_at in PaymentFreeze.objects.filter(project_id__in=project_ids).values_list("project_id", "released_at"):
        f = facts[pid]
        if released_at is None:
            f.freeze_active = True
        elif f.last_release is None or released_at > f.last_release:
            f.last_release = released_at
    for pid, reported_at in SafetyIncident.objects.filter(project_id__in=project_ids, severity__in=MAJOR).values_list(
        "project_id", "reported_at"
    ):
        f = facts[pid]
        if f.last_release is None or reported_at > f.last_release:
            f.major_incident = True
    for pid, target in RecoveryPlan.objects.filter(project_id__in=project_ids, freeze__released_at__isnull=False).values_list(
        "project_id", "target_on"
    ):
        f = facts[pid]
        f.recovery_until = target if f.recovery_until is None or target > f.recovery_until else f.recovery_until
    return facts


def decide(params: rules.LightParams, facts: Facts, on: dt.date) -> tuple[Decimal, Decimal, int, rules.LightDecision]:
    return rules.light_for_tasks(
        params,
        facts.tasks,
        on,
        major_incident=facts.major_incident,
        recovery_until=facts.recovery_until,
        freeze_active=facts.freeze_active,
    )


def site_locked(project: Project) -> ProjectSite:
    """The project's site row, created on first use, locked for the caller's transaction."""
    ProjectSite.objects.get_or_create(project_id=project.pk)
    return ProjectSite.objects.select_for_update().get(project_id=project.pk)


def responsible_leader(project: Project, site: ProjectSite | None) -> User:
    """Who is interviewed about a red light: the site's named leader, else the agency's 分管领导, else its
    主要领导, else the project manager."""
    if site is not None and site.leader_id is not None:
        return site.leader  # type: ignore[return-value]
    for role in (Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER):
        grant = (
            RoleGrant.objects.active()
            .filter(agency_id=project.agency_id, role=role, user__is_active=True)
            .select_related("user")
            .order_by("granted_at", "id")
            .first()
        )
        if grant is not None:
            return grant.user
    return project.manager


def _record_change(
    *,
    project: Project,
    site: ProjectSite,
    previous: str,
    planned: Decimal,
    actual: Decimal,
    overdue: int,
    decision: rules.LightDecision,
    on: dt.date,
    trigger: str,
    actor: Any | None,
) -> LightEvaluation:
    evaluation = LightEvaluation.objects.create(
        project=project,
        evaluated_on=on,
        light=decision.light,
        previous=previous,
        planned_progress=planned,
        actual_progress=actual,
        overdue_days=overdue,
        reasons=decision.reason_text,
        trigger=trigger,
    )
    label = Light(decision.light).label
    audit_event_record(
        actor=actor,
        action="construction.light.change",
        obj=evaluation,
        agency=project.agency,
        context=project,
        summary=f"{project.code} 亮{label}：序时进度{planned}%，实际进度{actual}%。{decision.reason_text}"[:500],
        changes={"light": {"before": previous, "after": decision.light}},
    )
    return evaluation


def _turn_red(
    *, project: Project, site: ProjectSite, decision: rules.LightDecision, on: dt.date, actor: Any | None, major: bool
) -> None:
    """Red: freeze payments, open the interview for the responsible leader, alert the owners."""
    freeze = PaymentFreeze.objects.create(
        project=project,
        cause=PaymentFreeze.Cause.MAJOR_INCIDENT if major else PaymentFreeze.Cause.RED_LIGHT,
        reason=decision.reason_text,
        frozen_at=timezone.now(),
        frozen_by=actor,
    )
    audit_event_record(
        actor=actor,
        action="construction.freeze.impose",
        obj=freeze,
        agency=project.agency,
        context=project,
        summary=f"{project.code} 红灯，暂停拨款：{decision.reason_text}"[:500],
    )
    _interview_open(project=project, site=site, freeze=freeze, reason=decision.reason_text, on=on, actor=actor)


def _interview_open(
    *, project: Project, site: ProjectSite | None, freeze: PaymentFreeze, reason: str, on: dt.date, actor: Any | None
) -> Interview:
    """Open the 约谈 of a freeze for the responsible leader (step 2 of the one release path)."""
    leader = responsible_leader(project, site)
    interview = Interview.objects.create(
        project=project, freeze=freeze, leader=leader, reason=reason, due_on=on + dt.timedelta(days=INTERVIEW_DUE_DAYS)
    )
    audit_event_record(
        actor=actor,
        action="construction.interview.open",
        obj=interview,
        agency=project.agency,
        context=project,
        summary=f"{project.code} 暂停拨款约谈：由{leader.display_name}于{interview.due_on:%Y-%m-%d}前约谈责任人",
    )
    return interview


def project_light_evaluate(*, project: Project, trigger: str, actor: Any | None = None, on: dt.date | None = None) -> ProjectSite:
    """Re-evaluate one project's light now (after a progress change, an incident, a release …). A change
    is written to the history and the timeline; turning red freezes payments and opens the interview."""
    today = on or timezone.localdate()
    with transaction.atomic():
        site = site_locked(project)
        facts = facts_for([project.pk])[project.pk]
        planned, actual, overdue, decision = decide(light_params(project.agency, today), facts, today)
        previous = site.light if site.evaluated_on is not None else ""
        if decision.light == Light.RED and not facts.freeze_active:
            _turn_red(project=project, site=site, decision=decision, on=today, actor=actor, major=facts.major_incident)
        changed = decision.light != previous
        site.planned_progress, site.actual_progress, site.evaluated_on = planned, actual, today
        site.light_reason = decision.reason_text[:300]
        if changed:
            site.light, site.light_since = decision.light, today
            _record_change(
                project=project,
                site=site,
                previous=previous,
                planned=planned,
                actual=actual,
                overdue=overdue,
                decision=decision,
                on=today,
                trigger=trigger,
                actor=actor,
            )
        site.save()
    return site


def _chunks(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def lights_evaluate_all(today: dt.date) -> str:
    """The daily run: every project under construction. Unchanged lights only refresh their numbers (bulk);
    a change is recorded in the history and on the timeline; a new red goes through the full red path."""
    ids = list(Project.objects.filter(stage=Stage.CONSTRUCTION).order_by("pk").values_list("pk", flat=True))
    params_by_agency: dict[int, rules.LightParams] = {}
    counts: dict[str, int] = defaultdict(int)
    reds: list[int] = []
    for chunk in _chunks(ids, CHUNK):
        agency_of = dict(Project.objects.filter(pk__in=chunk).values_list("pk", "agency_id"))
        sites = {s.project_id: s for s in ProjectSite.objects.filter(project_id__in=chunk)}
        missing = [ProjectSite(project_id=pid) for pid in chunk if pid not in sites]
        if missing:
            ProjectSite.objects.bulk_create(missing, batch_size=1000, ignore_conflicts=True)
            sites = {s.project_id: s for s in ProjectSite.objects.filter(project_id__in=chunk)}
        facts = facts_for(chunk)
        changed: list[tuple[int, str, Decimal, Decimal, int, rules.LightDecision]] = []
        for pid in chunk:
            agency_id = agency_of[pid]
            if agency_id not in params_by_agency:
                from govworks.org.models import Agency

                params_by_agency[agency_id] = light_params(Agency.objects.get(pk=agency_id), today)
            planned, actual, overdue, decision = decide(params_by_agency[agency_id], facts[pid], today)
            site = sites[pid]
            counts[decision.light] += 1
            if decision.light == Light.RED and not facts[pid].freeze_active:
                reds.append(pid)
                continue
            previous = site.light if site.evaluated_on is not None else ""
            if decision.light != previous:
                changed.append((pid, previous, planned, actual, overdue, decision))
                site.light, site.light_since = decision.light, today
            site.planned_progress, site.actual_progress, site.evaluated_on = planned, actual, today
            site.light_reason = decision.reason_text[:300]
        _refresh_sites([sites[pid] for pid in chunk if pid not in reds])
        if changed:
            _record_changes_bulk(changed, today)
    for pid in reds:
        project_light_evaluate(
            project=Project.objects.select_related("agency", "manager").get(pk=pid), trigger="每日评价", on=today
        )
    return (
        f"评价 {len(ids)} 个在建项目：绿灯 {counts['green']}，黄灯 {counts['yellow']}，红灯 {counts['red']}（新红灯 {len(reds)}）"
    )


REFRESHED = ("light", "light_since", "light_reason", "planned_progress", "actual_progress", "evaluated_on")


def _refresh_sites(sites: list[ProjectSite]) -> None:
    """One parameterised UPDATE executed for many rows: Django's ``bulk_update`` builds a CASE per field
    and row, which costs more than the whole evaluation at 50,000 projects."""
    qn = connection.ops.quote_name
    columns = ", ".join(f"{qn(f)} = %s" for f in REFRESHED)  # plain fields: the column is the field's name
    sql = f"UPDATE {qn(ProjectSite._meta.db_table)} SET {columns} WHERE {qn('id')} = %s"  # noqa: S608  (quoted names of our own table; values are parameters)
    rows = [(s.light, s.light_since, s.light_reason, s.planned_progress, s.actual_progress, s.evaluated_on, s.pk) for s in sites]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _record_changes_bulk(changed: list[tuple[int, str, Decimal, Decimal, int, rules.LightDecision]], today: dt.date) -> None:
    """History rows in bulk, one timeline event per changed project."""
    projects = Project.objects.in_bulk([c[0] for c in changed])
    agencies = {p.agency_id for p in projects.values()}
    from govworks.org.models import Agency

    agency_rows = Agency.objects.in_bulk(list(agencies))
    with transaction.atomic():
        rows = LightEvaluation.objects.bulk_create(
            [
                LightEvaluation(
                    project_id=pid,
                    evaluated_on=today,
                    light=d.light,
                    previous=prev,
                    planned_progress=planned,
                    actual_progress=actual,
                    overdue_days=overdue,
                    reasons=d.reason_text,
                    trigger="每日评价",
                )
                for pid, prev, planned, actual, overdue, d in changed
            ],
            batch_size=1000,
        )
        for row, (pid, prev, planned, actual, _overdue, d) in zip(rows, changed, strict=True):
            if not prev and d.light == Light.GREEN:
                continue  # a site's first evaluation finding it on plan is history, not an event for the timeline
            project = projects[pid]
            audit_event_record(
                actor=None,
                action="construction.light.change",
                obj=row if row.pk else None,
                agency=agency_rows[project.agency_id],
                context=project,
                summary=f"{project.code} 亮{Light(d.light).label}：序时进度{planned}%，实际进度{actual}%。{d.reason_text}"[:500],
                changes={"light": {"before": prev, "after": d.light}},
            )


# ----------------------------------------------------------------------------------- leaving red


def _require_release_right(actor: Any, project: Project) -> None:
    if not perms.may_release(actor, project):
        raise PermissionDenied("只有项目所属单位的分管领导或主要领导可以约谈和解除暂停拨款")


def interview_hold(*, actor: User, interview: Interview, held_on: dt.date, interviewees: str, minutes: str) -> Interview:
    """Record the 约谈 as held: when, with whom, what was said. Only the agency's leaders; only once."""
    project = interview.project
    _require_release_right(actor, project)
    if len(minutes.strip()) < 10:
        raise DomainError("construction.interview_minutes", "请填写约谈记录（不少于10个字）", field="minutes")
    if not interviewees.strip():
        raise DomainError("construction.interview_people", "请填写被约谈人", field="interviewees")
    if held_on > timezone.localdate():
        raise DomainError("construction.interview_date", "约谈日期不能晚于今天", field="held_on")
    with transaction.atomic():
        interview = Interview.objects.select_for_update().get(pk=interview.pk)
        if interview.status != Interview.Status.OPEN:
            raise DomainError("construction.interview_state", "该约谈已记录，不能重复办理")
        interview.status, interview.held_on = Interview.Status.HELD, held_on
        interview.interviewees, interview.minutes = interviewees.strip(), minutes.strip()
        interview.save()
        audit_event_record(
            actor=actor,
            action="construction.interview.hold",
            obj=interview,
            agency=project.agency,
            context=project,
            summary=f"{project.code} {held_on:%Y-%m-%d} 约谈{interview.interviewees}",
            reason=interview.minutes[:300],
        )
    return interview


def recovery_plan_submit(*, actor: User, project: Project, measures: str, target_on: dt.date) -> RecoveryPlan:
    """赶工计划 for the project's active freeze: measures and the date the lag is made up by. Kept by the
    project's 工程管理岗/科室负责人; refused without an active freeze or with a date not after today."""
    if not perms.may_manage(actor, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以提交赶工计划")
    if len(measures.strip()) < 10:
        raise DomainError("construction.recovery_measures", "请写明赶工措施（不少于10个字）", field="measures")
    today = timezone.localdate()
    if target_on <= today:
        raise DomainError("construction.recovery_target", f"追回进度日期须晚于今天（{today:%Y-%m-%d}）", field="target_on")
    with transaction.atomic():
        site = site_locked(project)
        freeze = PaymentFreeze.objects.select_for_update().filter(project=project, released_at__isnull=True).first()
        if freeze is None:
            raise DomainError("construction.recovery_no_freeze", "项目没有生效的暂停拨款，无需提交赶工计划")
        plan = RecoveryPlan.objects.create(
            project=project, freeze=freeze, measures=measures.strip(), target_on=target_on, submitted_by=actor
        )
        if not freeze.interviews.exists():  # a freeze recorded without its interview still gets step 2
            _interview_open(project=project, site=site, freeze=freeze, reason=freeze.reason, on=today, actor=actor)
        audit_event_record(
            actor=actor,
            action="construction.recovery.submit",
            obj=plan,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 提交赶工计划，{target_on:%Y-%m-%d}前追回进度",
            reason=plan.measures[:300],
        )
    return plan


def freeze_release(*, actor: User, freeze: PaymentFreeze, reason: str) -> PaymentFreeze:
    """Lift a payment freeze — the last step of its one path (提交赶工计划 → 约谈责任人 → 领导解除), whatever
    its cause: by a leader of the project's agency, with the reason (依据), only once a recovery plan has
    been submitted and the interview held, and not by whoever submitted the plan. The refusal names the
    path with the state of each step. The light is re-evaluated: while the plan is in force a schedule red
    shows yellow."""
    project = freeze.project
    _require_release_right(actor, project)
    if len(reason.strip()) < 4:
        raise DomainError("construction.release_reason", "请填写解除依据（不少于4个字）", field="reason")
    with transaction.atomic():
        site_locked(project)
        freeze = PaymentFreeze.objects.select_for_update().get(pk=freeze.pk)
        if freeze.released_at is not None:
            raise DomainError("construction.release_state", "该暂停拨款已解除")
        plans = list(freeze.recovery_plans.select_related("submitted_by").order_by("submitted_at"))
        path = freeze_release_path(
            freeze, plans=plans, interviews=list(freeze.interviews.select_related("leader").order_by("created_at"))
        )
        if not path.steps[0].done:
            raise DomainError("construction.release_no_plan", f"尚未提交赶工计划，不能解除暂停拨款。{path.text}")
        if not path.steps[1].done:
            raise DomainError("construction.release_no_interview", f"尚未约谈责任人，不能解除暂停拨款。{path.text}")
        if any(p.submitted_by_id == actor.pk for p in plans):
            raise DomainError("construction.release_self", "提交赶工计划的人不能解除同一项暂停拨款")
        freeze.released_at, freeze.released_by, freeze.release_reason = timezone.now(), actor, reason.strip()
        freeze.save()
        audit_event_record(
            actor=actor,
            action="construction.freeze.release",
            obj=freeze,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 解除暂停拨款",
            reason=freeze.release_reason,
        )
    project_light_evaluate(project=project, trigger="解除暂停拨款", actor=actor)
    return freeze


def freeze_impose_manual(*, actor: User, project: Project, reason: str) -> PaymentFreeze:
    """A leader freezes payments by decision (领导决定), with the reason; the interview is opened as for a
    red light, so the freeze is lifted by the same path."""
    _require_release_right(actor, project)
    if len(reason.strip()) < 4:
        raise DomainError("construction.freeze_reason", "请填写暂停拨款原因（不少于4个字）", field="reason")
    with transaction.atomic():
        site = site_locked(project)
        if PaymentFreeze.objects.filter(project=project, released_at__isnull=True).exists():
            raise DomainError("construction.freeze_exists", "项目已有生效的暂停拨款")
        freeze = PaymentFreeze.objects.create(
            project=project, cause=PaymentFreeze.Cause.MANUAL, reason=reason.strip(), frozen_at=timezone.now(), frozen_by=actor
        )
        audit_event_record(
            actor=actor,
            action="construction.freeze.impose",
            obj=freeze,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 领导决定暂停拨款",
            reason=freeze.reason,
        )
        _interview_open(project=project, site=site, freeze=freeze, reason=freeze.reason, on=timezone.localdate(), actor=actor)
    return freeze
