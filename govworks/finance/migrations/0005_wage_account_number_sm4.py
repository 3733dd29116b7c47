"""The wage account number is stored SM4-encrypted (issue 12, item 11); existing numbers are encrypted here."""

import govworks.core.encryption
from django.db import migrations


def encrypt_existing(apps, schema_editor):
    from govworks.core.encryption import column_reencrypt

    column_reencrypt(
        schema_editor.connection,
        table="finance_wageaccount",
        pk_column="id",
        column="account_number",
        purpose="finance.wageaccount.account_number",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0004_request_contract_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="wageaccount",
            name="account_number",
            field=govworks.core.encryption.SM4EncryptedCharField(max_length=40, verbose_name="专用账号"),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
    ]
