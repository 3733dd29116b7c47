"""Organisation's risk-signal kind (core.risk), for the 纪检监察 risk centre: a project role (工程管理岗,
科室负责人, 项目联络员, 财务) held in an agency by someone who has not signed this year's 廉政承诺书
(``IntegrityPledge`` of the current year). Found by the daily scan; one alert per person, agency and year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from govworks.core.risk import Finding, Severity, SignalKind, register_signal_kind
from govworks.org.models import IntegrityPledge, RoleGrant
from govworks.org.roles import Role

#: the roles that take part in projects (the people who draft, approve or pay project work)
PROJECT_ROLES: frozenset[str] = frozenset({Role.PROJECT_MANAGER, Role.DEPARTMENT_HEAD, Role.LIAISON, Role.FINANCE})


def pledge_missing_scan(today: dt.date) -> Iterator[Finding]:
    """Every active project-role grant whose holder has no pledge for ``today.year`` (two queries)."""
    year = today.year
    signed = set(IntegrityPledge.objects.filter(year=year).values_list("user_id", flat=True))
    grants = (
        RoleGrant.objects.active()
        .filter(role__in=PROJECT_ROLES, user__is_active=True, user__external_org__isnull=True)
        .exclude(user_id__in=signed)
        .select_related("user", "agency")
        .order_by("agency_id", "user_id", "role")
    )
    by_person: dict[tuple[int, int], list[RoleGrant]] = {}
    for grant in grants:
        by_person.setdefault((grant.agency_id, grant.user_id), []).append(grant)
    for (agency_id, user_id), rows in by_person.items():
        user = rows[0].user
        roles = "、".join(Role(g.role).label for g in rows)
        since = min(timezone.localtime(g.granted_at).date() for g in rows)
        yield Finding(
            kind=PLEDGE_MISSING.key,
            fingerprint=f"user:{user_id}:agency:{agency_id}:year:{year}",
            agency_id=agency_id,
            title=f"{user.display_name} 担任{roles}，未签订{year}年度廉政承诺书",
            occurred_on=max(since, dt.date(year, 1, 1)),
            facts=(
                ("人员", user.display_name),
                ("单位", rows[0].agency.name),
                ("担任角色", roles),
                ("授权日期", since.isoformat()),
                ("承诺书年度", f"{year}年（未登记）"),
            ),
            object_url=reverse("org:pledge_list") + f"?year={year}",
            object_label=f"{year}年度廉政承诺书",
            involved_user_ids=(user_id,),
        )


PLEDGE_MISSING = SignalKind(
    key="org.pledge_missing",
    label="未签廉政承诺书担任项目角色",
    severity=Severity.LOW,
    module="org",
    description="担任工程管理岗、科室负责人、项目联络员或财务，未登记本年度廉政承诺书",
    scan=pledge_missing_scan,
    order=40,
)
register_signal_kind(PLEDGE_MISSING)
