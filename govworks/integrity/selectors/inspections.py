"""Reads of 双随机一公开: the item list, the inspector register, the object register (live data: projects in
construction of the agency's tree, their contractors and supervisors), plans and draws as a person may see them,
results due for an inspector, and the published results for the portal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from govworks.construction.selectors.parties import CONTRACTOR, SUPERVISOR
from govworks.integrity import permissions_inspections as perms
from govworks.integrity.models import InspectionDraw, InspectionItem, InspectionPlan, InspectionResult, Inspector
from govworks.org.models import Agency
from govworks.procurement.models import Contract, SupplierCategory
from govworks.projects.models import Project, ProjectResponsibility, Stage
from govworks.projects.rules import Party
from govworks.projects.services.expert_draws import project_parties

ObjectKind = InspectionPlan.ObjectKind


def items_of(agency_ids: set[int]) -> QuerySet[InspectionItem]:
    return InspectionItem.objects.filter(agency_id__in=agency_ids).select_related("agency").order_by("agency_id", "-kind", "name")


def inspectors_of(agency_ids: set[int]) -> QuerySet[Inspector]:
    return (
        Inspector.objects.filter(agency_id__in=agency_ids)
        .select_related("agency", "user")
        .prefetch_related("conflict_orgs")
        .order_by("agency_id", "-is_active", "id")
    )


def plans_for(user: Any) -> QuerySet[InspectionPlan]:
    return (
        perms.plans_visible_to(user)
        .select_related("agency")
        .annotate(n_draws=Count("draws", distinct=True), n_results=Count("results", distinct=True))
        .order_by("-period_start", "-id")
    )


def current_draw(plan: InspectionPlan) -> InspectionDraw | None:
    return plan.draws.filter(is_current=True).select_related("drawn_by").first()


def draws_of(plan: InspectionPlan) -> list[InspectionDraw]:
    return list(plan.draws.select_related("drawn_by").order_by("number"))


# ------------------------------------------------------------------------------------- object register


def subtree_ids(agency: Agency) -> list[int]:
    """``agency`` and its subordinates (where its register draws objects and inspectors from)."""
    return list(Agency.objects.filter(path__startswith=agency.path).values_list("id", flat=True))


@dataclass
class RegisterObject:
    key: str
    kind: str
    label: str
    credit_code: str = ""
    parties: list[Party] = field(default_factory=list)
    responsible_users: set[int] = field(default_factory=set)
    projects: list[str] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "label": self.label,
            "credit_code": self.credit_code,
            "parties": [p.__dict__ for p in self.parties],
            "responsible_users": sorted(self.responsible_users),
            "projects": sorted(self.projects),
        }


def object_register(agency: Agency, kind: str, *, all_parties: bool = False) -> list[RegisterObject]:
    """The 检查对象名录库 of ``agency`` for ``kind``, from the live data: the projects in 施工 of the agency and
    its subordinates; the contractors / supervisors of their signed contracts. Constant queries, except with
    ``all_parties`` (at the draw), which adds every party the registered providers know for each project
    (bidders, suppliers) — one query per provider and project."""
    projects = list(
        Project.objects.filter(agency_id__in=subtree_ids(agency), stage=Stage.CONSTRUCTION)
        .select_related("agency")
        .order_by("code", "pk")
    )
    ids = [p.pk for p in projects]
    responsible: dict[int, set[int]] = {p.pk: {p.manager_id, p.created_by_id} for p in projects}
    for pid, uid in ProjectResponsibility.objects.filter(project_id__in=ids).values_list("project_id", "responsible_id"):
        responsible[pid].add(uid)
    site: dict[int, dict[str, Any]] = {pid: {} for pid in ids}
    contracts = (
        Contract.objects.filter(project_id__in=ids, status=Contract.Status.SIGNED)
        .filter(Q(is_main_construction=True) | Q(supplier__category=SupplierCategory.SUPERVISION))
        .select_related("supplier", "supplier__external_org")
        .order_by("signed_on", "pk")
    )
    for c in contracts:
        role = CONTRACTOR if c.is_main_construction else SUPERVISOR
        site[c.project_id][role] = c.supplier
    objects: list[RegisterObject] = []
    if kind == ObjectKind.PROJECT:
        for p in projects:
            parties = [Party(role, s.name, s.credit_code, s.external_org_id) for role, s in sorted(site[p.pk].items())]
            if all_parties:
                parties += [x for x in project_parties(p) if x not in parties]
            objects.append(
                RegisterObject(
                    key=f"project:{p.pk}",
                    kind=kind,
                    label=f"{p.code} {p.name}",
                    parties=parties,
                    responsible_users={u for u in responsible[p.pk] if u},
                    projects=[f"{p.code} {p.name}"],
                )
            )
        return objects
    role = CONTRACTOR if kind == ObjectKind.CONTRACTOR else SUPERVISOR
    by_supplier: dict[int, RegisterObject] = {}
    for p in projects:
        s = site[p.pk].get(role)
        if s is None:
            continue
        obj = by_supplier.setdefault(
            s.pk,
            RegisterObject(
                key=f"supplier:{s.pk}",
                kind=kind,
                label=s.name,
                credit_code=s.credit_code,
                parties=[Party(role, s.name, s.credit_code, s.external_org_id)],
            ),
        )
        obj.responsible_users |= {u for u in responsible[p.pk] if u}
        obj.projects.append(f"{p.code} {p.name}")
    return sorted(by_supplier.values(), key=lambda o: (o.label, o.key))


def inspector_pool(agency: Agency) -> list[dict[str, Any]]:
    """The active inspectors of the register of ``agency`` as the snapshot keeps them (one query + prefetch)."""
    rows = []
    for i in (
        Inspector.objects.filter(agency=agency, is_active=True)
        .select_related("user")
        .prefetch_related("conflict_orgs")
        .order_by("pk")
    ):
        rows.append(
            {
                "id": i.pk,
                "user": i.user_id,
                "name": i.user.display_name,
                "employer_name": i.employer_name,
                "employer_credit_code": i.employer_credit_code,
                "conflict_orgs": sorted(o.pk for o in i.conflict_orgs.all()),
            }
        )
    return rows


# ------------------------------------------------------------------------------------- a draw, readable


@dataclass
class DrawnObject:
    key: str
    label: str
    inspectors: list[dict[str, Any]]
    excluded: list[tuple[str, str]]
    result: InspectionResult | None
    projects: list[str]


def draw_rows(draw: InspectionDraw, results: dict[str, InspectionResult] | None = None) -> list[DrawnObject]:
    """The drawn objects of ``draw`` with their inspectors (name, employer) and the inspectors left out."""
    snapshot = draw.snapshot
    objects = {o["key"]: o for o in snapshot.get("objects", [])}
    inspectors = {i["id"]: i for i in snapshot.get("inspectors", [])}
    excluded: dict[str, list[tuple[str, str]]] = {}
    for row in draw.result.get("excluded", []):
        name = inspectors.get(row["inspector"], {}).get("name", "?")
        excluded.setdefault(row["object"], []).append((name, row["reason"]))
    out = []
    for row in draw.result.get("objects", []):
        obj = objects.get(row["object"], {"label": row["object"], "projects": []})
        out.append(
            DrawnObject(
                key=row["object"],
                label=obj["label"],
                inspectors=[inspectors.get(i, {"id": i, "name": "?", "user": None}) for i in row["inspectors"]],
                excluded=excluded.get(row["object"], []),
                result=(results or {}).get(row["object"]),
                projects=obj.get("projects", []),
            )
        )
    return out


def results_of(draw: InspectionDraw) -> dict[str, InspectionResult]:
    return {r.object_key: r for r in draw.results.select_related("entered_by")}


# ------------------------------------------------------------------------------------- workbench


def results_due_for(user: Any) -> list[tuple[InspectionDraw, str, str]]:
    """(draw, object key, label) of the current draws naming ``user`` whose result they have not entered yet
    (two queries)."""
    draws = list(
        InspectionDraw.objects.filter(is_current=True, inspector_users=user)
        .select_related("plan", "plan__agency")
        .prefetch_related(Prefetch("results", queryset=InspectionResult.objects.only("draw_id", "object_key")))
        .order_by("plan__period_end", "pk")[:30]
    )
    due = []
    for d in draws:
        done = {r.object_key for r in d.results.all()}
        for obj in draw_rows(d):
            if obj.key not in done and any(i.get("user") == user.pk for i in obj.inspectors):
                due.append((d, obj.key, obj.label))
    return due


# ------------------------------------------------------------------------------------- portal


def published_plans(agency_id: int | None = None, year: int | None = None) -> QuerySet[InspectionPlan]:
    """Plans with at least one published result (the portal list)."""
    qs = InspectionPlan.objects.filter(results__published_at__isnull=False).distinct()
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if year:
        qs = qs.filter(period_start__year=year)
    return (
        InspectionPlan.objects.filter(pk__in=qs.values("pk"))
        .select_related("agency")
        .annotate(n_published=Count("results", filter=Q(results__published_at__isnull=False)))
        .order_by("-period_start", "-id")
    )


def published_plan(pk: Any) -> InspectionPlan | None:
    try:
        return published_plans().get(pk=pk)
    except (ValueError, TypeError, InspectionPlan.DoesNotExist):
        return None


def published_inspection_results(agency_id: int | None = None, year: int | None = None) -> QuerySet[InspectionResult]:
    """The published 双随机 results (for the portal's overview): the plan, its agency, the object, the outcome,
    the public findings and the dates — never the internal note."""
    qs = InspectionResult.objects.filter(published_at__isnull=False, draw__is_current=True)
    if agency_id:
        qs = qs.filter(plan__agency_id=agency_id)
    if year:
        qs = qs.filter(plan__period_start__year=year)
    return qs.select_related("plan", "plan__agency").defer("internal_note").order_by("-published_at", "-id")


def today() -> dt.date:
    return timezone.localdate()
