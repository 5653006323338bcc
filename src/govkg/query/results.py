"""Results for people and programs: plain Python rows, table / CSV / TSV / JSON text, and XLSX workbooks."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from ..rdf.vocab import PREFIXES
from ..textutil import display_width, fit
from .backends import Results, Value
from .catalog import QueryError

FORMATS = ("table", "csv", "tsv", "json", "xlsx")
#: The UTF-8 byte-order mark that makes Excel read a CSV file as UTF-8 (not the system's code page).
BOM = "\ufeff"
XSD = "http://www.w3.org/2001/XMLSchema#"
_LIST_SPLIT = re.compile(r"[、 ]+")
_MAX_COLUMN = 40


def _sorted_items(text: str) -> list[str]:
    items = [item for item in _LIST_SPLIT.split(text) if item]
    if all(item.isdigit() for item in items):
        return sorted(items, key=int)
    return sorted(items)


def normalise(results: Results, lists: Iterable[str] = ()) -> Results:
    """Sort the items of GROUP_CONCAT columns, whose order differs between stores, so answers compare equal."""
    lists = set(lists)
    for row in results.rows:
        for name in lists & set(row):
            value = row[name]
            separator = " " if all(item.isdigit() for item in _LIST_SPLIT.split(value.value) if item) else "、"
            row[name] = Value(value.kind, separator.join(_sorted_items(value.value)), value.datatype, value.lang)
    return results


def python_value(value: Value, as_list: bool = False) -> Any:
    """A result value as a Python value: IRI string, int, float, bool, or string (list for list columns)."""
    if as_list:
        return _sorted_items(value.value)
    if value.kind != "literal" or not value.datatype:
        return value.value
    kind = value.datatype.removeprefix(XSD)
    try:
        if kind in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
            return int(value.value)
        if kind in ("decimal", "double", "float"):
            return float(value.value)
    except ValueError:
        return value.value
    if kind == "boolean":
        return value.value in ("true", "1")
    return value.value


def as_dicts(results: Results, lists: Iterable[str] = ()) -> list[dict[str, Any]]:
    """SELECT rows as dicts of Python values (unbound variables are None)."""
    lists = set(lists)
    return [
        {name: python_value(row[name], name in lists) if name in row else None for name in results.variables}
        for row in results.rows
    ]


def _compact(value: Value, base: str | None) -> str:
    if value.kind != "iri":
        return value.value
    if base and value.value.startswith(base):
        return "id:" + value.value[len(base):]
    for prefix, namespace in PREFIXES.items():
        if value.value.startswith(str(namespace)):
            return f"{prefix}:{value.value[len(str(namespace)):]}"
    return f"<{value.value}>"


def render(results: Results, fmt: str, *, base: str | None = None, bom: bool = False) -> str:
    """The results as text in one of FORMATS but xlsx (table compacts IRIs; csv/tsv/json keep them whole); CSV
    starts with a byte-order mark when `bom` is true."""
    if results.boolean is not None:
        return json.dumps({"head": {}, "boolean": results.boolean}) + "\n" if fmt == "json" else \
            f"{str(results.boolean).lower()}\n"
    if results.triples is not None:
        return results.triples
    if fmt == "json":
        data = {"head": {"vars": results.variables},
                "results": {"bindings": [{k: v.to_json() for k, v in row.items()} for row in results.rows]}}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    return "".join(render_pages([results], fmt, base=base, bom=bom))  # csv, tsv and table as one page


def render_pages(pages: Iterable[Results], fmt: str, *, base: str | None = None, bom: bool = False) -> Iterator[str]:
    """SELECT results that come in pages (a national answer) as text in one of FORMATS but xlsx, a piece per page, as
    they come: the CSV/TSV header and the JSON head once; a table's columns as wide as its first page needs (later
    cells cut to fit with "…", as past 40 columns: CSV and JSON keep every value whole)."""
    if fmt == "xlsx":
        raise QueryError("--format xlsx writes a file: give it with -o FILE.xlsx")
    first, count, widths = True, 0, []
    for page in pages:
        if fmt in ("csv", "tsv"):
            rows = ([row[name].value if name in row else "" for name in page.variables] for row in page.rows)
            text = csv_text(page.variables, rows, bom=bom and fmt == "csv", delimiter="," if fmt == "csv" else "\t")
            yield text if first else text.split("\n", 1)[1]  # the header line once
        elif fmt == "json":
            if first:
                yield json.dumps({"head": {"vars": page.variables}}, ensure_ascii=False)[:-1] + \
                    ', "results": {"bindings": [\n'
            yield "".join(("" if count + at == 0 else ",\n") + json.dumps(
                {k: v.to_json() for k, v in row.items()}, ensure_ascii=False) for at, row in enumerate(page.rows))
        else:
            cells = _cells(page, base)
            if first:
                widths = _widths(page.variables, cells)
                yield "\n".join(_table_head(page.variables, widths)) + "\n"
            yield "".join(_table_line(row, widths) + "\n" for row in cells)
        first, count = False, count + len(page.rows)
    if fmt == "json":
        yield ('{"head": {"vars": []}, "results": {"bindings": [\n' if first else "") + "\n]}}\n"
    elif fmt == "table":
        yield f"({count} rows)\n"


def write_csv_rows(stream: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = False,
                   delimiter: str = ",") -> int:
    """Write a header row and the rows as CSV (a UTF-8 byte-order mark first when `bom`); returns the rows written."""
    if bom:
        stream.write(BOM)
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = False, delimiter: str = ",") -> str:
    """A header row and the rows as CSV text (starting with a UTF-8 byte-order mark when `bom`)."""
    buffer = io.StringIO()
    write_csv_rows(buffer, header, rows, bom=bom, delimiter=delimiter)
    return buffer.getvalue()


def _cells(results: Results, base: str | None) -> list[list[str]]:
    return [[_compact(row[name], base) if name in row else "" for name in results.variables] for row in results.rows]


def _widths(variables: Sequence[str], cells: Sequence[Sequence[str]]) -> list[int]:
    return [min(_MAX_COLUMN, max([display_width(name)] + [display_width(row[i]) for row in cells]))
            for i, name in enumerate(variables)]


def _table_head(variables: Sequence[str], widths: Sequence[int]) -> list[str]:
    return [_table_line(variables, widths), " ".join("-" * width for width in widths)]


def _table_line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return " ".join(fit(cell, width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def write_workbook(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "results",
                   widths: Mapping[str, int] | None = None, wrap: Sequence[str] = ()) -> None:
    """An Excel workbook of one sheet — a bold, frozen header row, then the rows — written all-or-nothing.

    Columns are as wide as `widths` says (else fitted to their text, 8 to 60 characters); `wrap` columns wrap.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from ..fileio import atomic_bytes

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    fitted = [display_width(name) for name in header]
    for row in rows:
        sheet.append(list(row))
        fitted = [max(width, display_width(str(value)) if value is not None else 0)
                  for width, value in zip(fitted, row, strict=True)]
    for index, name in enumerate(header, start=1):
        width = (widths or {}).get(name) or min(60, max(8, fitted[index - 1] + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width
        if name in wrap:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    with atomic_bytes(path) as stream:
        book.save(stream)


def to_xlsx(results: Results, path: str | Path) -> None:
    """SELECT results as an Excel workbook: IRIs and text as strings, numbers and booleans as Excel values."""
    if results.boolean is not None or results.triples is not None:
        raise QueryError("--format xlsx holds the rows of a SELECT query; use another format for ASK or CONSTRUCT")
    write_workbook(path, results.variables, sheet_rows(results))


def sheet_rows(results: Results) -> Iterator[list[Any]]:
    """SELECT rows as spreadsheet cells (None for unbound values), in the order of the variables."""
    for row in results.rows:
        yield [_sheet_value(row[name]) if name in row else None for name in results.variables]


def _sheet_value(value: Value) -> Any:
    """A result value for a spreadsheet cell: as `python_value`, and a year (xsd:gYear) as a number."""
    if value.datatype == XSD + "gYear" and value.value.isdigit():
        return int(value.value)
    return python_value(value)
