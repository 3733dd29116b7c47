"""SQL for the database-level guard on the audit trail: rows of core_auditevent are never updated or
deleted, whatever client connects. Used by the migration and by the SQLite backend's flush."""

SQLITE_CREATE = [
    "CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only: update refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete BEFORE DELETE ON core_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only: delete refused'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete;",
]

POSTGRES_CREATE = [
    """
    CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'core_auditevent is append-only: % refused', TG_OP;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent;",
    "CREATE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON core_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent;",
    "DROP FUNCTION IF EXISTS core_auditevent_append_only();",
]


def ensure_audit_guards(connection: object) -> None:
    """(Re)create the append-only triggers. Idempotent; run after every ``migrate``, because SQLite
    rebuilds a table (and silently drops its triggers) when a migration alters it."""
    vendor = getattr(connection, "vendor", "")
    statements = POSTGRES_CREATE if vendor == "postgresql" else SQLITE_CREATE
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        tables = connection.introspection.table_names(cursor)  # type: ignore[attr-defined]
        if "core_auditevent" not in tables:
            return
        for sql in statements:
            cursor.execute(sql)
