"""阳光公示: the anonymous pages at /gongshi/ (cached per URL under the data stamp), the Atom feed, and the
signed-in page where an agency withdraws (撤回) a publication with a reason."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET, require_http_methods

from govworks.core.errors import DomainError
from govworks.core.pages import paginate
from govworks.portal import permissions_gongshi as perms
from govworks.portal.cache_gongshi import cached_page
from govworks.portal.models import RecordType
from govworks.portal.selectors import gongshi as selectors
from govworks.portal.services.gongshi import REASON_MAX, withdraw_publication
from govworks.projects.models import Stage

PAGE_SIZE = 20


def _kinds_nav(current: str = "") -> list[dict[str, Any]]:
    return [{"key": k.key, "label": k.label, "active": k.key == current} for k in selectors.KINDS.values()]


def _filter_context(request: HttpRequest) -> dict[str, Any]:
    filters = selectors.Filters.from_query(request.GET)
    year = timezone.localdate().year
    return {
        "filters": filters,
        "agencies": selectors.public_agencies(),
        "years": list(range(year + 1, year - 8, -1)),
        "stages": Stage.choices,
    }


@require_GET
@cached_page
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/gongshi/overview.html",
        {
            "kinds": _kinds_nav(),
            "counts": selectors.agency_counts(),
            "latest": selectors.latest_publications(12),
            "change_rule": selectors.change_rule_label(),
            **_filter_context(request),
        },
    )


def _list_page(request: HttpRequest, spec: selectors.Kind, change_rule: str = "") -> HttpResponse:
    ctx = _filter_context(request)
    page = paginate(request, selectors.published(spec, ctx["filters"]), PAGE_SIZE)
    page.object_list = selectors.with_withdrawals(spec.key, page.object_list)
    return render(
        request,
        "portal/gongshi/list.html",
        {"kind": spec, "kinds": _kinds_nav(spec.key), "page": page, "change_rule": change_rule, **ctx},
    )


@require_GET
@cached_page
def kind_list(request: HttpRequest, kind: str) -> HttpResponse:
    spec = selectors.KINDS.get(kind)
    if spec is None:
        raise Http404
    return _list_page(request, spec, selectors.change_rule_label() if kind == RecordType.CHANGE else "")


@require_GET
@cached_page
def search(request: HttpRequest) -> HttpResponse:
    """The search box of the overview: the projects whose name or code matches (with the other filters)."""
    return _list_page(request, selectors.KINDS[RecordType.PROJECT])


@require_GET
@cached_page
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.published_record(selectors.KINDS[RecordType.PLAN], pk)
    if plan is None:
        raise Http404
    items = [] if plan.withdrawn_reason else selectors.plan_items(plan.pk)
    return render(request, "portal/gongshi/plan.html", {"plan": plan, "items": items, "kinds": _kinds_nav(RecordType.PLAN)})


@require_GET
@cached_page
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.public_project(pk)
    if project is None:
        raise Http404
    sections = []
    if not project.withdrawn_reason:
        records = selectors.project_publications(pk)
        sections = [{"kind": selectors.KINDS[key], "rows": rows} for key, rows in records.items() if rows]
    return render(
        request,
        "portal/gongshi/project.html",
        {"project": project, "sections": sections, "kinds": _kinds_nav(), "change_rule": selectors.change_rule_label()},
    )


class LatestFeed(Feed):
    """Atom feed of the latest publications (withdrawn ones say so, without their content)."""

    feed_type = Atom1Feed
    title = "阳光公示 · 最新公开信息"
    subtitle = "政府投资建设项目全过程信息公开"

    def link(self) -> str:
        return reverse("portal:gongshi_overview")

    def items(self) -> list[selectors.Publication]:
        return selectors.latest_publications(30)

    def item_title(self, item: selectors.Publication) -> str:
        if item.withdrawn_reason:
            return f"{item.kind_label}（已撤回）"
        return f"{item.kind_label}：{item.title}"

    def item_description(self, item: selectors.Publication) -> str:
        if item.withdrawn_reason:
            return f"已撤回：{item.withdrawn_reason}"
        return f"{item.agency} · {item.title}"

    def item_link(self, item: selectors.Publication) -> str:
        if item.kind == RecordType.PLAN:
            return reverse("portal:gongshi_plan", args=[item.record_id])
        if item.project_id:
            return reverse("portal:gongshi_project", args=[item.project_id]) + f"#{item.anchor}"
        return reverse("portal:gongshi_list", args=[item.kind])

    def item_guid(self, item: selectors.Publication) -> str:
        return f"gongshi:{item.anchor}"

    def item_updateddate(self, item: selectors.Publication) -> Any:
        if item.on is None:
            return None
        from datetime import datetime, time

        return timezone.make_aware(datetime.combine(item.on, time(0, 0)))


latest_feed = cached_page(LatestFeed())


# ------------------------------------------------------------------------------- signed in: withdrawal


@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    """The publications of the agencies where the user may withdraw, one kind at a time, with 撤回 buttons."""
    agency_ids = perms.manageable_agency_ids(request.user)
    if not agency_ids:
        raise PermissionDenied("您没有“撤回阳光公示的公开信息”的权限（工程管理岗、科室负责人、分管或主要领导）")
    kind_key = request.GET.get("kind") or RecordType.PROJECT
    spec = selectors.KINDS.get(kind_key)
    if spec is None:
        raise Http404
    qs = selectors.published(spec).filter(**{f"{spec.agency}__in": agency_ids})
    page = paginate(request, qs, PAGE_SIZE)
    page.object_list = selectors.with_withdrawals(spec.key, page.object_list)
    return render(request, "portal/gongshi/manage.html", {"kind": spec, "kinds": _kinds_nav(spec.key), "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = selectors.KINDS.get(kind)
    if spec is None:
        raise Http404
    agency_id = selectors.record_agency_id(kind, pk)
    if agency_id is None or agency_id not in perms.manageable_agency_ids(request.user):
        raise Http404
    record = selectors.published_record(spec, pk)
    error, reason, status = "", "", 200
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            withdraw_publication(actor=request.user, record_type=kind, record_id=pk, reason=reason)
        except DomainError as exc:
            error, status = exc.message, 400
        else:
            return redirect(f"{reverse('portal:gongshi_manage')}?kind={kind}")
    title, agency, _ = selectors.title_of(kind, record)
    return render(
        request,
        "portal/gongshi/withdraw.html",
        {
            "kind": spec,
            "record": record,
            "title": title,
            "agency": agency,
            "error": error,
            "reason": reason,
            "reason_max": REASON_MAX,
        },
        status=status,
    )
