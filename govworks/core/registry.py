"""Extension points that later modules fill from their ``AppConfig.ready``: the personal workbench,
the navigation, the project workspace panels and the periodic jobs. The kernel never imports them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


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
    """A navigation entry shown only when ``visible(user)`` is true. ``section`` and ``label`` may be lazy
    translations (``gettext_lazy``); they are resolved in the current language at render time."""

    section: str | Promise
    label: str | Promise
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


@dataclass(frozen=True)
class GateCondition:
    """One thing that must be true to leave a project stage, as evaluated now."""

    code: str
    label: str
    ok: bool
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class WorkspacePanel:
    """A section of the project workspace contributed by a module: ``render(request, project) -> html``."""

    order: int
    key: str
    title: str
    render: Callable[[Any, Any], str]


_gate_providers: dict[str, list[Callable[[Any], list[GateCondition]]]] = {}
_workspace_panels: list[WorkspacePanel] = []


def register_gate_conditions(stage: str, provider: Callable[[Any], list[GateCondition]]) -> None:
    """A later module states what must be true to leave ``stage`` (e.g. procurement: "contract signed")."""
    _gate_providers.setdefault(stage, []).append(provider)


def gate_conditions_from_modules(stage: str, project: Any) -> list[GateCondition] | None:
    """Conditions registered for ``stage``; None when no module has registered any."""
    providers = _gate_providers.get(stage)
    if not providers:
        return None
    return [c for provider in providers for c in provider(project)]


def register_workspace_panel(panel: WorkspacePanel) -> None:
    _workspace_panels.append(panel)


def workspace_panels() -> list[WorkspacePanel]:
    return sorted(_workspace_panels, key=lambda p: p.order)
