"""The permission vocabulary and the access predicates every module builds on (DESIGN.md §4).

* An **action** is a string such as ``"org.manage"``. Roles map to actions; later modules add their
  actions with :func:`register_role_actions` from their ``AppConfig.ready``.
* A user may perform a *business* action in an agency only when they hold there an active role that
  carries it: writes never flow down the tree, a superior agency reads its subordinates but changes
  nothing there.
* *Administration* actions (accounts, grants, unlocks, parameters, the log: the 三员) reach the agencies
  below the one where the administrator is appointed: the platform is run from the top of the tree.
* A user may *read* an agency's records when they hold any role in it or in one of its superiors.
* External users (施工、监理 …) hold no agency role; they see what later modules assign to them.
* Missing and forbidden look the same from outside: ``access_*`` raises ``Http404`` for both.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict, defaultdict
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from govworks.core.errors import DomainError
from govworks.org.models import Agency, Department, ExternalOrganization, IntegrityPledge, Position, RoleGrant, User
from govworks.org.roles import ADMIN_ROLES, BUSINESS_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

ORG_VIEW = "org.view"
ORG_MANAGE = "org.manage"
ROLE_GRANT = "org.grant_role"
ACCOUNT_UNLOCK = "org.unlock_account"
PLEDGE_RECORD = "org.record_pledge"
AUDIT_VIEW = "core.view_audit_log"
AUDIT_PRUNE = "core.prune_audit_log"
RULE_PARAMETER_EDIT = "core.edit_rule_parameter"
RULE_PARAMETER_VIEW = "core.view_rule_parameter"
CALENDAR_EDIT = "core.edit_working_calendar"
ADMIN_ACCOUNT_RESET = "org.reset_admin_account"
SECURITY_PARAMETER_EDIT = "org.edit_security_parameter"
TWO_FACTOR_RESET = "org.reset_two_factor"

ACTION_LABELS: dict[str, str] = {
    ORG_VIEW: "查看组织机构",
    ORG_MANAGE: "管理组织机构与账号",
    ROLE_GRANT: "角色授权",
    ACCOUNT_UNLOCK: "解锁账号",
    PLEDGE_RECORD: "登记廉政承诺书",
    AUDIT_VIEW: "查看审计日志",
    AUDIT_PRUNE: "归档与清理审计日志",
    RULE_PARAMETER_EDIT: "修改规则参数",
    RULE_PARAMETER_VIEW: "查看规则参数",
    CALENDAR_EDIT: "维护工作日历（法定节假日与调休上班）",
    ADMIN_ACCOUNT_RESET: "重置管理员账号",
    SECURITY_PARAMETER_EDIT: "修改安全参数",
    TWO_FACTOR_RESET: "重置双因素认证",
}

_ROLE_ACTIONS: dict[str, set[str]] = defaultdict(set)
_ROLE_ACTIONS[Role.SYSTEM_ADMIN] |= {
    ORG_VIEW,
    ORG_MANAGE,
    PLEDGE_RECORD,
    RULE_PARAMETER_EDIT,
    RULE_PARAMETER_VIEW,
    CALENDAR_EDIT,
}
_ROLE_ACTIONS[Role.SECURITY_ADMIN] |= {
    ORG_VIEW,
    ROLE_GRANT,
    ACCOUNT_UNLOCK,
    ADMIN_ACCOUNT_RESET,
    SECURITY_PARAMETER_EDIT,
    TWO_FACTOR_RESET,
    RULE_PARAMETER_VIEW,
}
_ROLE_ACTIONS[Role.AUDIT_ADMIN] |= {ORG_VIEW, AUDIT_VIEW, AUDIT_PRUNE}
for _role in BUSINESS_ROLES:
    _ROLE_ACTIONS[_role] |= {ORG_VIEW, RULE_PARAMETER_VIEW}

#: actions only administrators may hold (三员分立 keeps business roles out of them and vice versa)
ADMIN_ACTIONS = frozenset(
    {
        ORG_MANAGE,
        ROLE_GRANT,
        ACCOUNT_UNLOCK,
        PLEDGE_RECORD,
        AUDIT_VIEW,
        AUDIT_PRUNE,
        RULE_PARAMETER_EDIT,
        CALENDAR_EDIT,
        ADMIN_ACCOUNT_RESET,
        SECURITY_PARAMETER_EDIT,
        TWO_FACTOR_RESET,
    }
)


def register_role_actions(role: str, actions: set[str], labels: dict[str, str] | None = None) -> None:
    """Give ``role`` more actions (called by later modules). Business actions may not go to administrators."""
    if role in ADMIN_ROLES and not actions <= ADMIN_ACTIONS | {ORG_VIEW, RULE_PARAMETER_VIEW}:
        raise ValueError(f"三员分立：不能把业务操作授予管理员角色 {role}")
    _ROLE_ACTIONS[role] |= actions
    ACTION_LABELS.update(labels or {})


def actions_of_role(role: str) -> frozenset[str]:
    return frozenset(_ROLE_ACTIONS.get(role, set()))


# ---------------------------------------------------------------- per-request cache of a user's grants


def _subtree_query(paths: Any) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(path__startswith=p)
    return q


class _Scope:
    """A user's active grants and readable agencies, computed once per request (two queries)."""

    def __init__(self, user: User) -> None:
        self.roles_by_agency: dict[int, set[str]] = defaultdict(set)
        paths: list[str] = []
        for agency_id, role, path in (
            RoleGrant.objects.active().filter(user=user, agency__is_active=True).values_list("agency_id", "role", "agency__path")
        ):
            self.roles_by_agency[agency_id].add(role)
            paths.append(path)
        self._paths = sorted(set(paths))
        self._readable: frozenset[int] | None = None
        self._subtrees: dict[frozenset[int], frozenset[int]] = {}
        self.tree_version = 0

    @property
    def readable_agency_ids(self) -> frozenset[int]:
        if self._readable is None:
            self._readable = (
                frozenset(Agency.objects.filter(_subtree_query(self._paths)).values_list("id", flat=True))
                if self._paths
                else frozenset()
            )
        return self._readable

    def subtree_of(self, agency_ids: frozenset[int]) -> frozenset[int]:
        """The agencies ``agency_ids`` and everything below them (one query, cached)."""
        if agency_ids not in self._subtrees:
            paths = list(Agency.objects.filter(id__in=agency_ids).values_list("path", flat=True))
            self._subtrees[agency_ids] = frozenset(Agency.objects.filter(_subtree_query(paths)).values_list("id", flat=True))
        return self._subtrees[agency_ids]


_tree_version = 0  # bumped in this process when the agency tree changes, so cached scopes are redone

#: Scopes shared between the requests of this process, keyed by (user id, grants stamp, agency-tree stamp).
#: The stamps come with the signed-in user's row (``access_stamps``, read in the same query by
#: ``govworks.org.security.AccountBackend``): a grant given or revoked, or an agency added, moved or
#: switched off, in any process, changes the stamp the next request reads, so a stale scope is never used.
_SHARED_SCOPES: OrderedDict[tuple[Any, ...], _Scope] = OrderedDict()
_SHARED_SCOPES_MAX = 2048


def access_stamps() -> dict[str, RawSQL]:
    """Annotations for the signed-in user's query: a stamp of their active grants (count and sum of the
    grant ids: a revoke lowers the count, a new grant — whose id is higher than every earlier one —
    raises the sum), of the agency tree (count and last change) and of the rule parameters (count and
    last change). Each is a small subquery answered in the same round trip as the user row."""
    grants, agencies = RoleGrant._meta.db_table, Agency._meta.db_table
    users = User._meta.db_table
    from govworks.core.models import RuleParameter

    rules = RuleParameter._meta.db_table
    # S608 below: constant SQL built from the models' table names, nothing from a request
    return {
        "gw_grants_stamp": RawSQL(  # noqa: S611 (constant SQL: table names from the models, no input)
            f"SELECT CAST(COUNT(*) AS TEXT) || '/' || COALESCE(CAST(SUM(g.id) AS TEXT), '') FROM \"{grants}\" g "  # noqa: S608
            f'WHERE g.user_id = "{users}"."id" AND g.revoked_at IS NULL',
            (),
        ),
        "gw_tree_stamp": RawSQL(  # noqa: S611 (constant SQL: table names from the models, no input)
            f"SELECT CAST(COUNT(*) AS TEXT) || '/' || COALESCE(CAST(MAX(a.updated_at) AS TEXT), '') "  # noqa: S608
            f"|| '/' || CAST(SUM(CASE WHEN a.is_active THEN 1 ELSE 0 END) AS TEXT) FROM \"{agencies}\" a",
            (),
        ),
        "gw_rules_stamp": RawSQL(  # noqa: S611 (constant SQL: table names from the models, no input)
            f"SELECT CAST(COUNT(*) AS TEXT) || '/' || COALESCE(CAST(MAX(r.updated_at) AS TEXT), '') FROM \"{rules}\" r",  # noqa: S608
            (),
        ),
    }


def _shared_key(user: Any) -> tuple[Any, ...] | None:
    grants = getattr(user, "gw_grants_stamp", None)
    tree = getattr(user, "gw_tree_stamp", None)
    if grants is None or tree is None:
        return None  # a user object not loaded by the authentication backend: no sharing
    return (user.pk, grants, tree)


def _scope(user: Any) -> _Scope:
    cached = getattr(user, "_gw_scope", None)
    if cached is not None and cached.tree_version == _tree_version:
        return cached
    key = _shared_key(user)
    shared = _SHARED_SCOPES.get(key) if key is not None else None
    if shared is not None and shared.tree_version == _tree_version:
        with contextlib.suppress(KeyError):  # dropped meanwhile by another thread: still valid for this request
            _SHARED_SCOPES.move_to_end(key)  # type: ignore[arg-type]
        user._gw_scope = shared
        return shared
    cached = _Scope(user)
    cached.tree_version = _tree_version
    user._gw_scope = cached
    if key is not None:
        _SHARED_SCOPES[key] = cached
        while len(_SHARED_SCOPES) > _SHARED_SCOPES_MAX:
            _SHARED_SCOPES.popitem(last=False)
    return cached


def forget_cached_scope(user: Any) -> None:
    """Drop the cached scope of ``user`` (after their grants change within the same request or test):
    this object reads its grants again, and no scope of this user shared between requests is reused."""
    if hasattr(user, "_gw_scope"):
        del user._gw_scope
    for attr in ("gw_grants_stamp", "gw_tree_stamp"):
        if hasattr(user, attr):
            setattr(user, attr, None)
    for key in [k for k in _SHARED_SCOPES if k[0] == getattr(user, "pk", None)]:
        _SHARED_SCOPES.pop(key, None)


def agency_tree_changed() -> None:
    """Called by the services that add or move agencies."""
    global _tree_version
    _tree_version += 1
    _SHARED_SCOPES.clear()


def is_signed_in(user: User | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def roles_in(user: User, agency_id: int) -> set[str]:
    return set(_scope(user).roles_by_agency.get(agency_id, set()))


def all_roles(user: User) -> set[str]:
    return {r for roles in _scope(user).roles_by_agency.values() for r in roles}


def agency_ids_where(user: User | AnonymousUser | None, action: str) -> set[int]:
    """Agencies where ``user`` may perform ``action`` (administration actions include subordinates)."""
    if not is_signed_in(user):
        return set()
    scope = _scope(user)
    direct = {aid for aid, roles in scope.roles_by_agency.items() if any(action in _ROLE_ACTIONS.get(r, ()) for r in roles)}
    if action in ADMIN_ACTIONS and direct:
        return set(scope.subtree_of(frozenset(direct)))
    return direct


def acting_agency_id(user: User | AnonymousUser | None, action: str) -> int | None:
    """The agency in whose name ``user`` performs ``action``: their own agency when it carries the action,
    else the first (lowest id) agency where they hold it; None when nowhere."""
    ids = agency_ids_where(user, action)
    if not ids:
        return None
    own = getattr(user, "agency_id", None)
    return own if own in ids else min(ids)


def can(user: User | AnonymousUser | None, action: str, agency_id: int | None) -> bool:
    """May ``user`` perform ``action`` in the agency ``agency_id``? (See the module docstring.)"""
    if agency_id is None:
        return False
    return agency_id in agency_ids_where(user, action)


def can_anywhere(user: User | AnonymousUser | None, action: str) -> bool:
    if not is_signed_in(user):
        return False
    return any(action in _ROLE_ACTIONS.get(r, ()) for roles in _scope(user).roles_by_agency.values() for r in roles)


def readable_agency_ids(user: User | AnonymousUser | None) -> frozenset[int]:
    """Agencies whose records ``user`` may read: where they hold a role, and all subordinates of those."""
    if not is_signed_in(user):
        return frozenset()
    return _scope(user).readable_agency_ids


def role_labels(user: User | AnonymousUser | None) -> list[str]:
    """“单位 · 角色” labels of the user's active grants, for the home page (one query)."""
    if not is_signed_in(user):
        return []
    assert isinstance(user, User)
    grants = RoleGrant.objects.active().filter(user=user).select_related("agency").order_by("agency__path", "role")
    return [f"{g.agency.short_name or g.agency.name} · {g.get_role_display()}" for g in grants]


def business_readable_agency_ids(user: User | AnonymousUser | None) -> frozenset[int]:
    """Agencies whose *business* records (projects, plans, contracts, payments …) ``user`` may read: where
    they hold a business role, and everything below. The three administrators (三员) manage the platform
    and read no business records."""
    if not is_signed_in(user):
        return frozenset()
    scope = _scope(user)
    agencies = frozenset(aid for aid, roles in scope.roles_by_agency.items() if roles & BUSINESS_ROLES)
    return scope.subtree_of(agencies) if agencies else frozenset()


def require(user: User | AnonymousUser | None, action: str, agency_id: int | None) -> None:
    """Raise PermissionDenied unless ``user`` may perform ``action`` in ``agency_id``."""
    if not can(user, action, agency_id):
        label = ACTION_LABELS.get(action, action)
        raise PermissionDenied(f"您在该单位没有“{label}”的权限")


# ---------------------------------------------------------------- 三员分立: administrators do no business


def _administrator_grant() -> Any:
    return RoleGrant.objects.active().filter(user=OuterRef("pk"), role__in=ADMIN_ROLES)


def is_administrator(person: User | AnonymousUser | None) -> bool:
    """Does ``person`` hold an active 系统管理员/安全管理员/安全审计员 grant anywhere? (One query.)"""
    pk = getattr(person, "pk", None)
    if pk is None:
        return False
    return RoleGrant.objects.active().filter(user_id=pk, role__in=ADMIN_ROLES).exists()


def business_people(queryset: QuerySet[User]) -> QuerySet[User]:
    """``queryset`` without the three administrators: the one predicate every person picker for business
    work (meeting members and chair, 责任人, approvers, leaders …) starts from."""
    return queryset.exclude(Exists(_administrator_grant()))


def require_business_person(person: User, *, duty: str, field: str | None = None) -> None:
    """Refuse to assign ``person`` to business work (``duty``, e.g. “会议主持人”) when they are one of the
    three administrators (三员分立). Services that put a person on business work call this."""
    if is_administrator(person):
        raise DomainError(
            "org.administrator_no_business",
            f"三员分立：{person.display_name} 是系统管理员/安全管理员/安全审计员，不能担任{duty}",
            field=field,
        )


# ---------------------------------------------------------------- visible_to / access_* for this module


def agencies_visible_to(user: User | AnonymousUser | None) -> QuerySet[Agency]:
    return Agency.objects.filter(id__in=readable_agency_ids(user))


def departments_visible_to(user: User | AnonymousUser | None) -> QuerySet[Department]:
    return Department.objects.filter(agency_id__in=readable_agency_ids(user))


def positions_visible_to(user: User | AnonymousUser | None) -> QuerySet[Position]:
    return Position.objects.filter(agency_id__in=readable_agency_ids(user))


def users_visible_to(user: User | AnonymousUser | None) -> QuerySet[User]:
    ids = readable_agency_ids(user)
    return User.objects.filter(Q(agency_id__in=ids) | Q(external_org__registered_by_id__in=ids))


def role_grants_visible_to(user: User | AnonymousUser | None) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(agency_id__in=readable_agency_ids(user))


def pledges_visible_to(user: User | AnonymousUser | None) -> QuerySet[IntegrityPledge]:
    if not is_signed_in(user):
        return IntegrityPledge.objects.none()
    assert isinstance(user, User)
    return IntegrityPledge.objects.filter(Q(agency_id__in=readable_agency_ids(user)) | Q(user=user))


def external_orgs_visible_to(user: User | AnonymousUser | None) -> QuerySet[ExternalOrganization]:
    """The register of external companies is shared by all agencies; an external user sees their own."""
    if not is_signed_in(user):
        return ExternalOrganization.objects.none()
    assert isinstance(user, User)
    if user.is_external:
        return ExternalOrganization.objects.filter(users=user)
    if not readable_agency_ids(user):
        return ExternalOrganization.objects.none()
    return ExternalOrganization.objects.all()


def _get_or_404(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或您无权查看") from None


def access_agency(user: User | AnonymousUser | None, pk: Any) -> Agency:
    return _get_or_404(agencies_visible_to(user).select_related("parent"), pk)


def access_department(user: User | AnonymousUser | None, pk: Any) -> Department:
    return _get_or_404(departments_visible_to(user).select_related("agency"), pk)


def access_position(user: User | AnonymousUser | None, pk: Any) -> Position:
    return _get_or_404(positions_visible_to(user).select_related("agency", "department", "superior", "holder"), pk)


def access_user(user: User | AnonymousUser | None, pk: Any) -> User:
    return _get_or_404(users_visible_to(user).select_related("agency", "department", "external_org"), pk)


def access_role_grant(user: User | AnonymousUser | None, pk: Any) -> RoleGrant:
    return _get_or_404(role_grants_visible_to(user).select_related("user", "agency"), pk)


def access_external_org(user: User | AnonymousUser | None, pk: Any) -> ExternalOrganization:
    return _get_or_404(external_orgs_visible_to(user).select_related("registered_by"), pk)


def access_pledge(user: User | AnonymousUser | None, pk: Any) -> IntegrityPledge:
    return _get_or_404(pledges_visible_to(user).select_related("user", "agency"), pk)
