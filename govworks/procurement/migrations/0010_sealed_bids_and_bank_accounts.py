"""Sealed means sealed (issue 12, item 11): bid amounts of tenders not yet opened move into ``sealed_amount``
(SM4) and the plain column is emptied; supplier bank account numbers are SM4-encrypted, with a keyed digest
(HMAC-SM3) for the per-supplier uniqueness and the shared-account check; integrity signals that held an
account number in their fingerprint or text are rewritten to the digest and the masked number."""

import re

import govworks.core.encryption
from django.conf import settings
from django.db import migrations, models


def seal_unopened_bids(apps, schema_editor):
    from govworks.core.encryption import sm4_encrypt

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT b.id, b.tender_id, b.supplier_id, b.amount FROM procurement_bid b "
            "JOIN procurement_tender t ON t.id = b.tender_id "
            "WHERE t.status = 'announced' AND b.amount IS NOT NULL"
        )
        for pk, tender_id, supplier_id, amount in cursor.fetchall():
            token = sm4_encrypt(f"{tender_id}:{supplier_id}:{amount}", purpose="procurement.bid.sealed_amount")
            cursor.execute("UPDATE procurement_bid SET amount = NULL, sealed_amount = %s WHERE id = %s", [token, pk])


def unseal_bids(apps, schema_editor):
    from govworks.core.encryption import sm4_decrypt

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, sealed_amount FROM procurement_bid WHERE sealed_amount IS NOT NULL")
        for pk, token in cursor.fetchall():
            amount = sm4_decrypt(token, purpose="procurement.bid.sealed_amount").split(":", 2)[2]
            cursor.execute("UPDATE procurement_bid SET amount = %s, sealed_amount = NULL WHERE id = %s", [amount, pk])


def encrypt_bank_accounts(apps, schema_editor):
    from govworks.core.encryption import column_digest_fill, column_reencrypt

    purpose = "procurement.supplierbankaccount.account_number"
    connection = schema_editor.connection
    # the digest first, from the plain numbers (column_digest_fill reads plain or encrypted)
    column_digest_fill(
        connection,
        table="procurement_supplierbankaccount",
        pk_column="id",
        source_column="account_number",
        digest_column="account_digest",
        purpose=purpose,
    )
    column_reencrypt(
        connection, table="procurement_supplierbankaccount", pk_column="id", column="account_number", purpose=purpose
    )


def decrypt_bank_accounts(apps, schema_editor):
    from govworks.core.encryption import is_encrypted, sm4_decrypt

    purpose = "procurement.supplierbankaccount.account_number"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, account_number FROM procurement_supplierbankaccount")
        for pk, stored in cursor.fetchall():
            if is_encrypted(stored):
                plain = sm4_decrypt(stored, purpose=purpose)
                cursor.execute("UPDATE procurement_supplierbankaccount SET account_number = %s WHERE id = %s", [plain, pk])


def signals_without_numbers(apps, schema_editor):
    from govworks.core.encryption import field_digest, masked

    IntegritySignal = apps.get_model("procurement", "IntegritySignal")
    for signal in IntegritySignal.objects.filter(fingerprint__contains=":bank_account:"):
        head, _, number = signal.fingerprint.partition(":bank_account:")
        digest = field_digest(number, purpose="procurement.supplierbankaccount.account_number")
        detail = re.sub(r"的银行账号相同（([^）]*)）", lambda m: f"的银行账号相同（{masked(m.group(1).strip())}）", signal.detail)
        IntegritySignal.objects.filter(pk=signal.pk).update(fingerprint=f"{head}:bank_account:{digest}", detail=detail)


class Migration(migrations.Migration):

    dependencies = [
        ('procurement', '0009_document_numbers_agency_code'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='bid',
            name='procurement_bid_amount_positive',
        ),
        migrations.RemoveConstraint(
            model_name='supplierbankaccount',
            name='procurement_bank_account_unique_number',
        ),
        migrations.AddField(
            model_name='bid',
            name='sealed_amount',
            field=govworks.core.encryption.SM4SealedField(blank=True, editable=False, max_length=60, null=True, verbose_name='密封报价'),
        ),
        migrations.AddField(
            model_name='supplierbankaccount',
            name='account_digest',
            field=govworks.core.encryption.SM4DigestField(db_index=True, source='account_number', verbose_name='银行账号摘要'),
        ),
        migrations.AlterField(
            model_name='bid',
            name='amount',
            field=models.DecimalField(blank=True, decimal_places=2, help_text='开标前为空（报价密封）', max_digits=16, null=True, verbose_name='投标报价（元）'),
        ),
        migrations.AlterField(
            model_name='supplierbankaccount',
            name='account_number',
            field=govworks.core.encryption.SM4EncryptedCharField(max_length=40, verbose_name='银行账号'),
        ),
        migrations.AddConstraint(
            model_name='bid',
            constraint=models.CheckConstraint(condition=models.Q(('amount__isnull', True), ('amount__gt', 0), _connector='OR'), name='procurement_bid_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='bid',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('amount__isnull', True), ('sealed_amount__isnull', False)), models.Q(('amount__isnull', False), ('sealed_amount__isnull', True)), _connector='OR'), name='procurement_bid_sealed_or_opened'),
        ),
        migrations.RunPython(seal_unopened_bids, unseal_bids),
        migrations.RunPython(encrypt_bank_accounts, decrypt_bank_accounts),
        migrations.RunPython(signals_without_numbers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='supplierbankaccount',
            constraint=models.UniqueConstraint(fields=('supplier', 'account_digest'), name='procurement_bank_account_unique_number'),
        ),
    ]
