"""The audit trail (全流程留痕): append events to the keyed SM3 chain, sign checkpoints, verify.

Every service calls :func:`audit_event_record` inside its own transaction, so the business change and its
trace commit or roll back together. Each event's hash is HMAC-SM3 with the chain key (kept outside the
database, see :mod:`govworks.core.audit_keys`) over the previous hash and the event's canonical content; the key
id is stored per event and covered by the hash. The chain head row carries an HMAC of (last sequence, last hash),
so cutting the tail and rewriting the head is caught; daily signed checkpoints (:class:`AuditCheckpoint`), which
the 安全审计员 exports and keeps off the server, pin the chain's progress for :func:`audit_chain_verify`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac
from django.db import models, transaction
from django.utils import timezone

from govworks.core.audit_keys import Keyring, audit_keyring
from govworks.core.models import AuditChainHead, AuditCheckpoint, AuditEvent
from govworks.core.request_context import current_request_info

GENESIS_HASH = "0" * 64


def jsonable(value: Any) -> Any:
    """Turn a value into plain JSON types, so the stored diff and the hashed payload are identical."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, float):
        return format(Decimal(str(value)), "f")
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def normalised_ip(raw: str | None) -> str | None:
    """The address as the database stores it (compressed IPv6), or None when it is not an address:
    the hash must cover exactly what is stored."""
    if not raw:
        return None
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def canonical_time(value: dt.datetime | str) -> str:
    """A moment as hashed and signed: UTC with microseconds, e.g. 2026-12-07T05:00:00.000000Z. A string is
    taken as already in that form (the verify has the database format it: ``_events_in_order``)."""
    if isinstance(value, str):
        return value
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_canonical_time = canonical_time


def canonical_payload(
    *,
    seq: int,
    occurred_at: dt.datetime | str,
    actor_id: int | None,
    agency_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    actor_name: str,
    context_type: str,
    context_id: str,
    summary: str,
    changes: Any,
    reason: str,
    request_id: str,
    ip: str | None,
    key_id: str = "",
) -> bytes:
    """The exact bytes that are hashed: sorted-key JSON of every field that matters (and the key id, when keyed)."""
    payload: dict[str, Any] = {
        "seq": seq,
        "at": _canonical_time(occurred_at),
        "actor": actor_id,
        "agency": agency_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "actor_name": actor_name,
        "context": f"{context_type}:{context_id}" if context_type else "",
        "summary": summary,
        "changes": changes,
        "reason": reason,
        "request_id": request_id,
        "ip": ip,
    }
    if key_id:
        payload["key"] = key_id
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, payload: bytes) -> str:
    """Plain SM3(prev_hash ‖ payload): what anyone can compute without the key (the chain itself is keyed)."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(prev_hash.encode("ascii"))
    digest.update(payload)
    return digest.finalize().hex()


def chain_mac(prev_hash: str, payload: bytes, *, key_id: str, ring: Keyring | None = None) -> str:
    """HMAC-SM3(key[key_id], prev_hash ‖ payload): the hash of a keyed event."""
    return (ring or audit_keyring()).mac(key_id, prev_hash.encode("ascii"), payload)


def head_message(last_seq: int, last_hash: str) -> bytes:
    """What the chain head's HMAC covers."""
    return f"govworks-audit-head|{last_seq}|{last_hash}".encode()


def head_mac(last_seq: int, last_hash: str, *, key_id: str, ring: Keyring | None = None) -> str:
    """The head row's HMAC: a database owner cannot move the head (e.g. back, after cutting the tail)."""
    return (ring or audit_keyring()).mac(key_id, head_message(last_seq, last_hash))


def audit_head_move(*, last_seq: int, last_hash: str, ring: Keyring | None = None) -> None:
    """Move the chain head to the event just appended (``last_seq``, ``last_hash``), with its HMAC.
    Callers hold the head lock; the database trigger refuses any move that is not forward to an existing event."""
    ring = ring or audit_keyring()
    AuditChainHead.objects.filter(pk=1).update(
        last_seq=last_seq,
        last_hash=last_hash,
        key_id=ring.current_id,
        mac=head_mac(last_seq, last_hash, key_id=ring.current_id, ring=ring),
    )


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


KEY_ROTATED = "audit.key_rotated"


def audit_event_record(
    *,
    actor: Any | None,
    action: str,
    summary: str,
    obj: models.Model | None = None,
    agency: Any | None = None,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    context: models.Model | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    ``actor`` is the user who acted (None for the system); ``agency`` the agency the action belongs to;
    ``changes`` a field diff such as ``{"value": {"before": "10", "after": "12"}}``; ``context`` the
    aggregate the event belongs to (a project, say), so its timeline can be read back in one query. The chain head is
    locked, so concurrent writers on PostgreSQL produce one linear chain. When the configured current key differs
    from the key of the head, an ``audit.key_rotated`` event is appended first: a key rotation is always on record.
    """
    ring = audit_keyring()
    with transaction.atomic():
        head = _locked_head()
        seq, prev = head.last_seq, head.last_hash
        if head.key_id and head.key_id != ring.current_id and action != KEY_ROTATED:
            rotated = _append(
                ring,
                seq,
                prev,
                actor=None,
                action=KEY_ROTATED,
                summary=f"审计链密钥轮换：{head.key_id} → {ring.current_id}",
                changes={"key_id": {"before": head.key_id, "after": ring.current_id}},
            )
            seq, prev = rotated.seq, rotated.hash
        event = _append(
            ring,
            seq,
            prev,
            actor=actor,
            action=action,
            summary=summary,
            obj=obj,
            agency=agency,
            changes=changes,
            reason=reason,
            context=context,
        )
        audit_head_move(last_seq=event.seq, last_hash=event.hash, ring=ring)
    return event


def _append(
    ring: Keyring,
    last_seq: int,
    last_hash: str,
    *,
    actor: Any | None,
    action: str,
    summary: str,
    obj: models.Model | None = None,
    agency: Any | None = None,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    context: models.Model | None = None,
) -> AuditEvent:
    info = current_request_info()
    ip = normalised_ip(info.ip)
    seq = last_seq + 1
    occurred_at = timezone.now()
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    agency_id = agency.pk if agency is not None else None
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    object_repr = str(obj)[:200] if obj is not None else ""
    actor_name = (getattr(actor, "display_name", "") or getattr(actor, "username", ""))[:100] if actor_id else ""
    context_type = context._meta.label_lower if context is not None else ""
    context_id = str(context.pk) if context is not None else ""
    clean_changes = jsonable(dict(changes or {}))
    key_id = ring.current_id
    payload = canonical_payload(
        seq=seq,
        occurred_at=occurred_at,
        actor_id=actor_id,
        agency_id=agency_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        actor_name=actor_name,
        context_type=context_type,
        context_id=context_id,
        summary=summary[:500],
        changes=clean_changes,
        reason=reason,
        request_id=info.request_id,
        ip=ip,
        key_id=key_id,
    )
    event = AuditEvent(
        seq=seq,
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_name=actor_name,
        agency_id=agency_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        context_type=context_type,
        context_id=context_id,
        summary=summary[:500],
        changes=clean_changes,
        reason=reason,
        request_id=info.request_id,
        ip=ip,
        prev_hash=last_hash,
        hash=chain_mac(last_hash, payload, key_id=key_id, ring=ring),
        key_id=key_id,
    )
    event.save()
    return event


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Field-by-field before/after of the keys whose values differ."""
    return {
        key: {"before": jsonable(before.get(key)), "after": jsonable(after.get(key))}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key) and jsonable(before.get(key)) != jsonable(after.get(key))
    }


# ---------------------------------------------------------------------------------------- checkpoints


CHECKPOINT_FORMAT = "govworks-audit-checkpoints/1"


@dataclass(frozen=True)
class CheckpointClaim:
    """A signed statement that the chain reached ``last_seq`` with ``last_hash`` (from the database or a file)."""

    kind: str
    created_at: str
    first_seq: int
    last_seq: int
    last_hash: str
    key_id: str
    mac: str
    origin: str = "数据库"

    def message(self) -> bytes:
        return (
            f"govworks-audit-checkpoint|{self.kind}|{self.created_at}|{self.first_seq}|{self.last_seq}|{self.last_hash}"
        ).encode()

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "created_at": self.created_at,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "last_hash": self.last_hash,
            "key_id": self.key_id,
            "mac": self.mac,
        }


def checkpoint_claim(cp: AuditCheckpoint, origin: str = "数据库") -> CheckpointClaim:
    """A stored checkpoint as a claim to check (``origin`` names it in messages)."""
    return CheckpointClaim(
        kind=cp.kind,
        created_at=_canonical_time(cp.created_at),
        first_seq=cp.first_seq,
        last_seq=cp.last_seq,
        last_hash=cp.last_hash,
        key_id=cp.key_id,
        mac=cp.mac,
        origin=f"{origin}检查点 #{cp.pk}",
    )


def claim_mac_ok(claim: CheckpointClaim, ring: Keyring) -> bool:
    """True when the claim's HMAC is right for its key (unknown keys are not right)."""
    if claim.key_id not in ring.keys:
        return False
    return hmac_equal(ring.mac(claim.key_id, claim.message()), claim.mac)


def hmac_equal(a: str, b: str) -> bool:
    import hmac as std_hmac

    return std_hmac.compare_digest(a.encode(), b.encode())


def _first_online_seq() -> int:
    anchor = AuditCheckpoint.objects.filter(kind=AuditCheckpoint.Kind.PRUNE).order_by("-last_seq").first()
    return anchor.last_seq + 1 if anchor else 1


def audit_checkpoint_write(*, kind: str, last_seq: int | None = None, first_seq: int | None = None) -> AuditCheckpoint:
    """Sign and store a checkpoint of the chain as it is now (or at ``last_seq``, an existing event), in the
    caller's transaction. The head's own HMAC is checked first: a forged head is never signed.

    Raises ValueError when the head (or the event at ``last_seq``) does not check out.
    """
    ring = audit_keyring()
    with transaction.atomic():
        head = _locked_head()
        if head.last_seq and not (
            head.key_id in ring.keys
            and hmac_equal(head_mac(head.last_seq, head.last_hash, key_id=head.key_id, ring=ring), head.mac)
        ):
            raise ValueError("链头记录校验码不符，不能签署检查点")
        seq, digest = head.last_seq, head.last_hash
        if last_seq is not None and last_seq != seq:
            row = AuditEvent.objects.filter(seq=last_seq).values_list("hash", flat=True).first()
            if row is None:
                raise ValueError(f"序号 {last_seq} 的事件不存在")
            seq, digest = last_seq, row
        claim = CheckpointClaim(
            kind=kind,
            created_at=_canonical_time(timezone.now()),
            first_seq=first_seq if first_seq is not None else _first_online_seq(),
            last_seq=seq,
            last_hash=digest,
            key_id=ring.current_id,
            mac="",
        )
        mac = ring.mac(ring.current_id, claim.message())
        return AuditCheckpoint.objects.create(
            kind=kind,
            created_at=dt.datetime.strptime(claim.created_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC),
            first_seq=claim.first_seq,
            last_seq=seq,
            last_hash=digest,
            key_id=ring.current_id,
            mac=mac,
        )


def checkpoint_file_content(*, checkpoints: list[AuditCheckpoint], exported_by: str) -> bytes:
    """The signed JSON file of ``checkpoints`` that the 安全审计员 keeps off the server.

    The file carries each checkpoint with its own HMAC and an HMAC over the whole list (``signature``), so a copy
    cannot be edited either; ``audit_verify --checkpoints FILE`` reads it back.
    """
    ring = audit_keyring()
    body: dict[str, Any] = {
        "format": CHECKPOINT_FORMAT,
        "exported_at": _canonical_time(timezone.now()),
        "exported_by": exported_by,
        "checkpoints": [checkpoint_claim(cp).as_json() for cp in checkpoints],
        "key_id": ring.current_id,
    }
    body["signature"] = ring.mac(ring.current_id, _canonical_json(body))
    return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True).encode()


def _canonical_json(body: Mapping[str, Any]) -> bytes:
    unsigned = {k: v for k, v in body.items() if k != "signature"}
    return json.dumps(unsigned, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


class CheckpointFileError(ValueError):
    """An exported checkpoint file that cannot be trusted (format, signature)."""


def checkpoint_file_read(data: bytes, *, name: str = "文件") -> list[CheckpointClaim]:
    """The checkpoints of an exported file, after checking the file's signature (CheckpointFileError otherwise).
    Each checkpoint's own HMAC is checked later, by :func:`audit_chain_verify`."""
    ring = audit_keyring()
    try:
        body = json.loads(data)
        if body.get("format") != CHECKPOINT_FORMAT:
            raise CheckpointFileError(f"{name} 不是审计检查点文件")
        key_id, signature = body["key_id"], body["signature"]
        claims = [
            CheckpointClaim(
                kind=str(c["kind"]),
                created_at=str(c["created_at"]),
                first_seq=int(c["first_seq"]),
                last_seq=int(c["last_seq"]),
                last_hash=str(c["last_hash"]),
                key_id=str(c["key_id"]),
                mac=str(c["mac"]),
                origin=f"{name}中的检查点（截至序号 {int(c['last_seq'])}）",
            )
            for c in body["checkpoints"]
        ]
    except (ValueError, KeyError, TypeError) as err:
        if isinstance(err, CheckpointFileError):
            raise
        raise CheckpointFileError(f"{name} 格式错误：{err}") from err
    if key_id not in ring.keys or not hmac_equal(ring.mac(key_id, _canonical_json(body)), signature):
        raise CheckpointFileError(f"{name} 的签名不符：文件被改动，或不是本系统的密钥签署")
    return claims


# ---------------------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""
    first_seq: int = 1
    checkpoints: int = 0


_VERIFY_FIELDS = (
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
    "prev_hash",
    "hash",
    "key_id",
)


#: PostgreSQL writes the canonical time itself (C code) instead of handing Django's per-value Python
#: time-zone loader a timestamp to build a datetime that is only formatted again
_PG_CANONICAL_TIME = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"


def _events_in_order(chunk_size: int, after_seq: int) -> Iterator[tuple[Any, ...]]:
    """The chain's rows in order of sequence as plain tuples of ``_VERIFY_FIELDS``, streamed: one raw SQL
    statement read ``chunk_size`` rows at a time through ``chunked_cursor()`` (a server-side cursor on
    PostgreSQL, so the 2,000,000 rows never sit in memory), without Django's model or values iterator
    and its per-value converters. The time comes as its canonical text (:func:`canonical_time`; formatted
    by PostgreSQL), the changes are parsed from their JSON text and the address is text, exactly what
    the model fields would give to :func:`canonical_payload`."""
    from django.db import connections, router

    alias = router.db_for_read(AuditEvent)
    connection = connections[alias]
    columns = {f.attname: str(f.column) for f in AuditEvent._meta.concrete_fields}
    quote = connection.ops.quote_name
    selected = [
        _PG_CANONICAL_TIME.format(quote(columns[name]))
        if name == "occurred_at" and connection.vendor == "postgresql"
        else quote(columns[name])
        for name in _VERIFY_FIELDS
    ]
    sql = (
        f"SELECT {', '.join(selected)} "  # noqa: S608 (names from the model)
        f"FROM {quote(AuditEvent._meta.db_table)} WHERE {quote(columns['seq'])} > %s ORDER BY {quote(columns['seq'])}"
    )
    at, changes_at, ip_at = _VERIFY_FIELDS.index("occurred_at"), _VERIFY_FIELDS.index("changes"), _VERIFY_FIELDS.index("ip")
    loads = json.loads
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [after_seq])
        while True:
            rows = cursor.fetchmany(chunk_size)
            if not rows:
                return
            for raw in rows:
                row = list(raw)
                moment = row[at]
                if not isinstance(moment, str):  # SQLite: Django's converter gives a naive datetime in UTC
                    row[at] = canonical_time(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))
                elif "T" not in moment:  # SQLite without its converter: the stored text, in UTC
                    row[at] = canonical_time(dt.datetime.fromisoformat(moment).replace(tzinfo=dt.UTC))
                value = row[changes_at]
                if isinstance(value, str | bytes | bytearray):
                    row[changes_at] = loads(value)
                address = row[ip_at]
                if address is not None and not isinstance(address, str):
                    row[ip_at] = str(address)
                yield tuple(row)


def audit_chain_verify(
    *, chunk_size: int = 5000, exported: list[CheckpointClaim] | None = None, until_seq: int | None = None
) -> VerifyResult:
    """Recompute the keyed chain. Reports the first event that is missing, altered or out of place.

    1. Every checkpoint (the database's and ``exported`` ones from a file kept off the server) must carry a valid
       HMAC; the newest signed prune anchor is where the online chain starts.
    2. In order of sequence: no gap, ``prev_hash`` equals the previous hash, the key id is known and changes only
       at an ``audit.key_rotated`` event, the stored hash equals HMAC-SM3 of the stored content, and an event a
       checkpoint names has the hash the checkpoint signed. With ``until_seq`` the check stops after that event
       (the range about to be archived) and skips step 3.
    3. The chain head's HMAC is right and the head matches the last event; no checkpoint lies beyond the last
       event (a cut tail is named from its first missing event).
    """
    ring = audit_keyring()
    claims = [checkpoint_claim(cp) for cp in AuditCheckpoint.objects.order_by("last_seq", "id")]
    claims += exported or []
    for claim in claims:
        if not claim_mac_ok(claim, ring):
            return VerifyResult(
                False,
                0,
                claim.last_seq,
                f"{claim.origin}（截至序号 {claim.last_seq}）签名不符：检查点被伪造或改动",
                checkpoints=len(claims),
            )
    anchors = [c for c in claims if c.kind == AuditCheckpoint.Kind.PRUNE]
    anchor = max(anchors, key=lambda c: c.last_seq) if anchors else None
    start_seq = anchor.last_seq + 1 if anchor else 1
    prev_hash = anchor.last_hash if anchor else GENESIS_HASH
    pinned: dict[int, CheckpointClaim] = {}
    for claim in claims:
        if claim.last_seq >= start_seq:
            pinned.setdefault(claim.last_seq, claim)
            if pinned[claim.last_seq].last_hash != claim.last_hash:
                return VerifyResult(
                    False,
                    0,
                    claim.last_seq,
                    f"{claim.origin}与{pinned[claim.last_seq].origin}对序号 {claim.last_seq} 的哈希不一致",
                    checkpoints=len(claims),
                )
    hashers: dict[str, hmac.HMAC] = {}
    expected_seq = start_seq
    checked = 0
    prev_key = ""

    def fail(seq: int | None, problem: str) -> VerifyResult:
        return VerifyResult(False, checked, seq, problem, first_seq=start_seq, checkpoints=len(claims))

    for row in _events_in_order(chunk_size, start_seq - 1):
        (
            seq,
            occurred_at,
            actor_id,
            agency_id,
            action,
            object_type,
            object_id,
            object_repr,
            actor_name,
            context_type,
            context_id,
            summary,
            changes,
            reason,
            request_id,
            ip,
            stored_prev,
            stored_hash,
            key_id,
        ) = row
        if seq != expected_seq:
            return fail(expected_seq, f"缺少序号 {expected_seq} 的事件（下一条为 {seq}）")
        if stored_prev != prev_hash:
            return fail(seq, f"前一哈希不符：记录为 {stored_prev}，应为 {prev_hash}")
        if key_id not in ring.keys:
            what = "未使用密钥签名" if not key_id else f"使用了未知的密钥 {key_id}"
            return fail(seq, f"事件{what}：疑为绕过系统重算哈希")
        if prev_key and key_id != prev_key and action != KEY_ROTATED:
            return fail(seq, f"密钥由 {prev_key} 变为 {key_id}，但没有密钥轮换记录")
        hasher = hashers.get(key_id)
        if hasher is None:
            hasher = hashers[key_id] = ring.hasher(key_id)
        payload = canonical_payload(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=actor_id,
            agency_id=agency_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            actor_name=actor_name,
            context_type=context_type,
            context_id=context_id,
            summary=summary,
            changes=changes,
            reason=reason,
            request_id=request_id,
            ip=ip,
            key_id=key_id,
        )
        h = hasher.copy()
        h.update(prev_hash.encode("ascii"))
        h.update(payload)
        recomputed = h.finalize().hex()
        if recomputed != stored_hash:
            return fail(seq, f"内容已被改动：记录哈希 {stored_hash}，按内容和密钥 {key_id} 重算为 {recomputed}")
        pin = pinned.get(seq)
        if pin is not None and pin.last_hash != stored_hash:
            return fail(seq, f"与{pin.origin}不符：检查点签署的哈希为 {pin.last_hash}，日志为 {stored_hash}")
        prev_hash = stored_hash
        prev_key = key_id
        expected_seq += 1
        checked += 1
        if until_seq is not None and seq >= until_seq:
            return VerifyResult(True, checked, first_seq=start_seq, checkpoints=len(claims))
    last_seq = expected_seq - 1
    if until_seq is not None:
        return fail(last_seq + 1, f"缺少序号 {last_seq + 1} 的事件（应校验到序号 {until_seq}）")
    beyond = [c for c in claims if c.last_seq > last_seq]
    if beyond:
        furthest = max(beyond, key=lambda c: c.last_seq)
        return fail(
            last_seq + 1,
            f"{furthest.origin}记录审计链已到序号 {furthest.last_seq}，日志只到序号 {last_seq}：序号 {last_seq + 1} 起的事件缺失",
        )
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if last_seq:
            return fail(last_seq + 1, "链头记录缺失：无法确认末尾事件是否完整")
        return VerifyResult(True, checked, first_seq=start_seq, checkpoints=len(claims))
    if head.last_seq and not (
        head.key_id in ring.keys and hmac_equal(head_mac(head.last_seq, head.last_hash, key_id=head.key_id, ring=ring), head.mac)
    ):
        return fail(
            min(head.last_seq, last_seq) + 1,
            f"链头记录（序号 {head.last_seq}）校验码不符：链头被改写，序号 {min(head.last_seq, last_seq) + 1} 起的事件可能已被删除",
        )
    if head.last_seq > last_seq:
        return fail(last_seq + 1, f"链头记录最后序号为 {head.last_seq}，日志中只到序号 {last_seq}：末尾事件缺失")
    if head.last_seq < last_seq:
        return fail(
            head.last_seq + 1,
            f"序号 {head.last_seq + 1} 起的事件不在链头记录内（链头最后序号为 {head.last_seq}）：疑为绕过系统写入",
        )
    if head.last_hash != prev_hash:
        return fail(last_seq, f"最后一条事件的哈希与链头记录不符：链头为 {head.last_hash}，日志为 {prev_hash}")
    return VerifyResult(True, checked, first_seq=start_seq, checkpoints=len(claims))
