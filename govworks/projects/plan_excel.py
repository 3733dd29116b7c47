"""The annual plan in Excel: a downloadable template, an all-or-nothing import that checks every row and
names each problem (行号、列、原因), and the export of any plan.

Reading never writes: ``parse_plan_rows`` returns the rows as ``PlanItemData`` plus every error found;
the caller imports through ``services.plans.plan_items_replace`` only when there are no errors.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from govworks.core.errors import DomainError
from govworks.core.uploads import upload_check
from govworks.core.xlsx import cell_text_restore, cell_write, workbook_bytes, workbook_new
from govworks.org.models import Agency, Department, User
from govworks.projects.models import AnnualPlan, PlanItem
from govworks.projects.models.projects import FundingSource, ProjectType
from govworks.projects.services.plans import PlanItemData

SHEET = "计划项目"
GUIDE_SHEET = "说明"
HEADERS = [
    "序号", "项目名称", "项目类型", "建设地点", "估算金额（元）", "资金来源", "计划开工", "计划竣工",
    "责任科室", "责任人（用户名）", "预期成效",
]  # fmt: skip
COLUMN_WIDTHS = [6, 30, 12, 28, 18, 12, 13, 13, 14, 18, 40]
MAX_ROWS = 500
MAX_SHEET_ROWS = 20000  # rows scanned at most (blank ones included)
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
HEADER_SCAN_ROWS = 10  # the header may sit below a title block (the export has one)
TEMPLATE_ROWS = 500  # rows the dropdowns cover in the template
AMOUNT_MAX = Decimal("99999999999999.99")  # max_digits=16, decimal_places=2
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NAME, TYPE, LOCATION, AMOUNT, SOURCE, START, END, DEPARTMENT, RESPONSIBLE, OUTCOME = HEADERS[1:]

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="206BC4")
_DATE_FORMAT = "yyyy-mm-dd"
_MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class RowError:
    """One problem in the uploaded sheet: the Excel row number, the column's header and why, in Chinese."""

    row: int
    column: str
    reason: str


# ------------------------------------------------------------------------------------------ writing


def _text_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write ``value`` through the shared writer (a text that starts like a formula stays inert text)."""
    return cell_write(ws, row=row, column=column, value=value)


def _header_row(ws: Worksheet, row: int) -> None:
    for col, (title, width) in enumerate(zip(HEADERS, COLUMN_WIDTHS, strict=True), start=1):
        cell = ws.cell(row=row, column=col, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"A{row + 1}"


def _list_validation(labels: Sequence[str], prompt: str) -> DataValidation:
    dv = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
    dv.error = f"请从下拉列表中选择：{'、'.join(labels)}"
    dv.errorTitle = "输入有误"
    dv.prompt = prompt
    dv.showErrorMessage = True
    dv.showInputMessage = True
    return dv


def _to_bytes(wb: Workbook) -> bytes:
    return workbook_bytes(wb)


def plan_template_workbook(*, agency: Agency | None = None) -> bytes:
    """The blank import template: the header row, dropdowns for 项目类型 and 资金来源, and a 说明 sheet.
    With ``agency`` the 说明 sheet lists its active departments and staff usernames to copy from."""
    wb = workbook_new()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    _header_row(ws, 1)
    last = TEMPLATE_ROWS + 1
    for col, labels, prompt in (
        (3, ProjectType.labels, "选择项目类型"),
        (6, FundingSource.labels, "选择资金来源"),
    ):
        dv = _list_validation([str(label) for label in labels], prompt)
        letter = get_column_letter(col)
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)
    amount = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True)
    amount.error = "估算金额须为大于0的数字（元），最多两位小数"
    amount.showErrorMessage = True
    amount.add(f"E2:E{last}")
    ws.add_data_validation(amount)
    dates = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)  # after 2000-01-01
    dates.error = "请填写日期，如 2026-03-01"
    dates.showErrorMessage = True
    dates.add(f"G2:H{last}")
    ws.add_data_validation(dates)

    guide = wb.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 80
    notes = [
        ("填写说明", ""),
        ("工作表", f"在“{SHEET}”工作表第2行起逐行填写，一行一个项目；请勿修改表头，空行会被跳过。"),
        ("导入规则", f"全部行检查无误才导入，任何一行有问题则整批不导入，并逐行列出问题。一次最多{MAX_ROWS}个项目。"),
        ("导入效果", "导入会替换计划中原有的全部项目（仅起草中或被退回的计划可以导入）。"),
        ("序号", "可不填；导入后按行的先后重新编号。"),
        (NAME, "必填，不超过120字。"),
        (TYPE, f"必填，从下拉列表选择：{'、'.join(str(x) for x in ProjectType.labels)}。"),
        (LOCATION, "必填，不超过200字。"),
        (AMOUNT, "必填，大于0的数字，单位为元，最多两位小数，如 1200000 或 1,200,000.00。"),
        (SOURCE, f"必填，从下拉列表选择：{'、'.join(str(x) for x in FundingSource.labels)}。"),
        (START, "必填，日期格式，如 2026-03-01。"),
        (END, "必填，不早于计划开工日期。"),
        (DEPARTMENT, "必填，本单位启用中的科室全称，如“基建科”。"),
        (RESPONSIBLE, "必填，本单位在职人员的登录用户名（不是姓名）。"),
        (OUTCOME, "必填，项目建成后预期达到的效果。"),
    ]
    for r, (key, text) in enumerate(notes, start=1):
        guide.cell(row=r, column=1, value=key).font = Font(bold=True)
        guide.cell(row=r, column=2, value=text).alignment = Alignment(wrap_text=True, vertical="top")
    if agency is not None:
        row = len(notes) + 2
        guide.cell(row=row, column=1, value=f"{agency.name}可选科室").font = Font(bold=True)
        for d in Department.objects.filter(agency=agency, is_active=True).order_by("name"):
            row += 1
            _text_cell(guide, row, 2, d.name)
        row += 2
        guide.cell(row=row, column=1, value=f"{agency.name}人员用户名").font = Font(bold=True)
        for u in User.objects.filter(agency=agency, is_active=True).order_by("username"):
            row += 1
            _text_cell(guide, row, 2, f"{u.username}（{u.display_name}）")
    return _to_bytes(wb)


def plan_export_workbook(plan: AnnualPlan) -> bytes:
    """The plan with its items in the template's columns, under a header block (title, unit, status).
    The item table can be imported again (the reader finds the header row)."""
    items = list(PlanItem.objects.filter(plan=plan).select_related("department", "responsible").order_by("seq"))
    total = sum((i.estimated_amount for i in items), Decimal(0))
    wb = workbook_new()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    title = f"{plan.title}（第{plan.revision}版）" if plan.revision > 1 else plan.title
    _text_cell(ws, 1, 1, title).font = Font(bold=True, size=14)
    _text_cell(
        ws, 2, 1,
        f"单位：{plan.agency.name}　年度：{plan.year}　状态：{plan.get_status_display()}　"
        f"项目 {len(items)} 个，估算合计 {total:,.2f} 元（{total / 10000:,.2f} 万元）",
    )  # fmt: skip
    _text_cell(ws, 3, 1, f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}")
    header = 5
    _header_row(ws, header)
    for r, item in enumerate(items, start=header + 1):
        values: list[Any] = [
            item.seq, item.name, item.get_project_type_display(), item.location, item.estimated_amount,
            item.get_funding_source_display(), item.planned_start, item.planned_end, item.department.name,
            item.responsible.username, item.expected_outcome,
        ]  # fmt: skip
        for c, value in enumerate(values, start=1):
            _text_cell(ws, r, c, value)
        ws.cell(row=r, column=5).number_format = _MONEY_FORMAT
        ws.cell(row=r, column=7).number_format = _DATE_FORMAT
        ws.cell(row=r, column=8).number_format = _DATE_FORMAT
    return _to_bytes(wb)


# ------------------------------------------------------------------------------------------ reading


def _text(value: Any) -> str:
    if value is None:
        return ""
    value = cell_text_restore(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _amount(value: Any) -> tuple[Decimal | None, str]:
    """The amount in 元, or None and why not."""
    if isinstance(value, bool):
        return None, "须为数字金额（元）"
    numeric = isinstance(value, int | float | Decimal)
    raw = str(value) if numeric else re.sub(r"[,，\s¥￥]", "", _text(value)).removesuffix("元")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        return None, f"“{_text(value)}”不是有效的金额，请填写数字（元），如 1200000 或 1,200,000.00"
    if not amount.is_finite():
        return None, f"“{_text(value)}”不是有效的金额"
    if amount <= 0:
        return None, "估算金额须大于0"
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return None, f"金额“{_text(value)}”超过两位小数，最多精确到分"
    if amount > AMOUNT_MAX:
        return None, f"金额“{_text(value)}”过大，请核对单位是否为元"
    return amount.quantize(Decimal("0.01")), ""


_DATE_TEXT = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def _date(value: Any) -> tuple[dt.date | None, str]:
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    text = _text(value)
    match = _DATE_TEXT.match(text)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3])), ""
        except ValueError:
            return None, f"“{text}”不是有效的日期"
    return None, f"“{text}”不是日期，请填写日期格式，如 2026-03-01"


def _choice(value: str, choices: type[ProjectType] | type[FundingSource], what: str) -> tuple[str | None, str]:
    by_label = {str(label): code for code, label in choices.choices}
    if value in by_label:
        return by_label[value], ""
    return None, f"“{value}”不是有效的{what}，应为：{'、'.join(by_label)}"


def _unreadable() -> DomainError:
    return DomainError(
        "plan.import_unreadable", "文件无法读取：不是有效的 .xlsx 文件，请用下载的模板填写后另存为 .xlsx 再上传", field="file"
    )


# what a damaged or hostile .xlsx may raise while being opened or read
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, InvalidFileException, KeyError, IndexError, OSError, ValueError, TypeError,
                SyntaxError, EOFError)  # fmt: skip


def _check_archive(file: Any) -> None:
    """Refuse a file that is not a zip archive, or one that would unpack to more than ``MAX_UNPACKED_BYTES``."""
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except _READ_ERRORS:
        raise _unreadable() from None
    finally:
        if hasattr(file, "seek"):
            file.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:
        raise DomainError(
            "plan.import_too_large",
            f"文件内容过大（解压后超过 {MAX_UNPACKED_BYTES // 1048576}MB），请只保留计划项目后再上传",
            field="file",
        )


def _read_rows(file: Any) -> list[tuple[int, tuple[Any, ...]]]:
    """The non-empty rows below the header, as (Excel row number, the template's columns)."""
    name = str(getattr(file, "name", "") or "")
    if name and not name.lower().endswith(".xlsx"):
        raise DomainError(
            "plan.import_type", "只接受 Excel 2007 及以上格式（.xlsx）的文件，请用下载的模板填写后上传", field="file"
        )
    _check_archive(file)
    if name:  # the content must be a workbook, whatever the name says (a file read from disk has no name)
        upload_check(file, field="file", types=(".xlsx",), max_bytes=MAX_UNPACKED_BYTES)
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except _READ_ERRORS:
        raise _unreadable() from None
    head: list[tuple[Any, ...]] = []
    found = False
    data: list[tuple[int, tuple[Any, ...]]] = []
    width = len(HEADERS)
    try:
        ws: Any = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if number > MAX_SHEET_ROWS:
                raise DomainError("plan.import_too_many", f"工作表超过 {MAX_SHEET_ROWS} 行，请删除多余的行后再上传", field="file")
            cells = (tuple(row) + (None,) * width)[:width]
            if not found:
                head.append(cells)
                if len(head) >= HEADER_SCAN_ROWS or _text(cells[1]) == HEADERS[1]:
                    _check_header(head)
                    found = True
                continue
            if all(_text(v) == "" for v in cells[1:]):  # blank, or nothing but a 序号
                continue
            data.append((number, cells))
            if len(data) > MAX_ROWS:
                raise DomainError(
                    "plan.import_too_many",
                    f"一次最多导入{MAX_ROWS}个项目，文件中超过{MAX_ROWS}行，请分批整理后再导入",
                    field="file",
                )
        if not found:
            _check_header(head)
    except _READ_ERRORS:
        raise _unreadable() from None
    finally:
        wb.close()
    if not data:
        raise DomainError("plan.import_empty", "文件中没有项目数据行，请在表头下方逐行填写项目后再上传", field="file")
    return data


def _check_header(rows: list[tuple[Any, ...]]) -> None:
    """Raise unless one of ``rows`` is the template's header row, column for column."""
    for index, row in enumerate(rows):
        cells = [_text(v) for v in row]
        if cells[:2] == HEADERS[:2]:
            for i, (want, got) in enumerate(zip(HEADERS, cells, strict=True)):
                if want != got:
                    raise DomainError(
                        "plan.import_header",
                        f"表头与模板不一致：第{index + 1}行{get_column_letter(i + 1)}列应为“{want}”，"
                        f"实为“{got}”。请下载最新模板填写",
                        field="file",
                    )
            return
    raise DomainError("plan.import_header", f"没有找到表头（“{HEADERS[0]}”“{HEADERS[1]}”……），请下载模板填写后上传", field="file")


def _required(problems: list[tuple[str, str]], column: str, value: Any, max_length: int | None = None) -> str:
    text = _text(value)
    if not text:
        problems.append((column, "必填，不能为空"))
    elif max_length and len(text) > max_length:
        problems.append((column, f"不能超过{max_length}个字（当前{len(text)}个字）"))
    return text


def _check_row(
    cells: tuple[Any, ...], *, agency: Agency, departments: dict[str, Department], people: dict[str, User]
) -> tuple[PlanItemData | None, list[tuple[str, str]]]:
    """One data row: the item, or None and every (column, reason) wrong with it."""
    problems: list[tuple[str, str]] = []
    name = _required(problems, NAME, cells[1], 120)
    project_type: str | None = None
    if type_text := _required(problems, TYPE, cells[2]):
        project_type, why = _choice(type_text, ProjectType, "项目类型")
        if why:
            problems.append((TYPE, why))
    location = _required(problems, LOCATION, cells[3], 200)
    amount: Decimal | None = None
    if _required(problems, AMOUNT, cells[4]):
        amount, why = _amount(cells[4])
        if why:
            problems.append((AMOUNT, why))
    source: str | None = None
    if source_text := _required(problems, SOURCE, cells[5]):
        source, why = _choice(source_text, FundingSource, "资金来源")
        if why:
            problems.append((SOURCE, why))
    dates: list[dt.date | None] = []
    for column, value in ((START, cells[6]), (END, cells[7])):
        day = None
        if _required(problems, column, value):
            day, why = _date(value)
            if why:
                problems.append((column, why))
        dates.append(day)
    start, end = dates
    if start and end and end < start:
        problems.append((END, f"计划竣工日期 {end:%Y-%m-%d} 早于计划开工日期 {start:%Y-%m-%d}"))
    department = None
    if department_name := _required(problems, DEPARTMENT, cells[8]):
        department = departments.get(department_name)
        if department is None:
            problems.append((DEPARTMENT, f"“{department_name}”不是{agency.name}的科室，请填写科室全称"))
        elif not department.is_active:
            problems.append((DEPARTMENT, f"科室“{department_name}”已停用"))
    person = None
    if username := _required(problems, RESPONSIBLE, cells[9]):
        person = people.get(username)
        if person is None:
            problems.append((RESPONSIBLE, f"没有用户名为“{username}”的人员（请填写登录用户名，不是姓名）"))
        elif person.agency_id != agency.pk:
            problems.append((RESPONSIBLE, f"“{username}”不是{agency.name}的人员"))
        elif not person.is_active:
            problems.append((RESPONSIBLE, f"“{username}”的账号已停用"))
    outcome = _required(problems, OUTCOME, cells[10])
    if problems:
        return None, problems
    assert project_type and source and amount is not None and start and end and department and person
    data = PlanItemData(
        name=name, project_type=project_type, location=location, estimated_amount=amount, funding_source=source,
        planned_start=start, planned_end=end, department=department, responsible=person, expected_outcome=outcome,
    )  # fmt: skip
    return data, []


def parse_plan_rows(file: Any, *, agency: Agency) -> tuple[list[PlanItemData], list[RowError]]:
    """Read the uploaded workbook and check EVERY row; return the good rows and ALL errors found (two queries).

    Refuses the whole file (DomainError on the ``file`` field) when it is not a readable .xlsx, has no
    header, no data rows, or more than ``MAX_ROWS`` rows. The caller imports only when errors is empty.
    """
    rows = _read_rows(file)
    departments = {d.name: d for d in Department.objects.filter(agency=agency)}
    usernames = {_text(cells[9]) for _, cells in rows} - {""}
    people = {u.username: u for u in User.objects.filter(username__in=usernames)}
    items: list[PlanItemData] = []
    errors: list[RowError] = []
    for number, cells in rows:
        data, problems = _check_row(cells, agency=agency, departments=departments, people=people)
        if data is not None:
            items.append(data)
        errors.extend(RowError(number, column, reason) for column, reason in problems)
    return items, errors
