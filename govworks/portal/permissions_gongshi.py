"""Who may withdraw (撤回) a publication of 阳光公示: the agency's project managers and leaders — the people
who answer for what the agency publishes — never the three administrators. Reading the portal needs nothing."""

from __future__ import annotations

from typing import Any

from govworks.org import permissions as org_perms
from govworks.org.roles import Role

WITHDRAW = "portal.withdraw_publication"

for _role in (Role.PROJECT_MANAGER, Role.DEPARTMENT_HEAD, Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER):
    org_perms.register_role_actions(_role, {WITHDRAW})
org_perms.ACTION_LABELS[WITHDRAW] = "撤回阳光公示的公开信息"


def may_manage(user: Any) -> bool:
    return org_perms.can_anywhere(user, WITHDRAW)


def manageable_agency_ids(user: Any) -> set[int]:
    return org_perms.agency_ids_where(user, WITHDRAW)
