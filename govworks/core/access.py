"""The access policy seam: the kernel asks, the organisation module answers.

``core`` may not import ``org`` (dependencies point one way), yet kernel pages such as the audit log
need to know what a user may read. ``org`` registers its permission module here at start-up.
"""

from __future__ import annotations

from typing import Any, Protocol


class AccessPolicy(Protocol):
    def readable_agency_ids(self, user: Any) -> frozenset[int]: ...

    def can(self, user: Any, action: str, agency_id: int | None) -> bool: ...

    def can_anywhere(self, user: Any, action: str) -> bool: ...

    def agency_ids_where(self, user: Any, action: str) -> set[int]: ...

    def role_labels(self, user: Any) -> list[str]: ...


_policy: AccessPolicy | None = None


def register_access_policy(policy: AccessPolicy) -> None:
    global _policy
    _policy = policy


def access_policy() -> AccessPolicy:
    if _policy is None:
        raise RuntimeError("no access policy registered (is govworks.org installed?)")
    return _policy
