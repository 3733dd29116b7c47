"""The supplier register (导出供应商库) and the contract register (导出合同台账) as background Excel
exports, each starting from what the requester may see, with its list page's filters."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils import timezone

from govworks.core.exports import ExportKind, register_export
from govworks.procurement.permissions import may_read_contracts, may_read_register
from govworks.procurement.selectors.contracts import contract_list_visible_to
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


# 合同台账 (contract register) ------------------------------------------------------------------------

CONTRACT_HEADERS = [
    "合同编号",
    "合同名称",
    "项目编号",
    "项目名称",
    "标段",
    "乙方",
    "合同金额（元）",
    "计价方式",
    "主体施工合同",
    "状态",
    "签订日期",
    "开始日期",
    "结束日期",
]


def _contracts(user: Any, params: dict[str, Any]) -> Any:
    """The register page's query with its filters (q, status, project)."""
    project = str(params.get("project") or "")
    return contract_list_visible_to(
        user=user,
        q=str(params.get("q", ""))[:50],
        status=str(params.get("status", "")),
        project=int(project) if project.isdigit() else None,
    )


def _contract_rows(user: Any, params: dict[str, Any]) -> Iterator[Sequence[Any]]:
    for c in _contracts(user, params).iterator(chunk_size=500):
        yield (
            c.number,
            c.title,
            c.project.code,
            c.project.name,
            c.lot.name,
            c.supplier.name,
            c.amount,
            c.get_pricing_type_display(),
            "是" if c.is_main_construction else "否",
            c.get_status_display(),
            c.signed_on.isoformat() if c.signed_on else "",
            c.starts_on.isoformat(),
            c.ends_on.isoformat(),
        )


register_export(
    ExportKind(
        key="procurement.contracts",
        title="合同台账",
        headers=CONTRACT_HEADERS,
        rows=_contract_rows,
        count=lambda user, params: _contracts(user, params).count(),
        allowed=may_read_contracts,
        column_widths=[22, 40, 16, 36, 24, 32, 16, 10, 8, 8, 12, 12, 12],
    )
)
