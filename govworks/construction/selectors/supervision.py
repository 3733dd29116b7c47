"""Reading construction supervision: the site, the schedule with its Gantt and S-curve data, the light
history, daily reports as a photo wall, notices, meetings, incidents, the portfolio of lights and the
workbench items. Every function here uses a fixed number of queries, whatever the data's size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from govworks.construction import rules
from govworks.construction.models import (
    ActionItem,
    DailyReport,
    DailyReportEntry,
    Interview,
    Light,
    LightEvaluation,
    PaymentFreeze,
    ProgressReport,
    ProjectSite,
    RecoveryPlan,
    RectificationNotice,
    RectificationStep,
    SafetyIncident,
    ScheduleTask,
    SiteMeeting,
    SitePhoto,
    SupervisionDiary,
)
from govworks.construction.permissions import construction_projects_visible_to
from govworks.construction.selectors.freezes import ReleasePath, freeze_release_path
from govworks.construction.selectors.parties import projects_supervised_by, projects_with_supervisor
from govworks.projects.models import Project, Stage

SUPERVISED_STAGES = (Stage.CONTRACT, Stage.CONSTRUCTION, Stage.SUSPENDED)


def project_site(project: Project) -> ProjectSite | None:
    return ProjectSite.objects.filter(project=project).select_related("liaison", "leader").first()


def schedule_tasks(project: Project) -> list[ScheduleTask]:
    """Tasks in order with their predecessors (two queries)."""
    return list(
        ScheduleTask.objects.filter(project=project).prefetch_related(
            Prefetch("predecessors", queryset=ScheduleTask.objects.only("id", "code", "project_id"))
        )
    )


def task_facts(tasks: list[ScheduleTask]) -> list[rules.TaskFacts]:
    return [
        rules.TaskFacts(t.planned_start, t.planned_end, Decimal(t.weight), Decimal(t.progress), t.is_milestone, t.actual_end)
        for t in tasks
    ]


def gantt_data(tasks: list[ScheduleTask], today: dt.date) -> dict[str, Any]:
    """dhtmlx-gantt data: the plan as the bar, the baseline as ``planned_*``, confirmed progress, links."""
    data = []
    links = []
    for t in tasks:
        data.append(
            {
                "id": t.pk,
                "text": f"{t.code} {t.name}",
                "start_date": t.planned_start.isoformat(),
                "end_date": (t.planned_end + dt.timedelta(days=1)).isoformat(),
                "progress": float(t.progress) / 100,
                "type": "milestone" if t.is_milestone else "task",
                "planned_start": (t.baseline_start or t.planned_start).isoformat(),
                "planned_end": ((t.baseline_end or t.planned_end) + dt.timedelta(days=1)).isoformat(),
                "late": bool(
                    t.progress < 100 and (rules.task_planned_percent(task_facts([t])[0], today) - Decimal(t.progress) >= 10)
                ),
                "weight": float(t.weight),
                "actual": (
                    f"{t.actual_start:%m-%d}~{t.actual_end:%m-%d}"
                    if t.actual_start and t.actual_end
                    else (f"{t.actual_start:%m-%d}起" if t.actual_start else "—")
                ),
            }
        )
        for p in t.predecessors.all():
            links.append({"id": f"{p.pk}-{t.pk}", "source": p.pk, "target": t.pk, "type": "0"})
    return {"data": data, "links": links, "today": today.isoformat()}


def s_curve_option(project: Project, tasks: list[ScheduleTask], today: dt.date) -> dict[str, Any] | None:
    """ECharts option: planned (序时) vs actual (confirmed reports, cumulative) progress by week."""
    if not tasks:
        return None
    facts = task_facts(tasks)
    start = min(t.planned_start for t in tasks)
    end = max(t.planned_end for t in tasks)
    if start <= today <= end + dt.timedelta(days=366):
        end = max(end, today)  # running late: the axis reaches today so today's actual shows
    step = max(1, (end - start).days // 40)
    days = [start + dt.timedelta(days=i) for i in range(0, (end - start).days + 1, step)]
    if days[-1] != end:
        days.append(end)
    planned = rules.s_curve(facts, days)
    weights = {t.pk: Decimal(t.weight) for t in tasks}
    total = sum(weights.values(), Decimal(0))
    reports = list(
        ProgressReport.objects.filter(project=project, status=ProgressReport.Status.CONFIRMED)
        .order_by("as_of", "id")
        .values_list("task_id", "as_of", "percent")
    )
    actual: list[float | None] = []
    current: dict[int, Decimal] = defaultdict(Decimal)
    i = 0
    for d in days:
        if d > today:
            actual.append(None)
            continue
        while i < len(reports) and reports[i][1] <= d:
            current[reports[i][0]] = max(current[reports[i][0]], Decimal(reports[i][2]))
            i += 1
        value = sum((weights.get(k, Decimal(0)) * v for k, v in current.items()), Decimal(0)) / total if total else Decimal(0)
        actual.append(float(round(value, 2)))
    return {
        "tooltip": {"trigger": "axis", "valueFormatter": "{value}%"},
        "legend": {"data": ["序时进度（计划）", "实际进度（监理确认）"], "top": 0},
        "grid": {"left": 48, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": [d.strftime("%m-%d") for d in days], "boundaryGap": False},
        "yAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "series": [
            {"name": "序时进度（计划）", "type": "line", "data": [float(p) for p in planned], "smooth": True, "color": "#206bc4"},
            {
                "name": "实际进度（监理确认）",
                "type": "line",
                "data": actual,
                "smooth": True,
                "color": "#d63939",
                "connectNulls": False,
            },
        ],
    }


def light_history(project: Project, limit: int = 30) -> list[LightEvaluation]:
    return list(LightEvaluation.objects.filter(project=project).order_by("-evaluated_on", "-id")[:limit])


@dataclass
class FreezeView:
    freeze: PaymentFreeze
    interviews: list[Interview]
    plans: list[RecoveryPlan]
    path: ReleasePath


def freezes(project: Project) -> list[FreezeView]:
    """Freezes newest first with their interviews, recovery plans and release path (three queries)."""
    rows = list(
        PaymentFreeze.objects.filter(project=project)
        .select_related("frozen_by", "released_by")
        .prefetch_related(
            Prefetch("interviews", queryset=Interview.objects.select_related("leader")),
            Prefetch("recovery_plans", queryset=RecoveryPlan.objects.select_related("submitted_by")),
        )
        .order_by("-frozen_at")
    )
    views = []
    for f in rows:
        interviews, plans = list(f.interviews.all()), list(f.recovery_plans.all())
        views.append(FreezeView(f, interviews, plans, freeze_release_path(f, plans=plans, interviews=interviews)))
    return views


@dataclass
class DayWall:
    report: DailyReport
    entries: list[DailyReportEntry]
    diaries: list[SupervisionDiary]

    @property
    def photos(self) -> list[SitePhoto]:
        return [p for e in self.entries for p in e.photos.all()]


def daily_wall(project: Project, limit: int = 14) -> list[DayWall]:
    """The latest days' reports, each with every party's entries and their photos, and the 监理日志 of the
    same day (four queries)."""
    reports = list(
        DailyReport.objects.filter(project=project)
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=DailyReportEntry.objects.select_related("author")
                .prefetch_related("photos")
                .order_by("submitted_at", "id"),
            )
        )
        .order_by("-report_date")[:limit]
    )
    dates = [r.report_date for r in reports]
    diaries: dict[dt.date, list[SupervisionDiary]] = defaultdict(list)
    for d in SupervisionDiary.objects.filter(project=project, diary_date__in=dates).select_related("author"):
        diaries[d.diary_date].append(d)
    return [DayWall(r, list(r.entries.all()), diaries.get(r.report_date, [])) for r in reports]


def recent_diaries(project: Project, limit: int = 10) -> list[SupervisionDiary]:
    return list(SupervisionDiary.objects.filter(project=project).select_related("author").order_by("-diary_date")[:limit])


def notices(project: Project) -> list[RectificationNotice]:
    return list(
        RectificationNotice.objects.filter(project=project)
        .select_related("responsible_org", "escalated_to", "issued_by", "inspection")
        .prefetch_related(Prefetch("steps", queryset=RectificationStep.objects.select_related("actor")))
        .annotate(
            open_first=Case(
                When(status=RectificationNotice.Status.OPEN, then=Value(0)),
                When(status=RectificationNotice.Status.REPLIED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "deadline", "-id")
    )


def inspections(project: Project, limit: int = 20) -> list[Any]:
    from govworks.construction.models import Inspection

    return list(Inspection.objects.filter(project=project).select_related("inspector").order_by("-inspected_on", "-id")[:limit])


def meetings(project: Project) -> list[SiteMeeting]:
    return list(
        SiteMeeting.objects.filter(project=project)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("actions", queryset=ActionItem.objects.select_related("owner")))
        .order_by("-held_on", "-id")
    )


def incidents(project: Project) -> list[SafetyIncident]:
    return list(SafetyIncident.objects.filter(project=project).select_related("reported_by").order_by("-occurred_on", "-id"))


def pending_reports(project: Project) -> list[ProgressReport]:
    return list(
        ProgressReport.objects.filter(project=project, status=ProgressReport.Status.PENDING)
        .select_related("task", "reported_by")
        .order_by("as_of", "id")
    )


def open_counts(project: Project) -> dict[str, int]:
    """Open notices, open actions, active freeze: one query each."""
    return {
        "notices": RectificationNotice.objects.filter(project=project).exclude(status=RectificationNotice.Status.CLOSED).count(),
        "actions": ActionItem.objects.filter(project=project, done_on__isnull=True).count(),
    }


# ------------------------------------------------------------------------------------ portfolio


def portfolio(user: Any, *, light: str = "", agency: int | None = None, q: str = "") -> QuerySet[ProjectSite]:
    """Sites of the projects under supervision the user reads, reddest and most behind first."""
    projects = construction_projects_visible_to(user).filter(stage__in=SUPERVISED_STAGES)
    qs = ProjectSite.objects.filter(project__in=projects).select_related("project", "project__agency", "project__manager")
    if light in Light.values:
        qs = qs.filter(light=light)
    if agency:
        qs = qs.filter(project__agency_id=agency)
    if q:
        qs = qs.filter(Q(project__name__icontains=q) | Q(project__code__icontains=q))
    rank = Case(
        When(light=Light.RED, then=Value(0)),
        When(light=Light.YELLOW, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(rank=rank).order_by("rank", "-light_since", "project_id")


def portfolio_counts(sites: QuerySet[ProjectSite]) -> dict[str, int]:
    rows = dict(sites.order_by().values_list("light").annotate(n=Count("id")).values_list("light", "n"))
    return {key: rows.get(key, 0) for key in Light.values}


def portfolio_map_option(sites: QuerySet[ProjectSite], limit: int = 1500) -> dict[str, Any]:
    """A scatter “map” of the sites by longitude/latitude, coloured by light (no map tiles: intranet)."""
    points: dict[str, list[Any]] = {k: [] for k in Light.values}
    for lon, lat, light, name in (
        sites.filter(latitude__isnull=False).order_by().values_list("longitude", "latitude", "light", "project__name")[:limit]
    ):
        if lon is not None and lat is not None:
            points[light].append([float(lon), float(lat), name])
    colours = {"green": "#2fb344", "yellow": "#f59f00", "red": "#d63939"}
    return {
        "tooltip": {"trigger": "item"},
        "grid": {"left": 60, "right": 50, "top": 50, "bottom": 30},
        "xAxis": {"type": "value", "scale": True, "name": "经度"},
        "yAxis": {"type": "value", "scale": True, "name": "纬度"},
        "legend": {"data": [Light(k).label for k in Light.values], "top": 0},
        "series": [
            {"name": Light(k).label, "type": "scatter", "symbolSize": 14, "color": colours[k], "data": points[k]}
            for k in Light.values
        ],
    }


# ------------------------------------------------------------------------------------ workbench


def open_interviews_for(user: Any) -> list[Interview]:
    return list(Interview.objects.filter(leader=user, status=Interview.Status.OPEN).select_related("project").order_by("due_on"))


def plans_awaiting_release(agency_ids: set[int]) -> list[RecoveryPlan]:
    """Recovery plans of active freezes whose interview is held: only the release (step 3) is left."""
    return list(
        RecoveryPlan.objects.filter(project__agency_id__in=agency_ids, freeze__released_at__isnull=True)
        .exclude(freeze__interviews__status=Interview.Status.OPEN)
        .select_related("project", "freeze")
        .order_by("submitted_at")
    )


def freezes_without_plan(user: Any, alert_agency_ids: set[int] | frozenset[int] = frozenset()) -> list[PaymentFreeze]:
    """Active freezes still waiting for a recovery plan: of the projects the user manages, and of every
    project of the agencies where the user is told of red lights (科室负责人)."""
    return list(
        PaymentFreeze.objects.filter(
            Q(project__manager=user) | Q(project__agency_id__in=alert_agency_ids),
            released_at__isnull=True,
            recovery_plans__isnull=True,
        )
        .select_related("project")
        .order_by("frozen_at")
    )


def notices_for(user: Any) -> list[RectificationNotice]:
    """Notices the user must act on: escalated to them, awaiting their verification (projects they
    manage), or addressed to their company."""
    cond = Q(escalated_to=user) | Q(project__manager=user, status=RectificationNotice.Status.REPLIED)
    org_id = getattr(user, "external_org_id", None)
    if org_id is not None:
        cond = Q(responsible_org_id=org_id, status=RectificationNotice.Status.OPEN)
    return list(
        RectificationNotice.objects.filter(cond)
        .exclude(status=RectificationNotice.Status.CLOSED)
        .select_related("project")
        .order_by("deadline")[:50]
    )


def actions_for(user: Any) -> list[ActionItem]:
    return list(ActionItem.objects.filter(owner=user, done_on__isnull=True).select_related("project").order_by("due_on")[:50])


def reports_to_confirm(user: Any, agency_ids: set[int]) -> list[ProgressReport]:
    """Progress reports waiting for the user's confirmation: as the supervisor of the signed supervision
    contract, or as 科室负责人 of projects without one."""
    org_id = getattr(user, "external_org_id", None)
    if org_id is not None:
        cond = Q(project__in=projects_supervised_by(org_id))
    else:
        cond = Q(project__agency_id__in=agency_ids) & ~Q(project__in=projects_with_supervisor())
    return list(
        ProgressReport.objects.filter(cond, status=ProgressReport.Status.PENDING)
        .exclude(reported_by=user)
        .select_related("project", "task")
        .order_by("as_of")[:50]
    )


def missing_daily_reports(user: Any, alert_days: int, today: dt.date) -> list[tuple[Project, int]]:
    """Projects under construction where the user is the liaison or the manager and no daily report came
    for ``alert_days`` days or more (one query). The user's projects are found through the manager and
    liaison indexes (not by scanning every project in construction), and each one's last report through
    the (project, report date) unique index — one index entry per project, not all its reports."""
    mine = (
        Project.objects.filter(manager=user)
        .order_by()
        .values("pk")
        .union(ProjectSite.objects.filter(liaison=user).order_by().values("project_id"))
    )
    last = DailyReport.objects.filter(project=OuterRef("pk")).order_by("-report_date").values("report_date")[:1]
    rows = Project.objects.filter(pk__in=mine, stage=Stage.CONSTRUCTION).annotate(last=Subquery(last)).order_by("pk")
    out: list[tuple[Project, int]] = []
    for p in rows:
        missing = rules.daily_report_missing_days(last_report=p.last, since=p.stage_entered_on, today=today)
        if rules.daily_report_alert(missing_days=missing, alert_days=alert_days):
            out.append((p, missing))
    return out


def today() -> dt.date:
    return timezone.localdate()
