"""Project codes carry the agency's code (LJJG-2026-0009 instead of GW-2026-0009) and are unique across
agencies. Existing ``GW-…`` codes keep their year and serial and take their agency's code as prefix;
texts written earlier (audit summaries, approval titles) keep the code they were written with."""

from django.conf import settings
from django.db import migrations, models


def prefix_with_agency_code(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    for project in Project.objects.select_related("agency").filter(code__startswith="GW-").order_by("pk"):
        project.code = f"{project.agency.code}-{project.code[3:]}"
        project.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_agency_code"),
        ("projects", "0004_agenda_subject_facts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="project",
            name="projects_project_code_unique",
        ),
        migrations.RunPython(prefix_with_agency_code, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="project",
            constraint=models.UniqueConstraint(fields=("code",), name="projects_project_code_unique_everywhere"),
        ),
    ]
