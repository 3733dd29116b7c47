from django.db import migrations


def seed(apps, schema_editor):
    from govworks.closeout.reference_archives import seed_archive_catalogue

    seed_archive_catalogue(apps.get_model("closeout", "ArchiveCatalogueItem"))


class Migration(migrations.Migration):
    dependencies = [("closeout", "0003_archives_lessons")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
