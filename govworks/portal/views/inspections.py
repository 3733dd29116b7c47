"""阳光公示 · 双随机抽查结果 (anonymous): the published plans with filters (agency, year) and a plan's published
results with the replay of its draw (一致/不一致). What is shown: the agency, the plan, its items and working rules,
the drawn objects (projects, companies), the names of the drawn inspectors — public officials performing a public
duty, as the inspector register itself is public (“清单和名录在门户网站公开”; “谁检查、谁录入、谁公开”) — the
outcome, the public findings and the dates. Never shown: phones, accounts, declared conflicts, internal notes, the
seed's pool details beyond counts."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from govworks.core.pages import query_int
from govworks.integrity.models import InspectionDraw
from govworks.integrity.selectors import inspections as selectors
from govworks.integrity.services.inspections import draw_replay
from govworks.org.models import Agency


def _small(value: str | None, limit: int) -> int | None:
    number = query_int((value or "")[:10])
    return number if number is not None and number <= limit else None


def inspection_list(request: HttpRequest) -> HttpResponse:
    agency_id = _small(request.GET.get("agency"), 2**31 - 1)
    year = _small(request.GET.get("year"), 9999)
    plans = selectors.published_plans(agency_id=agency_id, year=year)[:200]
    return render(
        request,
        "portal/inspections/list.html",
        {
            "plans": plans,
            "agencies": Agency.objects.filter(is_active=True).only("id", "name").order_by("path"),
            "filters": {"agency": agency_id, "year": year},
        },
    )


def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.published_plan(pk)
    if plan is None:
        raise Http404("没有该公示记录")
    draws = list(InspectionDraw.objects.filter(plan=plan).select_related("drawn_by").order_by("number"))
    current = next((d for d in draws if d.is_current), None)
    if current is None:
        raise Http404("没有该公示记录")
    results = {r.object_key: r for r in current.results.filter(published_at__isnull=False)}
    consistent, explanation = draw_replay(current)
    return render(
        request,
        "portal/inspections/detail.html",
        {
            "plan": plan,
            "items": plan.items.all(),
            "draws": draws,
            "current": current,
            "rows": selectors.draw_rows(current, results),
            "consistent": consistent,
            "explanation": explanation,
            "pool_objects": len(current.snapshot.get("objects", [])),
            "pool_inspectors": len(current.snapshot.get("inspectors", [])),
        },
    )


urlpatterns = [
    path("gongshi/inspections/", inspection_list, name="inspection_list"),
    path("gongshi/inspections/<int:pk>/", inspection_detail, name="inspection_detail"),
]
