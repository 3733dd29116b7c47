"""Extension points that later modules fill from their ``AppConfig.ready``: the personal workbench,
the navigation, the project workspace panels and the periodic jobs. The kernel never imports them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class WorkItem:
    """One pending action on a person's home page (我的工作台)."""

    title: str
    url: str
    kind: str
    due: dt.date | None = None
    detail: str = ""

    def is_overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


@dataclass(frozen=True)
class NavItem:
    """A navigation entry shown only when ``visible(user)`` is true."""

    section: str
    label: str
    url_name: str
    icon: str
    visible: Callable[[Any], bool]
    order: int = 100


@dataclass
class _Registry:
    workbench: list[Callable[[Any], list[WorkItem]]] = field(default_factory=list)
    navigation: list[NavItem] = field(default_factory=list)
    periodic: dict[str, Callable[[dt.date], str]] = field(default_factory=dict)
    demo_seeders: list[tuple[int, str, Callable[[], str]]] = field(default_factory=list)


registry = _Registry()


def register_workbench_provider(provider: Callable[[Any], list[WorkItem]]) -> None:
    """``provider(user)`` returns the user's pending items; it must use a constant number of queries."""
    registry.workbench.append(provider)


def register_nav(item: NavItem) -> None:
    registry.navigation.append(item)


def register_periodic_job(name: str, job: Callable[[dt.date], str]) -> None:
    """``job(today)`` runs once per run of ``manage.py run_periodic`` and returns a one-line summary."""
    registry.periodic[name] = job


def work_items_for(user: Any) -> list[WorkItem]:
    items = [item for provider in registry.workbench for item in provider(user)]
    return sorted(items, key=lambda i: (i.due is None, i.due or dt.date.max, i.title))


def register_demo_seeder(order: int, name: str, seeder: Callable[[], str]) -> None:
    """``seeder()`` adds a module's demo data (``manage.py seed_demo``) and returns a one-line summary.
    Seeders run in ``order``: the organisation first, then each later module."""
    registry.demo_seeders.append((order, name, seeder))
