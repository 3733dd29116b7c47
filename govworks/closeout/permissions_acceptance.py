"""Who may do what in the completion acceptance and the defect-liability period.

* The acceptance is organised, its conclusion and filing recorded, and the defect period kept (defects
  reported, the deposit return prepared) by 工程管理岗 and 科室负责人 of the project's agency
  (``closeout.acceptance_manage``); the deposit's payment request also needs finance's 付款申请 right, checked
  by finance's own service.
* Completion is declared by the contractor — the people of the supplier of the project's signed main
  construction contract — or by 工程管理岗 on its behalf (recorded as such).
* Each party's opinion is signed by that party's people (the contractor, the supervisor, any party whose
  company has accounts) or entered by 工程管理岗 from the signed paper record.
* Problems are answered by the contractor through the construction rectification loop (its own rules).
* Whoever may read the project reads its acceptance; the contractor's and the supervisor's people read the
  projects they are parties to, and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied  # noqa: F401  (re-exported for the views)
from django.db.models import QuerySet
from django.http import Http404

from govworks.construction import permissions as site_perms
from govworks.org import permissions as org_perms
from govworks.org.roles import Role
from govworks.projects.models import Project

ACCEPTANCE_MANAGE = "closeout.acceptance_manage"

org_perms.register_role_actions(Role.PROJECT_MANAGER, {ACCEPTANCE_MANAGE})
org_perms.register_role_actions(Role.DEPARTMENT_HEAD, {ACCEPTANCE_MANAGE})
org_perms.ACTION_LABELS.update({ACCEPTANCE_MANAGE: "组织竣工验收、登记备案、缺陷责任期管理"})


def external_org_id(user: Any) -> int | None:
    return getattr(user, "external_org_id", None) if org_perms.is_signed_in(user) else None


def acceptance_projects_visible_to(user: Any) -> QuerySet[Project]:
    """The agency's readers see their agencies' projects; a party's people the projects of their contracts."""
    return site_perms.construction_projects_visible_to(user)


def access_project(user: Any, pk: Any) -> Project:
    try:
        return acceptance_projects_visible_to(user).select_related("agency", "department", "manager").get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或您无权查看") from None


def may_manage(user: Any, project: Project) -> bool:
    return org_perms.can(user, ACCEPTANCE_MANAGE, project.agency_id)


def may_declare(user: Any, project: Project) -> bool:
    return site_perms.is_contractor(user, project) or may_manage(user, project)


def may_sign_for(user: Any, party: Any) -> bool:
    """The party's own people, or the agency's keepers entering the signed paper record."""
    org_id = external_org_id(user)
    if org_id is not None:
        return party.external_org_id == org_id
    return may_manage(user, party.acceptance.project)


def is_party_person(user: Any) -> bool:
    return external_org_id(user) is not None


def may_read_register(user: Any) -> bool:
    """竣工验收台账 is for the agencies' people with a business role (not the contractors' or supervisors', not the
    administrators')."""
    return not is_party_person(user) and bool(org_perms.business_readable_agency_ids(user))
