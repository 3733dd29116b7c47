"""Writes of the kernel around the audit chain: exporting signed checkpoints, archiving and pruning the log
(issue 12, items 5 and 13). Every act is the 安全审计员's, audited in the chain it concerns."""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

from cryptography.hazmat.primitives import hashes
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from govworks.core.audit import (
    GENESIS_HASH,
    audit_chain_verify,
    audit_checkpoint_write,
    audit_event_record,
    canonical_time,
    checkpoint_claim,
    checkpoint_file_content,
)
from govworks.core.audit_keys import audit_keyring
from govworks.core.errors import DomainError
from govworks.core.models import AuditArchive, AuditCheckpoint, AuditEvent
from govworks.core.rule_parameters import rule_value
from govworks.core.rules import audit_prune_cutoff, audit_prune_too_recent, audit_retention_refusal
from govworks.core.selectors import AUDIT_PRUNE, is_chain_auditor, may_read_checkpoints

ARCHIVE_FORMAT = "govworks-audit-archive/1"
_ARCHIVE_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_name",
    "agency_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
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


def _require(actor: Any, what: str) -> None:
    if not is_chain_auditor(user=actor, action=AUDIT_PRUNE):
        raise DomainError("audit.forbidden", f"只有审计范围覆盖全部单位的安全审计员可以{what}")


def audit_checkpoints_export(*, actor: Any) -> tuple[str, bytes]:
    """The signed checkpoint file (every checkpoint, HMAC-SM3) for the 安全审计员 to keep off the server.

    Returns (file name, content). The export is itself an audited event.
    """
    if not may_read_checkpoints(user=actor):
        raise DomainError("audit.forbidden", "只有安全审计员可以导出审计检查点")
    with transaction.atomic():
        checkpoints = list(AuditCheckpoint.objects.order_by("last_seq", "id"))
        last = checkpoints[-1].last_seq if checkpoints else 0
        audit_event_record(
            actor=actor,
            action="audit.checkpoints_exported",
            summary=f"导出审计检查点 {len(checkpoints)} 个（截至序号 {last}）",
        )
        content = checkpoint_file_content(
            checkpoints=checkpoints, exported_by=getattr(actor, "display_name", "") or actor.get_username()
        )
    return f"audit-checkpoints-{timezone.localdate():%Y%m%d}-{last}.json", content


def _retention_days() -> int:
    days = rule_value("security.log_retention_days")
    refusal = audit_retention_refusal(retention_days=int(days))
    if refusal:
        raise DomainError("audit.retention_too_short", refusal)
    return int(days)


def _first_online_seq() -> int:
    anchor = AuditCheckpoint.objects.filter(kind=AuditCheckpoint.Kind.PRUNE).order_by("-last_seq").first()
    return anchor.last_seq + 1 if anchor else 1


def audit_archive_create(*, actor: Any) -> AuditArchive:
    """Archive every online event older than the retention period (rule ``日志保存期限（不少于）``, ≥ 180 days).

    The range is first verified (HMAC and links), then written to a JSON-lines file that ends with a signed archive
    checkpoint and the file's SM3, and stored with the archive. Pruning (:func:`audit_events_prune`) needs this
    archive and its download. Refused when the retention parameter is below 180 days or nothing is old enough.
    """
    _require(actor, "归档审计日志")
    days = _retention_days()
    now = timezone.now()
    cutoff = audit_prune_cutoff(now=now, retention_days=days)
    first = _first_online_seq()
    last_seq = (
        AuditEvent.objects.filter(seq__gte=first, occurred_at__lt=cutoff).order_by("-seq").values_list("seq", flat=True).first()
    )
    if last_seq is None:
        raise DomainError(
            "audit.nothing_to_archive",
            f"日志保存期限（不少于）{days} 天：没有早于 {timezone.localtime(cutoff):%Y-%m-%d %H:%M} 的在线事件，无需归档",
        )
    result = audit_chain_verify(until_seq=last_seq)
    if not result.ok:
        raise DomainError(
            "audit.chain_broken",
            f"审计链校验失败（序号 {result.broken_seq}：{result.problem}），不能归档；请先查明原因",
        )
    prev_of_first = (
        AuditEvent.objects.filter(seq=first).values_list("prev_hash", flat=True).first() if first > 1 else GENESIS_HASH
    )
    ring = audit_keyring()
    with transaction.atomic():
        checkpoint = audit_checkpoint_write(kind=AuditCheckpoint.Kind.ARCHIVE, last_seq=last_seq, first_seq=first)
        fd, tmp_path = tempfile.mkstemp(prefix="gw-audit-archive-", suffix=".jsonl")
        digest = hashes.Hash(hashes.SM3())
        try:
            with os.fdopen(fd, "wb") as fh:

                def emit(obj: dict[str, Any]) -> None:
                    line = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"
                    digest.update(line)
                    fh.write(line)

                emit(
                    {
                        "format": ARCHIVE_FORMAT,
                        "first_seq": first,
                        "last_seq": last_seq,
                        "prev_hash": prev_of_first,
                        "created_at": canonical_time(now),
                        "cutoff": canonical_time(cutoff),
                    }
                )
                events = AuditEvent.objects.filter(seq__gte=first, seq__lte=last_seq).order_by("seq")
                for row in events.values_list(*_ARCHIVE_FIELDS).iterator(chunk_size=5000):
                    record = dict(zip(_ARCHIVE_FIELDS, row, strict=True))
                    record["occurred_at"] = canonical_time(record["occurred_at"])
                    emit(record)
                body_sm3 = digest.copy().finalize().hex()
                trailer = {
                    "checkpoint": checkpoint_claim(checkpoint).as_json(),
                    "sm3": body_sm3,
                    "key_id": ring.current_id,
                    "signature": ring.mac(ring.current_id, f"govworks-audit-archive|{body_sm3}".encode()),
                }
                emit(trailer)
            file_sm3 = digest.finalize().hex()
            archive = AuditArchive(
                first_seq=first,
                last_seq=last_seq,
                last_hash=checkpoint.last_hash,
                cutoff=cutoff,
                checkpoint=checkpoint,
                file_sm3=file_sm3,
                created_by=actor,
                created_at=now,
            )
            with open(tmp_path, "rb") as stored:
                archive.file.save(f"audit-archive-{first}-{last_seq}.jsonl", File(stored), save=False)
            archive.save()
        finally:
            os.unlink(tmp_path)
        audit_event_record(
            actor=actor,
            action="audit.archived",
            obj=archive,
            summary=f"归档审计日志：序号 {first}–{last_seq}（早于 {timezone.localtime(cutoff):%Y-%m-%d}）",
            changes={"range": {"before": None, "after": f"{first}-{last_seq}"}, "file_sm3": {"before": None, "after": file_sm3}},
        )
    return archive


def audit_archive_download(*, actor: Any, archive: AuditArchive) -> File:  # type: ignore[type-arg]
    """Open the archive file for the 安全审计员 to keep off the server; the first download is recorded (pruning
    requires it) and every download is an audited event."""
    _require(actor, "下载审计日志归档")
    with transaction.atomic():
        locked = AuditArchive.objects.select_for_update().get(pk=archive.pk)
        if locked.downloaded_at is None:
            locked.downloaded_at = timezone.now()
            locked.save(update_fields=["downloaded_at"])
        audit_event_record(
            actor=actor,
            action="audit.archive_downloaded",
            obj=locked,
            summary=f"下载审计日志归档：序号 {locked.first_seq}–{locked.last_seq}",
        )
    archive.downloaded_at = locked.downloaded_at
    return locked.file.open("rb")


def _file_sm3(archive: AuditArchive) -> str:
    digest = hashes.Hash(hashes.SM3())
    with archive.file.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.finalize().hex()


def audit_events_prune(*, actor: Any, archive: AuditArchive) -> int:
    """Remove the archived events from the online log; returns how many.

    Allowed to the 安全审计员 of a top agency only, for an archive that was downloaded, is intact on the server, starts
    where the online log starts and whose events are all past retention. In one transaction: the act is recorded
    (``audit.pruned``), a signed prune anchor is written at the archive's last event (verification starts from it; the
    database trigger lets only anchored events be deleted), the events are deleted and the archive marked pruned.
    """
    _require(actor, "清理审计日志")
    days = _retention_days()
    with transaction.atomic():
        archive = AuditArchive.objects.select_for_update().get(pk=archive.pk)
        if archive.pruned_at is not None:
            raise DomainError("audit.already_pruned", f"该归档（序号 {archive.first_seq}–{archive.last_seq}）已清理")
        if archive.downloaded_at is None:
            raise DomainError(
                "audit.archive_not_downloaded", "归档文件尚未下载保存到服务器之外：请先下载归档文件，再清理在线日志"
            )
        first = _first_online_seq()
        if archive.first_seq != first:
            raise DomainError(
                "audit.archive_stale",
                f"该归档从序号 {archive.first_seq} 开始，而在线日志从序号 {first} 开始：请重新归档",
            )
        last_at = AuditEvent.objects.filter(seq=archive.last_seq).values_list("occurred_at", flat=True).first()
        if last_at is None:
            raise DomainError("audit.archive_stale", f"序号 {archive.last_seq} 的事件已不在在线日志中：请重新归档")
        cutoff = audit_prune_cutoff(now=timezone.now(), retention_days=days)
        refusal = audit_prune_too_recent(
            last_occurred_at=timezone.localtime(last_at), cutoff=timezone.localtime(cutoff), retention_days=days
        )
        if refusal:
            raise DomainError("audit.retention", refusal)
        stored_hash = AuditEvent.objects.filter(seq=archive.last_seq).values_list("hash", flat=True).first()
        if stored_hash != archive.last_hash or _file_sm3(archive) != archive.file_sm3:
            raise DomainError("audit.archive_altered", "归档文件或在线日志与归档时不一致，不能清理：请重新归档并核查")
        count = archive.last_seq - archive.first_seq + 1
        audit_event_record(
            actor=actor,
            action="audit.pruned",
            obj=archive,
            summary=f"清理审计日志：序号 {archive.first_seq}–{archive.last_seq}，共 {count} 条（已归档，文件 SM3 {archive.file_sm3[:16]}…）",
            changes={"online_from": {"before": archive.first_seq, "after": archive.last_seq + 1}},
            reason=f"超过日志保存期限（不少于）{days} 天",
        )
        audit_checkpoint_write(kind=AuditCheckpoint.Kind.PRUNE, last_seq=archive.last_seq, first_seq=archive.first_seq)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent WHERE seq <= %s", [archive.last_seq])
            deleted = cursor.rowcount
        archive.pruned_at = timezone.now()
        archive.pruned_by = actor
        archive.save(update_fields=["pruned_at", "pruned_by"])
    return int(deleted)
