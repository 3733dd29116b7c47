"""The audit trail (全流程留痕): append events to the SM3 hash chain and verify it.

Every service calls :func:`audit_event_record` inside its own transaction, so the business change and its
trace commit or roll back together.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives import hashes
from django.db import models, transaction
from django.utils import timezone

from govworks.core.models import AuditChainHead, AuditEvent
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


def _canonical_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_payload(
    *,
    seq: int,
    occurred_at: dt.datetime,
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
) -> bytes:
    """The exact bytes that are hashed: sorted-key JSON of every field that matters."""
    payload = {
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
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, payload: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(prev_hash.encode("ascii"))
    digest.update(payload)
    return digest.finalize().hex()


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


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
    locked, so concurrent writers on PostgreSQL produce one linear chain.
    """
    info = current_request_info()
    ip = normalised_ip(info.ip)
    with transaction.atomic():
        head = _locked_head()
        seq = head.last_seq + 1
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
        )
        digest = chain_hash(head.last_hash, payload)
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
            prev_hash=head.last_hash,
            hash=digest,
        )
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=digest)
    return event


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Field-by-field before/after of the keys whose values differ."""
    return {
        key: {"before": jsonable(before.get(key)), "after": jsonable(after.get(key))}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key) and jsonable(before.get(key)) != jsonable(after.get(key))
    }


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""


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
)


def _events_in_order(chunk_size: int) -> Iterator[tuple[Any, ...]]:
    return AuditEvent.objects.order_by("seq").values_list(*_VERIFY_FIELDS).iterator(chunk_size=chunk_size)


def audit_chain_verify(*, chunk_size: int = 5000) -> VerifyResult:
    """Recompute the whole chain. Reports the first event whose content, link or place is wrong.

    Checks, in order of sequence: no gap in the numbers, ``prev_hash`` equals the previous event's hash,
    and the stored hash equals SM3 of the stored content. Finally the last event must match the chain
    head, so removing the newest events is caught as well.
    """
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for row in _events_in_order(chunk_size):
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
        ) = row
        if seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"缺少序号 {expected_seq} 的事件（下一条为 {seq}）")
        if stored_prev != prev_hash:
            return VerifyResult(False, checked, seq, f"前一哈希不符：记录为 {stored_prev}，应为 {prev_hash}")
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
        )
        recomputed = chain_hash(prev_hash, payload)
        if recomputed != stored_hash:
            return VerifyResult(False, checked, seq, f"内容已被改动：记录哈希 {stored_hash}，按内容重算为 {recomputed}")
        prev_hash = stored_hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq > checked:
        return VerifyResult(
            False, checked, checked + 1, f"链头记录最后序号为 {head.last_seq}，日志中只有 {checked} 条：末尾事件缺失"
        )
    if head is not None and head.last_seq < checked:
        return VerifyResult(
            False,
            checked,
            head.last_seq + 1,
            f"序号 {head.last_seq + 1} 起的事件不在链头记录内（链头最后序号为 {head.last_seq}）：疑为绕过系统写入",
        )
    if head is not None and head.last_hash != prev_hash:
        return VerifyResult(
            False, checked, checked, f"最后一条事件的哈希与链头记录不符：链头为 {head.last_hash}，日志为 {prev_hash}"
        )
    return VerifyResult(True, checked)
