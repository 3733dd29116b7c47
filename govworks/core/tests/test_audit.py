"""The audit trail (全流程留痕, DESIGN.md §5): an append-only SM3 hash chain that names the first broken event.

Covers ``govworks.core.audit`` (recording, diff, jsonable, verification), the ORM guards on ``AuditEvent``,
the database triggers of migration 0003 (SQLite and PostgreSQL), the SQLite backend's ``flush`` and the
``audit_verify`` command. Tampering is done the way a database owner could: switch the trigger off, change
a row with raw SQL, switch it back on.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
import uuid
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, hmac
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.models.deletion import ProtectedError

from govworks.core.audit import (
    GENESIS_HASH,
    audit_chain_verify,
    audit_event_record,
    canonical_payload,
    chain_hash,
    diff,
    jsonable,
)
from govworks.core.db.triggers import SQLITE_CREATE, SQLITE_DROP
from govworks.core.models import AppendOnlyError, AuditChainHead, AuditEvent
from govworks.core.request_context import RequestInfo, current_request_info, reset_request_info, set_request_info
from govworks.org.tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

FIELDS = [f.attname for f in AuditEvent._meta.concrete_fields]


# ---------------------------------------------------------------------------------------- helpers


def rows() -> list[tuple[Any, ...]]:
    """Every stored column of every event, in sequence order: 'nothing changed' compares these."""
    return list(AuditEvent.objects.order_by("seq").values_list(*FIELDS))


def head() -> tuple[int, str] | None:
    h = AuditChainHead.objects.filter(pk=1).first()
    return (h.last_seq, h.last_hash) if h else None


def record_chain(n: int, *, actor: Any = None, agency: Any = None) -> list[AuditEvent]:
    """n events with distinct summaries and diffs, e.g. '第2条：支付进度款 200000.00 元'."""
    return [
        audit_event_record(
            actor=actor,
            agency=agency,
            action="test.payment",
            summary=f"第{i}条：支付进度款 {i * 100000}.00 元",
            changes={"amount": {"before": None, "after": Decimal(f"{i * 100000}.00")}},
            reason=f"原因{i}",
        )
        for i in range(1, n + 1)
    ]


def raw(sql: str, params: list[Any] | None = None) -> None:
    """Run one raw statement, as any database client could."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def raw_refused(sql: str, params: list[Any] | None = None) -> str:
    """Run a statement the trigger must refuse; return the database's message.

    The savepoint keeps a PostgreSQL connection usable after the error (SQLite does not need it but it is harmless).
    """
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        raw(sql, params)
    return str(caught.value)


def guard_off() -> None:
    """Disable the append-only trigger the way the database owner could."""
    if connection.vendor == "postgresql":
        # Inside the test's transaction the deferred foreign-key checks of the new rows are still pending, and
        # PostgreSQL refuses ALTER TABLE while they are; run them now (an owner in a fresh session has none).
        raw("SET CONSTRAINTS ALL IMMEDIATE")
        raw("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_change")
        raw("ALTER TABLE core_auditchainhead DISABLE TRIGGER core_auditchainhead_guard")
        raw("ALTER TABLE core_auditcheckpoint DISABLE TRIGGER core_auditcheckpoint_no_change")
    else:
        for sql in SQLITE_DROP:
            raw(sql)


def guard_on() -> None:
    if connection.vendor == "postgresql":
        raw("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_change")
        raw("ALTER TABLE core_auditchainhead ENABLE TRIGGER core_auditchainhead_guard")
        raw("ALTER TABLE core_auditcheckpoint ENABLE TRIGGER core_auditcheckpoint_no_change")
        raw("SET CONSTRAINTS ALL DEFERRED")
    else:
        for sql in SQLITE_CREATE:
            raw(sql)


def tamper(sql: str, params: list[Any]) -> None:
    guard_off()
    try:
        raw(sql, params)
    finally:
        guard_on()


def set_changes_sql() -> str:
    if connection.vendor == "postgresql":
        return "UPDATE core_auditevent SET changes = %s::jsonb WHERE seq = %s"
    return "UPDATE core_auditevent SET changes = %s WHERE seq = %s"


def verify_command() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def sm3(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


# ---------------------------------------------------------------------------------------- recording


def test_chain_of_several_events_links_and_verifies():
    """Given an empty log, when five events are recorded,
    then they get seq 1..5, each prev_hash is the previous hash, the head points at #5, and verification is OK."""
    assert AuditEvent.objects.count() == 0

    events = record_chain(5)

    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS_HASH
    for earlier, later in itertools.pairwise(events):
        assert later.prev_hash == earlier.hash
    assert len({e.hash for e in events}) == 5
    assert all(len(e.hash) == 64 for e in events)
    assert head() == (5, events[-1].hash)
    assert audit_chain_verify().ok is True
    assert audit_chain_verify().checked == 5
    out = verify_command()
    assert "OK" in out
    assert "共校验 5 条事件" in out


def test_empty_log_verifies():
    """Given no events at all, when verified, then OK with 0 checked."""
    result = audit_chain_verify()
    assert (result.ok, result.checked, result.broken_seq, result.problem) == (True, 0, None, "")
    assert "共校验 0 条事件" in verify_command()


def test_record_stores_every_field_of_the_event():
    """Given a user of an agency acting on an object, when recorded,
    then actor, names, agency, object type/id/repr, summary, diff and reason are stored exactly."""
    agency = AgencyFactory(name="临江市机关事务管理局")
    actor = UserFactory(username="liming", full_name="李明", agency=agency)
    target = UserFactory(username="wangfang", full_name="王芳", agency=agency)

    event = audit_event_record(
        actor=actor,
        action="org.user.update",
        obj=target,
        agency=agency,
        summary="修改账号 wangfang",
        changes={"phone": {"before": "", "after": "13800000000"}},
        reason="本人申请",
    )

    stored = AuditEvent.objects.get(seq=event.seq)
    assert stored.actor_id == actor.pk
    assert stored.actor_name == "李明"
    assert stored.agency_id == agency.pk
    assert stored.action == "org.user.update"
    assert stored.object_type == "org.user"
    assert stored.object_id == str(target.pk)
    assert stored.object_repr == "王芳"
    assert stored.summary == "修改账号 wangfang"
    assert stored.changes == {"phone": {"before": "", "after": "13800000000"}}
    assert stored.reason == "本人申请"
    assert str(stored) == f"#{event.seq} org.user.update 修改账号 wangfang"


def test_system_event_has_no_actor():
    """Given no actor (the system), when recorded, then actor and actor_name are empty and it still verifies."""
    event = audit_event_record(actor=None, action="system.job", summary="定时任务")
    stored = AuditEvent.objects.get(seq=event.seq)
    assert (stored.actor_id, stored.actor_name, stored.agency_id, stored.object_type, stored.object_id) == (
        None,
        "",
        None,
        "",
        "",
    )
    assert audit_chain_verify().ok


def test_hash_is_hmac_sm3_of_previous_hash_and_canonical_json():
    """The stored hash is HMAC-SM3(test key, prev_hash ‖ sorted-key compact JSON of the hashed fields and the key id),
    computed here by hand, so a change of algorithm or payload format (which would orphan every stored chain) is
    noticed. (Item 5 of issue 12 keyed the chain: it was plain SM3.)"""
    # SM3 standard test vector (GB/T 32905-2016, example 1): proves the digest really is SM3.
    assert chain_hash("", b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"

    agency = AgencyFactory()
    actor = UserFactory(agency=agency)
    token = set_request_info(RequestInfo(request_id="req-1", ip="10.0.0.8"))
    try:
        event = audit_event_record(
            actor=actor,
            action="test.hash",
            obj=agency,
            agency=agency,
            context=agency,
            summary="金额调整",
            changes={"amount": {"before": Decimal("1.00"), "after": Decimal("2.50")}},
            reason="复核",
        )
    finally:
        reset_request_info(token)

    stored = AuditEvent.objects.get(seq=event.seq)
    payload = {
        "seq": stored.seq,
        "at": stored.occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": actor.pk,
        "agency": agency.pk,
        "action": "test.hash",
        "object_type": "org.agency",
        "object_id": str(agency.pk),
        "object_repr": str(agency),
        "actor_name": actor.display_name,
        "context": f"org.agency:{agency.pk}",
        "summary": "金额调整",
        "changes": {"amount": {"before": "1.00", "after": "2.50"}},
        "reason": "复核",
        "request_id": "req-1",
        "ip": "10.0.0.8",
        "key": "test-1",
    }
    by_hand = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    mac = hmac.HMAC(bytes.fromhex("5a" * 32), hashes.SM3())
    mac.update(stored.prev_hash.encode("ascii") + by_hand)
    assert stored.key_id == "test-1"
    assert stored.hash == mac.finalize().hex()
    assert stored.hash != sm3(stored.prev_hash.encode("ascii") + by_hand)


def test_request_id_and_ip_come_from_the_request_context():
    """Given a request context (request id, client IP), when an event is recorded inside it,
    then the event stores both and the chain verifies; after the context is reset, events carry none."""
    token = set_request_info(RequestInfo(request_id="7f3a9c", ip="192.0.2.7"))
    try:
        inside = audit_event_record(actor=None, action="test.ctx", summary="请求内")
        assert current_request_info() == RequestInfo(request_id="7f3a9c", ip="192.0.2.7")
    finally:
        reset_request_info(token)
    outside = audit_event_record(actor=None, action="test.ctx", summary="请求外")

    assert AuditEvent.objects.filter(seq=inside.seq).values_list("request_id", "ip").get() == ("7f3a9c", "192.0.2.7")
    assert AuditEvent.objects.filter(seq=outside.seq).values_list("request_id", "ip").get() == ("", None)
    assert current_request_info() == RequestInfo()
    assert audit_chain_verify().ok


def test_ipv6_client_address_verifies():
    """Given a request from an IPv6 client written in a long form, when an event is recorded,
    then the chain still verifies (the database stores the address in compressed form; the hash must
    cover what is stored, not what the request said)."""
    token = set_request_info(RequestInfo(request_id="v6", ip="2001:0DB8:0000:0000:0000:0000:0000:0001"))
    try:
        audit_event_record(actor=None, action="test.ipv6", summary="IPv6 客户端")
    finally:
        reset_request_info(token)

    result = audit_chain_verify()
    assert result.ok, result.problem


def test_values_in_changes_survive_storage_and_verify():
    """Given a diff with Decimal, date, datetime, None, bool, big ints, Chinese text and nesting,
    when recorded, then the stored JSON is the jsonable form and the hash still verifies after a round trip
    through the database (SQLite text JSON, PostgreSQL jsonb with its own key order)."""
    moment = dt.datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=dt.UTC)
    event = audit_event_record(
        actor=None,
        action="test.values",
        summary="各种取值",
        changes={
            "金额": {"before": Decimal("1000000.00"), "after": Decimal("1050000.50")},
            "date": {"before": dt.date(2026, 1, 31), "after": None},
            "at": {"before": None, "after": moment},
            "flag": {"before": True, "after": False},
            "count": {"before": 9007199254740993, "after": 0},
            "list": {"before": ("b", "a"), "after": ["c"]},
            "z": {"before": '引号"与\\反斜杠', "after": "换行\n制表\t"},
        },
    )

    stored = AuditEvent.objects.get(seq=event.seq)
    assert stored.changes["金额"] == {"before": "1000000.00", "after": "1050000.50"}
    assert stored.changes["date"] == {"before": "2026-01-31", "after": None}
    assert stored.changes["at"] == {"before": None, "after": "2026-03-01T09:30:00.123456+00:00"}
    assert stored.changes["flag"] == {"before": True, "after": False}
    assert stored.changes["count"] == {"before": 9007199254740993, "after": 0}
    assert stored.changes["list"] == {"before": ["b", "a"], "after": ["c"]}
    assert audit_chain_verify().ok


def test_overlong_summary_is_cut_to_500_and_verifies():
    """Given a 600-character summary, when recorded, then 500 characters are stored and hashed alike."""
    event = audit_event_record(actor=None, action="test.long", summary="长" * 600)
    assert AuditEvent.objects.get(seq=event.seq).summary == "长" * 500
    assert audit_chain_verify().ok


def test_event_in_a_rolled_back_transaction_leaves_no_trace_and_no_gap():
    """Given a business transaction that records an event and then fails, when it rolls back,
    then neither the event nor the head advance remains, and the next event takes the same seq."""
    first = record_chain(1)[0]

    with pytest.raises(RuntimeError), transaction.atomic():
        audit_event_record(actor=None, action="test.rollback", summary="会回滚")
        raise RuntimeError("业务失败")

    assert head() == (first.seq, first.hash)
    after = audit_event_record(actor=None, action="test.after", summary="之后")
    assert after.seq == first.seq + 1
    assert after.prev_hash == first.hash
    assert audit_chain_verify().ok


def test_missing_head_row_is_recreated():
    """Given the head row is gone (e.g. after a flush; the trigger refuses deleting it otherwise, so the owner
    switches the guard off), when an event is recorded, then the chain starts at 1."""
    tamper("DELETE FROM core_auditchainhead", [])

    event = audit_event_record(actor=None, action="test.head", summary="重建链头")

    assert (event.seq, event.prev_hash) == (1, GENESIS_HASH)
    assert head() == (1, event.hash)
    assert audit_chain_verify().ok


# ---------------------------------------------------------------------------------------- jsonable / diff


def test_jsonable_turns_values_into_plain_json():
    """Decimal keeps its digits as text, dates and datetimes become ISO text, models their pk, sequences lists."""
    agency = AgencyFactory()
    some_uuid = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert jsonable(Decimal("1234.50")) == "1234.50"
    assert jsonable(Decimal("0.03")) == "0.03"
    assert jsonable(Decimal("1E+3")) == "1000"
    assert jsonable(dt.date(2026, 2, 28)) == "2026-02-28"
    assert jsonable(dt.datetime(2026, 2, 28, 8, 0, tzinfo=dt.UTC)) == "2026-02-28T08:00:00+00:00"
    assert jsonable(0.1) == "0.1"
    assert jsonable(agency) == str(agency.pk)
    assert jsonable(some_uuid) == "12345678-1234-5678-1234-567812345678"
    assert jsonable((1, "二", None, True)) == [1, "二", None, True]
    assert jsonable({1: Decimal("2.00"), "d": [dt.date(2026, 1, 1)]}) == {"1": "2.00", "d": ["2026-01-01"]}
    assert jsonable(None) is None
    assert jsonable(False) is False
    assert json.loads(json.dumps(jsonable({"x": {Decimal("1.5")}}))) == {"x": ["1.5"]}


def test_diff_lists_only_changed_keys_with_before_and_after():
    """Given before/after snapshots, diff returns, sorted by key, the keys whose values differ, in JSON form."""
    before = {"name": "基建科", "budget": Decimal("500000.00"), "start": dt.date(2026, 1, 1), "phone": "", "same": 1}
    after = {"name": "基建管理科", "budget": Decimal("550000.00"), "start": dt.date(2026, 1, 1), "same": 1, "email": "a@b.cn"}

    result = diff(before, after)

    assert result == {
        "budget": {"before": "500000.00", "after": "550000.00"},
        "email": {"before": None, "after": "a@b.cn"},
        "name": {"before": "基建科", "after": "基建管理科"},
        "phone": {"before": "", "after": None},
    }
    assert list(result) == ["budget", "email", "name", "phone"]
    assert diff({}, {}) == {}
    assert diff({"a": dt.date(2026, 1, 1)}, {"a": dt.date(2026, 1, 1)}) == {}


def test_diff_does_not_report_an_amount_whose_value_did_not_change():
    """Given an amount read from the database (1000000.00) and the same amount typed in a form (1000000),
    when diffed, then nothing is reported: the clerk did not change the amount."""
    assert diff({"amount": Decimal("1000000.00")}, {"amount": Decimal("1000000")}) == {}


# ---------------------------------------------------------------------------------------- ORM refusals


def test_orm_refuses_to_save_an_existing_event():
    """Given a stored event, when it is changed and saved (also with update_fields), then AppendOnlyError and nothing changed."""
    record_chain(3)
    before, before_head = rows(), head()
    event = AuditEvent.objects.get(seq=2)
    event.summary = "篡改"

    with pytest.raises(AppendOnlyError, match="只允许追加，不允许修改"):
        event.save()
    with pytest.raises(AppendOnlyError, match="只允许追加，不允许修改"):
        event.save(update_fields=["summary"])

    assert rows() == before
    assert head() == before_head


def test_orm_refuses_to_delete_an_event():
    """Given a stored event, when deleted through the instance, then AppendOnlyError and nothing changed."""
    record_chain(3)
    before = rows()

    with pytest.raises(AppendOnlyError, match="只允许追加，不允许删除"):
        AuditEvent.objects.get(seq=3).delete()

    assert rows() == before


def test_orm_refuses_queryset_update_bulk_update_and_delete():
    """Given stored events, when updated or deleted in bulk through the ORM, then AppendOnlyError and nothing changed."""
    record_chain(3)
    before = rows()

    with pytest.raises(AppendOnlyError, match="不允许修改"):
        AuditEvent.objects.filter(seq=1).update(summary="篡改")
    with pytest.raises(AppendOnlyError, match="不允许修改"):
        AuditEvent.objects.all().update(reason="")
    event = AuditEvent.objects.get(seq=1)
    event.summary = "篡改"
    with pytest.raises(AppendOnlyError, match="不允许修改"), transaction.atomic():  # bulk_update opens its own atomic block
        AuditEvent.objects.bulk_update([event], ["summary"])
    with pytest.raises(AppendOnlyError, match="不允许删除"):
        AuditEvent.objects.filter(seq__gte=2).delete()
    with pytest.raises(AppendOnlyError, match="不允许删除"):
        AuditEvent.objects.all().delete()

    assert rows() == before


def test_actor_with_events_cannot_be_deleted():
    """Given a user who has acted, when the user is deleted, then the PROTECT key refuses and nothing changed."""
    actor = UserFactory()
    audit_event_record(actor=actor, action="test.actor", summary="做过的事")
    before = rows()

    with pytest.raises(ProtectedError):
        actor.delete()

    assert rows() == before
    assert type(actor).objects.filter(pk=actor.pk).exists()


# ---------------------------------------------------------------------------------------- database trigger


def test_database_refuses_raw_update():
    """Given stored events, when a raw SQL UPDATE bypasses the ORM, then the trigger refuses and nothing changed."""
    record_chain(3)
    before = rows()

    message = raw_refused("UPDATE core_auditevent SET summary = %s WHERE seq = %s", ["篡改", 2])

    assert "append-only" in message
    assert "refused" in message
    assert rows() == before
    assert audit_chain_verify().ok


def test_database_refuses_raw_delete():
    """Given stored events, when a raw SQL DELETE bypasses the ORM, then the trigger refuses and nothing changed."""
    record_chain(3)
    before = rows()

    message = raw_refused("DELETE FROM core_auditevent WHERE seq = %s", [3])
    assert "append-only" in message
    message_all = raw_refused("DELETE FROM core_auditevent")
    assert "append-only" in message_all

    assert rows() == before
    assert audit_chain_verify().ok


def test_database_refuses_update_through_the_base_manager():
    """Given stored events, when code goes around the guarded manager (``_base_manager``), then the trigger still refuses."""
    record_chain(2)
    before = rows()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent._base_manager.filter(seq=1).update(summary="篡改")

    assert rows() == before


def test_guard_is_back_after_tampering_helpers():
    """The tamper helpers restore the trigger: afterwards a raw UPDATE is refused again."""
    record_chain(2)
    tamper("UPDATE core_auditevent SET reason = %s WHERE seq = %s", ["改", 1])

    before = rows()
    assert "append-only" in raw_refused("UPDATE core_auditevent SET reason = %s WHERE seq = %s", ["再改", 1])
    assert rows() == before


# ---------------------------------------------------------------------------------------- tampering is detected


def test_one_character_changed_in_a_summary_is_detected():
    """Given a verified chain of 5, when the owner switches the guard off and changes ONE character of #3's
    summary (100000 → 900000 in '第3条：支付进度款 300000.00 元' → '第3条：支付进度款 900000.00 元'),
    then verification fails at seq 3 and the command raises CommandError naming seq 3."""
    record_chain(5)
    original = AuditEvent.objects.get(seq=3).summary
    assert original == "第3条：支付进度款 300000.00 元"
    forged = "第3条：支付进度款 900000.00 元"
    assert sum(a != b for a, b in zip(original, forged, strict=True)) == 1

    tamper("UPDATE core_auditevent SET summary = %s WHERE seq = %s", [forged, 3])

    assert AuditEvent.objects.get(seq=3).summary == forged
    result = audit_chain_verify()
    assert (result.ok, result.broken_seq, result.checked) == (False, 3, 2)
    assert "内容已被改动" in result.problem
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify", stdout=StringIO())
    assert "审计链已被破坏" in str(caught.value)
    assert "第一条出错的事件序号 3" in str(caught.value)


def test_one_character_changed_in_the_diff_is_detected():
    """Given a chain of 4, when one digit of #2's recorded diff (after 200000.00 → 200001.00) is changed,
    then verification fails at seq 2 and the command names seq 2."""
    record_chain(4)
    changes = AuditEvent.objects.get(seq=2).changes
    assert changes == {"amount": {"before": None, "after": "200000.00"}}
    changes["amount"]["after"] = "200001.00"

    tamper(set_changes_sql(), [json.dumps(changes), 2])

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq) == (False, 2)
    with pytest.raises(CommandError, match="序号 2"):
        call_command("audit_verify", stdout=StringIO())


def test_changed_actor_is_detected():
    """Given an event by one user, when the owner rewrites its actor to another user, then verification fails there."""
    agency = AgencyFactory()
    honest, scapegoat = UserFactory(agency=agency), UserFactory(agency=agency)
    record_chain(2, actor=honest, agency=agency)

    tamper("UPDATE core_auditevent SET actor_id = %s WHERE seq = %s", [scapegoat.pk, 1])

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq) == (False, 1)


def test_changed_displayed_actor_name_is_detected():
    """Given an event by 李明, when the owner rewrites the stored actor name (the name the audit administrator's
    log viewer and exports show as 操作人) to 王芳, then verification must fail at that event."""
    agency = AgencyFactory()
    actor = UserFactory(agency=agency, full_name="李明")
    record_chain(2, actor=actor, agency=agency)

    tamper("UPDATE core_auditevent SET actor_name = %s WHERE seq = %s", ["王芳", 2])

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq) == (False, 2)


def test_context_of_an_event_is_stored_and_covered_by_the_hash():
    """Given an event recorded in the context of an aggregate (here an agency), then context type and id are stored,
    the chain verifies, and moving the event to another context with raw SQL is detected at that event."""
    home, elsewhere = AgencyFactory(), AgencyFactory()
    record_chain(1)
    event = audit_event_record(actor=None, action="test.context", summary="归属事项", context=home)
    record_chain(1)
    assert AuditEvent.objects.filter(seq=event.seq).values_list("context_type", "context_id").get() == (
        "org.agency",
        str(home.pk),
    )
    assert audit_chain_verify().ok

    tamper("UPDATE core_auditevent SET context_id = %s WHERE seq = %s", [str(elsewhere.pk), event.seq])

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq) == (False, event.seq)


def test_rewritten_event_with_recomputed_hash_is_named_itself():
    """Given a chain of 4, when the owner rewrites #2 AND recomputes #2's own hash with plain SM3 (he has no key),
    then verification names seq 2 itself (the keyed hash does not match; before the chain was keyed it named #3,
    whose prev_hash no longer matched)."""
    record_chain(4)
    e = AuditEvent.objects.get(seq=2)
    forged_summary = "第2条：支付进度款 1.00 元"
    forged_hash = chain_hash(
        e.prev_hash,
        canonical_payload(
            seq=e.seq,
            occurred_at=e.occurred_at,
            actor_id=e.actor_id,
            agency_id=e.agency_id,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            object_repr=e.object_repr,
            actor_name=e.actor_name,
            context_type=e.context_type,
            context_id=e.context_id,
            summary=forged_summary,
            changes=e.changes,
            reason=e.reason,
            request_id=e.request_id,
            ip=e.ip,
        ),
    )

    tamper("UPDATE core_auditevent SET summary = %s, hash = %s WHERE seq = %s", [forged_summary, forged_hash, 2])

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq) == (False, 2)
    assert "内容已被改动" in result.problem


def test_deleting_the_last_event_is_detected_through_the_chain_head():
    """Given a chain of 4, when the owner deletes the newest event #4 (the remaining chain is self-consistent),
    then the head still says 4, so verification fails naming seq 4 and '末尾事件缺失'."""
    record_chain(4)

    tamper("DELETE FROM core_auditevent WHERE seq = %s", [4])

    assert AuditEvent.objects.count() == 3
    result = audit_chain_verify()
    assert (result.ok, result.broken_seq, result.checked) == (False, 4, 3)
    assert "末尾事件缺失" in result.problem
    with pytest.raises(CommandError, match="序号 4"):
        call_command("audit_verify", stdout=StringIO())


def test_gap_in_the_middle_is_detected():
    """Given a chain of 5, when the owner deletes #3, then verification fails at the missing seq 3."""
    record_chain(5)

    tamper("DELETE FROM core_auditevent WHERE seq = %s", [3])

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq, result.checked) == (False, 3, 2)
    assert result.problem == "缺少序号 3 的事件（下一条为 4）"
    with pytest.raises(CommandError, match="第一条出错的事件序号 3"):
        call_command("audit_verify", stdout=StringIO())


def test_event_appended_behind_the_heads_back_is_named():
    """Given a chain of 3, when someone inserts a well-formed #4 with raw SQL without going through the head,
    then verification fails and names #4, the event the head does not know."""
    events = record_chain(3)
    last = events[-1]
    occurred = last.occurred_at + dt.timedelta(seconds=1)
    forged_hash = chain_hash(
        last.hash,
        canonical_payload(
            seq=4,
            occurred_at=occurred,
            actor_id=None,
            agency_id=None,
            action="test.forged",
            object_type="",
            object_id="",
            object_repr="",
            actor_name="",
            context_type="",
            context_id="",
            summary="伪造",
            changes={},
            reason="",
            request_id="",
            ip=None,
        ),
    )
    AuditEvent(
        seq=4, occurred_at=occurred, action="test.forged", summary="伪造", changes={}, prev_hash=last.hash, hash=forged_hash
    ).save()  # an INSERT is what the guard allows; the head is not moved

    result = audit_chain_verify()
    assert result.ok is False
    assert result.broken_seq == 4


# ---------------------------------------------------------------------------------------- flush and concurrency


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_keeps_the_guard():
    """Given a committed chain (transactional test), when the database is flushed (as the test runner does between
    transactional tests), then the flush succeeds, the log is empty, new events start a fresh chain, and the
    append-only guard is still in force."""
    record_chain(3)
    assert audit_chain_verify().ok

    call_command("flush", interactive=False, verbosity=0)

    assert AuditEvent.objects.count() == 0
    assert head() is None
    event = audit_event_record(actor=None, action="test.after_flush", summary="清空后第一条")
    assert (event.seq, event.prev_hash) == (1, GENESIS_HASH)
    before = rows()
    assert "append-only" in raw_refused("UPDATE core_auditevent SET summary = %s WHERE seq = %s", ["篡改", 1])
    assert "append-only" in raw_refused("DELETE FROM core_auditevent")
    assert rows() == before
    assert audit_chain_verify().ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_produce_one_linear_chain():
    """Given 8 threads, each with its own connection, when they append 10 events each at the same time
    (every event in its own transaction), then the log holds 80 events numbered 1..80 without gaps, each thread's
    events are in its own order, and the chain verifies."""
    threads_n, per_thread = 8, 10
    start = AuditEvent.objects.count()
    assert start == 0
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            for j in range(per_thread):
                with transaction.atomic():
                    audit_event_record(
                        actor=None, action="test.concurrent", summary=f"线程{i}第{j}条", changes={"thread": i, "n": j}
                    )
        except BaseException as err:  # report every failure to the main thread
            errors.append(err)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads_n)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)

    assert not any(w.is_alive() for w in workers)
    assert errors == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, threads_n * per_thread + 1))
    for i in range(threads_n):
        mine = list(AuditEvent.objects.filter(changes__thread=i).order_by("seq").values_list("changes", flat=True))
        assert [c["n"] for c in mine] == list(range(per_thread))
    assert head() is not None
    assert head()[0] == threads_n * per_thread
    result = audit_chain_verify()
    assert (result.ok, result.checked) == (True, threads_n * per_thread)
    assert "共校验 80 条事件" in verify_command()
