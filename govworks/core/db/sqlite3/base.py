"""SQLite backend that keeps the audit trail's append-only triggers through ``flush``.

``manage.py flush`` (and the test runner between transactional tests) empties every table with
``DELETE FROM``; the triggers that make ``core_auditevent`` append-only would refuse that. Flushing is
a maintenance action of the database owner, so the flush drops the triggers, empties the tables and
puts the triggers back in the same statement list.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base, operations

from govworks.core.db.triggers import SQLITE_CREATE, SQLITE_DROP


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False) -> list[str]:
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if "core_auditevent" not in tables:
            return list(statements)
        return [*SQLITE_DROP, *statements, *SQLITE_CREATE]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
