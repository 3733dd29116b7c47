"""Stage listeners: later modules that keep something in step with a project's stage, called explicitly by the
services that change it (no Django signals — DESIGN.md: “never through signals”).

Every service that changes ``Project.stage`` and records a :class:`StageTransition` (``project_advance``,
``project_import_at_stage``, ``project_suspend``, ``project_resume``, and the ``project_create_*`` services for
the first stage) calls :func:`stage_listeners_notify` inside its transaction, after the project row is saved. A
listener is ``fn(project, from_stage, to_stage)``; it runs in that transaction (its writes commit or roll back with
the stage change), must be cheap when the change does not concern it, and must not raise for a change it does not
refuse.
E.g. close-out registers one that keeps its archive register (档案台账) in step with the project's stage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: ``listener(project, from_stage, to_stage)``; ``from_stage`` is "" when the project is created
StageListener = Callable[[Any, str, str], None]

_listeners: list[StageListener] = []


def register_stage_listener(listener: StageListener) -> None:
    """Add a listener (once, from a module's registering code)."""
    if listener not in _listeners:
        _listeners.append(listener)


def unregister_stage_listener(listener: StageListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def stage_listeners_notify(project: Any, from_stage: str, to_stage: str) -> None:
    """Tell every listener that ``project`` (already saved) moved from ``from_stage`` to ``to_stage``."""
    for listener in list(_listeners):
        listener(project, from_stage, to_stage)
