"""SQL for the database-level guards on the audit trail, whatever client connects:

* rows of ``core_auditevent`` are never updated; they are deleted only when a signed prune anchor (a
  ``core_auditcheckpoint`` row of kind ``prune``) covers them — the 安全审计员's audited pruning after archiving;
* the chain head ``core_auditchainhead`` only moves forward, to an event that exists with that hash; it is never
  deleted, and a new head row starts empty;
* checkpoints (``core_auditcheckpoint``) are never updated or deleted.

Used by the migrations, by ``post_migrate`` (SQLite drops triggers when it rebuilds a table) and by the SQLite
backend's flush. A database owner can still drop the triggers: the keyed chain and the checkpoints catch that.
"""

SQLITE_CREATE = [
    "CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only: update refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete BEFORE DELETE ON core_auditevent "
    "WHEN OLD.seq > COALESCE((SELECT MAX(last_seq) FROM core_auditcheckpoint WHERE kind = 'prune'), 0) "
    "BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only: delete refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS core_auditchainhead_forward BEFORE UPDATE ON core_auditchainhead "
    "WHEN NEW.id != OLD.id OR NEW.last_seq <= OLD.last_seq OR NOT EXISTS "
    "(SELECT 1 FROM core_auditevent WHERE seq = NEW.last_seq AND hash = NEW.last_hash) "
    "BEGIN SELECT RAISE(ABORT, 'core_auditchainhead moves forward only: update refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS core_auditchainhead_no_delete BEFORE DELETE ON core_auditchainhead "
    "BEGIN SELECT RAISE(ABORT, 'core_auditchainhead moves forward only: delete refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS core_auditchainhead_insert_empty BEFORE INSERT ON core_auditchainhead "
    "WHEN NEW.id != 1 OR NEW.last_seq != 0 "
    "BEGIN SELECT RAISE(ABORT, 'core_auditchainhead moves forward only: insert refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS core_auditcheckpoint_no_update BEFORE UPDATE ON core_auditcheckpoint "
    "BEGIN SELECT RAISE(ABORT, 'core_auditcheckpoint is append-only: update refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS core_auditcheckpoint_no_delete BEFORE DELETE ON core_auditcheckpoint "
    "BEGIN SELECT RAISE(ABORT, 'core_auditcheckpoint is append-only: delete refused'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete;",
    "DROP TRIGGER IF EXISTS core_auditchainhead_forward;",
    "DROP TRIGGER IF EXISTS core_auditchainhead_no_delete;",
    "DROP TRIGGER IF EXISTS core_auditchainhead_insert_empty;",
    "DROP TRIGGER IF EXISTS core_auditcheckpoint_no_update;",
    "DROP TRIGGER IF EXISTS core_auditcheckpoint_no_delete;",
]

POSTGRES_CREATE = [
    """
    CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND OLD.seq <= COALESCE(
            (SELECT MAX(last_seq) FROM core_auditcheckpoint WHERE kind = 'prune'), 0) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'core_auditevent is append-only: % refused', TG_OP;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent;",
    "CREATE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON core_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();",
    """
    CREATE OR REPLACE FUNCTION core_auditchainhead_forward_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'core_auditchainhead moves forward only: DELETE refused';
        END IF;
        IF TG_OP = 'INSERT' THEN
            IF NEW.id <> 1 OR NEW.last_seq <> 0 THEN
                RAISE EXCEPTION 'core_auditchainhead moves forward only: INSERT refused';
            END IF;
            RETURN NEW;
        END IF;
        IF NEW.id <> OLD.id OR NEW.last_seq <= OLD.last_seq OR NOT EXISTS (
            SELECT 1 FROM core_auditevent WHERE seq = NEW.last_seq AND hash = NEW.last_hash) THEN
            RAISE EXCEPTION 'core_auditchainhead moves forward only: UPDATE refused';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS core_auditchainhead_guard ON core_auditchainhead;",
    "CREATE TRIGGER core_auditchainhead_guard BEFORE INSERT OR UPDATE OR DELETE ON core_auditchainhead "
    "FOR EACH ROW EXECUTE FUNCTION core_auditchainhead_forward_only();",
    """
    CREATE OR REPLACE FUNCTION core_auditcheckpoint_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'core_auditcheckpoint is append-only: % refused', TG_OP;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS core_auditcheckpoint_no_change ON core_auditcheckpoint;",
    "CREATE TRIGGER core_auditcheckpoint_no_change BEFORE UPDATE OR DELETE ON core_auditcheckpoint "
    "FOR EACH ROW EXECUTE FUNCTION core_auditcheckpoint_append_only();",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent;",
    "DROP FUNCTION IF EXISTS core_auditevent_append_only();",
    "DROP TRIGGER IF EXISTS core_auditchainhead_guard ON core_auditchainhead;",
    "DROP FUNCTION IF EXISTS core_auditchainhead_forward_only();",
    "DROP TRIGGER IF EXISTS core_auditcheckpoint_no_change ON core_auditcheckpoint;",
    "DROP FUNCTION IF EXISTS core_auditcheckpoint_append_only();",
]

GUARDED_TABLES = ("core_auditevent", "core_auditchainhead", "core_auditcheckpoint")


def ensure_audit_guards(connection: object) -> None:
    """(Re)create the guards. Idempotent; run after every ``migrate``, because SQLite rebuilds a table (and
    silently drops its triggers) when a migration alters it."""
    vendor = getattr(connection, "vendor", "")
    statements = POSTGRES_CREATE if vendor == "postgresql" else SQLITE_CREATE
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        tables = connection.introspection.table_names(cursor)  # type: ignore[attr-defined]
        if not all(t in tables for t in GUARDED_TABLES):
            return
        for sql in statements:
            cursor.execute(sql)
