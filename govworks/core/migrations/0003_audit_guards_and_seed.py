"""Database-level guard on the audit trail (append-only triggers on SQLite and PostgreSQL), the chain
head row, and the seed of every rule parameter of DOMAIN.md §5."""

from django.db import migrations

from govworks.core.db.triggers import POSTGRES_CREATE, POSTGRES_DROP, SQLITE_CREATE, SQLITE_DROP


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
