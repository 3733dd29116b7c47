"""整改通知编号 carries the agency code: ZG-2026-0001 → ZG-LJJG-2026-0001."""

import re

from django.db import migrations

OLD = re.compile(r"^([A-Z]+)-(\d{4}-\d+)$")


def _recode(model, code_path: str) -> None:
    for row in model.objects.exclude(number="").iterator():
        match = OLD.match(row.number)
        if match is None:
            continue
        code = row
        for part in code_path.split("."):
            code = getattr(code, part)
        row.number = f"{match.group(1)}-{code}-{match.group(2)}"
        row.save(update_fields=["number"])


def forwards(apps, schema_editor):
    _recode(apps.get_model("construction", "RectificationNotice"), "project.agency.code")


class Migration(migrations.Migration):
    dependencies = [
        ("construction", "0006_site_parties_from_contracts"),
        ("org", "0002_agency_code"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
