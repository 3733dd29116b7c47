"""Reads of the organisation module. Every list starts from ``*_visible_to`` in permissions.py."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from govworks.org import permissions as perms
from govworks.org.models import (
    Agency,
    Department,
    ExternalOrganization,
    IntegrityPledge,
    Position,
    RoleGrant,
    SecurityNotice,
    User,
)


def agency_list_visible_to(*, user: Any) -> QuerySet[Agency]:
    """Readable agencies in tree order, with head counts (one query)."""
    return (
        perms.agencies_visible_to(user)
        .select_related("parent")
        .annotate(user_count=Count("users", distinct=True), department_count=Count("departments", distinct=True))
        .order_by("path")
    )


def department_list_visible_to(*, user: Any, agency_id: int | None = None) -> QuerySet[Department]:
    qs = perms.departments_visible_to(user).select_related("agency").annotate(user_count=Count("users"))
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return qs.order_by("agency__path", "name")


def position_list_visible_to(*, user: Any, agency_id: int | None = None, text: str = "") -> QuerySet[Position]:
    qs = perms.positions_visible_to(user).select_related("agency", "department", "superior", "holder")
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if text:
        qs = qs.filter(Q(title__contains=text) | Q(duties__contains=text))
    return qs.order_by("agency__path", "department__name", "title")


def user_list_visible_to(
    *, user: Any, agency_id: int | None = None, role: str = "", text: str = "", external: bool | None = None
) -> QuerySet[User]:
    """Visible accounts with their agency, department and company; filters by agency, role, name."""
    qs = perms.users_visible_to(user).select_related("agency", "department", "external_org")
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if role:
        qs = qs.filter(Exists(RoleGrant.objects.active().filter(user=OuterRef("pk"), role=role)))
    if text:
        qs = qs.filter(Q(username__contains=text) | Q(full_name__contains=text) | Q(phone__contains=text))
    if external is True:
        qs = qs.filter(external_org__isnull=False)
    elif external is False:
        qs = qs.filter(external_org__isnull=True)
    year = timezone.localdate().year
    return qs.annotate(has_pledge=Exists(IntegrityPledge.objects.filter(user=OuterRef("pk"), year=year))).order_by(
        "agency__path", "department__name", "username"
    )


def role_grant_list_visible_to(
    *, user: Any, agency_id: int | None = None, role: str = "", include_revoked: bool = False
) -> QuerySet[RoleGrant]:
    qs = perms.role_grants_visible_to(user).select_related("user", "agency", "granted_by", "revoked_by")
    if not include_revoked:
        qs = qs.filter(revoked_at__isnull=True)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("agency__path", "role", "user__username")


def grants_of_users(users: list[User]) -> dict[int, list[RoleGrant]]:
    """Active grants of many users at once (one query), for list pages."""
    result: dict[int, list[RoleGrant]] = {u.pk: [] for u in users}
    for grant in RoleGrant.objects.active().filter(user__in=users).select_related("agency"):
        result[grant.user_id].append(grant)
    return result


def external_org_list_visible_to(*, user: Any, kind: str = "", text: str = "") -> QuerySet[ExternalOrganization]:
    qs = perms.external_orgs_visible_to(user).select_related("registered_by").annotate(user_count=Count("users"))
    if kind:
        qs = qs.filter(kind=kind)
    if text:
        qs = qs.filter(Q(name__contains=text) | Q(credit_code__contains=text.upper()))
    return qs.order_by("name")


def pledge_list_visible_to(*, user: Any, year: int | None = None, agency_id: int | None = None) -> QuerySet[IntegrityPledge]:
    qs = perms.pledges_visible_to(user).select_related("user", "agency", "recorded_by")
    if year:
        qs = qs.filter(year=year)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return qs.order_by("-year", "agency__path", "user__username")


def staff_without_pledge(*, user: Any, year: int, agency_id: int | None = None) -> QuerySet[User]:
    """Visible staff holding a business role who have not recorded ``year``'s pledge (红旗: 无承诺书任职)."""
    from govworks.org.roles import BUSINESS_ROLES

    qs = (
        perms.users_visible_to(user)
        .filter(
            is_active=True,
            external_org__isnull=True,
            grants__revoked_at__isnull=True,
            grants__role__in=BUSINESS_ROLES,
        )
        .exclude(pledges__year=year)
        .select_related("agency", "department")
        .distinct()
    )
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return qs.order_by("agency__path", "username")


def security_notices_of(*, user: Any) -> QuerySet[SecurityNotice]:
    """The person's own account-security notices, newest first (nobody reads another's)."""
    return SecurityNotice.objects.filter(recipient_id=user.pk).select_related("subject", "actor").order_by("-created_at", "-id")
