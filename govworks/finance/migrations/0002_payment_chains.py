from django.db import migrations


def seed(apps, schema_editor):
    from govworks.finance.reference import seed_payment_chains

    seed_payment_chains(apps.get_model("projects", "ApprovalChainRule"))


def unseed(apps, schema_editor):
    apps.get_model("projects", "ApprovalChainRule").objects.filter(agency__isnull=True, kind="finance.payment").delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial"), ("projects", "0003_newest_first_index")]

    operations = [migrations.RunPython(seed, unseed)]
