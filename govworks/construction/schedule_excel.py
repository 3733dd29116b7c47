"""The schedule in Excel: export (plan, baseline, progress) and an all-or-nothing import that checks every
row and names each problem (行号、列、原因). Rows are matched by 编号: a new code adds a task, a known
code revises its plan (the baseline stays once fixed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from govworks.construction.models import ScheduleTask
from govworks.construction.services import schedule as services
from govworks.core.errors import DomainError
from govworks.core.uploads import upload_bytes_check
from govworks.core.xlsx import cell_text_restore, sheet_append, workbook_bytes, workbook_new
from govworks.org.models import User
from govworks.projects.models import Project

HEADERS = ["编号", "工作名称", "里程碑", "计划开始", "计划完成", "权重", "前置工作", "基线开始", "基线完成", "已确认进度（%）"]
WIDTHS = [10, 36, 8, 13, 13, 8, 16, 13, 13, 14]
IMPORTED = HEADERS[:7]
MAX_ROWS = 1000
IMPORT_MAX_BYTES = 5 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def schedule_export(project: Project) -> bytes:
    """The project's schedule as .xlsx (two queries: tasks, dependencies)."""
    wb = workbook_new()
    ws = wb.active
    assert ws is not None
    ws.title = "进度计划"
    sheet_append(ws, [f"{project.code} {project.name} 施工进度计划"])
    sheet_append(ws, HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="206BC4")
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(65 + i)].width = width
    tasks = list(ScheduleTask.objects.filter(project=project).prefetch_related("predecessors").order_by("sort_order", "id"))
    for t in tasks:
        sheet_append(
            ws,
            [
                t.code, t.name, "是" if t.is_milestone else "否", t.planned_start, t.planned_end, float(t.weight),
                ",".join(p.code for p in t.predecessors.all()), t.baseline_start, t.baseline_end, float(t.progress),
            ]
        )  # fmt: skip
        for col in (4, 5, 8, 9):
            ws.cell(row=ws.max_row, column=col).number_format = "yyyy-mm-dd"
    return workbook_bytes(wb)


@dataclass
class ImportRow:
    row: int
    code: str
    name: str
    is_milestone: bool
    planned_start: dt.date
    planned_end: dt.date
    weight: Decimal
    predecessors: list[str] = field(default_factory=list)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip().replace("/", "-"))
        except ValueError:
            return None
    return None


def parse_schedule(data: bytes) -> tuple[list[ImportRow], list[str]]:
    """Rows and every problem found (“第N行“列”：原因”). Reading never writes."""
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as err:
        raise DomainError("construction.import_file", "文件不是有效的Excel（.xlsx）文件", field="file") from err
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(max_row=MAX_ROWS + 10, values_only=True))
    header_at = next((i for i, r in enumerate(rows[:10]) if r and list(r[: len(IMPORTED)]) == IMPORTED), None)
    if header_at is None:
        raise DomainError("construction.import_header", f"未找到表头（应为：{'、'.join(IMPORTED)}）", field="file")
    out: list[ImportRow] = []
    errors: list[str] = []
    codes: set[str] = set()
    for offset, r in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells = list(r) + [None] * 10
        if not any(c not in (None, "") for c in cells[:7]):
            continue
        code, name = (str(cell_text_restore(c) or "").strip() for c in cells[:2])
        start, end = _date(cells[3]), _date(cells[4])
        problems = []
        if not code:
            problems.append("“编号”：不能为空")
        elif code in codes:
            problems.append(f"“编号”：{code}重复")
        if not name:
            problems.append("“工作名称”：不能为空")
        if start is None:
            problems.append("“计划开始”：不是日期")
        if end is None:
            problems.append("“计划完成”：不是日期")
        if start and end and end < start:
            problems.append("“计划完成”：早于计划开始")
        try:
            weight = Decimal(str(cells[5] if cells[5] not in (None, "") else 1))
            if weight < 0:
                problems.append("“权重”：不能为负数")
        except InvalidOperation:
            weight = Decimal(0)
            problems.append("“权重”：不是数字")
        if problems:
            errors.extend(f"第{offset}行{p}" for p in problems)
            continue
        codes.add(code)
        preds = [p.strip() for p in str(cells[6] or "").replace("，", ",").split(",") if p.strip()]
        assert start is not None and end is not None
        out.append(
            ImportRow(offset, code, name, str(cells[2] or "").strip() in ("是", "Y", "y", "1", "True"), start, end, weight, preds)
        )
    for row in out:
        for p in row.predecessors:
            if p not in codes:
                errors.append(f"第{row.row}行“前置工作”：编号{p}不在表中")
    if len(out) > MAX_ROWS:
        errors.append(f"最多导入{MAX_ROWS}行")
    return out, errors


def schedule_import(*, actor: User, project: Project, data: bytes) -> int:
    """Import the sheet all or nothing (refused with every problem listed); returns the rows imported."""
    upload_bytes_check(data, name="schedule.xlsx", field="file", types=(".xlsx",), max_bytes=IMPORT_MAX_BYTES)
    rows, errors = parse_schedule(data)
    if errors:
        raise DomainError("construction.import_rows", "导入失败，请修改后重新上传：" + "；".join(errors[:20]), field="file")
    if not rows:
        raise DomainError("construction.import_empty", "表中没有进度计划数据", field="file")
    with transaction.atomic():
        existing = {t.code: t for t in ScheduleTask.objects.filter(project=project)}
        for row in rows:
            task = existing.get(row.code)
            if task is None:
                existing[row.code] = services.task_create(
                    actor=actor, project=project, code=row.code, name=row.name, planned_start=row.planned_start,
                    planned_end=row.planned_end, weight=row.weight, is_milestone=row.is_milestone,
                )  # fmt: skip
            elif (task.planned_start, task.planned_end, task.weight) != (row.planned_start, row.planned_end, row.weight):
                existing[row.code] = services.task_revise(
                    actor=actor, task=task, planned_start=row.planned_start, planned_end=row.planned_end, weight=row.weight,
                    reason="Excel导入调整",
                )  # fmt: skip
        for row in rows:
            task = existing[row.code]
            task.predecessors.set([existing[p] for p in row.predecessors])
            services._check_predecessors(task, project, [existing[p] for p in row.predecessors])
    return len(rows)
