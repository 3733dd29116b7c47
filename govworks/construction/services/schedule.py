"""The site set-up and the schedule: where the site is and who builds and supervises it; tasks and
milestones with dates, weight and dependencies; the baseline, fixed once and kept when the plan is
revised; and progress — reported by the contractor, confirmed by the supervising engineer, each
confirmation re-evaluating the light."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from govworks.construction import permissions as perms
from govworks.construction.models import ProgressReport, ProjectSite, ScheduleTask
from govworks.construction.selectors.parties import CONTRACTOR, site_parties
from govworks.construction.services.lights import project_light_evaluate, site_locked
from govworks.core.audit import audit_event_record, diff
from govworks.core.errors import DomainError
from govworks.org.models import User
from govworks.org.permissions import require_business_person
from govworks.projects.models import Project, Stage

HUNDRED = Decimal(100)
ACTIVE_STAGES = (Stage.CONTRACT, Stage.CONSTRUCTION, Stage.SUSPENDED)


def _keeper(actor: Any, project: Project) -> None:
    if not perms.may_manage(actor, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以办理施工现场监管")


def check_stage(project: Project) -> None:
    """Supervision records belong to the contract, construction and suspension stages."""
    if project.stage not in ACTIVE_STAGES:
        raise DomainError(
            "construction.stage", f"项目处于“{project.get_stage_display()}”阶段，只有合同、施工、停工阶段可以办理施工监管"
        )


def site_configure(
    *,
    actor: User,
    project: Project,
    latitude: Decimal | None,
    longitude: Decimal | None,
    radius_m: int = 500,
    liaison: User | None = None,
    leader: User | None = None,
) -> ProjectSite:
    """Set the site's position (for photo checks), the liaison and the responsible leader, who must
    belong to the project's agency. The contractor and the supervisor are not chosen here: they are the
    parties of the project's signed contracts (``selectors.parties``)."""
    _keeper(actor, project)
    for who, name, duty in ((liaison, "liaison", "项目联络员"), (leader, "leader", "责任领导（红灯约谈）")):
        if who is not None and who.agency_id != project.agency_id:
            raise DomainError("construction.site_person", f"{who.display_name}不是本单位人员", field=name)
        if who is not None:
            require_business_person(who, duty=duty, field=name)
    if (latitude is None) != (longitude is None):
        raise DomainError("construction.site_position", "经度和纬度须同时填写", field="latitude")
    if radius_m < 50 or radius_m > 20000:
        raise DomainError("construction.site_radius", f"现场范围须在50至20000米之间，填写为{radius_m}米", field="radius_m")
    fields = ["latitude", "longitude", "radius_m", "liaison", "leader"]
    parties = site_parties(project)
    with transaction.atomic():
        site = site_locked(project)
        before = {f: getattr(site, f + ("_id" if f in fields[3:] else "")) for f in fields}
        site.latitude, site.longitude, site.radius_m = latitude, longitude, radius_m
        site.liaison, site.leader = liaison, leader
        site.full_clean()
        site.save()
        after = {f: getattr(site, f + ("_id" if f in fields[3:] else "")) for f in fields}
        audit_event_record(
            actor=actor,
            action="construction.site.configure",
            obj=site,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 施工现场信息（按已签订合同：施工单位 "
            f"{parties.contractor.supplier.name if parties.contractor else '—'}，"
            f"监理单位 {parties.supervisor.supplier.name if parties.supervisor else '—'}）",
            changes=diff(before, after),
        )
    return site


def _check_task(project: Project, *, name: str, planned_start: dt.date, planned_end: dt.date, weight: Decimal) -> None:
    if not name.strip():
        raise DomainError("construction.task_name", "请填写工作名称", field="name")
    if planned_end < planned_start:
        raise DomainError(
            "construction.task_dates",
            f"计划完成日期{planned_end:%Y-%m-%d}早于计划开始日期{planned_start:%Y-%m-%d}",
            field="planned_end",
        )
    if weight < 0:
        raise DomainError("construction.task_weight", f"权重不能为负数（填写为{weight}）", field="weight")


def _check_predecessors(task: ScheduleTask | None, project: Project, predecessors: Sequence[ScheduleTask]) -> None:
    """Predecessors belong to the same project and make no cycle."""
    for p in predecessors:
        if p.project_id != project.pk:
            raise DomainError("construction.task_dep_project", f"前置工作“{p}”不属于本项目", field="predecessors")
    if task is None:
        return
    edges: dict[int, set[int]] = {}
    for tid, pid in ScheduleTask.predecessors.through.objects.filter(from_scheduletask__project=project).values_list(
        "from_scheduletask_id", "to_scheduletask_id"
    ):
        edges.setdefault(tid, set()).add(pid)
    edges[task.pk] = {p.pk for p in predecessors}
    seen: set[int] = set()
    stack = list(edges[task.pk])
    while stack:
        node = stack.pop()
        if node == task.pk:
            raise DomainError("construction.task_dep_cycle", f"前置工作形成循环依赖（涉及“{task}”）", field="predecessors")
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))


def task_create(
    *,
    actor: User,
    project: Project,
    code: str,
    name: str,
    planned_start: dt.date,
    planned_end: dt.date,
    weight: Decimal = Decimal(1),
    is_milestone: bool = False,
    predecessors: Sequence[ScheduleTask] = (),
) -> ScheduleTask:
    """Add a task or milestone to the schedule. Before the baseline is fixed its dates are also the
    baseline's; afterwards the baseline of a new task is its first plan."""
    _keeper(actor, project)
    check_stage(project)
    _check_task(project, name=name, planned_start=planned_start, planned_end=planned_end, weight=weight)
    _check_predecessors(None, project, predecessors)
    with transaction.atomic():
        site_locked(project)
        if ScheduleTask.objects.filter(project=project, code=code).exists():
            raise DomainError("construction.task_code", f"编号“{code}”已存在", field="code")
        order = ScheduleTask.objects.filter(project=project).count() + 1
        task = ScheduleTask.objects.create(
            project=project,
            code=code.strip(),
            name=name.strip(),
            planned_start=planned_start,
            planned_end=planned_end,
            baseline_start=planned_start,
            baseline_end=planned_end,
            weight=weight,
            is_milestone=is_milestone,
            sort_order=order,
        )
        task.predecessors.set(predecessors)
        audit_event_record(
            actor=actor,
            action="construction.task.create",
            obj=task,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 进度计划新增{'里程碑' if is_milestone else '工作'}“{task}”（{planned_start:%Y-%m-%d}～{planned_end:%Y-%m-%d}，权重{weight}）",
        )
    return task


def task_revise(
    *,
    actor: User,
    task: ScheduleTask,
    planned_start: dt.date,
    planned_end: dt.date,
    weight: Decimal,
    reason: str,
    predecessors: Sequence[ScheduleTask] | None = None,
) -> ScheduleTask:
    """Revise a task's plan (调整计划) with the reason. Once the baseline is fixed it stays as it was; the
    revision is on the timeline, and the light is re-evaluated against the revised plan."""
    project = task.project
    _keeper(actor, project)
    _check_task(project, name=task.name, planned_start=planned_start, planned_end=planned_end, weight=weight)
    if len(reason.strip()) < 4:
        raise DomainError("construction.task_reason", "请填写调整原因（不少于4个字）", field="reason")
    if predecessors is not None:
        _check_predecessors(task, project, predecessors)
    with transaction.atomic():
        site = site_locked(project)
        task = ScheduleTask.objects.select_for_update().get(pk=task.pk)
        before = {"planned_start": task.planned_start, "planned_end": task.planned_end, "weight": task.weight}
        task.planned_start, task.planned_end, task.weight = planned_start, planned_end, weight
        if site.baseline_set_on is None:
            task.baseline_start, task.baseline_end = planned_start, planned_end
        task.save()
        if predecessors is not None:
            task.predecessors.set(predecessors)
        audit_event_record(
            actor=actor,
            action="construction.task.revise",
            obj=task,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 调整进度计划“{task}”",
            reason=reason.strip(),
            changes=diff(before, {"planned_start": planned_start, "planned_end": planned_end, "weight": weight}),
        )
    project_light_evaluate(project=project, trigger="调整计划", actor=actor)
    return task


def baseline_set(*, actor: User, project: Project) -> ProjectSite:
    """Fix the baseline (基线): the tasks' current plan becomes the reference later revisions are compared
    with. Once only; refused on an empty schedule."""
    _keeper(actor, project)
    with transaction.atomic():
        site = site_locked(project)
        if site.baseline_set_on is not None:
            raise DomainError("construction.baseline_set", f"基线已于{site.baseline_set_on:%Y-%m-%d}确定，不能重设")
        tasks = list(ScheduleTask.objects.select_for_update().filter(project=project))
        if not tasks:
            raise DomainError("construction.baseline_empty", "进度计划尚无工作，不能确定基线")
        for t in tasks:
            t.baseline_start, t.baseline_end = t.planned_start, t.planned_end
        ScheduleTask.objects.bulk_update(tasks, ["baseline_start", "baseline_end"])
        site.baseline_set_on = timezone.localdate()
        site.save(update_fields=["baseline_set_on"])
        audit_event_record(
            actor=actor,
            action="construction.baseline.set",
            obj=site,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 确定进度计划基线（{len(tasks)}项工作）",
        )
    return site


def progress_report(*, actor: User, task: ScheduleTask, as_of: dt.date, percent: Decimal, note: str = "") -> ProgressReport:
    """The contractor (the supplier of the signed main construction contract) or the agency's liaison
    reports a task's progress. Refused for a company that is not that party (naming the contract and its
    supplier), outside 0–100, for a future date, or below the confirmed progress (progress does not go
    back without a plan revision)."""
    project = task.project
    refusal = perms.party_refusal(actor, project, roles=(CONTRACTOR,))
    if refusal:
        raise perms.ContractPartyRefused("construction.not_contract_party", f"形象进度须由本项目施工单位填报：{refusal}")
    if not perms.may_report_progress(actor, project):
        raise PermissionDenied("只有本项目施工单位或项目联络员、工程管理岗可以填报进度")
    check_stage(project)
    if percent < 0 or percent > HUNDRED:
        raise DomainError("construction.progress_range", f"完成百分比须在0至100之间，填写为{percent}", field="percent")
    if as_of > timezone.localdate():
        raise DomainError("construction.progress_future", "截至日期不能晚于今天", field="as_of")
    if percent < task.progress:
        raise DomainError("construction.progress_back", f"填报进度{percent}%低于已确认进度{task.progress}%", field="percent")
    with transaction.atomic():
        report = ProgressReport.objects.create(
            task=task, project=project, as_of=as_of, percent=percent, note=note.strip(), reported_by=actor
        )
        audit_event_record(
            actor=actor,
            action="construction.progress.report",
            obj=report,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 填报“{task}”进度{percent}%（截至{as_of:%Y-%m-%d}），待监理确认",
        )
    return report


def progress_confirm(
    *, actor: User, report: ProgressReport, confirm: bool = True, opinion: str = "", evaluate: bool = True
) -> ProgressReport:
    """The supervising engineer confirms (or returns) a progress report. A confirmation sets the task's
    progress (and its actual dates) and re-evaluates the light at once — unless ``evaluate`` is False, for
    a batch of confirmations of past reports (history entry) that is evaluated once, by its caller, as of
    its own date. Nobody confirms their own report."""
    project = report.project
    if not perms.may_confirm_progress(actor, project):
        raise PermissionDenied("只有本项目监理单位（无监理时为科室负责人）可以确认进度")
    if report.reported_by_id == actor.pk:
        raise DomainError("construction.progress_self", "不能确认本人填报的进度")
    if not confirm and len(opinion.strip()) < 2:
        raise DomainError("construction.progress_opinion", "退回须填写监理意见", field="opinion")
    with transaction.atomic():
        site_locked(project)
        report = ProgressReport.objects.select_for_update().select_related("task").get(pk=report.pk)
        if report.status != ProgressReport.Status.PENDING:
            raise DomainError("construction.progress_state", f"该填报已{report.get_status_display()}")
        task = ScheduleTask.objects.select_for_update().get(pk=report.task_id)
        report.status = ProgressReport.Status.CONFIRMED if confirm else ProgressReport.Status.REJECTED
        report.confirmed_by, report.confirmed_at, report.opinion = actor, timezone.now(), opinion.strip()
        report.save()
        before = task.progress
        if confirm and report.percent > task.progress:
            task.progress = report.percent
            if task.actual_start is None and report.percent > 0:
                task.actual_start = report.as_of
            if report.percent >= HUNDRED:
                task.actual_end = report.as_of
            task.save()
        audit_event_record(
            actor=actor,
            action="construction.progress.confirm" if confirm else "construction.progress.reject",
            obj=report,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 监理{'确认' if confirm else '退回'}“{task}”进度{report.percent}%",
            reason=opinion.strip(),
            changes={"progress": {"before": before, "after": task.progress}} if confirm else None,
        )
    if confirm and evaluate:
        project_light_evaluate(project=project, trigger="进度确认", actor=actor)
    return report
