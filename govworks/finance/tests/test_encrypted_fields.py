"""SM4 at rest for the wage account number (issue 12, item 11): the database holds only ciphertext, reads give the
number, the audit trail shows it masked, and a key rotation re-encrypts every stored value."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from govworks.core.audit import audit_chain_verify
from govworks.core.encryption import DecryptionError, encrypted_fields, key_id_of, sm4_decrypt
from govworks.core.models import AuditEvent
from govworks.finance import rules
from govworks.finance.models import WageAccount
from govworks.finance.services import labour
from govworks.finance.tests.conftest import TODAY

pytestmark = pytest.mark.django_db

NUMBER = "19-015101040099871"


def stored_number(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT account_number FROM finance_wageaccount WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def encrypted_value_count() -> int:
    """How many SM4 values the database holds (the wage account, the supplier's bank account, …)."""
    total = 0
    with connection.cursor() as cursor:
        for model, field in encrypted_fields():
            cursor.execute(
                f"SELECT COUNT(*) FROM {model._meta.db_table} WHERE {field.column} IS NOT NULL AND {field.column} <> ''"  # noqa: S608
            )
            total += int(cursor.fetchone()[0])
    return total


def open_account(fin: Any) -> WageAccount:
    return labour.wage_account_open(
        actor=fin.pm,
        contract=fin.contract,
        bank_name="农业银行",
        account_name="工资专用户",
        account_number=NUMBER,
        labour_cost_ratio=Decimal("0.2"),
        opened_on=rules.month_start(TODAY),
    )


def test_wage_account_number_is_sm4_ciphertext_at_rest(fin: Any) -> None:
    """Given a wage account opened through the service, then the column holds an SM4-GCM token under the test key
    (not the number), the model reads the number back, and the audit event names only its last four digits."""
    account = open_account(fin)

    raw = stored_number(account.pk)
    assert raw.startswith("sm4gcm$ftest-1$") and NUMBER not in raw
    assert WageAccount.objects.get(pk=account.pk).account_number == NUMBER
    event = AuditEvent.objects.get(action="finance.wage_account.open")
    assert "农业银行 ****9871" in event.summary and NUMBER not in event.summary and NUMBER not in event.object_repr


def test_ciphertext_is_bound_to_its_column_and_refuses_tampering(fin: Any) -> None:
    """A token does not decrypt as another column's value, and one changed character makes it undecryptable."""
    account = open_account(fin)
    raw = stored_number(account.pk)

    with pytest.raises(DecryptionError):
        sm4_decrypt(raw, purpose="procurement.supplierbankaccount.account_number")
    prefix, key_id, nonce, body = raw.split("$")
    flipped = bytearray(base64.b64decode(body))
    flipped[0] ^= 0x01  # one bit of the first ciphertext byte
    tampered = "$".join([prefix, key_id, nonce, base64.b64encode(bytes(flipped)).decode()])
    with pytest.raises(DecryptionError):
        sm4_decrypt(tampered, purpose="finance.wageaccount.account_number")
    assert sm4_decrypt(raw, purpose="finance.wageaccount.account_number") == NUMBER


def test_encrypted_column_cannot_be_searched_by_content(fin: Any) -> None:
    """Looking a number up by content is refused (the database sees only ciphertext); isnull still works."""
    open_account(fin)
    with pytest.raises(FieldError, match="加密字段 account_number 不能按内容查询"):
        WageAccount.objects.filter(account_number=NUMBER).exists()
    assert WageAccount.objects.filter(account_number__isnull=False).count() == 1


def test_key_rotation_reencrypts_every_value_and_is_audited(fin: Any, tmp_path: Path) -> None:
    """Given a key file with "f1" and an account encrypted under it, when ``field_keys_rotate --key-id f2`` runs, then
    the file keeps f1 and makes f2 current, the stored value is under f2 and reads the same number, and the rotation
    is an audit event; the chain still verifies."""
    path = tmp_path / "field.key"
    # the fixture's supplier account was encrypted under the test key: the file keeps it for reading
    path.write_text(json.dumps({"current": "f1", "keys": {"ftest-1": "3c" * 32, "f1": "21" * 32}}))
    with override_settings(FIELD_ENCRYPTION_KEY_SOURCE=f"file:{path}"):
        account = open_account(fin)
        assert key_id_of(stored_number(account.pk)) == "f1"
        stored = encrypted_value_count()

        call_command("field_keys_rotate", "--key-id", "f2", stdout=StringIO())

        assert sorted(json.loads(path.read_text())["keys"]) == ["f1", "f2", "ftest-1"]
        assert key_id_of(stored_number(account.pk)) == "f2"
        assert WageAccount.objects.get(pk=account.pk).account_number == NUMBER
        event = AuditEvent.objects.get(action="security.field_key_rotated")
        assert event.summary == f"字段加密密钥轮换：f1 → f2，重新加密 {stored} 个值"
    assert audit_chain_verify().ok
