"""Guards against removing a person from a project (撤换项目责任人), filled by later modules.

财建〔2016〕503号第三条: 决算未经审核前，项目负责人、财务主管等一般不得调离. The close-out module registers a guard
that refuses while the final accounts are not approved; the responsibility service asks every guard before it
replaces a stage's 责任人 and refuses with the first reason given. A guard must not write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: ``guard(project, person)`` → the Chinese reason ``person`` may not be removed from ``project`` now, or None
RemovalGuard = Callable[[Any, Any], "str | None"]

_guards: list[RemovalGuard] = []


def register_removal_guard(guard: RemovalGuard) -> None:
    """Add a guard (once, from a module's registering code)."""
    if guard not in _guards:
        _guards.append(guard)


def unregister_removal_guard(guard: RemovalGuard) -> None:
    if guard in _guards:
        _guards.remove(guard)


def removal_refusal(project: Any, person: Any) -> str | None:
    """The first guard's reason why ``person`` may not be removed from ``project``, or None."""
    for guard in _guards:
        reason = guard(project, person)
        if reason:
            return reason
    return None
