"""The supplier register as a background Excel export (导出供应商库), with the list page's filters."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils import timezone

from govworks.core.exports import ExportKind, register_export
from govworks.procurement.permissions import may_read_register
from govworks.procurement.selectors.suppliers import supplier_list_visible_to, supplier_row

HEADERS = [
    "单位名称",
    "统一社会信用代码",
    "主营类别",
    "法定代表人",
    "联系电话",
    "状态",
    "信用分",
    "资质",
    "最近到期日",
    "已过期资质",
    "登记单位",
]


def _queryset(user: Any, params: dict[str, Any]) -> Any:
    return supplier_list_visible_to(
        user=user,
        status=str(params.get("status", "")),
        expiry=str(params.get("expiry", "")),
        text=str(params.get("q", "")),
        on=timezone.localdate(),
    )


def _rows(user: Any, params: dict[str, Any]) -> Iterator[Sequence[Any]]:
    today = timezone.localdate()
    # chunked iteration keeps the prefetches (one set of queries per 500 suppliers)
    for supplier in _queryset(user, params).iterator(chunk_size=500):
        row = supplier_row(supplier, today)
        quals = "；".join(f"{q.kind}{q.grade}（至{q.expires_on.isoformat()}）" for q in supplier.qualifications.all())
        yield (
            supplier.name,
            supplier.credit_code,
            supplier.get_category_display(),
            supplier.legal_representative,
            supplier.phone,
            row.status_label,
            row.credit_score,
            quals,
            row.next_expiry.isoformat() if row.next_expiry else "",
            "；".join(f"{q.kind}{q.grade}（{q.expires_on.isoformat()}到期）" for q in row.expired),
            supplier.registered_by.name,
        )


register_export(
    ExportKind(
        key="procurement.suppliers",
        title="供应商库",
        headers=HEADERS,
        rows=_rows,
        count=lambda user, params: _queryset(user, params).count(),
        allowed=may_read_register,
        column_widths=[32, 22, 12, 10, 16, 8, 8, 60, 12, 40, 28],
    )
)
