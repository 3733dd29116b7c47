from django.db import migrations


def seed(apps, schema_editor):
    from govworks.projects.reference import seed_reference

    seed_reference(
        document_type=apps.get_model("projects", "DocumentType"),
        chain_rule=apps.get_model("projects", "ApprovalChainRule"),
        responsibility_template=apps.get_model("projects", "ResponsibilityTemplate"),
    )


def seed_parameters(apps, schema_editor):
    from govworks.core.rule_parameters import SEED

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
    dependencies = [("projects", "0001_initial"), ("core", "0005_numbering")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(seed_parameters, migrations.RunPython.noop),
    ]
