"""The kernel's own periodic jobs (others register theirs in their AppConfig.ready)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from govworks.core.audit import audit_chain_verify, audit_checkpoint_write, audit_event_record
from govworks.core.models import AuditCheckpoint
from govworks.core.registry import register_demo_seeder, register_periodic_job


def verify_audit_chain(today: dt.date) -> str:
    """Nightly self-check of the audit trail; a broken chain is itself recorded."""
    result = audit_chain_verify()
    if result.ok:
        return f"审计链完整，共 {result.checked} 条"
    with transaction.atomic():
        audit_event_record(
            actor=None, action="audit.chain_broken", summary=f"审计链校验失败：序号 {result.broken_seq}，{result.problem}"
        )
    return f"审计链校验失败：序号 {result.broken_seq}"


register_periodic_job("core.verify_audit_chain", verify_audit_chain)


def write_audit_checkpoint(today: dt.date) -> str:
    """Daily signed checkpoint of the chain (last sequence, hash, HMAC), for the 安全审计员 to export.

    Nothing is written when the chain has not moved since the last checkpoint; a head whose HMAC does not check out
    is never signed: the refusal is recorded as a chain-broken event instead.
    """
    from govworks.core.models import AuditChainHead

    head = AuditChainHead.objects.filter(pk=1).first()
    last = AuditCheckpoint.objects.order_by("-last_seq").first()
    if head is None or head.last_seq == 0 or (last is not None and last.last_seq == head.last_seq):
        return "审计链无新事件，未生成检查点"
    try:
        with transaction.atomic():
            cp = audit_checkpoint_write(kind=AuditCheckpoint.Kind.DAILY)
    except ValueError as err:
        with transaction.atomic():
            audit_event_record(actor=None, action="audit.chain_broken", summary=f"每日检查点未生成：{err}")
        return f"每日检查点未生成：{err}"
    return f"检查点：截至序号 {cp.last_seq}"


register_periodic_job("core.audit_checkpoint", write_audit_checkpoint)


def _seed_rule_parameters() -> str:
    from govworks.core.rule_parameters import rule_parameters_seed

    return f"补齐 {rule_parameters_seed()} 项默认规则参数"


register_demo_seeder(0, "规则参数", _seed_rule_parameters)
