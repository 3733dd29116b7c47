"""Every agency gets a code (the prefix of its project numbers, LJJG-2026-0009), unique across agencies.

Existing agencies get the 9-character 组织机构代码 inside their 统一社会信用代码 (characters 9–17), which
is unique nationwide; should two rows still share one, the later gets a digit appended."""

from django.db import migrations, models

import govworks.org.models


def fill_codes(apps, schema_editor):
    Agency = apps.get_model("org", "Agency")
    taken: set[str] = set()
    for agency in Agency.objects.order_by("pk"):
        base = agency.credit_code.strip().upper()[8:17] or f"A{agency.pk}"
        code, n = base, 1
        while code in taken:
            code, n = f"{base[:9]}{n}", n + 1
        taken.add(code)
        agency.code = code
        agency.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="code",
            field=models.CharField(max_length=10, null=True, verbose_name="单位代码"),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="agency",
            name="code",
            field=models.CharField(
                help_text="项目编号的前缀，如 LJJG-2026-0009；2–10 位大写英文字母或数字，各单位不得重复",
                max_length=10,
                unique=True,
                validators=[govworks.org.models.validate_agency_code],
                verbose_name="单位代码",
            ),
        ),
    ]
