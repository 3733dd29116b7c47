"""The one Excel writer of GovWorks: every exported workbook is created and saved here, so no exported cell is a
live formula. A text that begins with ``= + - @``, a tab or a carriage return (what Excel, WPS and LibreOffice
read as the start of a formula or DDE call, e.g. a supplier named ``=HYPERLINK("http://x","y")``) is written as
text with a leading single quote, which the reader sees and no spreadsheet evaluates.

Write through ``sheet_append`` / ``cell_write`` (or hand any value to ``cell_inert``); ``workbook_bytes`` and
``workbook_save`` neutralise every cell once more before saving, so a cell written past these helpers is caught
too (write-only sheets cannot be re-read: they must be filled through ``sheet_append``). Importers read such a
cell back with ``cell_text_restore``. A test keeps other modules from creating workbooks themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
INERT_MARK = "'"


def cell_inert(value: Any) -> Any:
    """``value`` as it may be written to a cell: a text starting like a formula gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return INERT_MARK + value
    return value


def cell_text_restore(value: Any) -> Any:
    """The text an export wrote, read back by an importer: the single quote ``cell_inert`` added is dropped."""
    if isinstance(value, str) and value.startswith(INERT_MARK) and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def workbook_new(*, write_only: bool = False) -> Workbook:
    """A new workbook for an export (``write_only`` for large streamed exports)."""
    return Workbook(write_only=write_only)


def sheet_append(sheet: Any, values: Iterable[Any]) -> None:
    """Append one row, every text neutralised (also for write-only sheets and ``WriteOnlyCell`` values)."""
    row = []
    for value in values:
        if isinstance(value, Cell):  # openpyxl's WriteOnlyCell is a Cell too
            value.value = cell_inert(value.value)
            row.append(value)
        else:
            row.append(cell_inert(value))
    sheet.append(row)


def cell_write(sheet: Worksheet, *, row: int, column: int, value: Any) -> Cell:
    """Write one cell, neutralised; returns the cell for styling."""
    cell: Cell = sheet.cell(row=row, column=column, value=cell_inert(value))
    return cell


def _neutralise(workbook: Workbook) -> None:
    if getattr(workbook, "write_only", False):
        return  # write-only cells were neutralised by sheet_append; they cannot be read back
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    cell.value = cell_inert(cell.value)
                    cell.data_type = "s"


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as .xlsx bytes, with no cell that starts a formula."""
    _neutralise(workbook)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def workbook_save(workbook: Workbook, path: Path) -> None:
    """Save the workbook to ``path``, with no cell that starts a formula."""
    _neutralise(workbook)
    workbook.save(path)
