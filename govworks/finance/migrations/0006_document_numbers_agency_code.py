"""付款申请编号 and 支付指令编号 carry the agency code: ZF-2026-0001 → ZF-LJJG-2026-0001."""

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
    _recode(apps.get_model("finance", "PaymentRequest"), "project.agency.code")
    _recode(apps.get_model("finance", "PaymentInstruction"), "agency.code")


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0005_wage_account_number_sm4"),
        ("org", "0002_agency_code"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
