"""The audit log as an Excel export (安全审计员)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils import timezone

from govworks.core.access import access_policy
from govworks.core.audit_labels import audit_action_label, audit_object_type_label
from govworks.core.exports import ExportKind, register_export
from govworks.core.selectors import AUDIT_VIEW, AuditFilter, audit_event_search


def audit_filter_from_params(params: dict[str, Any]) -> AuditFilter:
    def as_date(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return AuditFilter(
        actor=params.get("actor", ""),
        action=params.get("action", ""),
        object_type=params.get("object_type", ""),
        object_id=params.get("object_id", ""),
        date_from=as_date(params.get("date_from")),
        date_to=as_date(params.get("date_to")),
        text=params.get("text", ""),
    )


def _rows(user: Any, params: dict[str, Any]) -> Iterator[Sequence[Any]]:
    qs = audit_event_search(user=user, filters=audit_filter_from_params(params)).values_list(
        "seq",
        "occurred_at",
        "actor_name",
        "agency__name",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "summary",
        "reason",
        "ip",
        "hash",
    )
    for seq, at, actor, agency, action, otype, oid, orepr, summary, reason, ip, digest in qs.iterator(chunk_size=2000):
        yield (
            seq,
            timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S"),
            actor or "系统",
            agency or "",
            audit_action_label(action),
            action,
            audit_object_type_label(otype) if otype else "",
            oid,
            orepr,
            summary,
            reason,
            ip or "",
            digest,
        )


register_export(
    ExportKind(
        key="core.audit_events",
        title="审计日志",
        headers=[
            "序号",
            "时间",
            "操作人",
            "单位",
            "操作",
            "操作代码",
            "对象类型",
            "对象编号",
            "对象",
            "摘要",
            "原因",
            "IP",
            "SM3哈希",
        ],
        rows=_rows,
        count=lambda user, params: audit_event_search(user=user, filters=audit_filter_from_params(params)).count(),
        allowed=lambda user: access_policy().can_anywhere(user, AUDIT_VIEW),
        column_widths=[8, 20, 12, 24, 20, 24, 18, 10, 24, 50, 20, 15, 66],
    )
)
