"""Reads of case handling, always through ``permissions_cases.cases_visible_to`` (the people a case names and the
administrators read nothing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from govworks.core.rule_parameters import rule_value
from govworks.core.rule_seed import rule_name
from govworks.core.workdays import add_working_days
from govworks.integrity import permissions_cases as perms
from govworks.integrity.models import Case, CaseRectification, CaseStatus
from govworks.org.models import User

OPEN_STATUSES = (CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.INTERVIEW, CaseStatus.RECTIFICATION, CaseStatus.CONCLUDED)


def case_list(*, user: Any, scope: str = "mine", status: str = "") -> QuerySet[Case]:
    """``mine``: cases the user handles or assigned; ``agency``: every case of their 纪检监察 agencies they may see."""
    qs = perms.cases_visible_to(user)
    if scope != "agency":
        qs = qs.filter(Q(handlers=user) | Q(assigned_by=user) | Q(opened_by=user)).distinct()
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    pending = CaseRectification.objects.filter(case=OuterRef("pk"), status=CaseRectification.Status.PENDING)
    return (
        qs.select_related("agency", "project")
        .prefetch_related("handlers")
        .annotate(rectification_pending=Exists(pending))
        .order_by("-opened_at", "-id")
    )


def case_page(case: Case, *, confidential: bool) -> dict[str, Any]:
    """What the case page shows; the confidential parts only when ``confidential``."""
    data: dict[str, Any] = {"handlers": list(case.handlers.order_by("id"))}
    if confidential:
        data.update(
            parties=list(case.parties.select_related("user", "added_by").order_by("id")),
            notes=list(case.notes.select_related("author")),
            evidence=list(case.evidence.select_related("uploaded_by")),
            interviews=list(case.interviews.select_related("recorded_by")),
            rectifications=list(case.rectifications.select_related("demanded_by", "verified_by")),
        )
    return data


def handler_candidates(case: Case) -> QuerySet[User]:
    """纪检监察 of the case's agency, not named by it, not administrators (the assign picker)."""
    from govworks.org.models import RoleGrant
    from govworks.org.permissions import business_people
    from govworks.org.roles import Role

    holders = RoleGrant.objects.active().filter(agency_id=case.agency_id, role=Role.DISCIPLINE).values("user_id")
    return business_people(
        User.objects.filter(pk__in=holders, is_active=True).exclude(pk__in=case.parties.values("user_id"))
    ).order_by("full_name", "id")


def party_candidates(case: Case) -> QuerySet[User]:
    """People a handler may name in the case (the party picker): active business people of the case's agency or of
    an external organisation, not already named; never the administrators."""
    from govworks.org.permissions import business_people

    people = business_people(User.objects.filter(is_active=True)).exclude(pk__in=case.parties.values("user_id"))
    return (people.filter(agency_id=case.agency_id) | people.filter(external_org__isnull=False)).order_by("full_name", "id")


def open_case_of_source(user: Any, kind: str, source_id: int) -> Case | None:
    """The case still open on the source ``(kind, source_id)``, if ``user`` may see it."""
    return (
        perms.cases_visible_to(user)
        .filter(source_kind=kind, source_id=source_id)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("id")
        .first()
    )


def evidence_for(user: Any, pk: int) -> Any:
    """An evidence file the user may read (handler or assigner of its case); 404 otherwise."""
    from django.http import Http404

    from govworks.integrity.models import CaseEvidence

    row = CaseEvidence.objects.filter(pk=pk, case__in=perms.cases_visible_to(user)).select_related("case").first()
    if row is None or not perms.may_read_confidential(user, row.case):
        raise Http404("记录不存在或您无权查看")
    return row


def case_counts(agency_ids: Iterable[int]) -> dict[str, int]:
    """Counts of cases of ``agency_ids`` for the cockpit (one query): open, each status, overdue 整改 and closed this
    year. The caller decides who may see the numbers (counts carry no content of a case)."""
    today = timezone.localdate()
    ids = list(agency_ids)
    pending = CaseRectification.objects.filter(case=OuterRef("pk"), status=CaseRectification.Status.PENDING, deadline__lt=today)
    totals = (
        Case.objects.filter(agency_id__in=ids)
        .annotate(overdue=Exists(pending))
        .aggregate(
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue_rectification=Count("id", filter=Q(overdue=True, status__in=OPEN_STATUSES)),
            closed_this_year=Count("id", filter=Q(status=CaseStatus.CLOSED, closed_at__year=today.year)),
            **{s.value: Count("id", filter=Q(status=s.value)) for s in CaseStatus},
        )
    )
    return {k: int(v or 0) for k, v in totals.items()}


def due_soon_limit(agency: Any = None) -> dt.date:
    days = int(rule_value("case.due_soon_working_days", agency=agency))
    return add_working_days(timezone.localdate(), days)


def rectification_terms_note(case: Case) -> str:
    """The 整改 page's note: the default and the longest term, each with its rule's name and number."""
    default_key, longest_key = "case.rectification_working_days", "case.rectification_max_working_days"
    default = int(rule_value(default_key, agency=case.agency))
    longest = int(rule_value(longest_key, agency=case.agency))
    return (
        f"整改期限默认为 {default} 个工作日（规则“{rule_name(default_key)}”），最长 {longest} 个工作日"
        f"（规则“{rule_name(longest_key)}”）；整改须由另一名承办人或纪检监察负责人验证。"
    )


def handler_todo(user: Any) -> tuple[list[CaseRectification], list[Case], list[Case]]:
    """案件待办 (three queries, and the 临期 rule of each of the user's 纪检监察 agencies): pending 整改 of the
    user's cases whose deadline passed or is near, cases assigned to
    them not yet investigated, and cases of their 纪检监察 agencies without a handler."""
    from govworks.org.models import Agency

    agency_ids = perms.case_agency_ids(user)
    if not agency_ids:
        return [], [], []
    visible = perms.cases_visible_to(user)
    # each agency's own 临期 rule (an agency may set its own number of working days)
    near = Q()
    for agency in Agency.objects.filter(pk__in=agency_ids):
        near |= Q(case__agency_id=agency.pk, deadline__lte=due_soon_limit(agency))
    rectifications = list(
        CaseRectification.objects.filter(
            near,
            case__in=visible.filter(Q(handlers=user) | Q(assigned_by=user)).values("pk"),
            status=CaseRectification.Status.PENDING,
        )
        .select_related("case")
        .order_by("deadline", "id")[:50]
    )
    waiting = list(visible.filter(handlers=user, status=CaseStatus.FILED).order_by("opened_at", "id")[:50])
    unassigned = list(visible.filter(assigned_by__isnull=True, status=CaseStatus.FILED).order_by("opened_at", "id")[:50])
    return rectifications, waiting, unassigned
