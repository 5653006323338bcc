"""Reader for tab-cell text (Word tables exported to text).

A line starting with a TAB opens a cell (every further TAB on the line opens another); lines without a
TAB continue the open cell; a blank line ends the row, unless the next text line has no TAB either, in
which case it is a paragraph break inside the cell. Rows whose cells name columns are headers and start
a table; lines outside any row are the preamble, attachment markers and table titles.
"""

from __future__ import annotations

from ..lexicon import Lexicon
from ..model import Cell, Diagnostic, Line, Row, Sheet, Span, Table
from ..textutil import clean_export, no_space
from .headings import context_cells, headings_before, is_heading, table_kind_of
from .patterns import is_marker, is_page_number, is_title
from .roles import is_header_row

_MIN_HEADER_CELLS = 2


def _rows_and_loose_lines(lines: list[Line], lex: Lexicon) -> list[Row | Line]:
    """Group lines into rows of cells; lines outside rows are returned as they are, in order."""
    items: list[Row | Line] = []
    cells: list[list[Line]] = []
    blank_seen = False

    def close_row() -> None:
        nonlocal cells
        if cells:
            nos = [line.no for cell in cells for line in cell]
            items.append(Row([Cell(tuple(cell)) for cell in cells], Span(min(nos), max(nos))))
        cells = []

    for line in lines:
        text = clean_export(line.text)
        if "\t" not in text and not text.strip():
            blank_seen = blank_seen or bool(cells)
            continue
        if "\t" in text:
            if blank_seen:
                close_row()
                blank_seen = False
            head, *parts = text.split("\t")
            if head.strip():
                if cells:
                    cells[-1].append(Line(line.no, head))
                else:
                    items.append(Line(line.no, head))
            for part in parts:
                cells.append([Line(line.no, part)])
            continue
        if is_page_number(text):
            continue
        if not cells:
            items.append(Line(line.no, text))
        elif blank_seen and (is_marker(text) or is_title(text) or is_heading(text, lex)):
            close_row()
            blank_seen = False
            items.append(Line(line.no, text))
        else:
            # A blank line followed by text without a TAB is a paragraph break inside the cell.
            cells[-1].append(Line(line.no, text))
            blank_seen = False
    close_row()
    return items


def _is_header(row: Row, lex: Lexicon) -> bool:
    return is_header_row(row.cells, lex)


def _same_header(header: list[Cell], cells: list[Cell]) -> bool:
    return [no_space(cell.text) for cell in header] == [no_space(cell.text) for cell in cells]


def read_tabcell(file: str, lines: list[Line], encoding: str, lex: Lexicon) -> Sheet:
    """Read tab-cell text into tables of rows of cells."""
    diagnostics: list[Diagnostic] = []
    preamble: list[Line] = []
    tables: list[Table] = []
    marker: str | None = None
    title: Line | None = None
    current: Table | None = None
    loose: list[Line] = []  # lines since the last table opened: its headings are among them
    for item in _rows_and_loose_lines(lines, lex):
        if isinstance(item, Line):
            text = item.text.strip()
            loose.append(item)
            if is_marker(text):
                marker, title, current, loose = text, None, None, [item]
            elif is_title(text) and (current is None or current.rows):
                title, current = item, None
            elif is_heading(text, lex):
                current = None  # "二、常务副区长某某牵头重点工作": the rows below belong to a table of their own
            elif current is None:
                preamble.append(item)
            else:
                diagnostics.append(Diagnostic(file, item.no, f"text outside any table cell: {text[:40]!r}"))
            continue
        if _is_header(item, lex):
            if current is not None and _same_header(current.header, item.cells):
                continue  # a header row repeated after a page break: the table goes on
            current = Table(
                marker=marker,
                title=title.text.strip() if title else None,
                title_line=title.no if title else None,
                header=item.cells,
                rows=[],
                span=item.span,
                context=context_cells(headings_before(loose, lex)),
                kind=table_kind_of(title.text.strip() if title else None, [], " ".join(line.text for line in loose),
                                   lex, " ".join(cell.text for cell in item.cells)),
            )
            tables.append(current)
            marker, title, loose = None, None, []
        elif current is None:
            if any(not cell.is_empty() for cell in item.cells):
                diagnostics.append(
                    Diagnostic(file, item.span.first, "row before any header row (no column names); skipped")
                )
        elif any(not cell.is_empty() for cell in item.cells):
            current.rows.append(item)
            current.span = current.span.join(item.span)
    return Sheet(file, "tabcell", encoding, preamble, tables, diagnostics)
