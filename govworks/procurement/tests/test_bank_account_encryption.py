"""SM4 for supplier bank accounts (issue 12, item 11): the column holds ciphertext, a keyed digest (HMAC-SM3 with its
own derived key) replaces the number for uniqueness and matching, pages and the audit trail show it masked, the data
migration encrypts existing rows and fills their digests, and a key rotation re-encrypts and re-digests."""

from __future__ import annotations

import importlib
import json
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from govworks.core.encryption import field_digest, is_encrypted, key_id_of
from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.procurement.models import SupplierBankAccount
from govworks.procurement.services import suppliers as services
from govworks.procurement.tests.test_services import create

pytestmark = pytest.mark.django_db

NUMBER = "6222 0200 1234 5678"
PLAIN = "6222020012345678"
PURPOSE = "procurement.supplierbankaccount.account_number"


def raw(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT account_number, account_digest FROM procurement_supplierbankaccount WHERE id = %s", [pk])
        number, digest = cursor.fetchone()
        return str(number), str(digest)


def add(sw: Any, supplier: Any, number: str = NUMBER) -> SupplierBankAccount:
    return services.supplier_bank_account_add(
        actor=sw.pm, supplier=supplier, bank_name="临江银行", account_name=supplier.name, account_number=number
    )


def test_account_number_is_ciphertext_with_a_keyed_digest(sw: Any) -> None:
    """Given an account added through the service, then the column is an SM4 token (not the number), the digest is
    the HMAC-SM3 of the normalised number under the field key (not a plain hash anyone could recompute), reads give
    the number, and the audit event shows only ****5678."""
    account = add(sw, create(sw.pm, sw.city))
    stored, digest = raw(account.pk)
    assert is_encrypted(stored) and PLAIN not in stored
    assert len(digest) == 64 and digest == field_digest(PLAIN, purpose=PURPOSE) and PLAIN not in digest
    assert SupplierBankAccount.objects.get(pk=account.pk).account_number == PLAIN
    event = AuditEvent.objects.get(action="procurement.supplier.bank_account_add")
    text = f"{event.summary} {json.dumps(event.changes, ensure_ascii=False)} {event.object_repr}"
    assert "****5678" in event.summary and PLAIN not in text and NUMBER not in text
    assert event.changes["account_number"] == {"before": None, "after": "****5678"}
    with pytest.raises(FieldError):
        SupplierBankAccount.objects.filter(account_number=PLAIN).exists()


def test_duplicate_is_found_through_the_digest_whatever_the_spacing(sw: Any) -> None:
    """The same number written with dashes is refused for the same supplier (matched on the digest), and changes
    nothing; another supplier may hold it (the 围标串标 check flags that, tested in test_integrity)."""
    supplier = create(sw.pm, sw.city)
    add(sw, supplier)
    before = (SupplierBankAccount.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as err:
        add(sw, supplier, "6222-0200-1234-5678")
    assert err.value.code == "procurement.bank_account_duplicate"
    assert (SupplierBankAccount.objects.count(), AuditEvent.objects.count()) == before
    # the model validation sees the unique constraint on the digest too (the digest is computed by full_clean)
    again = SupplierBankAccount(supplier=supplier, bank_name="x", account_name="y", account_number="62220200-12345678")
    with pytest.raises(ValidationError):
        again.full_clean()


def test_supplier_page_shows_the_account_masked(client: Client, sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    add(sw, supplier)
    client.force_login(sw.pm)
    body = client.get(reverse("procurement:supplier_detail", args=[supplier.pk])).content.decode()
    assert "****5678" in body and PLAIN not in body and NUMBER not in body


def test_the_migration_encrypts_plain_rows_and_fills_their_digests(sw: Any) -> None:
    """A row as it was before the change (plain number, no digest) is encrypted and digested by the data migration."""
    account = add(sw, create(sw.pm, sw.city))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procurement_supplierbankaccount SET account_number = %s, account_digest = '' WHERE id = %s",
            [PLAIN, account.pk],
        )
    import govworks.procurement.migrations as package

    [path] = Path(package.__file__).parent.glob("*_sealed_bids_and_bank_accounts.py")  # type: ignore[arg-type]
    migration = importlib.import_module(f"govworks.procurement.migrations.{path.stem}")
    migration.encrypt_bank_accounts(None, SimpleNamespace(connection=connection))
    stored, digest = raw(account.pk)
    assert is_encrypted(stored) and digest == field_digest(PLAIN, purpose=PURPOSE)
    assert SupplierBankAccount.objects.get(pk=account.pk).account_number == PLAIN


def test_rotation_reencrypts_and_redigests_and_duplicates_are_still_found(sw: Any, tmp_path: Path) -> None:
    """Given accounts under the test key, when the field key is rotated, then the number is under the new key, the
    digest is recomputed with the new key (it changed) and the duplicate check still refuses the same number."""
    supplier = create(sw.pm, sw.city)
    account = add(sw, supplier)
    _, old_digest = raw(account.pk)
    path = tmp_path / "field.key"
    path.write_text(json.dumps({"current": "ftest-1", "keys": {"ftest-1": "3c" * 32}}))
    with override_settings(FIELD_ENCRYPTION_KEY_SOURCE=f"file:{path}"):
        call_command("field_keys_rotate", "--key-id", "f2", stdout=StringIO())
        stored, digest = raw(account.pk)
        assert key_id_of(stored) == "f2" and digest != old_digest and digest == field_digest(PLAIN, purpose=PURPOSE)
        with pytest.raises(DomainError) as err:
            add(sw, supplier, PLAIN)
        assert err.value.code == "procurement.bank_account_duplicate"
