"""Reading pages of construction supervision: the portfolio of lights (filters, a scatter “map”, constant
queries), the project's supervision tabs (进度计划 with the Gantt, 形象进度 with the S-curve, 红黄绿灯,
现场日报 as a photo wall by day, 巡查整改, 工地会议, 安全事故), a notice with its loop, the photos
(thumbnail, original for those who read the project, the EXIF-free copy for export) and the schedule in Excel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property

from govworks.construction import permissions as perms
from govworks.construction import photos as photo_tools
from govworks.construction import rules
from govworks.construction.models import Light, RectificationStep, SitePhoto
from govworks.construction.schedule_excel import XLSX, schedule_export
from govworks.construction.selectors import supervision as sel
from govworks.construction.selectors.freezes import active_release_path
from govworks.construction.selectors.parties import site_parties
from govworks.core.pages import PAGE_SIZE, query_int, signed_in_user
from govworks.org import permissions as org_perms

TABS = [
    ("schedule", "进度计划"),
    ("progress", "形象进度"),
    ("light", "红黄绿灯"),
    ("daily", "现场日报"),
    ("inspections", "巡查整改"),
    ("meetings", "工地会议"),
    ("incidents", "安全事故"),
]
TAB_KEYS = {k for k, _ in TABS}


class KnownCountPaginator(Paginator):
    """Pages whose total is already known (the light counts add up to it): one full scan fewer at 50,000 sites."""

    def __init__(self, object_list: Any, per_page: int, total: int) -> None:
        super().__init__(object_list, per_page)
        self.total = total

    @cached_property
    def count(self) -> int:
        return self.total


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    if not perms.may_read_portfolio(me):
        raise PermissionDenied("您没有查看红黄绿灯总览的权限")
    filters = {"light": request.GET.get("light", ""), "q": request.GET.get("q", "").strip()[:50]}
    agency = query_int(request.GET.get("agency"))
    sites = sel.portfolio(me, light=filters["light"], agency=agency, q=filters["q"])
    everything = sel.portfolio(me, agency=agency, q=filters["q"])
    counts = sel.portfolio_counts(everything)
    total = counts.get(filters["light"], 0) if filters["light"] in counts else sum(counts.values())
    page = KnownCountPaginator(sites, PAGE_SIZE, total).get_page(request.GET.get("page"))
    return render(
        request,
        "construction/portfolio.html",
        {
            "page": page,
            "filters": filters,
            "agency": agency,
            "agencies": org_perms.agencies_visible_to(me)
            .filter(id__in=org_perms.business_readable_agency_ids(me))
            .order_by("path"),
            "counts": counts,
            "map": sel.portfolio_map_option(everything),
            "lights": Light.choices,
        },
    )


def _context(request: HttpRequest, pk: int, tab: str) -> tuple[Any, dict[str, Any]]:
    me = signed_in_user(request)
    project = perms.access_project(me, pk)
    site = sel.project_site(project)
    freeze_path = active_release_path(project.pk)
    return project, {
        "project": project,
        "site": site,
        "freeze": freeze_path.freeze if freeze_path else None,
        "freeze_path": freeze_path,
        "tabs": TABS,
        "tab": tab,
        "today": timezone.localdate(),
        "can_manage": perms.may_manage(me, project),
        "parties": site_parties(project),
        "can_report": perms.may_report_progress(me, project),
        "can_confirm": perms.may_confirm_progress(me, project),
        "can_daily": perms.may_file_daily_report(me, project),
        "can_diary": perms.may_keep_diary(me, project),
        "can_release": perms.may_release(me, project),
        "can_verify": perms.may_verify_notice(me, project),
        "me": me,
    }


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def project_tab(request: HttpRequest, pk: int, tab: str = "schedule") -> HttpResponse:
    if tab not in TAB_KEYS:
        raise Http404("没有这个页签")
    project, ctx = _context(request, pk, tab)
    today = ctx["today"]
    if tab in ("schedule", "progress"):
        tasks = sel.schedule_tasks(project)
        ctx["tasks"] = tasks
        if tab == "schedule":
            ctx["gantt"] = sel.gantt_data(tasks, today)
        else:
            ctx["curve"] = sel.s_curve_option(project, tasks, today)
            ctx["pending"] = sel.pending_reports(project)
            on = _date(request.GET.get("on")) or today
            ctx["on"] = on
            ctx["planned_on"] = rules.planned_progress(sel.task_facts(tasks), on)
    elif tab == "light":
        ctx["history"] = sel.light_history(project)
        ctx["freezes"] = sel.freezes(project)
    elif tab == "daily":
        ctx["wall"] = sel.daily_wall(project)
        ctx["diaries"] = sel.recent_diaries(project)
    elif tab == "inspections":
        ctx["notices"] = sel.notices(project)
        ctx["inspections"] = sel.inspections(project)
    elif tab == "meetings":
        ctx["meetings"] = sel.meetings(project)
    elif tab == "incidents":
        ctx["incidents"] = sel.incidents(project)
    return render(request, f"construction/tabs/{tab}.html", ctx)


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    notice = perms.access_notice(me, pk)
    return render(
        request,
        "construction/notice_detail.html",
        {
            "n": notice,
            "steps": list(notice.steps.select_related("actor")),
            "today": timezone.localdate(),
            "can_reply": perms.may_reply_notice(me, notice),
            "can_verify": perms.may_verify_notice(me, notice.project),
        },
    )


def _photo(request: HttpRequest, pk: int) -> SitePhoto:
    me = signed_in_user(request)
    try:
        photo = SitePhoto.objects.select_related("report").get(pk=pk)
    except SitePhoto.DoesNotExist:
        raise Http404("记录不存在或您无权查看") from None
    perms.access_project(me, photo.report.project_id)
    return photo


@login_required
def photo_thumb(request: HttpRequest, pk: int) -> FileResponse:
    photo = _photo(request, pk)
    return FileResponse(photo.thumbnail.open("rb"), content_type="image/jpeg")


@login_required
def photo_original(request: HttpRequest, pk: int) -> FileResponse:
    """The original as uploaded (EXIF included: it is the evidence) — for those who read the project."""
    photo = _photo(request, pk)
    return FileResponse(photo.original.open("rb"), content_type="image/jpeg")


@login_required
def photo_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The copy that leaves GovWorks: full size, no EXIF (no time, no position)."""
    photo = _photo(request, pk)
    with photo.original.open("rb") as fh:
        data = photo_tools.stripped(fh.read())
    response = HttpResponse(data, content_type="image/jpeg")
    response["Content-Disposition"] = f'attachment; filename="site-photo-{photo.pk}.jpg"'
    return response


@login_required
def step_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """A rectification reply's evidence, for whoever reads the notice."""
    me = signed_in_user(request)
    step = RectificationStep.objects.filter(pk=pk).exclude(evidence="").first()
    if step is None:
        raise Http404("记录不存在或您无权查看")
    perms.access_notice(me, step.notice_id)
    return FileResponse(
        step.evidence.open("rb"), as_attachment=True, filename=(step.evidence.name or "evidence").rsplit("/", 1)[-1]
    )


@login_required
def schedule_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    project = perms.access_project(me, pk)
    response = HttpResponse(schedule_export(project), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="schedule-{project.code}.xlsx"'
    return response


urlpatterns = [
    path("", portfolio, name="portfolio"),
    path("projects/<int:pk>/", project_tab, name="project"),
    path("projects/<int:pk>/<slug:tab>/", project_tab, name="project_tab"),
    path("projects/<int:pk>/schedule.xlsx", schedule_xlsx, name="schedule_xlsx"),
    path("notices/<int:pk>/", notice_detail, name="notice_detail"),
    path("evidence/<int:pk>/", step_evidence, name="step_evidence"),
    path("photos/<int:pk>/thumb.jpg", photo_thumb, name="photo_thumb"),
    path("photos/<int:pk>/original.jpg", photo_original, name="photo_original"),
    path("photos/<int:pk>/export.jpg", photo_export, name="photo_export"),
]
