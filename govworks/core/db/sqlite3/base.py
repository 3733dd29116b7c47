"""SQLite backend that keeps the audit trail's append-only triggers through ``flush``.

``manage.py flush`` (and the test runner between transactional tests) empties every table with
``DELETE FROM``; the triggers that make ``core_auditevent`` append-only would refuse that. Flushing is
a maintenance action of the database owner, so the flush drops the triggers, empties the tables and
puts the triggers back in the same statement list.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.db.backends.sqlite3 import base, operations

from govworks.core.db.triggers import SQLITE_CREATE, SQLITE_DROP


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False) -> list[str]:
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if "core_auditevent" not in tables:
            return list(statements)
        return [*SQLITE_DROP, *statements, *SQLITE_CREATE]


def private_database_file(name: str) -> None:
    """Create the database file readable by the service account only (0600) before SQLite opens it, and
    tighten an existing one: it holds password hashes and the audit trail (issue 12). SQLite gives its
    ``-wal``/``-shm`` files the mode of the database file."""
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for candidate in (path, Path(f"{name}-wal"), Path(f"{name}-shm")):
        if candidate.exists() and candidate.stat().st_mode & 0o077:
            candidate.chmod(0o600)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params: Any) -> Any:
        private_database_file(str(conn_params.get("database", "")))
        return super().get_new_connection(conn_params)
