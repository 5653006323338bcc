"""Excel .xlsx (and .xlsm, read as data: macros never run) with openpyxl: each non-empty sheet becomes a table.

Merged ranges are true merges. Cached formula values are read (nothing is computed). Hidden sheets, rows and
columns are read like the rest and reported. Large workbooks are read in openpyxl's read-only (streaming) mode,
whose sheets do not expose merged ranges or hidden rows: those are then taken from the sheet XML in one streaming
pass.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import openpyxl
from lxml import etree
from openpyxl.utils import get_column_letter, range_boundaries

from ...model import FormatName, Source
from ..assemble import SourceBuilder
from ..limits import open_zip
from ..sniff import is_macro_enabled
from .spreadsheet import cell_text, report_hidden, sheet_table

#: Unpacked size of the sheets above which openpyxl's read-only mode is used (bytes).
READ_ONLY_ABOVE = 16 * 1024 * 1024
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class SheetFacts:
    """What a sheet says about its layout: merged ranges and hidden rows and columns."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_col, min_row, max_col, max_row
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)


def read_xlsx(data: bytes, file: str, *, read_only_above: int = READ_ONLY_ABOVE,
              fmt: FormatName = "xlsx") -> Source:
    """Read an .xlsx workbook: one table per non-empty sheet, merged ranges as merges."""
    builder = SourceBuilder(file, fmt, data, "utf-8")
    with open_zip(data, file) as archive:
        if is_macro_enabled(archive):
            builder.warn("macro-enabled Excel file: read as data, its macros are ignored (never run)", code="macros")
        sheet_bytes = sum(info.file_size for info in archive.infolist() if info.filename.startswith("xl/worksheets/"))
        read_only = sheet_bytes > read_only_above
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=read_only, data_only=True, keep_vba=False,
                                          keep_links=False)
        try:
            for sheet in workbook.worksheets:
                facts = _streamed_facts(archive, sheet._worksheet_path) if read_only else _facts(sheet)
                _read_sheet(builder, sheet, facts)
        finally:
            workbook.close()
    return builder.build()


def _facts(sheet: openpyxl.worksheet.worksheet.Worksheet) -> SheetFacts:
    facts = SheetFacts([tuple(r.bounds) for r in sheet.merged_cells.ranges])  # type: ignore[misc]
    facts.hidden_rows = {index for index, dim in sheet.row_dimensions.items() if dim.hidden}
    for dim in sheet.column_dimensions.values():
        if dim.hidden and dim.min and dim.max:
            facts.hidden_cols.update(range(dim.min, dim.max + 1))
    return facts


def _streamed_facts(archive: zipfile.ZipFile, path: str) -> SheetFacts:
    """Merged ranges and hidden rows / columns of a sheet, from its XML in one streaming pass."""
    facts = SheetFacts()
    with archive.open(path.lstrip("/")) as stream:
        for _, element in etree.iterparse(stream, events=("end",), tag=(_S + "row", _S + "col", _S + "mergeCell"),
                                          resolve_entities=False, no_network=True, huge_tree=False):
            if element.tag == _S + "mergeCell" and element.get("ref"):
                facts.merges.append(range_boundaries(element.get("ref")))  # type: ignore[arg-type]
            elif element.get("hidden") in ("1", "true"):
                if element.tag == _S + "row" and (element.get("r") or "").isdigit():
                    facts.hidden_rows.add(int(element.get("r")))  # type: ignore[arg-type]
                elif element.tag == _S + "col":
                    facts.hidden_cols.update(range(int(element.get("min", "0")), int(element.get("max", "0")) + 1))
            element.clear()
    return facts


def _values(sheet: object) -> dict[tuple[int, int], str]:
    """The non-empty cells of a sheet as text, keyed by (row, column), 1-based."""
    out: dict[tuple[int, int], str] = {}
    for row in sheet.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                continue
            text = cell_text(value, getattr(cell, "number_format", "General"))
            if text.strip():
                out[(cell.row, cell.column)] = text
    return out


def _read_sheet(builder: SourceBuilder, sheet: object, facts: SheetFacts) -> None:
    title = str(getattr(sheet, "title", ""))
    table = sheet_table(_values(sheet), [(m[1], m[0], m[3], m[2]) for m in facts.merges])
    if table is None:
        return
    builder.table(table.placed, sheet=title, row_numbers=table.rows, col_numbers=table.columns)
    state = getattr(sheet, "sheet_state", "visible")
    if state != "visible":
        builder.warn(f"sheet {title!r} is hidden ({state}); read like the others")
    report_hidden(builder, title, "rows", [str(r) for r in sorted(facts.hidden_rows) if r in table.rows])
    report_hidden(builder, title, "columns",
                  [get_column_letter(c) for c in sorted(facts.hidden_cols) if c in table.columns])
