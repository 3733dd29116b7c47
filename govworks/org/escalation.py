"""逾期升级 (issue 15 item 4): an item overdue by N working days appears on the workbench of the responsible
person's leader, after M more working days on the next one up, up to the head of the agency.

* the leader chain is read from the posts in the department tree (``rules_escalation.leader_chain``),
  people without a post fall back on their department's head;
* the daily job ``org.escalate_overdue`` asks every module's workbench provider for each person's own items
  (``core.registry.own_work_items_for``), counts the working days overdue on the working-day calendar
  (``core.workdays``) and writes one row per leader and item (``OverdueEscalation``); a leader who has the
  item as their own already, or who may not read the agency's business records, gets no copy;
* the workbench provider ``escalated_items`` reads a leader's rows in one query.

Items a provider marks ``escalate=False`` (confidential) and the items of 纪检监察 staff (their line is the
supervising discipline body, not the agency's leaders) never move up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from govworks.core.registry import (
    WorkItem,
    own_work_items_for,
    register_demo_seeder,
    register_escalation_provider,
    register_periodic_job,
)
from govworks.core.rule_parameters import rule_value
from govworks.core.workdays import calendar_exceptions, working_days_between_in
from govworks.org import permissions as perms
from govworks.org.models import OverdueEscalation, Position, RoleGrant, User
from govworks.org.roles import BUSINESS_ROLES, Role
from govworks.org.rules_escalation import AgencyChart, PostNode, escalation_level, leader_chain

FIRST_KEY = "escalation.first_level_working_days"
STEP_KEY = "escalation.next_level_working_days"


# ------------------------------------------------------------------------------------------ the org chart


def agency_charts(agency_ids: set[int] | None = None) -> dict[int, AgencyChart]:
    """The organisation of each agency as the escalation reads it (three queries)."""
    charts: dict[int, AgencyChart] = {}
    business = RoleGrant.objects.active().filter(role__in=sorted(BUSINESS_ROLES)).values("user_id")
    people = User.objects.filter(is_active=True, agency__isnull=False, pk__in=business)  # never the 三员
    posts = Position.objects.all()
    grants = RoleGrant.objects.active().filter(
        role__in=[Role.DEPARTMENT_HEAD, Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER], user__is_active=True
    )
    if agency_ids is not None:
        people, posts, grants = (
            people.filter(agency_id__in=agency_ids),
            posts.filter(agency_id__in=agency_ids),
            grants.filter(agency_id__in=agency_ids),
        )
    department_of: dict[int, int | None] = {}
    for pk, agency_id, department_id in people.values_list("pk", "agency_id", "department_id"):
        charts.setdefault(agency_id, AgencyChart()).department_of[pk] = department_id
        department_of[pk] = department_id
    post_rows = list(posts.order_by("pk").values_list("pk", "agency_id", "holder_id", "superior_id", "department_id"))
    post_department = {row[0]: row[4] for row in post_rows}
    for pk, agency_id, holder_id, superior_id, department_id in post_rows:
        chart = charts.setdefault(agency_id, AgencyChart())
        chart.posts[pk] = PostNode(pk, holder_id if holder_id in department_of else None, superior_id)
        if holder_id in department_of:
            chart.post_of.setdefault(holder_id, pk)
            # the holder of a department's top post (its superior sits elsewhere) heads it when no one holds
            # the 科室负责人 role there (e.g. 财务科科长)
            if department_id is not None and post_department.get(superior_id) != department_id:
                chart.department_tops.setdefault(department_id, []).append(holder_id)
    for user_id, agency_id, role, user_agency in grants.order_by("user_id").values_list(
        "user_id", "agency_id", "role", "user__agency_id"
    ):
        if user_agency != agency_id:  # a role held in another agency does not place the person in this one
            continue
        chart = charts.setdefault(agency_id, AgencyChart())
        if role == Role.PRINCIPAL_LEADER:
            chart.principals.append(user_id)
        elif role == Role.LEADER_IN_CHARGE:
            chart.leaders_in_charge.append(user_id)
        elif (department := department_of.get(user_id)) is not None:
            chart.department_heads.setdefault(department, []).append(user_id)
    return charts


def chains(agency_ids: set[int] | None = None) -> dict[int, list[tuple[int, ...]]]:
    """Each active person's leader chain (person id → levels, nearest first)."""
    out: dict[int, list[tuple[int, ...]]] = {}
    for chart in agency_charts(agency_ids).values():
        for person in chart.department_of:
            out[person] = leader_chain(chart, person)
    return out


# ------------------------------------------------------------------------------------------ the daily job


def _overdue_candidates(item: WorkItem, today: dt.date) -> bool:
    return item.escalate and item.due is not None and item.due < today and not item.is_escalated


@transaction.atomic
def escalate_overdue(today: dt.date) -> str:
    """Recompute every escalation as of ``today`` (replaces the previous run's rows). Returns a summary."""
    all_chains = chains()
    people = {u.pk: u for u in User.objects.filter(pk__in=list(all_chains)).select_related("agency", "department")}
    discipline = set(
        RoleGrant.objects.active().filter(role=Role.DISCIPLINE, user_id__in=list(people)).values_list("user_id", flat=True)
    )
    own_keys: dict[int, set[tuple[str, str]]] = {}
    overdue: list[tuple[User, WorkItem]] = []
    for pk, person in people.items():
        items = own_work_items_for(person)
        own_keys[pk] = {(i.url, i.title) for i in items}
        if pk in discipline or not all_chains.get(pk):
            continue
        overdue += [(person, i) for i in items if _overdue_candidates(i, today)]
    if overdue:
        earliest = min(i.due for _, i in overdue if i.due is not None)
        exceptions = calendar_exceptions(earliest, today)
    else:
        exceptions = {}
    limits: dict[int, tuple[int, int]] = {}
    readable: dict[int, frozenset[int]] = {}
    rows: dict[tuple[int, str, str], OverdueEscalation] = {}
    for person, item in overdue:
        assert item.due is not None and person.agency_id is not None
        if person.agency_id not in limits:
            limits[person.agency_id] = (
                int(rule_value(FIRST_KEY, agency=person.agency, on=today)),
                int(rule_value(STEP_KEY, agency=person.agency, on=today)),
            )
        first, step = limits[person.agency_id]
        days = working_days_between_in(item.due, today, exceptions=exceptions)
        chain = all_chains[person.pk]
        level = escalation_level(days, first=first, step=step, levels=len(chain))
        for depth, leaders in enumerate(chain[:level], start=1):
            for leader_id in leaders:
                leader = people.get(leader_id)
                if leader is None or (item.url, item.title) in own_keys.get(leader_id, set()):
                    continue
                if leader_id not in readable:
                    readable[leader_id] = perms.business_readable_agency_ids(leader)
                if person.agency_id not in readable[leader_id]:
                    continue
                key = (leader_id, item.url, item.title)
                if key in rows and rows[key].overdue_days >= days:
                    continue
                rows[key] = OverdueEscalation(
                    computed_on=today,
                    leader_id=leader_id,
                    owner_id=person.pk,
                    agency_id=person.agency_id,
                    level=depth,
                    kind=item.kind[:40],
                    title=item.title[:300],
                    url=item.url[:500],
                    detail=item.detail[:300],
                    condition=item.condition[:300],
                    stage=item.stage[:40],
                    severity=max(0, item.severity),
                    due=item.due,
                    overdue_days=days,
                )
    OverdueEscalation.objects.all().delete()
    OverdueEscalation.objects.bulk_create(list(rows.values()))
    return f"逾期事项 {len(overdue)} 项，升级 {len(rows)} 条，涉及上级 {len({k[0] for k in rows})} 人"


register_periodic_job("org.escalate_overdue", escalate_overdue)


# ------------------------------------------------------------------------------------------ the workbench


def escalated_items(user: Any) -> list[WorkItem]:
    """The overdue items of the people below ``user`` that have reached them, in the agencies whose
    business records ``user`` may read (one query)."""
    if not perms.is_signed_in(user) or getattr(user, "is_external", False):
        return []
    agencies = perms.business_readable_agency_ids(user)
    if not agencies:
        return []
    rows = OverdueEscalation.objects.filter(leader=user, agency_id__in=agencies).select_related("owner")[:100]
    return [
        WorkItem(
            title=r.title,
            url=r.url,
            kind=r.kind,
            due=r.due,
            detail=r.detail,
            severity=r.severity,
            condition=r.condition,
            stage=r.stage,
            owner=r.owner.display_name,
            overdue_days=r.overdue_days,
            level=r.level,
        )
        for r in rows
    ]


register_escalation_provider(escalated_items)


def _demo_escalations() -> str:
    """The demo shows today's escalations at once, as the daily job would compute them."""
    from django.utils import timezone

    return escalate_overdue(timezone.localdate())


register_demo_seeder(990, "逾期升级", _demo_escalations)
