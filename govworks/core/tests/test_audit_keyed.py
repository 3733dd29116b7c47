"""A tamper-evident chain a database owner cannot re-forge (issue 12, item 5) and the log's retention (item 13).

The owner's tampering is done as in ``test_audit``: switch the triggers off, change rows with raw SQL, switch them
back on. Before the chain was keyed, re-hashing the whole chain after an edit and cutting the tail while rewriting
the head both passed ``audit_verify`` (the ``*_without_the_key`` and ``*_head_*`` tests fail on that code).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from io import StringIO
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from govworks.core.audit import (
    GENESIS_HASH,
    CheckpointFileError,
    audit_chain_verify,
    audit_checkpoint_write,
    audit_event_record,
    canonical_payload,
    chain_hash,
    checkpoint_file_content,
    checkpoint_file_read,
)
from govworks.core.audit_keys import audit_keyring, check_audit_chain_key
from govworks.core.errors import DomainError
from govworks.core.models import AuditArchive, AuditChainHead, AuditCheckpoint, AuditEvent, RuleParameter
from govworks.core.periodic import write_audit_checkpoint
from govworks.core.services import audit_archive_create, audit_events_prune
from govworks.core.tests.test_audit import guard_off, guard_on, raw, raw_refused, record_chain, rows, tamper
from govworks.org.roles import Role
from govworks.org.tests.factories import AgencyFactory, RoleGrantFactory, UserFactory

pytestmark = pytest.mark.django_db

_PAYLOAD_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "agency_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "actor_name",
    "context_type",
    "context_id",
    "summary",
    "changes",
    "reason",
    "request_id",
    "ip",
)


# ---------------------------------------------------------------------------------------- helpers


def head_row() -> tuple[int, str, str, str]:
    h = AuditChainHead.objects.get(pk=1)
    return (h.last_seq, h.last_hash, h.key_id, h.mac)


def checkpoints() -> list[tuple[Any, ...]]:
    return list(AuditCheckpoint.objects.order_by("id").values_list("kind", "first_seq", "last_seq", "last_hash", "mac"))


def set_head(last_seq: int, last_hash: str, mac: str | None = None) -> None:
    """The owner rewrites the head row (triggers off)."""
    if mac is None:
        tamper("UPDATE core_auditchainhead SET last_seq = %s, last_hash = %s WHERE id = 1", [last_seq, last_hash])
    else:
        tamper(
            "UPDATE core_auditchainhead SET last_seq = %s, last_hash = %s, mac = %s WHERE id = 1",
            [last_seq, last_hash, mac],
        )


def rehash_everything_with_plain_sm3(*, key_id: str | None = None) -> None:
    """What an owner without the key can do: recompute every hash with the published algorithm, move the head."""
    prev = GENESIS_HASH
    guard_off()
    try:
        for e in AuditEvent.objects.order_by("seq").values(*_PAYLOAD_FIELDS, "key_id"):
            kid = e["key_id"] if key_id is None else key_id
            payload = canonical_payload(**{f: e[f] for f in _PAYLOAD_FIELDS}, key_id=kid)
            digest = chain_hash(prev, payload)
            raw(
                "UPDATE core_auditevent SET prev_hash = %s, hash = %s, key_id = %s WHERE seq = %s",
                [prev, digest, kid, e["seq"]],
            )
            prev = digest
        last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
        raw("UPDATE core_auditchainhead SET last_seq = %s, last_hash = %s WHERE id = 1", [last, prev])
    finally:
        guard_on()


def verify_command(*args: str) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def chain_auditor() -> Any:
    """The 安全审计员 of the top agency (the only one here): the one who archives and prunes the chain."""
    top = AgencyFactory()
    user = UserFactory(agency=top, username="auditadmin", full_name="蒋红")
    RoleGrantFactory(user=user, agency=top, role=Role.AUDIT_ADMIN)
    return user


def record_old_events(n: int, *, days_ago: int) -> list[AuditEvent]:
    moment = timezone.now() - dt.timedelta(days=days_ago)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return record_chain(n)


# ---------------------------------------------------------------------------------------- the key


def test_events_carry_the_key_id_and_the_head_its_hmac():
    """Given the test key "test-1", when 3 events are recorded, then each stores key id "test-1", the head row
    carries HMAC-SM3 of (3, last hash) with that key, and the chain verifies."""
    events = record_chain(3)

    assert [e.key_id for e in AuditEvent.objects.order_by("seq")] == ["test-1"] * 3
    ring = audit_keyring()
    expected_mac = ring.mac("test-1", f"govworks-audit-head|3|{events[-1].hash}".encode())
    assert head_row() == (3, events[-1].hash, "test-1", expected_mac)
    assert audit_chain_verify().ok


def test_owner_edit_of_a_row_is_named():
    """Given a chain of 5, when the owner drops the triggers and changes #3's summary with raw SQL, then
    verification names #3 as altered."""
    record_chain(5)

    tamper("UPDATE core_auditevent SET summary = %s WHERE seq = %s", ["第3条：支付进度款 1.00 元", 3])

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq, result.checked) == (False, 3, 2)
    assert "内容已被改动" in result.problem


def test_rehash_of_the_whole_chain_without_the_key_is_detected():
    """Given a chain of 5, when the owner edits #3 and then recomputes every hash and the head with SM3 (all he can
    compute without the key), then the chain is self-consistent, as before, but verification names #1."""
    record_chain(5)
    tamper("UPDATE core_auditevent SET summary = %s WHERE seq = %s", ["第3条：支付进度款 1.00 元", 3])

    rehash_everything_with_plain_sm3()

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq) == (False, 1)
    assert "内容已被改动" in result.problem
    with pytest.raises(CommandError, match="第一条出错的事件序号 1"):
        verify_command()


def test_rehash_as_unkeyed_events_is_detected():
    """Given a chain of 4, when the owner re-hashes it with SM3 and blanks the key ids (posing as an unkeyed chain),
    then verification names #1 as not signed with a key."""
    record_chain(4)

    rehash_everything_with_plain_sm3(key_id="")

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq) == (False, 1)
    assert "未使用密钥签名" in result.problem


def test_cutting_the_tail_and_rewriting_the_head_is_detected():
    """Given a chain of 5, when the owner deletes #4 and #5 and rewrites the head row to #3 (its real hash), then the
    remaining chain is consistent, but the head's HMAC is not: verification names #4, the first missing event."""
    events = record_chain(5)

    tamper("DELETE FROM core_auditevent WHERE seq >= %s", [4])
    set_head(3, events[2].hash)

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq, result.checked) == (False, 4, 3)
    assert "链头记录（序号 3）校验码不符" in result.problem
    with pytest.raises(CommandError, match="第一条出错的事件序号 4"):
        verify_command()


def test_cut_tail_with_a_replayed_old_head_is_named_by_the_checkpoint():
    """Given 3 events, a head the owner saved (with its HMAC), a daily checkpoint at #5 after 2 more events and then
    2 more (7), when the owner deletes #4–#7 and puts the saved head back, then the checkpoint names #4 missing."""
    record_chain(3)
    saved = head_row()
    record_chain(2)
    write_audit_checkpoint(timezone.localdate())
    record_chain(2)

    tamper("DELETE FROM core_auditevent WHERE seq >= %s", [4])
    set_head(saved[0], saved[1], saved[3])

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq) == (False, 4)
    assert "记录审计链已到序号 5，日志只到序号 3：序号 4 起的事件缺失" in result.problem


def test_exported_checkpoint_file_names_what_the_database_no_longer_shows():
    """Given a chain of 5 with a checkpoint exported to a file, when the owner removes #4–#5, deletes every checkpoint
    row and puts back a head he saved at #3, then the database alone verifies, but verification with the exported
    file names #4 as the first missing event."""
    record_chain(3)
    saved = head_row()
    record_chain(2)
    audit_checkpoint_write(kind=AuditCheckpoint.Kind.DAILY)
    exported = checkpoint_file_content(checkpoints=list(AuditCheckpoint.objects.all()), exported_by="蒋红")

    tamper("DELETE FROM core_auditevent WHERE seq >= %s", [4])
    tamper("DELETE FROM core_auditcheckpoint", [])
    set_head(saved[0], saved[1], saved[3])

    assert audit_chain_verify().ok
    claims = checkpoint_file_read(exported, name="检查点文件")
    result = audit_chain_verify(exported=claims)
    assert (result.ok, result.broken_seq) == (False, 4)
    assert "序号 4 起的事件缺失" in result.problem


def test_audit_verify_command_reads_an_exported_checkpoint_file(tmp_path: Path):
    """Given a chain of 4 and an exported checkpoint file, then ``audit_verify --checkpoints FILE`` passes and counts
    the file's checkpoint; after the owner cuts #4 and replays the head it fails naming #4; an edited file is
    refused as a whole."""
    record_chain(3)
    saved = head_row()
    record_chain(1)
    audit_checkpoint_write(kind=AuditCheckpoint.Kind.DAILY)
    path = tmp_path / "cp.json"
    path.write_bytes(checkpoint_file_content(checkpoints=list(AuditCheckpoint.objects.all()), exported_by="蒋红"))

    assert "共校验 4 条事件、2 个检查点" in verify_command("--checkpoints", str(path))

    tamper("DELETE FROM core_auditevent WHERE seq = %s", [4])
    tamper("DELETE FROM core_auditcheckpoint", [])
    set_head(saved[0], saved[1], saved[3])
    with pytest.raises(CommandError, match="第一条出错的事件序号 4"):
        verify_command("--checkpoints", str(path))

    body = json.loads(path.read_bytes())
    body["checkpoints"][0]["last_seq"] = 3
    path.write_text(json.dumps(body))
    with pytest.raises(CommandError, match="签名不符"):
        verify_command("--checkpoints", str(path))


def test_forged_checkpoint_row_is_named():
    """Given a chain of 3, when a checkpoint row is inserted with a made-up signature, then verification fails
    naming the checkpoint as forged."""
    events = record_chain(3)
    AuditCheckpoint.objects.create(
        kind="daily",
        created_at=timezone.now(),
        first_seq=1,
        last_seq=3,
        last_hash=events[-1].hash,
        key_id="test-1",
        mac="0" * 64,
    )

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq) == (False, 3)
    assert "签名不符：检查点被伪造或改动" in result.problem


def test_altered_checkpoint_file_is_refused():
    """Given an exported checkpoint file, when one byte of a hash is changed, then reading it fails on its
    signature."""
    record_chain(2)
    audit_checkpoint_write(kind=AuditCheckpoint.Kind.DAILY)
    content = checkpoint_file_content(checkpoints=list(AuditCheckpoint.objects.all()), exported_by="蒋红")
    body = json.loads(content)
    h = body["checkpoints"][0]["last_hash"]
    body["checkpoints"][0]["last_hash"] = ("1" if h[0] != "1" else "2") + h[1:]

    with pytest.raises(CheckpointFileError, match="签名不符"):
        checkpoint_file_read(json.dumps(body).encode())


# ---------------------------------------------------------------------------------------- head and checkpoint guards


def test_head_row_refuses_to_move_back_or_to_an_unknown_event():
    """Given a chain of 3, when any client moves the head back to #2, to a #4 that does not exist, or deletes it or
    inserts a second one, then the database refuses each and nothing changes."""
    events = record_chain(3)
    before = head_row()

    assert "moves forward only" in raw_refused(
        "UPDATE core_auditchainhead SET last_seq = %s, last_hash = %s WHERE id = 1", [2, events[1].hash]
    )
    assert "moves forward only" in raw_refused(
        "UPDATE core_auditchainhead SET last_seq = %s, last_hash = %s WHERE id = 1", [4, "f" * 64]
    )
    assert "moves forward only" in raw_refused("DELETE FROM core_auditchainhead")
    assert "moves forward only" in raw_refused(
        "INSERT INTO core_auditchainhead (id, last_seq, last_hash, key_id, mac) VALUES (2, 3, %s, '', '')",
        [events[-1].hash],
    )

    assert head_row() == before
    assert audit_chain_verify().ok


def test_checkpoints_are_append_only():
    """Given a checkpoint, when any client updates or deletes it, then the database refuses and nothing changes."""
    record_chain(2)
    audit_checkpoint_write(kind=AuditCheckpoint.Kind.DAILY)
    before = checkpoints()

    assert "append-only" in raw_refused("UPDATE core_auditcheckpoint SET last_seq = 1")
    assert "append-only" in raw_refused("DELETE FROM core_auditcheckpoint")

    assert checkpoints() == before


def test_daily_checkpoint_job_signs_the_head_once_per_change():
    """Given a chain of 4, when the daily job runs, then one checkpoint at #4 with a valid HMAC exists; when it runs
    again without new events, nothing is added."""
    events = record_chain(4)

    assert write_audit_checkpoint(timezone.localdate()) == "检查点：截至序号 4"
    assert write_audit_checkpoint(timezone.localdate()) == "审计链无新事件，未生成检查点"

    assert [(k, f, s, h) for k, f, s, h, _ in checkpoints()] == [("daily", 1, 4, events[-1].hash)]
    assert audit_chain_verify().checkpoints == 1
    assert audit_chain_verify().ok


def test_daily_checkpoint_is_not_signed_over_a_forged_head():
    """Given a chain of 3 whose head the owner rewrote (no key), when the daily job runs, then no checkpoint is
    written and a chain-broken event is recorded instead."""
    events = record_chain(3)
    tamper("DELETE FROM core_auditevent WHERE seq = %s", [3])
    set_head(2, events[1].hash)

    summary = write_audit_checkpoint(timezone.localdate())

    assert summary == "每日检查点未生成：链头记录校验码不符，不能签署检查点"
    assert checkpoints() == []
    assert AuditEvent.objects.filter(action="audit.chain_broken").count() == 1


# ---------------------------------------------------------------------------------------- rotation and configuration


def test_key_rotation_is_recorded_and_old_events_still_verify(tmp_path: Path):
    """Given a key file with key "k1" and 2 events, when ``audit_key_rotate --key-id k2`` runs and one more event is
    recorded, then the file keeps k1 and makes k2 current (0600), the chain holds an ``audit.key_rotated`` event
    signed with k2, and the whole chain verifies; without k1 in the file, verification names #1."""
    path = tmp_path / "audit-chain.key"
    path.write_text(json.dumps({"current": "k1", "keys": {"k1": "11" * 32}}))
    with override_settings(AUDIT_CHAIN_KEY_SOURCE=f"file:{path}"):
        record_chain(2)
        call_command("audit_key_rotate", "--key-id", "k2", stdout=StringIO())
        audit_event_record(actor=None, action="test.after", summary="轮换后")

        data = json.loads(path.read_text())
        assert (data["current"], sorted(data["keys"])) == ("k2", ["k1", "k2"])
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        listed = list(AuditEvent.objects.order_by("seq").values_list("action", "key_id", "summary"))
        assert listed[2:] == [("audit.key_rotated", "k2", "审计链密钥轮换：k1 → k2"), ("test.after", "k2", "轮换后")]
        assert [k for _, k, _ in listed[:2]] == ["k1", "k1"]
        assert audit_chain_verify().ok

        path.write_text(json.dumps({"current": "k2", "keys": {"k2": data["keys"]["k2"]}}))
        result = audit_chain_verify()
        assert (result.ok, result.broken_seq) == (False, 1)
        assert "未知的密钥 k1" in result.problem


def test_changed_environment_key_is_recorded_before_the_next_event(monkeypatch: pytest.MonkeyPatch):
    """Given 1 event under the env key "test-1", when the operator sets a keyring whose current key is "e2" (keeping
    test-1) and an event is recorded, then an ``audit.key_rotated`` event comes first and the chain verifies."""
    record_chain(1)
    monkeypatch.setenv("GOVWORKS_TEST_AUDIT_KEYS", json.dumps({"current": "e2", "keys": {"test-1": "5a" * 32, "e2": "77" * 32}}))

    audit_event_record(actor=None, action="test.next", summary="下一条")

    assert list(AuditEvent.objects.order_by("seq").values_list("action", "key_id")) == [
        ("test.payment", "test-1"),
        ("audit.key_rotated", "e2"),
        ("test.next", "e2"),
    ]
    assert audit_chain_verify().ok


def test_deploy_check_requires_the_key(tmp_path: Path):
    """The production check: a missing key is an error (E010), a key created on the fly is an error (E011), a key
    file readable by others a warning (W010); a private key file passes."""
    with override_settings(AUDIT_CHAIN_KEY_SOURCE="env:GOVWORKS_NO_SUCH_VARIABLE"):
        assert [e.id for e in check_audit_chain_key()] == ["govworks.E010"]
    with override_settings(AUDIT_CHAIN_KEY_AUTOCREATE=True):
        assert [e.id for e in check_audit_chain_key()] == ["govworks.E011"]
    path = tmp_path / "k.json"
    path.write_text(json.dumps({"current": "p1", "keys": {"p1": "ab" * 32}}))
    os.chmod(path, 0o644)
    with override_settings(AUDIT_CHAIN_KEY_SOURCE=f"file:{path}"):
        assert [e.id for e in check_audit_chain_key()] == ["govworks.W010"]
        os.chmod(path, 0o600)
        assert check_audit_chain_key() == []


def test_development_creates_a_private_key_file(tmp_path: Path):
    """Given no key file and the development switch, when the keyring is read, then a 0600 file with one 32-byte
    key is created."""
    path = tmp_path / "var" / "audit-chain.key"
    with override_settings(AUDIT_CHAIN_KEY_SOURCE=f"file:{path}", AUDIT_CHAIN_KEY_AUTOCREATE=True):
        ring = audit_keyring()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(ring.current_key) == 32


# ---------------------------------------------------------------------------------------- checkpoint page


def test_auditor_lists_and_exports_checkpoints_through_the_page(client: Any, tmp_path: Path):
    """Given the platform's 安全审计员 and a daily checkpoint, when they open the page and press export, then the page
    lists the checkpoint, the download is a signed JSON file that ``audit_verify --checkpoints`` accepts, and the
    export is an audited event."""
    auditor = chain_auditor()
    record_chain(3)
    write_audit_checkpoint(timezone.localdate())
    client.force_login(auditor)

    page = client.get(reverse("core:audit_checkpoints"))
    assert page.status_code == 200
    assert "每日检查点" in page.content.decode()

    response = client.post(reverse("core:audit_checkpoints_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-checkpoints-')
    path = tmp_path / "cp.json"
    path.write_bytes(response.content)
    assert [c.last_seq for c in checkpoint_file_read(path.read_bytes())] == [3]
    assert AuditEvent.objects.filter(action="audit.checkpoints_exported", actor=auditor).count() == 1
    assert "OK" in verify_command("--checkpoints", str(path))


def test_checkpoint_page_is_refused_to_the_system_administrator(client: Any):
    """The 系统管理员 gets 403 on the page, the export and the archive action, and nothing is recorded or archived."""
    top = AgencyFactory()
    user = UserFactory(agency=top)
    RoleGrantFactory(user=user, agency=top, role=Role.SYSTEM_ADMIN)
    record_chain(1)
    client.force_login(user)
    before = rows()

    assert client.get(reverse("core:audit_checkpoints")).status_code == 403
    assert client.post(reverse("core:audit_checkpoints_export")).status_code == 403
    assert client.post(reverse("core:audit_archive_new")).status_code == 403

    assert rows() == before
    assert AuditArchive.objects.count() == 0


def test_subordinate_auditor_exports_checkpoints_but_cannot_archive(client: Any):
    """A subordinate agency's 安全审计员 may list and export the checkpoints (no business data in them) but not
    archive: the archive would hold other agencies' events. The page does not offer it."""
    top = AgencyFactory()
    sub = AgencyFactory(parent=top)
    user = UserFactory(agency=sub)
    RoleGrantFactory(user=user, agency=sub, role=Role.AUDIT_ADMIN)
    record_old_events(2, days_ago=200)
    client.force_login(user)

    page = client.get(reverse("core:audit_checkpoints"))
    assert page.status_code == 200
    assert "日志归档与清理" not in page.content.decode()
    assert client.post(reverse("core:audit_checkpoints_export")).status_code == 200
    before = rows()
    assert client.post(reverse("core:audit_archive_new")).status_code == 403
    assert rows() == before
    assert AuditArchive.objects.count() == 0


# ---------------------------------------------------------------------------------------- retention (item 13)


def test_archive_download_and_prune_through_the_pages(client: Any):
    """Given 4 events from 200 days ago and 2 recent ones, when the 安全审计员 archives, tries to prune before
    downloading (refused, nothing changed), downloads and prunes, then: the archive covers #1–#4 with a signed
    trailer, #1–#4 are gone, ``audit.pruned`` names the auditor, a prune anchor at #4 exists and the chain verifies
    from #5 on; the download and the pruning are audited."""
    auditor = chain_auditor()
    old = record_old_events(4, days_ago=200)
    record_chain(2)
    client.force_login(auditor)

    response = client.post(reverse("core:audit_archive_new"), follow=True)
    archive = AuditArchive.objects.get()
    assert (archive.first_seq, archive.last_seq, archive.last_hash) == (1, 4, old[-1].hash)
    assert "已归档序号 1–4 的事件" in response.content.decode()

    before = rows()
    response = client.post(reverse("core:audit_archive_prune", args=[archive.pk]), follow=True)
    assert "归档文件尚未下载保存到服务器之外" in response.content.decode()
    assert rows() == before

    download = client.post(reverse("core:audit_archive_download", args=[archive.pk]))
    lines = b"".join(download.streaming_content).decode().splitlines()
    header, body, trailer = json.loads(lines[0]), [json.loads(x) for x in lines[1:-1]], json.loads(lines[-1])
    assert (header["format"], header["first_seq"], header["last_seq"], header["prev_hash"]) == (
        "govworks-audit-archive/1",
        1,
        4,
        GENESIS_HASH,
    )
    assert [e["seq"] for e in body] == [1, 2, 3, 4]
    assert [e["hash"] for e in body] == [e.hash for e in old]
    assert (trailer["checkpoint"]["kind"], trailer["checkpoint"]["last_seq"]) == ("archive", 4)
    ring = audit_keyring()
    assert trailer["signature"] == ring.mac(trailer["key_id"], f"govworks-audit-archive|{trailer['sm3']}".encode())

    response = client.post(reverse("core:audit_archive_prune", args=[archive.pk]), follow=True)
    assert "已清理在线日志中序号 1–4 的 4 条事件" in response.content.decode()

    assert AuditEvent.objects.filter(seq__lte=4).count() == 0
    pruned = AuditEvent.objects.get(action="audit.pruned")
    assert (pruned.actor_id, pruned.summary.startswith("清理审计日志：序号 1–4，共 4 条")) == (auditor.pk, True)
    assert AuditEvent.objects.filter(action="audit.archive_downloaded", actor=auditor).count() == 1
    anchor = AuditCheckpoint.objects.get(kind="prune")
    assert (anchor.first_seq, anchor.last_seq, anchor.last_hash) == (1, 4, old[-1].hash)
    result = audit_chain_verify()
    assert (result.ok, result.first_seq) == (True, 5)
    assert "自清理锚点后的序号 5 起" in verify_command()
    archive.refresh_from_db()
    assert (archive.pruned_by_id, archive.pruned_at is not None) == (auditor.pk, True)


def test_archive_refused_when_retention_is_below_180_days():
    """Given the retention parameter set to 90 days and events from 200 days ago, when the auditor archives, then
    the refusal names the rule and both numbers, and nothing is archived or recorded."""
    auditor = chain_auditor()
    record_old_events(3, days_ago=200)
    RuleParameter.objects.filter(key="security.log_retention_days").update(value="90")
    before = rows()

    with pytest.raises(DomainError) as caught:
        audit_archive_create(actor=auditor)

    assert caught.value.code == "audit.retention_too_short"
    assert caught.value.message.startswith("日志保存期限（不少于）设为 90 天，低于法定下限 180 天")
    assert (rows(), AuditArchive.objects.count(), checkpoints()) == (before, 0, [])


def test_archive_refused_when_nothing_is_past_retention():
    """Given only events from 179 days ago, when the auditor archives, then it is refused and nothing changes."""
    auditor = chain_auditor()
    record_old_events(3, days_ago=179)
    before = rows()

    with pytest.raises(DomainError) as caught:
        audit_archive_create(actor=auditor)

    assert caught.value.code == "audit.nothing_to_archive"
    assert "日志保存期限（不少于）180 天" in caught.value.message
    assert (rows(), AuditArchive.objects.count()) == (before, 0)


def test_prune_refused_to_a_subordinate_auditor():
    """Given an archive made by the platform's auditor, when a subordinate agency's 安全审计员 calls the prune
    service, then it is refused and nothing changes."""
    auditor = chain_auditor()
    record_old_events(2, days_ago=200)
    archive = audit_archive_create(actor=auditor)
    AuditArchive.objects.filter(pk=archive.pk).update(downloaded_at=timezone.now())
    sub = AgencyFactory(parent=AgencyFactory())
    other = UserFactory(agency=sub)
    RoleGrantFactory(user=other, agency=sub, role=Role.AUDIT_ADMIN)
    before = rows()

    with pytest.raises(DomainError) as caught:
        audit_events_prune(actor=other, archive=archive)

    assert caught.value.code == "audit.forbidden"
    assert rows() == before
    assert AuditCheckpoint.objects.filter(kind="prune").count() == 0


def _pruned_chain() -> tuple[Any, list[AuditEvent]]:
    auditor = chain_auditor()
    old = record_old_events(3, days_ago=200)
    record_chain(2)
    archive = audit_archive_create(actor=auditor)
    AuditArchive.objects.filter(pk=archive.pk).update(downloaded_at=timezone.now())
    assert audit_events_prune(actor=auditor, archive=archive) == 3
    return auditor, old


def test_events_above_the_prune_anchor_stay_undeletable():
    """Given a pruned chain (anchor at #3), when any client deletes #4, then the database refuses and the chain
    still verifies."""
    _pruned_chain()
    before = rows()

    assert "append-only" in raw_refused("DELETE FROM core_auditevent WHERE seq = %s", [4])

    assert rows() == before
    assert audit_chain_verify().ok


def test_deleting_the_prune_anchor_is_detected():
    """Given a pruned chain, when the owner deletes the prune anchor (to hide the pruning), then verification starts
    at #1 again and names it missing."""
    _pruned_chain()

    tamper("DELETE FROM core_auditcheckpoint WHERE kind = %s", ["prune"])

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq) == (False, 1)
    assert result.problem.startswith("缺少序号 1 的事件")


def test_forged_prune_anchor_does_not_hide_deleted_events():
    """Given a chain of 6, when someone inserts an unsigned prune anchor at #4 (the trigger then lets #1–#4 be
    deleted) and deletes them, then verification names the forged anchor."""
    events = record_chain(6)
    AuditCheckpoint.objects.create(
        kind="prune", created_at=timezone.now(), first_seq=1, last_seq=4, last_hash=events[3].hash, key_id="test-1", mac="1" * 64
    )
    raw("DELETE FROM core_auditevent WHERE seq <= %s", [4])

    result = audit_chain_verify()
    assert (result.ok, result.broken_seq) == (False, 4)
    assert "签名不符：检查点被伪造或改动" in result.problem


@pytest.mark.django_db(transaction=True)
def test_prune_and_guards_on_a_committed_database():
    """Committed (transactional) variant for PostgreSQL's real triggers: a pruned chain verifies, the anchor is
    append-only and the flush still empties every guarded table."""
    from govworks.core.rule_parameters import rule_parameters_seed

    rule_parameters_seed()  # an earlier transactional test's flush emptied the seeded parameters
    _pruned_chain()
    assert audit_chain_verify().ok
    with transaction.atomic():
        assert "append-only" in raw_refused("DELETE FROM core_auditcheckpoint")
    call_command("flush", interactive=False, verbosity=0)
    assert (AuditEvent.objects.count(), AuditCheckpoint.objects.count(), AuditChainHead.objects.count()) == (0, 0, 0)
    assert connection.vendor in {"sqlite", "postgresql"}


# ---------------------------------------------------------------------------------------- upgrade


class _Editor:
    """The part of a schema editor the data step of migration 0007 uses."""

    connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        raw(sql, params)


def test_upgrade_migration_re_signs_an_existing_unkeyed_chain():
    """Given a chain of 4 as it was before the key (plain SM3, no key ids, a head without HMAC), when the data step of
    migration core 0007 runs, then every event is signed with the current key, the head carries its HMAC, the guards
    are back, and the chain verifies (it did not before)."""
    import importlib

    from django.apps import apps as django_apps

    record_chain(4)
    rehash_everything_with_plain_sm3(key_id="")
    tamper("UPDATE core_auditchainhead SET key_id = '', mac = '' WHERE id = 1", [])
    assert audit_chain_verify().ok is False
    summaries = [r[0] for r in AuditEvent.objects.order_by("seq").values_list("summary")]

    migration = importlib.import_module("govworks.core.migrations.0007_audit_keyed_chain_checkpoints_archives")
    migration.rechain_with_key(django_apps, _Editor())

    assert list(AuditEvent.objects.order_by("seq").values_list("summary", "key_id")) == [(s, "test-1") for s in summaries]
    assert head_row()[2] == "test-1"
    assert audit_chain_verify().ok
    assert "append-only" in raw_refused("UPDATE core_auditevent SET summary = %s WHERE seq = %s", ["改", 1])
