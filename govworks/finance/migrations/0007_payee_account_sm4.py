"""The payee account number of a treasury payment instruction is stored SM4-encrypted (issue 12, item 11);
existing numbers are encrypted here."""

import govworks.core.encryption
from django.db import migrations


def encrypt_existing(apps, schema_editor):
    from govworks.core.encryption import column_reencrypt

    column_reencrypt(
        schema_editor.connection,
        table="finance_paymentinstruction",
        pk_column="id",
        column="payee_account",
        purpose="finance.paymentinstruction.payee_account",
    )


def decrypt_existing(apps, schema_editor):
    from govworks.core.encryption import is_encrypted, sm4_decrypt

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, payee_account FROM finance_paymentinstruction")
        for pk, stored in cursor.fetchall():
            if is_encrypted(stored):
                plain = sm4_decrypt(stored, purpose="finance.paymentinstruction.payee_account")
                cursor.execute("UPDATE finance_paymentinstruction SET payee_account = %s WHERE id = %s", [plain, pk])


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0006_document_numbers_agency_code"),
    ]

    operations = [
        migrations.AlterField(
            model_name="paymentinstruction",
            name="payee_account",
            field=govworks.core.encryption.SM4EncryptedCharField(max_length=40, verbose_name="收款账号"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
