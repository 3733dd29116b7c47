"""Every read of 投诉举报: the handler's list (scoped by ``permissions_complaints``), the counts for the
workbench, the reporter's query by tracking code and password, and the public lists the form offers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from govworks.integrity import permissions_complaints as perms
from govworks.integrity import rules_complaints as rules
from govworks.integrity.models import Complaint, ComplaintStatus
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, User
from govworks.org.roles import Role
from govworks.projects.models import Project

#: columns the lists read: never the reporter's fields, the code or the password hash
LIST_FIELDS = (
    "id", "agency_id", "agency__name", "agency__short_name", "project_id", "project__code", "project__name",
    "project_text", "subject", "anonymous", "received_on", "accept_due", "status", "reply_due", "escalated_on",
    "handler_id", "handler__full_name", "handler__username",
)  # fmt: skip

_DUMMY_HASH = make_password("govworks-complaint-dummy")


def overdue_q(today: dt.date) -> Q:
    """The database form of ``rules_complaints.overdue``: waiting for 受理 or for the reply after the deadline."""
    return Q(status=ComplaintStatus.RECEIVED, accept_due__lt=today) | Q(status=ComplaintStatus.ACCEPTED, reply_due__lt=today)


def complaint_list(user: Any, *, status: str = "", overdue_only: bool = False, today: dt.date) -> QuerySet[Complaint]:
    qs = perms.complaints_visible_to(user).select_related("agency", "project", "handler").only(*LIST_FIELDS)
    if status in ComplaintStatus.values:
        qs = qs.filter(status=status)
    if overdue_only:
        qs = qs.filter(overdue_q(today))
    return qs.order_by("-received_at", "-id")


def complaint_counts(agency_ids: Iterable[int], *, today: dt.date | None = None, reader: Any = None) -> dict[str, int]:
    """Counts of the agencies' complaints waiting: 待受理, 待答复 and the overdue among them (one query). With
    ``reader``, only the complaints they may read (never one that names them)."""
    today = today or timezone.localdate()
    base = Complaint.objects.all() if reader is None else perms.complaints_visible_to(reader)
    row = base.filter(agency_id__in=list(agency_ids)).aggregate(
        to_accept=Count("id", filter=Q(status=ComplaintStatus.RECEIVED)),
        to_reply=Count("id", filter=Q(status=ComplaintStatus.ACCEPTED)),
        overdue=Count("id", filter=overdue_q(today)),
    )
    return {k: int(v or 0) for k, v in row.items()}


def to_accept_for(user: Any) -> QuerySet[Complaint]:
    """Complaints waiting for 受理 in the agencies where ``user`` handles complaints (not naming them)."""
    return (
        perms.complaints_visible_to(user)
        .filter(agency_id__in=perms.handling_agency_ids(user), status=ComplaintStatus.RECEIVED)
        .only(*LIST_FIELDS)
        .select_related("agency", "project", "handler")
        .order_by("accept_due", "id")
    )


def to_reply_for(user: Any) -> QuerySet[Complaint]:
    """Accepted complaints ``user`` is the handler of."""
    return (
        perms.complaints_visible_to(user)
        .filter(handler=user, status=ComplaintStatus.ACCEPTED)
        .only(*LIST_FIELDS)
        .select_related("agency", "project", "handler")
        .order_by("reply_due", "id")
    )


def escalated_for_leader(user: Any) -> QuerySet[Complaint]:
    """Escalated complaints still open in the agencies ``user`` leads (主要领导)."""
    return (
        perms.complaints_visible_to(user)
        .filter(
            agency_id__in=perms.overseeing_agency_ids(user),
            escalated_on__isnull=False,
            status__in=[ComplaintStatus.RECEIVED, ComplaintStatus.ACCEPTED],
        )
        .only(*LIST_FIELDS)
        .select_related("agency", "project", "handler")
    )


def handler_choices(complaint: Complaint) -> QuerySet[User]:
    """Who may be assigned: business people with 纪检监察 in the complaint's agency, not named by it."""
    discipline = User.objects.filter(
        is_active=True,
        grants__agency_id=complaint.agency_id,
        grants__role=Role.DISCIPLINE,
        grants__revoked_at__isnull=True,
    )
    return (
        org_perms.business_people(discipline).exclude(pk__in=complaint.named_people.values("pk")).distinct().order_by("username")
    )


def person_choices(complaint: Complaint) -> QuerySet[User]:
    """The agency's business people that may be recorded as 被举报人 (not yet named; never the three
    administrators, who do no business and appear in no business picker)."""
    return (
        org_perms.business_people(User.objects.filter(agency_id=complaint.agency_id, is_active=True))
        .exclude(pk__in=complaint.named_people.values("pk"))
        .order_by("username")
    )


def reporter_query(code: str, password: str) -> Complaint | None:
    """The complaint with this tracking code when the password matches; None otherwise (the same work is done
    for an unknown code, so the answer time does not tell whether a code exists)."""
    code = rules.normalised_code(code)
    complaint = Complaint.objects.select_related("agency", "project").filter(tracking_code=code).first() if code else None
    if complaint is None:
        check_password(password or "", _DUMMY_HASH)
        return None
    return complaint if check_password(password or "", complaint.query_password) else None


def public_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).only("id", "name", "short_name").order_by("path", "name")


def public_projects(agency_id: int | None) -> QuerySet[Project]:
    """The agency's projects the public may name: every project on its register, in any stage (code and name
    only)."""
    if not agency_id:
        return Project.objects.none()
    return Project.objects.filter(agency_id=agency_id).only("id", "code", "name").order_by("code")
