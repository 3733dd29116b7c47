"""Printed forms of the final accounts and the asset handover (PDF via WeasyPrint, offline; Excel via core.xlsx).

The fixed-asset system's import layout (固定资产系统导入格式), one row per asset card, columns in this order:

资产编号 (项目编号-序号) · 资产名称 · 资产分类代码 (GB/T 14885) · 资产分类名称 · 数量 · 计量单位 · 价值（元） · 取得方式
(自建) · 交付使用日期 · 存放地点 · 使用部门 · 保管部门 · 项目编号 · 项目名称 · 决算批复日期 · 来源（决算费用明细）.

Amounts are numbers with two decimals, dates ISO (YYYY-MM-DD); text cells are made inert by core.xlsx."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from govworks.core.pdf import html_to_pdf
from govworks.core.xlsx import sheet_append, workbook_bytes, workbook_new

ASSET_COLUMNS: tuple[str, ...] = (
    "资产编号",
    "资产名称",
    "资产分类代码",
    "资产分类名称",
    "数量",
    "计量单位",
    "价值（元）",
    "取得方式",
    "交付使用日期",
    "存放地点",
    "使用部门",
    "保管部门",
    "项目编号",
    "项目名称",
    "决算批复日期",
    "来源（决算费用明细）",
)


def final_accounts_report_pdf(sheet: Any) -> bytes:
    """竣工财务决算报告: the cost sheet, funds by source, surplus, checklist and the approval trail."""
    steps = list(sheet.approval.steps.select_related("decided_by").order_by("index")) if sheet.approval else []
    html = render_to_string(
        "closeout/final_accounts/report_pdf.html", {"s": sheet, "p": sheet.project, "steps": steps, "now": timezone.now()}
    )
    return html_to_pdf(html)


def asset_rows(view: Any) -> list[list[Any]]:
    from govworks.closeout.asset_classes import CLASS_NAMES

    h = view.handover
    p = view.project
    return [
        [
            f"{p.code}-{c.seq:03d}",
            c.name,
            c.class_code,
            CLASS_NAMES.get(c.class_code, ""),
            c.quantity,
            c.unit,
            c.value,
            "自建",
            c.delivered_on.isoformat(),
            c.location,
            h.using_department.name,
            c.custodian_department.name,
            p.code,
            p.name,
            view.approved_on.isoformat() if view.approved_on else "",
            c.line.label,
        ]
        for c in view.cards
    ]


def asset_list_xlsx(view: Any) -> bytes:
    """交付使用资产清单 in the fixed-asset system's import layout (see the module docstring)."""
    book = workbook_new()
    sheet: Any = book.active
    sheet.title = "资产导入"
    sheet_append(sheet, ASSET_COLUMNS)
    for row in asset_rows(view):
        sheet_append(sheet, row)
    return workbook_bytes(book)


def asset_list_pdf(view: Any) -> bytes:
    """交付使用资产清单 for signatures: cards, totals against the approved final cost, the confirmation."""
    from govworks.closeout.asset_classes import CLASS_NAMES

    html = render_to_string(
        "closeout/assets/list_pdf.html", {"v": view, "p": view.project, "class_names": CLASS_NAMES, "now": timezone.now()}
    )
    return html_to_pdf(html)
