"""Read-replica routing (docs/adr/0007): reads go to the ``replica`` alias only where code asks for it.

Nothing is routed to the replica by default. A dashboard or report that can tolerate data a few seconds old
opts in with ``use_replica()`` (a context manager) or ``@replica_reads`` (a view decorator). Writes always go
to ``default``. Without a ``replica`` alias in ``DATABASES`` (single machine, city profile) both are no-ops,
and so they are inside a transaction on ``default``: a read in the middle of a transaction must see that
transaction's own writes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"

_replica_wanted: ContextVar[bool] = ContextVar("govworks_replica_wanted", default=False)

P = ParamSpec("P")
R = TypeVar("R")


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def use_replica() -> Iterator[None]:
    """Reads inside the block go to the replica, when there is one and no transaction is open on default."""
    token = _replica_wanted.set(True)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


@contextmanager
def use_primary() -> Iterator[None]:
    """Reads inside the block go to the primary even within ``use_replica()`` (read-your-writes)."""
    token = _replica_wanted.set(False)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


def replica_reads(view: Callable[P, R]) -> Callable[P, R]:
    """View decorator: the view's reads go to the replica. Only for views that write nothing."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with use_replica():
            return view(*args, **kwargs)

    return wrapped


def read_alias() -> str:
    """The alias a read would use right now (for logging and tests)."""
    return ReplicaRouter().db_for_read(None) or PRIMARY


class ReplicaRouter:
    """Django database router: see the module docstring."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if not _replica_wanted.get() or not replica_configured():
            return None
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return PRIMARY if replica_configured() else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        aliases = {PRIMARY, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True  # the replica holds the same rows as the primary
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        if db == REPLICA:
            return False  # the replica is fed by PostgreSQL streaming replication, never migrated by Django
        return None
