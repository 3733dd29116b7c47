"""Who reads and handles a case (案件) — docs/adr/0024-cases-confidential-to-handlers.md.

* 纪检监察 (DISCIPLINE) of the case's own agency see the case in the agency's list and its header (number, title,
  source, status, handlers, dates); they open cases and assign handlers.
* The confidential parts (notes, evidence, 约谈 records, 整改 text, the conclusion, the people named) are read only by
  the case's handlers and the person who assigned them.
* Only handlers act on the case (notes, evidence, 约谈, 整改, conclusion); 整改 is verified by a handler — or the
  assigner — other than the one who demanded it; 办结 by a handler or the assigner.
* The people the case names never read it (404, absent from lists), even when they hold 纪检监察; neither do the
  three administrators (they hold no business role), other agencies' 纪检监察 or anyone else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from govworks.integrity.models import Case
from govworks.org import permissions as org_perms
from govworks.org.roles import Role

CASE_MANAGE = "integrity.case_manage"

org_perms.register_role_actions(Role.DISCIPLINE, {CASE_MANAGE})
org_perms.ACTION_LABELS.update({CASE_MANAGE: "案件办理（立案、指定承办人）"})


def may_use_cases(user: Any) -> bool:
    """Holds 纪检监察 somewhere (the menu entry and the list)."""
    return org_perms.can_anywhere(user, CASE_MANAGE) and not getattr(user, "is_external", False)


def case_agency_ids(user: Any) -> set[int]:
    """Agencies whose cases ``user`` may open and see: where they hold 纪检监察 (no subordinates: a case stays with
    the 纪检监察 of its own agency)."""
    if getattr(user, "is_external", False):
        return set()
    return org_perms.agency_ids_where(user, CASE_MANAGE)


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Cases of the user's 纪检监察 agencies, minus every case that names them."""
    agencies = case_agency_ids(user)
    if not agencies:
        return Case.objects.none()
    return Case.objects.filter(agency_id__in=agencies).exclude(parties__user_id=user.pk)


def access_case(user: Any, pk: Any) -> Case:
    """The case ``pk`` if ``user`` may see it; 404 otherwise (also for the people it names)."""
    try:
        return cases_visible_to(user).select_related("agency", "project", "opened_by", "assigned_by").get(pk=int(pk))
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或您无权查看") from None


def handler_ids(case: Case) -> set[int]:
    return set(case.handlers.values_list("id", flat=True))


def is_handler(user: Any, case: Case) -> bool:
    return user.pk in handler_ids(case)


def may_read_confidential(user: Any, case: Case) -> bool:
    """Handlers and the 纪检 person who assigned them (the caller has already passed :func:`access_case`)."""
    return user.pk == case.assigned_by_id or is_handler(user, case)


def may_assign(user: Any, case: Case) -> bool:
    """纪检监察 of the case's agency, not named by it (the caller has passed :func:`access_case`)."""
    return org_perms.can(user, CASE_MANAGE, case.agency_id) and not is_involved(user.pk, case)


def is_involved(user_id: int, case: Case) -> bool:
    """``user_id`` is one of the people the case names (回避)."""
    return case.parties.filter(user_id=user_id).exists()
