"""Who does what in 双随机一公开.

* 纪检监察 of an agency keeps “一单两库一细则” (the item list, the inspector register, each plan's working rules),
  makes plans and draws (action ``integrity.inspection_manage``). The random check of projects is supervision,
  which DOMAIN.md §3 gives to 纪检监察.
* 纪检监察, 内审 and the principal leader of the agency read the plans, draws and results (and replay the draws).
* The drawn inspectors read the plans they were drawn in and enter the results of their objects
  (谁检查、谁录入). The register role 执法检查人员 is membership of the register (:class:`Inspector`), not a
  platform role: only business people of the agency's tree may be entered (never the three administrators,
  never external users).
* Anyone, signed in or not, reads a published plan's results and its replay on the portal.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from govworks.integrity.models import InspectionDraw, InspectionPlan
from govworks.org import permissions as org_perms
from govworks.org.roles import Role

INSPECTION_MANAGE = "integrity.inspection_manage"
INSPECTION_READ = "integrity.inspection_read"

org_perms.register_role_actions(Role.DISCIPLINE, {INSPECTION_MANAGE, INSPECTION_READ})
org_perms.register_role_actions(Role.INTERNAL_AUDIT, {INSPECTION_READ})
org_perms.register_role_actions(Role.PRINCIPAL_LEADER, {INSPECTION_READ})
org_perms.ACTION_LABELS.update(
    {INSPECTION_MANAGE: "双随机抽查管理（事项清单、名录库、计划、抽取）", INSPECTION_READ: "查阅双随机抽查"}
)


def manage_agency_ids(user: Any) -> set[int]:
    return org_perms.agency_ids_where(user, INSPECTION_MANAGE)


def may_manage(user: Any, agency_id: int | None) -> bool:
    return org_perms.can(user, INSPECTION_MANAGE, agency_id)


def require_manage(user: Any, agency_id: int | None) -> None:
    org_perms.require(user, INSPECTION_MANAGE, agency_id)


def may_manage_anywhere(user: Any) -> bool:
    return org_perms.can_anywhere(user, INSPECTION_MANAGE)


def may_open_inspections(user: Any) -> bool:
    """The menu entry: readers, and every business person (they may have been drawn as an inspector)."""
    return bool(org_perms.business_readable_agency_ids(user)) and not getattr(user, "is_external", False)


def plans_visible_to(user: Any) -> QuerySet[InspectionPlan]:
    """Plans of agencies where the user reads inspections, and plans whose current draw names them."""
    if not org_perms.is_signed_in(user) or getattr(user, "is_external", False):
        return InspectionPlan.objects.none()
    readers = org_perms.agency_ids_where(user, INSPECTION_READ)
    q = Q(agency_id__in=readers) | Q(draws__is_current=True, draws__inspector_users=user)
    return InspectionPlan.objects.filter(pk__in=InspectionPlan.objects.filter(q).values("pk"))


def access_plan(user: Any, pk: Any) -> InspectionPlan:
    try:
        return plans_visible_to(user).select_related("agency", "created_by").get(pk=pk)
    except (ValueError, TypeError, InspectionPlan.DoesNotExist):
        raise Http404("记录不存在或您无权查看") from None


def access_draw(user: Any, pk: Any) -> InspectionDraw:
    """A draw of a plan the user may read (404 otherwise)."""
    try:
        return InspectionDraw.objects.select_related("plan", "drawn_by").get(pk=pk, plan__in=plans_visible_to(user))
    except (ValueError, TypeError, InspectionDraw.DoesNotExist):
        raise Http404("记录不存在或您无权查看") from None


def require_reader(user: Any) -> None:
    if not may_open_inspections(user):
        raise PermissionDenied("只有本单位内部人员可以查看双随机抽查")
