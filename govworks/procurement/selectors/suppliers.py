"""Reads of the supplier register: the filtered list, a supplier's profile, the facts the pure rules
need, and refused award attempts for 纪检监察.

Every read starts from what the user may see; the list and the profile cost a fixed number of queries
however many suppliers, qualifications, evaluations or listings there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from govworks.core.models import AuditEvent
from govworks.org import permissions as org_perms
from govworks.procurement import rules
from govworks.procurement.models import (
    PerformanceEvaluation,
    Qualification,
    Supplier,
    SupplierListing,
)
from govworks.procurement.permissions import suppliers_visible_to

AWARD_REFUSED_ACTION = "procurement.supplier.award_refused"
STATUS_CHOICES = [("normal", "正常"), ("grey", "灰名单"), ("black", "黑名单")]
EXPIRY_CHOICES = [("soon", "30天内到期"), ("expired", "已过期")]


def _start_of_day_after(on: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


def listings_in_force_q(on: dt.date, prefix: str = "") -> Q:
    """Listings in force on ``on`` (both ends of the period included; lifted on or before ``on`` no longer)."""
    p = prefix
    return (
        Q(**{f"{p}starts_on__lte": on})
        & (Q(**{f"{p}ends_on__isnull": True}) | Q(**{f"{p}ends_on__gte": on}))
        & (Q(**{f"{p}lifted_at__isnull": True}) | Q(**{f"{p}lifted_at__gte": _start_of_day_after(on)}))
    )


def listing_facts(listing: SupplierListing) -> rules.ListingFacts:
    return rules.ListingFacts(
        kind=listing.kind,
        starts_on=listing.starts_on,
        ends_on=listing.ends_on,
        lifted_on=timezone.localdate(listing.lifted_at) if listing.lifted_at else None,
        reason=listing.reason,
        deciding_authority=listing.deciding_authority,
        deciding_document=listing.deciding_document,
    )


def qualification_facts(q: Qualification) -> rules.QualificationFacts:
    return rules.QualificationFacts(
        kind=q.kind, grade=q.grade, certificate_number=q.certificate_number, expires_on=q.expires_on, category=q.category
    )


def evaluation_facts(e: PerformanceEvaluation) -> rules.EvaluationFacts:
    return rules.EvaluationFacts(evaluated_on=e.evaluated_on, score=e.score)


def supplier_credit_score(
    *, evaluations: Iterable[PerformanceEvaluation], listings: Iterable[SupplierListing], on: dt.date
) -> int:
    return rules.credit_score(
        evaluations=[evaluation_facts(e) for e in evaluations], listings=[listing_facts(x) for x in listings], on=on
    )


def supplier_list_visible_to(
    *, user: Any, status: str = "", expiry: str = "", text: str = "", on: dt.date | None = None
) -> QuerySet[Supplier]:
    """The register filtered by listing status on ``on`` (正常/灰名单/黑名单), qualifications expiring within
    30 days or already expired, and text (name, credit code, legal representative). Listings,
    qualifications and evaluations come prefetched, so a page costs the same however long it is."""
    on = on or timezone.localdate()
    in_force = SupplierListing.objects.filter(listings_in_force_q(on), supplier=OuterRef("pk"))
    qs = suppliers_visible_to(user).annotate(
        is_black=Exists(in_force.filter(kind=SupplierListing.Kind.BLACK)),
        is_grey=Exists(in_force.filter(kind=SupplierListing.Kind.GREY)),
    )
    if status == "black":
        qs = qs.filter(is_black=True)
    elif status == "grey":
        qs = qs.filter(is_grey=True, is_black=False)
    elif status == "normal":
        qs = qs.filter(is_grey=False, is_black=False)
    if expiry == "soon":
        soon = on + dt.timedelta(days=rules.EXPIRING_SOON_DAYS)
        qs = qs.filter(Exists(Qualification.objects.filter(supplier=OuterRef("pk"), expires_on__gte=on, expires_on__lte=soon)))
    elif expiry == "expired":
        qs = qs.filter(Exists(Qualification.objects.filter(supplier=OuterRef("pk"), expires_on__lt=on)))
    if text:
        qs = qs.filter(Q(name__contains=text) | Q(credit_code__icontains=text) | Q(legal_representative__contains=text))
    return (
        qs.select_related("registered_by")
        .prefetch_related(
            "qualifications",
            "listings",
            Prefetch("evaluations", queryset=PerformanceEvaluation.objects.only("id", "supplier_id", "evaluated_on", "score")),
        )
        .order_by("name", "id")
    )


@dataclass
class SupplierRow:
    """One line of the register as the list and the export show it."""

    supplier: Supplier
    status: str
    credit_score: int
    next_expiry: dt.date | None
    expired: list[rules.QualificationFacts]

    @property
    def status_label(self) -> str:
        return dict(STATUS_CHOICES)[self.status]

    @property
    def expiry_state(self) -> str:
        return rules.qualification_state(self.next_expiry, timezone.localdate()) if self.next_expiry else ""


def supplier_row(supplier: Supplier, on: dt.date) -> SupplierRow:
    """Status, credit score and nearest valid expiry from the prefetched relations (no queries)."""
    listings = list(supplier.listings.all())
    quals = list(supplier.qualifications.all())
    upcoming = [q.expires_on for q in quals if q.expires_on >= on]
    return SupplierRow(
        supplier=supplier,
        status=rules.listing_status_on([listing_facts(x) for x in listings], on),
        credit_score=supplier_credit_score(evaluations=supplier.evaluations.all(), listings=listings, on=on),
        next_expiry=min(upcoming) if upcoming else None,
        expired=rules.expired_qualifications([qualification_facts(q) for q in quals], on),
    )


@dataclass
class TrendPoint:
    label: str
    score: int


@dataclass
class SupplierProfile:
    supplier: Supplier
    contacts: list[Any]
    bank_accounts: list[Any]
    qualifications: list[Qualification]
    evaluations: list[PerformanceEvaluation]
    listings: list[SupplierListing]
    status: str
    credit_score: int
    award_problem: str | None
    on: dt.date
    detailed_evaluation_ids: frozenset[int] = frozenset()

    @property
    def status_label(self) -> str:
        return dict(STATUS_CHOICES)[self.status]

    def chart(self) -> dict[str, Any]:
        """ECharts option: the evaluations in date order (oldest first)."""
        points = sorted(self.evaluations, key=lambda e: (e.evaluated_on, e.pk))
        return {
            "grid": {"left": 36, "right": 12, "top": 20, "bottom": 30},
            "tooltip": {"trigger": "axis"},
            "xAxis": {"type": "category", "data": [e.evaluated_on.isoformat() for e in points]},
            "yAxis": {"type": "value", "min": 0, "max": 100},
            "series": [
                {
                    "type": "line",
                    "name": "履约评价得分",
                    "data": [e.score for e in points],
                    "itemStyle": {"color": "#1d4f91"},
                    "markLine": {
                        "silent": True,
                        "symbol": "none",
                        "lineStyle": {"color": "#d63939", "type": "dashed"},
                        "label": {"position": "insideEndTop", "formatter": "合格线 60"},
                        "data": [{"yAxis": 60}],
                    },
                }
            ],
        }


def evaluation_details_visible(*, viewer: Any, evaluations: Iterable[PerformanceEvaluation]) -> frozenset[int]:
    """The ids of those ``evaluations`` whose project, contract name, comment and evaluator ``viewer`` may see:
    the evaluated project (or, without one, the evaluating agency) is one whose business records the viewer
    reads. Of the others the shared supplier page shows only the agency-neutral facts (date, score,
    evaluating agency): another agency's project and contract names stay with that agency."""
    readable = org_perms.business_readable_agency_ids(viewer) if viewer is not None else frozenset()
    return frozenset(e.pk for e in evaluations if (e.project.agency_id if e.project is not None else e.agency_id) in readable)


def supplier_profile(*, supplier: Supplier, viewer: Any = None, on: dt.date | None = None) -> SupplierProfile:
    """Everything the profile page shows, in five queries (contacts, accounts, qualifications,
    evaluations with their agency/project/evaluator, listings with their people). Evaluation details
    (project, contract, comment, evaluator) are marked shown only where ``viewer`` may read the project
    (see :func:`evaluation_details_visible`); without a viewer none are."""
    on = on or timezone.localdate()
    qualifications = list(supplier.qualifications.order_by("expires_on", "id"))
    evaluations = list(supplier.evaluations.select_related("agency", "project", "evaluated_by").order_by("-evaluated_on", "-id"))
    listings = list(supplier.listings.select_related("decided_by", "recorded_by", "lifted_by").order_by("-starts_on", "-id"))
    listing_rules = [listing_facts(x) for x in listings]
    return SupplierProfile(
        supplier=supplier,
        contacts=list(supplier.contacts.all()),
        bank_accounts=list(supplier.bank_accounts.all()),
        qualifications=qualifications,
        evaluations=evaluations,
        listings=listings,
        status=rules.listing_status_on(listing_rules, on),
        credit_score=supplier_credit_score(evaluations=evaluations, listings=listings, on=on),
        award_problem=rules.award_problem(
            listings=listing_rules, qualifications=[qualification_facts(q) for q in qualifications], on=on
        ),
        on=on,
        detailed_evaluation_ids=evaluation_details_visible(viewer=viewer, evaluations=evaluations),
    )


def award_refusals_for(*, agency_ids: Iterable[int], days: int = 30, limit: int = 20) -> QuerySet[AuditEvent]:
    """Refused award attempts recorded for ``agency_ids`` in the last ``days`` days, newest first."""
    since = timezone.now() - dt.timedelta(days=days)
    return AuditEvent.objects.filter(
        action=AWARD_REFUSED_ACTION, agency_id__in=list(agency_ids), occurred_at__gte=since
    ).order_by("-occurred_at")[:limit]
