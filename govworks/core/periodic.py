"""The kernel's own periodic jobs (others register theirs in their AppConfig.ready)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from govworks.core.audit import audit_chain_verify, audit_event_record
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


def _seed_rule_parameters() -> str:
    from govworks.core.rule_parameters import rule_parameters_seed

    return f"补齐 {rule_parameters_seed()} 项默认规则参数"


register_demo_seeder(0, "规则参数", _seed_rule_parameters)
