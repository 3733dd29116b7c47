"""招标编号, 中标通知书编号 and 合同编号 carry the agency code: ZBGG-2026-0001 → ZBGG-LJJG-2026-0001."""

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
    _recode(apps.get_model("procurement", "Tender"), "lot.project.agency.code")
    _recode(apps.get_model("procurement", "Award"), "tender.lot.project.agency.code")
    _recode(apps.get_model("procurement", "Contract"), "project.agency.code")


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0008_panel_redraws_kept"),
        ("org", "0002_agency_code"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
