"""Reads of annual plans: the list with filters (item count and total per plan) and what the plan page
shows. Every read starts from ``plans_visible_to``; each page costs a fixed number of queries however
many plans or items there are."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from govworks.org.models import Agency
from govworks.projects import permissions as perms
from govworks.projects.models import AgendaItem, AnnualPlan, PlanItem
from govworks.projects.services.common import content_type_of
from govworks.projects.services.decisions import passed_decision_for


@dataclass(frozen=True)
class PlanFilter:
    year: int | None = None
    agency_id: int | None = None
    status: str = ""


def plan_list_visible_to(*, user: Any, filters: PlanFilter) -> QuerySet[AnnualPlan]:
    """Visible plans matching ``filters``, newest year first, each with ``item_count`` and ``total``."""
    qs = perms.plans_visible_to(user).select_related("agency", "drafted_by")
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.agency_id:
        qs = qs.filter(agency_id=filters.agency_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.annotate(item_count=Count("items"), total=Sum("items__estimated_amount")).order_by(
        "-year", "agency__path", "-revision", "-id"
    )


def plan_filter_choices(*, user: Any) -> tuple[list[Agency], list[int]]:
    """The agencies and years that have plans the user may see (for the filter dropdowns; two queries)."""
    visible = perms.plans_visible_to(user)
    agencies = list(Agency.objects.filter(id__in=visible.values("agency_id")).order_by("path").only("id", "name", "path"))
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    return agencies, years


@dataclass
class PlanPage:
    plan: AnnualPlan
    items: list[PlanItem]  # each with department, responsible and (when built) project loaded
    total: Decimal
    decision: AgendaItem | None  # the passed collective decision
    agenda: list[AgendaItem]  # every time the plan was put on a meeting's agenda, newest first
    revisions: list[AnnualPlan]  # the plan's versions of this agency and year the user may see, oldest first
    previous: AnnualPlan | None
    next: AnnualPlan | None

    @property
    def total_wan(self) -> Decimal:
        return self.total / 10000


def plan_page(*, user: Any, plan: AnnualPlan) -> PlanPage:
    """Everything the plan page shows (plan fetched through ``access_plan``), in a fixed number of queries."""
    # through the related manager, so each item's ``plan`` is this very object (no query per item)
    items = list(plan.items.select_related("department", "responsible", "project").order_by("seq"))
    agenda = list(
        AgendaItem.objects.filter(subject_type=content_type_of(plan), subject_id=plan.pk)
        .select_related("meeting")
        .order_by("-meeting__held_on", "-id")
    )
    revisions = list(
        perms.plans_visible_to(user)
        .filter(agency_id=plan.agency_id, year=plan.year)
        .order_by("revision")
        .only("id", "revision", "status", "title", "previous_id", "agency_id", "year")
    )
    return PlanPage(
        plan=plan,
        items=items,
        total=sum((i.estimated_amount for i in items), Decimal(0)),
        decision=passed_decision_for(plan),
        agenda=agenda,
        revisions=revisions,
        previous=next((r for r in revisions if r.pk == plan.previous_id), None),
        next=next((r for r in revisions if r.previous_id == plan.pk), None),
    )
