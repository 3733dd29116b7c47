"""Where a case (案件) can come from: an alert of the risk centre, a complaint (投诉举报), a 双随机 finding. Each area
registers a resolver for its kind of source; the case area opens a case from ``(source_kind, source_id)`` without
importing the area that owns the source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CaseSource:
    """What a case needs to know about its source, as resolved for the person opening the case.

    ``involved_user_ids`` are the people the source names: they never read the case and may not handle it.
    """

    kind: str
    source_id: int
    agency_id: int
    title: str
    summary: str
    url: str
    project_id: int | None = None
    involved_user_ids: tuple[int, ...] = ()


#: kind → (label, resolver(user, source_id) -> CaseSource, raising Http404/PermissionDenied when not readable)
_SOURCES: dict[str, tuple[str, Callable[[Any, int], CaseSource]]] = {}
#: kind → on_open(actor, source, case): the source area records that a case was opened from its record
_ON_OPEN: dict[str, Callable[[Any, CaseSource, Any], object]] = {}


def register_case_source(
    kind: str,
    label: str,
    resolver: Callable[[Any, int], CaseSource],
    on_open: Callable[[Any, CaseSource, Any], object] | None = None,
) -> None:
    """An area states that cases may be opened from its records of ``kind`` (e.g. ``"alert"``, ``"complaint"``).
    ``on_open(actor, source, case)`` runs inside the transaction that opens the case (e.g. the alert becomes
    已立案); a refusal it raises refuses the case too."""
    _SOURCES[kind] = (label, resolver)
    if on_open is not None:
        _ON_OPEN[kind] = on_open


def case_source_opened(actor: Any, source: CaseSource, case: Any) -> None:
    """Tell the source's area that ``case`` was opened from ``source`` (call inside the opening transaction)."""
    hook = _ON_OPEN.get(source.kind)
    if hook is not None:
        hook(actor, source, case)


def case_source_label(kind: str) -> str:
    """The Chinese name of a kind of source (“风险预警”); the kind itself when unknown."""
    return _SOURCES[kind][0] if kind in _SOURCES else kind


def case_source_resolve(user: Any, kind: str, source_id: int) -> CaseSource:
    """The source ``(kind, source_id)`` as ``user`` may see it. ``KeyError`` for an unregistered kind."""
    return _SOURCES[kind][1](user, source_id)
