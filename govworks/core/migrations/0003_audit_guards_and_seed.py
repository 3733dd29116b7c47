"""Database-level guard on the audit trail (append-only triggers on SQLite and PostgreSQL), the chain
head row, and the seed of every rule parameter of DOMAIN.md §5."""

from django.db import migrations

# the guards as they were at this migration (later migrations replace them; core.db.triggers holds the current ones)
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



def create_triggers(apps, schema_editor):
    statements = POSTGRES_CREATE if schema_editor.connection.vendor == "postgresql" else SQLITE_CREATE
    for sql in statements:
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    statements = POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    for sql in statements:
        schema_editor.execute(sql, params=None)


def seed(apps, schema_editor):
    from govworks.core.rule_parameters import SEED

    head_model = apps.get_model("core", "AuditChainHead")
    head_model.objects.get_or_create(pk=1)
    param_model = apps.get_model("core", "RuleParameter")
    existing = set(param_model.objects.filter(scope="deployment").values_list("key", flat=True))
    param_model.objects.bulk_create(
        [
            param_model(
                key=p.key,
                name=p.name,
                category=p.category,
                value=p.value,
                value_type=p.value_type,
                unit=p.unit,
                scope="deployment",
                source=p.source,
                status=p.status,
            )
            for p in SEED
            if p.key not in existing
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
