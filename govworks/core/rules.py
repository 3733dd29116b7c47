"""Pure rules of the kernel (no Django): the audit log's retention before pruning (issue 12, item 13)."""

from __future__ import annotations

import datetime as dt

#: 《网络安全法》第二十一条: network logs are kept no less than six months; the parameter may not go below this
AUDIT_RETENTION_MIN_DAYS = 180
RETENTION_RULE_NAME = "日志保存期限（不少于）"


def audit_retention_refusal(*, retention_days: int) -> str | None:
    """Why pruning is refused under this retention setting, or None when it is lawful (≥ 180 days)."""
    if retention_days < AUDIT_RETENTION_MIN_DAYS:
        return (
            f"{RETENTION_RULE_NAME}设为 {retention_days} 天，低于法定下限 {AUDIT_RETENTION_MIN_DAYS} 天"
            "（《网络安全法》第二十一条：不少于六个月），不能清理审计日志"
        )
    return None


def audit_prune_cutoff(*, now: dt.datetime, retention_days: int) -> dt.datetime:
    """Events that occurred before this moment are past retention and may be archived and pruned."""
    return now - dt.timedelta(days=max(retention_days, AUDIT_RETENTION_MIN_DAYS))


def audit_prune_too_recent(*, last_occurred_at: dt.datetime, cutoff: dt.datetime, retention_days: int) -> str | None:
    """Refusal when the newest event of a range to prune is still within retention, else None."""
    if last_occurred_at >= cutoff:
        return (
            f"{RETENTION_RULE_NAME} {retention_days} 天：最后一条事件发生于 {last_occurred_at:%Y-%m-%d %H:%M}，"
            f"须早于 {cutoff:%Y-%m-%d %H:%M} 才能清理"
        )
    return None
