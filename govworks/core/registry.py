"""Extension points that later modules fill from their ``AppConfig.ready``: the personal workbench,
the navigation, the project workspace panels and the periodic jobs. The kernel never imports them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

#: WorkItem.severity: how much harm waiting does. BLOCKING (e.g. a payment freeze: money stops until the
#: person acts) always ranks first; the others break ties between items due the same day.
SEVERITY_NORMAL = 0
SEVERITY_ATTENTION = 1
SEVERITY_HIGH = 2
SEVERITY_BLOCKING = 3
SEVERITY_LABELS = {SEVERITY_NORMAL: "一般", SEVERITY_ATTENTION: "关注", SEVERITY_HIGH: "重要", SEVERITY_BLOCKING: "阻断"}


@dataclass(frozen=True)
class WorkItem:
    """One pending action on a person's home page (我的工作台).

    New fields have defaults, so providers that only give the first five keep working:
    ``severity`` (SEVERITY_*), ``condition`` the exact condition still missing (“缺：…”), ``stage`` the
    project stage the item belongs to (for “我的待办按阶段”), ``escalate`` False for items that must never be
    shown to the person's leaders (confidential: complaints, cases), ``owner`` the responsible person when it is
    not the viewer, and — set only on items escalated from someone below — ``overdue_days`` (working days
    overdue) and ``level`` (1 = shown to the owner's first leader, 2 = the next one up …).
    """

    title: str
    url: str
    kind: str
    due: dt.date | None = None
    detail: str = ""
    severity: int = SEVERITY_NORMAL
    condition: str = ""
    #: where the page fetches ``condition`` after it loaded (htmx), when working it out costs queries per item
    condition_url: str = ""
    stage: str = ""
    escalate: bool = True
    owner: str = ""
    overdue_days: int | None = None
    level: int = 0

    def is_overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today

    @property
    def is_escalated(self) -> bool:
        """Shown to a leader from someone below (``level`` 1 = the owner's first leader)."""
        return self.level > 0

    def rank(self, today: dt.date) -> tuple[Any, ...]:
        """Urgency order: blocking items first, then overdue ones, then by due date (undated last), then
        by severity, the person's own before escalated ones, then by title."""
        return (
            self.severity < SEVERITY_BLOCKING,
            not self.is_overdue(today),
            self.due is None,
            self.due or dt.date.max,
            -self.severity,
            self.is_escalated,
            self.title,
        )


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
    escalation: list[Callable[[Any], list[WorkItem]]] = field(default_factory=list)
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


def own_work_items_for(user: Any) -> list[WorkItem]:
    """The user's own pending items: every provider except those that show other people's items to
    their leaders (escalation)."""
    return [item for provider in registry.workbench if provider not in registry.escalation for item in provider(user)]


def work_items_for(user: Any, today: dt.date | None = None) -> list[WorkItem]:
    """Everything on the user's workbench, most urgent first (``WorkItem.rank``). An escalated copy of an
    item the user already has as their own is left out."""
    today = today or timezone.localdate()
    items = [item for provider in registry.workbench for item in provider(user)]
    own = {(i.url, i.title) for i in items if not i.is_escalated}
    items = [i for i in items if not i.is_escalated or (i.url, i.title) not in own]
    return sorted(items, key=lambda i: i.rank(today))


def register_escalation_provider(provider: Callable[[Any], list[WorkItem]]) -> None:
    """Like ``register_workbench_provider``, for a provider of items escalated from other people: shown on
    the workbench, never counted as the user's own (so an escalated item never escalates again)."""
    registry.escalation.append(provider)
    registry.workbench.append(provider)


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


@dataclass(frozen=True)
class ObjectPanel:
    """A section of another module's object page (e.g. the payments of a contract on the contract page):
    ``render(request, obj) -> html``, an empty string when the viewer may not see it."""

    model: str  # "app_label.modelname" of the object page, e.g. "procurement.contract"
    order: int
    key: str
    title: str
    render: Callable[[Any, Any], str]


_object_panels: list[ObjectPanel] = []


def register_object_panel(panel: ObjectPanel) -> None:
    """A later module adds a section to a lower module's object page (registered from ``AppConfig.ready``)."""
    if all(p.key != panel.key for p in _object_panels):
        _object_panels.append(panel)


def object_panels(model: str) -> list[ObjectPanel]:
    """The sections registered for the pages of ``model`` ("app_label.modelname"), in order."""
    return sorted((p for p in _object_panels if p.model == model), key=lambda p: p.order)


# ---------------------------------------------------------------------------------------- 三重一大 subjects


@dataclass(frozen=True)
class DecisionFact:
    """One fact of an object put to a collective decision, as shown to the meeting (e.g. 合同金额)."""

    label: str
    value: str


@dataclass(frozen=True)
class DecisionSubjectFacts:
    """What a meeting is shown about one object it may decide: a title, the amount at stake (None when it
    has none), the facts in display order and the object's page."""

    title: str
    amount: Decimal | None
    facts: tuple[DecisionFact, ...]
    url: str = ""


@dataclass(frozen=True)
class DecisionSubjectKind:
    """A kind of object a service demands a passed collective decision (三重一大) on.

    ``candidates(user, agency)`` returns the agency's objects ``user`` may see that await a decision now
    (the meetings code leaves out those already on an agenda); it must take a fixed number of queries.
    ``problem(obj)`` says in Chinese why ``obj`` does not await a decision ("" when it does), and
    ``problem_code`` is the stable code of that refusal. ``facts(obj)`` describes it without further
    queries on the objects ``candidates`` returns and on ``queryset()`` (which select_related what it needs).
    ``visible_to(user)`` is the by-id starting point. ``agency_id(obj)`` is the agency whose meeting decides,
    ``project(obj)`` the project whose timeline records the decision (None for none). ``redecidable``: a
    passed decision does not keep the object off later agendas (a plan returned after its decision).
    ``on_decision(obj, item)`` runs inside the chair's conclusion (e.g. a passed plan becomes 已集体决策通过).
    """

    key: str
    label: str
    model: type
    category: str
    candidates: Callable[[Any, Any], Iterable[Any]]
    problem: Callable[[Any], str]
    facts: Callable[[Any], DecisionSubjectFacts]
    queryset: Callable[[], Any]
    visible_to: Callable[[Any], Any]
    agency_id: Callable[[Any], int]
    project: Callable[[Any], Any] = lambda obj: None
    problem_code: str = "agenda.not_awaiting"
    redecidable: bool = False
    on_decision: Callable[[Any, Any], None] | None = None
    order: int = 100


_decision_subjects: dict[str, DecisionSubjectKind] = {}


def register_decision_subject(kind: DecisionSubjectKind) -> None:
    """A module states that its services demand a passed collective decision on ``kind.model``: the
    meeting's agenda then offers those objects (page and API) without the meetings code knowing them."""
    for other in _decision_subjects.values():
        if other.model is kind.model and other.key != kind.key:
            raise ValueError(f"{kind.model.__name__} is already registered as decision subject {other.key!r}")
    _decision_subjects[kind.key] = kind


def decision_subject_kinds() -> list[DecisionSubjectKind]:
    """Every registered kind, in display order."""
    return sorted(_decision_subjects.values(), key=lambda k: (k.order, k.key))


def decision_subject_kind(key: str) -> DecisionSubjectKind | None:
    """The kind registered under ``key``; None when no module registered it."""
    return _decision_subjects.get(key)


def decision_subject_kind_of(model: type) -> DecisionSubjectKind | None:
    """The kind of objects of ``model`` (a model class); None when none is registered."""
    return next((k for k in _decision_subjects.values() if k.model is model), None)
