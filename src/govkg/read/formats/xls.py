"""Excel 97–2003 .xls with xlrd: each non-empty sheet becomes a table, merged cells (`merged_cells`) as merges.

Hidden sheets, rows and columns are read like the rest and reported; an encrypted workbook is refused.
"""

from __future__ import annotations

import xlrd
from xlrd.sheet import Sheet as XlsSheet

from ...model import InputError, Source
from ..assemble import SourceBuilder
from .spreadsheet import cell_text, report_hidden, sheet_table


def read_xls(data: bytes, file: str) -> Source:
    """Read an .xls workbook: one table per non-empty sheet."""
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise InputError(file, "password-protected (encrypted) Excel workbook: remove the password in Excel / "
                                   "WPS and save it again") from None
        raise InputError(file, f"broken .xls workbook: {exc}") from None
    builder = SourceBuilder(file, "xls", data, book.encoding or "biff")
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            _read_sheet(builder, book, sheet)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return builder.build()


def _text(book: xlrd.Book, sheet: XlsSheet, row: int, col: int) -> str:
    cell = sheet.cell(row, col)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        xf = book.xf_list[sheet.cell_xf_index(row, col)]
        number_format = book.format_map.get(xf.format_key)
        return cell_text(cell.value, number_format.format_str if number_format else "General")
    return str(cell.value)


def _read_sheet(builder: SourceBuilder, book: xlrd.Book, sheet: XlsSheet) -> None:
    values = {(r + 1, c + 1): text for r in range(sheet.nrows) for c in range(sheet.row_len(r))
              if (text := _text(book, sheet, r, c)).strip()}
    # xlrd: (first row, row after last, first column, column after last), 0-based.
    merges = [(m[0] + 1, m[2] + 1, m[1], m[3]) for m in sheet.merged_cells]
    table = sheet_table(values, merges)
    if table is None:
        return
    builder.table(table.placed, sheet=sheet.name, row_numbers=table.rows, col_numbers=table.columns)
    if sheet.visibility:
        builder.warn(f"sheet {sheet.name!r} is hidden; read like the others")
    hidden_rows = sorted(r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden and r + 1 in table.rows)
    hidden_cols = sorted(c + 1 for c, info in sheet.colinfo_map.items() if info.hidden and c + 1 in table.columns)
    report_hidden(builder, sheet.name, "rows", [str(r) for r in hidden_rows])
    report_hidden(builder, sheet.name, "columns", [str(c) for c in hidden_cols])
