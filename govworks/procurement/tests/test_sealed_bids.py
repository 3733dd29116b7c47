"""Sealed means sealed (issue 12, item 11): before the opening the database holds no plaintext bid amount — the
amount column is NULL and the sealed column holds SM4 ciphertext bound to the bid — pages and the audit trail show
nothing; the opening service decrypts and writes the plain amounts in its own transaction, audited; an early
opening changes nothing; a ciphertext moved to another bid is refused at the opening; a key rotation re-encrypts
the sealed amounts and they still open."""

from __future__ import annotations

import importlib
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from govworks.core.audit import audit_chain_verify
from govworks.core.encryption import is_encrypted, key_id_of
from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.procurement.models import Bid, Tender, TenderOpening
from govworks.procurement.selectors.tenders import bid_amount
from govworks.procurement.services import tenders as services
from govworks.procurement.tests import test_tenders
from govworks.procurement.tests.factories import SupplierFactory
from govworks.procurement.tests.test_tenders import AMOUNTS, announce, unseal

pytestmark = pytest.mark.django_db

tw = test_tenders.tw
lot = test_tenders.lot
bidding = test_tenders.bidding

AMOUNT_TEXTS = [t for a in AMOUNTS for t in (str(a), f"{a:,.2f}", str(a).replace(".", ""))]


def sealing_migration() -> Any:
    """The data migration of this change (found by name: the lead renumbers migrations at merge)."""
    import govworks.procurement.migrations as package

    [path] = Path(package.__file__).parent.glob("*_sealed_bids_and_bank_accounts.py")  # type: ignore[arg-type]
    return importlib.import_module(f"govworks.procurement.migrations.{path.stem}")


def raw_bids() -> list[tuple[Any, ...]]:
    """Every bid row as the database holds it (raw SQL, no model decoding)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, amount, sealed_amount FROM procurement_bid ORDER BY id")
        return list(cursor.fetchall())


def raw_row_text(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM procurement_bid WHERE id = %s", [pk])
        return " ".join(str(v) for v in cursor.fetchone())


def audit_text() -> str:
    return " ".join(f"{e.summary} {json.dumps(e.changes, ensure_ascii=False)} {e.object_repr}" for e in AuditEvent.objects.all())


def test_before_opening_the_database_holds_no_plaintext_amount(client: Client, tw: Any, bidding: Any) -> None:
    """Given two bids recorded through the service, then each row's amount column is NULL and its sealed column is
    an SM4-GCM token under the current key; no column of the row, no audit event and no page shows the amount."""
    tender, bids = bidding
    rows = raw_bids()
    assert len(rows) == 2
    for pk, amount, sealed in rows:
        assert amount is None
        assert is_encrypted(sealed) and key_id_of(sealed) == "ftest-1"
        assert not any(text in raw_row_text(pk) for text in AMOUNT_TEXTS)
    assert not any(text in audit_text() for text in AMOUNT_TEXTS)
    # the model gives the ciphertext, never the plaintext
    loaded = Bid.objects.get(pk=bids[0].pk)
    assert loaded.amount is None and is_encrypted(loaded.sealed_amount)
    assert bid_amount(loaded) is None
    client.force_login(tw.pm)
    body = client.get(reverse("procurement:tender_detail", args=[tender.pk])).content.decode()
    assert not any(text in body for text in AMOUNT_TEXTS)


def test_opening_writes_the_plain_amounts_in_its_transaction_and_audits(tw: Any, bidding: Any) -> None:
    """When the tender is opened at its time, the plain amounts are in the amount column, the ciphertext is gone,
    and the opening's audit event reads out each bidder with its price; the chain verifies."""
    tender, bids = bidding
    services.tender_open(actor=tw.pm, tender=unseal(tender), witnesses="纪检监察 吴海燕")
    rows = {pk: (amount, sealed) for pk, amount, sealed in raw_bids()}
    assert [Decimal(str(rows[b.pk][0])) for b in bids] == list(AMOUNTS)
    assert all(sealed is None for _, sealed in rows.values())
    assert [Bid.objects.get(pk=b.pk).amount for b in bids] == list(AMOUNTS)
    event = AuditEvent.objects.get(action="procurement.tender.open")
    assert "987,654.32 元" in event.summary and "876,543.21 元" in event.summary
    assert event.changes["unsealed_bids"] == {"before": 0, "after": 2}
    assert audit_chain_verify().ok


def test_a_refused_early_opening_changes_nothing(tw: Any, bidding: Any) -> None:
    """Given the opening time has not come, opening is refused naming the time, and nothing is decrypted or written."""
    tender, _ = bidding
    before = (raw_bids(), AuditEvent.objects.count(), list(Tender.objects.values_list("id", "status")))
    with pytest.raises(DomainError) as err:
        services.tender_open(actor=tw.pm, tender=tender)
    assert err.value.code == "procurement.tender.not_yet" and "开标时间" in err.value.message
    assert (raw_bids(), AuditEvent.objects.count(), list(Tender.objects.values_list("id", "status"))) == before
    assert not TenderOpening.objects.exists()


def test_a_ciphertext_swapped_onto_another_bid_is_refused_at_the_opening(tw: Any, bidding: Any) -> None:
    """A database owner who swaps the sealed amounts of two bids (both valid ciphertexts of the column) does not
    change the prices: the ciphertext names its bid, the opening is refused and nothing is written."""
    tender, bids = bidding
    first, second = (Bid.objects.get(pk=b.pk).sealed_amount for b in bids)
    Bid.objects.filter(pk=bids[0].pk).update(sealed_amount=second)
    Bid.objects.filter(pk=bids[1].pk).update(sealed_amount=first)
    before = (raw_bids(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as err:
        services.tender_open(actor=tw.pm, tender=unseal(tender))
    assert err.value.code == "procurement.tender.seal_broken" and "第1份投标" in err.value.message
    assert (raw_bids(), AuditEvent.objects.count()) == before
    assert Tender.objects.get(pk=tender.pk).status == Tender.Status.ANNOUNCED


def test_key_rotation_reencrypts_sealed_amounts_which_still_open(tw: Any, bidding: Any, tmp_path: Path) -> None:
    """Given sealed bids under the test key, when the field key is rotated, then every sealed amount is under the
    new key (still no plaintext), and the opening gives the right amounts."""
    tender, bids = bidding
    path = tmp_path / "field.key"
    path.write_text(json.dumps({"current": "ftest-1", "keys": {"ftest-1": "3c" * 32}}))
    with override_settings(FIELD_ENCRYPTION_KEY_SOURCE=f"file:{path}"):
        call_command("field_keys_rotate", "--key-id", "f2", stdout=StringIO())
        assert all(amount is None and key_id_of(sealed) == "f2" for _, amount, sealed in raw_bids())
        services.tender_open(actor=tw.pm, tender=unseal(tender))
        assert [Bid.objects.get(pk=b.pk).amount for b in bids] == list(AMOUNTS)


def test_the_migration_seals_the_amounts_of_unopened_tenders_only(tw: Any, lot: Any) -> None:
    """Rows written before sealing existed (plain amounts) are sealed by the data migration when their tender is not
    opened yet; the opening then gives the same amounts."""
    tender = announce(tw, lot)
    bid = services.bid_record(
        actor=tw.pm, tender=tender, supplier=SupplierFactory(registered_by=tw.city), amount=AMOUNTS[0], bond_amount=Decimal(0)
    )
    with connection.cursor() as cursor:  # as the row was before the migration
        cursor.execute("UPDATE procurement_bid SET amount = %s, sealed_amount = NULL WHERE id = %s", [str(AMOUNTS[0]), bid.pk])
    migration = sealing_migration()
    migration.seal_unopened_bids(None, SimpleNamespace(connection=connection))
    [(_, amount, sealed)] = raw_bids()
    assert amount is None and is_encrypted(sealed)
    services.tender_open(actor=tw.pm, tender=unseal(tender))
    assert Bid.objects.get(pk=bid.pk).amount == AMOUNTS[0]
