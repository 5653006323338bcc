"""Spreadsheets: a table per sheet, merged ranges, values as shown, hidden rows and columns reported."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from govkg.model import Grid, Source
from govkg.read import read_bytes
from govkg.read.formats.xlsx import read_xlsx


def grids(source: Source) -> list[Grid]:
    return [block for block in source.blocks if isinstance(block, Grid)]


@pytest.fixture(scope="module")
def workbook() -> bytes:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "附件1"
    first["B2"], first["C2"], first["D2"] = "序号", "工作任务", "牵头单位"
    first["B3"], first["C3"], first["D3"] = 1, "任务甲", "发改局"
    first["C4"] = "任务乙"
    first.merge_cells("D3:D4")
    first["B5"], first["C5"], first["D5"] = 2.0, "增长6.5%", 0.065
    first["D5"].number_format = "0.0%"
    first["C6"] = dt.datetime(2023, 3, 1)
    first.row_dimensions[4].hidden = True
    first.column_dimensions["C"].hidden = True
    first["Z100"].font = openpyxl.styles.Font(bold=True)  # formatting only: no part of the table
    second = book.create_sheet("附件2")
    second["A1"] = "民生实事"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("read_only_above", [10**9, 0])
def test_sheets_merges_values_and_hidden_rows(workbook, read_only_above):
    source = read_xlsx(workbook, "book.xlsx", read_only_above=read_only_above)
    first, second = grids(source)
    assert [[cell.text for cell in row] for row in first.rows] == [
        ["序号", "工作任务", "牵头单位"], ["1", "任务甲", "发改局"], ["", "任务乙", ""],
        ["2", "增长6.5%", "6.5%"], ["", "2023-03-01", ""]]
    assert first.rows[1][2].row_span == 2 and first.rows[2][2].covered == (1, 2)
    where = source.locations[first.rows[1][2].lines[0].no]
    assert (where.sheet, where.table, where.row, where.column) == ("附件1", 1, 3, 4)
    assert source.locations[second.rows[0][0].lines[0].no].sheet == "附件2"
    messages = [d.message for d in source.diagnostics]
    assert any("hidden rows 4" in m for m in messages) and any("hidden columns C" in m for m in messages)


def test_read_bytes_finds_the_workbook(workbook):
    assert read_bytes(workbook, "book.dat").format == "xlsx"


def test_macro_enabled_workbook_is_read_as_data(workbook):
    import zipfile

    package = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as plain, zipfile.ZipFile(package, "w") as xlsm:
        for info in plain.infolist():
            data = plain.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            xlsm.writestr(info, data)
        xlsm.writestr("xl/vbaProject.bin", b"\0" * 64)
    source = read_bytes(package.getvalue(), "macro.xlsm")
    assert source.format == "xlsx" and len(grids(source)) == 2
    assert "macros" in [d.code for d in source.diagnostics]
