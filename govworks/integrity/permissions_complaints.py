"""Who may read and handle 投诉举报.

* A complaint goes to 纪检监察 (``Role.DISCIPLINE``) of the agency it concerns: they accept or refuse it, assign
  the handler, record the people it names (``integrity.complaint_handle``).
* The assigned handler replies, closes, and alone reads the reporter's identity (each read audited).
* The agency's 主要领导 sees the complaints that are overdue (escalated) — not the reporter.
* A person the complaint names never sees it and may not be assigned; the three administrators see none.
Everything not visible answers 404, so nobody learns that a complaint exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from govworks.integrity.models import Complaint
from govworks.org import permissions as org_perms
from govworks.org.roles import Role

COMPLAINT_HANDLE = "integrity.complaint_handle"
COMPLAINT_OVERSEE = "integrity.complaint_oversee"

org_perms.register_role_actions(Role.DISCIPLINE, {COMPLAINT_HANDLE}, {COMPLAINT_HANDLE: "受理、办理投诉举报"})
org_perms.register_role_actions(Role.PRINCIPAL_LEADER, {COMPLAINT_OVERSEE}, {COMPLAINT_OVERSEE: "督办逾期的投诉举报"})


def handling_agency_ids(user: Any) -> set[int]:
    return org_perms.agency_ids_where(user, COMPLAINT_HANDLE)


def overseeing_agency_ids(user: Any) -> set[int]:
    return org_perms.agency_ids_where(user, COMPLAINT_OVERSEE)


def complaints_visible_to(user: Any) -> QuerySet[Complaint]:
    """The complaints ``user`` may read: all of the agencies where they handle complaints, the escalated ones
    of the agencies they lead; never one that names them; nothing for administrators or the public."""
    handle, oversee = handling_agency_ids(user), overseeing_agency_ids(user)  # empty for the public (no query)
    if (not handle and not oversee) or org_perms.is_administrator(user):
        return Complaint.objects.none()
    scope = Q(agency_id__in=handle) | Q(agency_id__in=oversee, escalated_on__isnull=False)
    return Complaint.objects.filter(scope).exclude(named_people=user)


def may_see_any(user: Any) -> bool:
    return bool(handling_agency_ids(user) or overseeing_agency_ids(user)) and not org_perms.is_administrator(user)


def access_complaint(user: Any, pk: Any) -> Complaint:
    try:
        return complaints_visible_to(user).select_related("agency", "project", "handler", "accepted_by").get(pk=pk)
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或您无权查看") from None


def may_handle(user: Any, complaint: Complaint) -> bool:
    """纪检监察 of the complaint's agency (accept, refuse, assign, name people)."""
    return org_perms.can(user, COMPLAINT_HANDLE, complaint.agency_id) and not org_perms.is_administrator(user)


def is_handler(user: Any, complaint: Complaint) -> bool:
    """The assigned handler: replies, closes, reads the reporter's identity."""
    return complaint.handler_id is not None and complaint.handler_id == getattr(user, "pk", None) and may_handle(user, complaint)
