"""The paid payments of the fund dashboard's scope (导出支付明细) as a background Excel export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils import timezone

from govworks.core.exports import ExportKind, register_export
from govworks.finance.permissions import may_read_finance
from govworks.finance.selectors.dashboard import paid_requests

HEADERS = [
    "支付日期",
    "申请编号",
    "支付指令编号",
    "项目编号",
    "项目名称",
    "合同编号",
    "收款人",
    "款项类型",
    "资金来源",
    "预算指标文号",
    "本期应付",
    "扣回预付款",
    "实付金额",
]


def _int(value: Any) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _queryset(user: Any, params: dict[str, Any]) -> Any:
    return paid_requests(
        user=user,
        year=_int(params.get("year")) or timezone.localdate().year,
        agency=_int(params.get("agency")),
        project=_int(params.get("project")),
        source=_int(params.get("source")),
    ).select_related("instruction")


def _rows(user: Any, params: dict[str, Any]) -> Iterator[Sequence[Any]]:
    for r in _queryset(user, params).iterator(chunk_size=1000):
        instruction = getattr(r, "instruction", None)
        yield (
            r.paid_on.isoformat() if r.paid_on else "",
            r.number,
            instruction.number if instruction else "",
            r.project.code,
            r.project.name,
            r.contract.number,
            r.contract.supplier.name,
            r.kind_label(),
            r.source.name,
            r.source.indicator_number,
            float(r.gross_amount),
            float(r.advance_offset),
            float(r.amount),
        )


register_export(
    ExportKind(
        key="finance.payments",
        title="支付明细",
        headers=HEADERS,
        rows=_rows,
        count=lambda user, params: _queryset(user, params).count(),
        allowed=may_read_finance,
        column_widths=[12, 16, 16, 14, 28, 16, 28, 10, 24, 20, 14, 14, 14],
    )
)
