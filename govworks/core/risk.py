"""The risk-signal registry (廉政风险信号): every module declares the kinds of signal it can raise and, for the
daily job, a scan that finds them; at the moment of an action it reports a finding. The kernel only keeps the
registry and passes findings on: ``govworks.integrity`` registers the sink that stores each finding once
(deduplicated by kind and fingerprint) as an alert for 纪检监察 and 内审.

A module raises a signal in two ways:

* **daily** — ``SignalKind.scan(today)`` yields every finding that holds today (the integrity job stores the new
  ones; a finding already stored is not stored again);
* **at the moment of action** — the service calls :func:`signal_report` with the finding. Call it *after* the
  action's transaction committed, or, for a refused action, after the refusal rolled back (outside it), so the
  finding survives the refusal.

A finding names the rule it tested by its rule-parameter key (shown to people by :func:`rule_name`) and carries
its facts with numbers, formatted for people (金额 with 元, 百分比 with %), not raw field values.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


class Severity:
    """How urgent a signal is. Stored as these codes; shown with :data:`SEVERITY_LABELS`."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_LABELS: dict[str, str] = {Severity.HIGH: "高", Severity.MEDIUM: "中", Severity.LOW: "低"}
SEVERITY_ORDER: dict[str, int] = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


@dataclass(frozen=True)
class Finding:
    """One fact worth a look by 纪检监察, as found by a module.

    ``kind`` is a registered :class:`SignalKind` key; ``fingerprint`` identifies the fact so the same fact is
    stored once (e.g. ``"contract:17:ceiling:1200000.00"``). ``facts`` are (label, value) pairs shown to people,
    with numbers. ``object_url`` links to the page of the object concerned. ``involved_user_ids`` are the people
    the finding names (the drafter of a split purchase, the approver who tried to approve his own item…): they
    never read an alert or a case about themselves.
    """

    kind: str
    fingerprint: str
    agency_id: int
    title: str
    occurred_on: dt.date
    project_id: int | None = None
    facts: tuple[tuple[str, str], ...] = ()
    object_url: str = ""
    object_label: str = ""
    involved_user_ids: tuple[int, ...] = ()
    #: overrides the kind's severity for this finding (e.g. a much larger excess), else ``None``
    severity: str | None = None


@dataclass(frozen=True)
class SignalKind:
    """A kind of risk signal a module can raise.

    ``key`` is ``"<app>.<name>"`` (stable, stored); ``label`` the Chinese name (“围标串标迹象”); ``rule_key`` the
    rule parameter the signal tests (``""`` when it tests none); ``scan(today)`` the daily detector, ``None`` when
    the kind is raised only at the moment of action. ``order`` sorts the kinds in filters and charts.
    """

    key: str
    label: str
    severity: str
    module: str
    rule_key: str = ""
    description: str = ""
    scan: Callable[[dt.date], Iterable[Finding]] | None = None
    order: int = 100


@dataclass
class _RiskRegistry:
    kinds: dict[str, SignalKind] = field(default_factory=dict)
    sinks: list[Callable[[Finding], object]] = field(default_factory=list)


_registry = _RiskRegistry()


def register_signal_kind(kind: SignalKind) -> None:
    """A module declares a kind of signal (from its ``AppConfig.ready``). A key registered twice is an error."""
    if kind.key in _registry.kinds and _registry.kinds[kind.key] != kind:
        raise ValueError(f"signal kind {kind.key!r} registered twice")
    _registry.kinds[kind.key] = kind


def signal_kinds() -> list[SignalKind]:
    """Every registered kind, in display order."""
    return sorted(_registry.kinds.values(), key=lambda k: (k.order, k.key))


def signal_kind(key: str) -> SignalKind | None:
    """The kind registered under ``key``; ``None`` when no module registered it."""
    return _registry.kinds.get(key)


def register_signal_sink(sink: Callable[[Finding], object]) -> None:
    """The module that stores findings (integrity) registers ``sink(finding)`` here."""
    if sink not in _registry.sinks:
        _registry.sinks.append(sink)


def unregister_signal_sink(sink: Callable[[Finding], object]) -> None:
    """Remove a sink registered with :func:`register_signal_sink` (tests that listen for findings)."""
    if sink in _registry.sinks:
        _registry.sinks.remove(sink)


def signal_report(finding: Finding) -> None:
    """Report a finding at the moment of action. Unknown kinds are a programming error."""
    if finding.kind not in _registry.kinds:
        raise ValueError(f"unregistered signal kind {finding.kind!r}")
    for sink in _registry.sinks:
        sink(finding)


class SignalScanFailed(Exception):
    """Raised by :func:`signals_scan` once every other kind's scan ran: the kinds whose scan failed, by name."""

    def __init__(self, failures: list[tuple[SignalKind, Exception]]) -> None:
        self.failures = failures
        super().__init__("；".join(f"{kind.label}（{kind.key}）：{error}" for kind, error in failures))


def signals_scan(today: dt.date) -> Iterable[Finding]:
    """Every finding every module's daily scan yields for ``today``. A scan that fails (e.g. a rule parameter
    missing for one agency) does not hide the others' findings: it is logged, the next kinds are scanned, and
    :class:`SignalScanFailed` names the failed kinds at the end."""
    failures: list[tuple[SignalKind, Exception]] = []
    for kind in signal_kinds():
        if kind.scan is None:
            continue
        try:
            yield from kind.scan(today)
        except Exception as error:  # one module's scan never blinds the others
            logger.exception("risk signal scan %s failed", kind.key)
            failures.append((kind, error))
    if failures:
        raise SignalScanFailed(failures)
