from django.db import migrations


def seed(apps, schema_editor):
    from govworks.closeout.reference_final import seed_final_accounts_chains

    seed_final_accounts_chains(apps.get_model("projects", "ApprovalChainRule"))


def unseed(apps, schema_editor):
    apps.get_model("projects", "ApprovalChainRule").objects.filter(agency__isnull=True, kind="final_accounts.approval").delete()


class Migration(migrations.Migration):
    dependencies = [("closeout", "0001_final_accounts"), ("projects", "0007_approval_drafted_by")]

    operations = [migrations.RunPython(seed, unseed)]
