"""Who an overdue item moves up to (逾期升级), as pure decisions on plain data: no Django, no ORM.

The chain of a person is read from their post (岗位) in the department tree: the holder of the superior
post, then the holder of that post's superior, and so on (a vacant post is skipped). A person without a
post falls back on the organisation by role: the head (科室负责人) of their department (without one, the
holder of the department's top post); for a department head, the agency's 分管领导; for a 分管领导, the
主要领导. Every chain ends at the agency's 主要领导 (the head)
unless the person is the head.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PostNode:
    """A post (岗位): who holds it (None when vacant) and the post above it."""

    id: int
    holder_id: int | None
    superior_id: int | None


@dataclass
class AgencyChart:
    """One agency's organisation as the escalation reads it."""

    posts: dict[int, PostNode] = field(default_factory=dict)
    post_of: dict[int, int] = field(default_factory=dict)  # person → their post (the first one)
    department_of: dict[int, int | None] = field(default_factory=dict)  # person → department
    department_heads: dict[int, list[int]] = field(default_factory=dict)  # department → its 科室负责人
    department_tops: dict[int, list[int]] = field(default_factory=dict)  # department → holders of its top post
    leaders_in_charge: list[int] = field(default_factory=list)  # 分管领导
    principals: list[int] = field(default_factory=list)  # 主要领导


def _superior_holder(chart: AgencyChart, post_id: int) -> int | None:
    """The holder of the nearest non-vacant post above ``post_id``; None at the top of the tree."""
    seen: set[int] = {post_id}
    sup = chart.posts[post_id].superior_id
    while sup is not None and sup in chart.posts and sup not in seen:
        seen.add(sup)
        node = chart.posts[sup]
        if node.holder_id is not None:
            return node.holder_id
        sup = node.superior_id
    return None


def _fallback_next(chart: AgencyChart, person: int) -> list[int]:
    """The next leaders of someone without a post, by role (科室负责人 → 分管领导 → 主要领导)."""
    if person in chart.principals:
        return []
    if person in chart.leaders_in_charge:
        return list(chart.principals)
    department = chart.department_of.get(person)
    heads: list[int] = []
    if department is not None:
        heads = chart.department_heads.get(department) or chart.department_tops.get(department, [])
    if heads and person not in heads:
        return list(heads)
    return list(chart.leaders_in_charge or chart.principals)


def leader_chain(chart: AgencyChart, person: int) -> list[tuple[int, ...]]:
    """The levels above ``person``, nearest first; each level names one leader (several when the roles
    leave it open, e.g. two 科室负责人 of one department). Nobody appears twice; the chain ends at the head."""
    chain: list[tuple[int, ...]] = []
    seen: set[int] = {person}

    def add(ids: Iterable[int]) -> list[int]:
        fresh = [i for i in ids if i not in seen]
        if fresh:
            chain.append(tuple(fresh))
            seen.update(fresh)
        return fresh

    current = person
    for _ in range(50):  # a post tree is never this deep; the bound keeps a bad tree from looping
        post = chart.post_of.get(current)
        if post is not None and post in chart.posts:
            holder = _superior_holder(chart, post)
            if holder is None or holder in seen:
                break
            add([holder])
            current = holder
            continue
        following = _fallback_next(chart, current)
        fresh = add(following)
        if not fresh:
            break
        current = fresh[0]
    if person not in chart.principals:
        add(chart.principals)
    return chain


def escalation_level(overdue_working_days: int, *, first: int, step: int, levels: int) -> int:
    """How many levels up an item overdue by ``overdue_working_days`` has reached: none before ``first``
    working days, the first leader at ``first``, one more level every ``step`` working days after that,
    never more than ``levels``."""
    if levels <= 0 or overdue_working_days < max(first, 1):
        return 0
    return min(levels, 1 + (overdue_working_days - max(first, 1)) // max(step, 1))
