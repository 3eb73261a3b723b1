"""Reports as CSV and XLSX files, with the very figures of the JSON.

CSV: UTF-8 with a byte-order mark (Excel then reads Chinese right), one header line of column labels, the rows,
the totals last; values exactly as in the JSON (``"12.30"``). A report with several tables writes its first
table to the file named and each other one beside it as ``<name>-<table>.csv``.

XLSX (openpyxl): one sheet per table — header in row 1 (frozen), money, quantities and percentages as numbers
with their decimals shown, totals in bold — and a last sheet with the report's title, parameters and notes.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...core.errors import InvalidInput
from ...core.i18n import _
from .table import DAYS, INT, MONEY, PCT, QTY, RATIO, Report, Table, json_value

NUMBER_FORMATS = {MONEY: "#,##0.00", QTY: "#,##0.000", PCT: "0.00", RATIO: "0.00", DAYS: "0.0", INT: "0"}
BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def write_csv(report: Report, path: Path) -> list[Path]:
    """Write the report's tables as CSV; returns the files written (the first is ``path``)."""
    path = Path(path)
    written = []
    for i, table in enumerate(report.tables):
        target = path if i == 0 else path.with_name(f"{path.stem}-{table.name}{path.suffix or '.csv'}")
        _check_writable(target)
        with target.open("w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f)
            out.writerow([c.label for c in table.columns])
            for row in _all_rows(table):
                out.writerow(["" if v is None else v for v in
                              (json_value(row.get(c.key), c.kind, report.places) for c in table.columns)])
        written.append(target)
    return written


def write_xlsx(report: Report, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    _check_writable(path)
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table in report.tables:
        sheet = book.create_sheet(_sheet_name(table.title, book.sheetnames))
        sheet.append([c.label for c in table.columns])
        for cell in sheet[1]:
            cell.font = bold
        for row in _all_rows(table):
            sheet.append([_cell(row.get(c.key), c.kind, report.places) for c in table.columns])
            for cell, column in zip(sheet[sheet.max_row], table.columns):
                if column.kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[column.kind]
        if table.totals is not None:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        sheet.freeze_panes = "A2"
        for i, column in enumerate(table.columns, start=1):
            width = max([len(column.label) * 2] + [len(str(r.get(column.key) or "")) for r in table.rows[:200]])
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(max(width + 2, 8), 48)
    info = book.create_sheet(_sheet_name(_("Report"), book.sheetnames))
    info.append([report.title])
    info["A1"].font = bold
    for key, value in report.params.items():
        info.append([key, "" if value is None else str(value)])
    for note in report.notes:
        info.append([note])
    book.save(path)
    return path


def _all_rows(table: Table) -> list[dict[str, Any]]:
    return table.rows + ([table.totals] if table.totals is not None else [])


def _cell(value: Any, kind: str, places: int) -> Any:
    """A number where the column holds numbers (exactly its decimals), text otherwise."""
    if value is None:
        return None
    if kind in (MONEY, QTY, PCT, RATIO, DAYS):
        return Decimal(json_value(value, kind, places))
    if kind == INT:
        return int(value)
    return str(value)


def _sheet_name(title: str, taken: list[str]) -> str:
    name = title.translate(BAD_SHEET_CHARS)[:31] or "Sheet"
    base, n = name, 2
    while name in taken:
        name = f"{base[:28]} {n}"
        n += 1
    return name


def _check_writable(path: Path) -> None:
    if not path.parent.exists():
        raise InvalidInput(_("The folder {folder} does not exist").format(folder=path.parent), code="bad_path")
