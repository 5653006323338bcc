"""recognise: a :class:`~govkg.model.Source` → a :class:`~govkg.model.Sheet` (tables of rows of role cells).

Each recogniser reads one serialisation of a responsibility table: tab-cell text (Word tables saved as text),
tab-separated rows (Excel / WPS), pipe cells or rows, one cell per paragraph, flat PDF text, numbered lists with
role annotations. Detection runs every recogniser whose mark the text bears and keeps the one that explains the
document best (most rows with a statement and a role), reporting which it used; a layout can also be forced.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..lexicon import Lexicon, load_lexicon
from ..model import Diagnostic, Grid, InputError, LayoutName, Line, Sheet, Source, Table
from .flat import read_flat
from .grid import read_grid
from .lists import read_list
from .patterns import TASK_NUMBER, opens_attachment
from .spaced import spaced_cells
from .streams import box_cells, is_box_line, line_cells, paragraph_cells, pipe_cells, tsv_rows
from .tabcell import read_tabcell
from .tables import read_flattened

__all__ = ["RECOGNISERS", "explained", "recognise"]

Recogniser = Callable[[str, list[Line], str, Lexicon], Sheet]

_MIN_TAB_LINES = 6
_MIN_PIPE_LINES = 3
_MIN_TSV_LINES = 2
_MIN_NUMBERED = 2
#: Text whose printed lines are mostly set apart by blank lines is in paragraphs: its cells are paragraphs, and
#: one cell per line (which has no blank lines) would cut a cell wrapped over lines into cells of its own.
_PARAGRAPHED_SHARE = 0.5
#: The full-width vertical bar, a pipe in texts converted to full-width punctuation.
_WIDE_PIPE = "｜"
#: Box-drawing characters, or an ASCII rule such as "+----+----+": what makes a line part of a drawn table.
_BOX_DRAWING = re.compile(r"[─━═│┃║┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬]|^\s*\+[-=+]{3,}")
_MARKED = frozenset({"grid", "tabcell", "tsv", "box", "pipe"})
_ROLE_HINTS = frozenset({"lead", "coop", "resp", "owner", "leader", "units", "heading_leader", "heading_lead"})


def _read_cells(file: str, lines: list[Line], encoding: str, lex: Lexicon) -> Sheet:
    return read_flattened(file, paragraph_cells(lines), "cells", encoding, lex)


def _read_lines(file: str, lines: list[Line], encoding: str, lex: Lexicon) -> Sheet:
    return read_flattened(file, line_cells(lines), "lines", encoding, lex)


def _read_spaced(file: str, lines: list[Line], encoding: str, lex: Lexicon) -> Sheet:
    return read_flattened(file, spaced_cells(lines, lex), "spaced", encoding, lex)


def _pipe_lines(lines: list[Line]) -> list[Line]:
    """The lines with full-width bars (｜) read as the cells' pipes when the text separates its cells with them (more
    lines hold one than an ASCII |): a page converted to full-width punctuation, or typed in a CJK input mode."""
    wide = sum(1 for line in lines if _WIDE_PIPE in line.text)
    if wide < _MIN_PIPE_LINES or wide <= sum(1 for line in lines if "|" in line.text):
        return lines
    return [Line(line.no, line.text.replace(_WIDE_PIPE, "|")) for line in lines]


def _read_pipe(file: str, lines: list[Line], encoding: str, lex: Lexicon) -> Sheet:
    return read_flattened(file, pipe_cells(_pipe_lines(lines)), "pipe", encoding, lex)


def _read_box(file: str, lines: list[Line], encoding: str, lex: Lexicon) -> Sheet:
    return read_flattened(file, box_cells(lines), "box", encoding, lex)


def _read_tsv(file: str, lines: list[Line], encoding: str, lex: Lexicon) -> Sheet:
    tokens = []
    for row in tsv_rows(lines):
        cells = [cell for cell in row if cell is not None]
        if not cells:
            continue
        for column, cell in enumerate(row):
            if cell is not None:
                cell.column, cell.exact, cell.fields = column, True, len(row)
        cells[-1].row_end = True
        cells[-1].outside = len(row) == 1  # a line with no tab is no row of the table
        tokens.extend(cells)
    return read_flattened(file, tokens, "tsv", encoding, lex)


RECOGNISERS: dict[str, Recogniser] = {
    "tabcell": read_tabcell, "tsv": _read_tsv, "box": _read_box, "pipe": _read_pipe, "cells": _read_cells,
    "lines": _read_lines, "spaced": _read_spaced,
    "flat": read_flat, "list": read_list,
}


def _candidates(lines: list[Line]) -> list[str]:
    """The recognisers worth running on this text, most specific first."""
    texts = [line.text for line in lines if line.text.strip()]
    out = []
    if sum(1 for text in texts if text.startswith("\t")) >= _MIN_TAB_LINES:
        out.append("tabcell")
    if sum(1 for text in texts if "\t" in text.strip()) >= _MIN_TSV_LINES:
        out.append("tsv")
    if sum(1 for text in texts if is_box_line(text) and _BOX_DRAWING.search(text)) >= _MIN_PIPE_LINES:
        out.append("box")
    if sum(1 for text in texts if "|" in text or _WIDE_PIPE in text) >= _MIN_PIPE_LINES:
        out.append("pipe")
    # Lines that open with a task number "(1)" are PDF text wrapped in cells: read by `flat`, not one cell per line.
    numbered = sum(1 for text in texts if TASK_NUMBER.match(text))
    one_per_line = numbered < _MIN_NUMBERED and not _paragraphed(lines)
    out += ["cells"] + (["lines"] if one_per_line else []) + ["spaced", "list", "flat"]
    return out


def _paragraphed(lines: list[Line]) -> bool:
    """True when more than _PARAGRAPHED_SHARE of the steps from a printed line to the next pass a blank line."""
    steps = apart = 0
    blank, seen = False, False
    for line in lines:
        if not line.text.strip():
            blank = True
            continue
        if seen:
            steps += 1
            apart += blank
        seen, blank = True, False
    return steps > 0 and apart > _PARAGRAPHED_SHARE * steps


def explained(sheet: Sheet) -> tuple[int, int]:
    """How much of the document a reading explains: (rows with a statement and a role, rows with a statement)."""
    with_roles = with_text = 0
    for table in sheet.tables:
        for row in table.rows:
            filled = [cell for cell in row.cells if not cell.is_empty()]
            if any(cell.hint for cell in row.cells):
                hints = {cell.hint for cell in filled}
                has_text, has_role = "text" in hints, bool(hints & _ROLE_HINTS)
            else:  # a grid row under a header that names its columns
                has_text, has_role = bool(filled), len(filled) >= 2
            with_text += has_text
            with_roles += has_text and has_role
    return with_roles, with_text


def _rank(score: tuple[int, int]) -> tuple[bool, int]:
    """How readings compare: one that finds roles beats one that finds statements only; then the rows with a
    statement and a role (a task inheriting its units from a merged cell still counts). Rows with a statement and no
    role count only where no reading finds roles: a reading that cuts a wrapped cell into a row of its own gains
    such a row, and on equal rows with roles the reading tried first (the more specific) is kept."""
    with_roles, with_text = score
    return with_roles > 0, with_roles if with_roles else with_text


def _best_reading(source: Source, lines: list[Line], layout: LayoutName | None,
                  lex: Lexicon) -> tuple[Sheet | None, tuple[int, int], Sheet | None]:
    """The reading of these lines that explains the most, its score, and a reading that found only a header."""
    best: Sheet | None = None
    best_score = (0, 0)
    headed: Sheet | None = None
    # Originals with tables (.docx, .xlsx, .html, .pdf) are read from their grids, unless their text explains more
    # (a numbered list under a small layout table); paragraphs-only ones as text.
    grids = layout in (None, "grid") and any(isinstance(block, Grid) for block in source.blocks)
    names = [layout] if layout and layout != "grid" else (["grid"] if grids else []) + (
        [] if layout == "grid" else _candidates(lines))
    for name in names:
        # A serialisation the text is marked with (TABs, pipes, box lines, grids) is kept when it finds tasks with
        # roles: the generic readings (cells, lines, list, flat) of the same text only compete when it finds none.
        if best is not None and best.layout in _MARKED and best_score[0] and name not in _MARKED:
            continue
        sheet = (read_grid(source, lex) if name == "grid"
                 else RECOGNISERS[name](source.file, lines, source.encoding, lex))
        score = explained(sheet)
        if best is None or _rank(score) > _rank(best_score):
            best, best_score = sheet, score
        if headed is None and any(table.header and not table.rows for table in sheet.tables):
            headed = sheet
    return best, best_score, headed


def _regions(lines: list[Line]) -> list[list[Line]]:
    """The document cut before each attachment marker (附件1, 附件2): each part may be in a layout of its own."""
    regions: list[list[Line]] = [[]]
    for line in lines:
        if opens_attachment(line.text) and any(other.text.strip() for other in regions[-1]):
            regions.append([])
        regions[-1].append(line)
    return regions


def _fill_unread_parts(best: Sheet, regions: list[list[Line]], read: Callable[[list[Line]], Sheet | None]) -> Sheet:
    """The document's reading with each part it found no task in (附件2 after a list notice) read on its own."""
    tables: list[Table] = []
    diagnostics: list[Diagnostic] = list(best.diagnostics)
    for region in regions:
        first, last = region[0].no, region[-1].no
        own = [table for table in best.tables if first <= table.span.first <= last]
        if not any(table.rows for table in own):
            reading = read(region)
            if reading is not None and explained(reading)[0]:
                own = reading.tables
                diagnostics += [d for d in reading.diagnostics if d not in diagnostics]
                for table in own:
                    table.layout = reading.layout
        tables.extend(own)
    for table in tables:
        table.layout = table.layout or best.layout
    return Sheet(best.file, best.layout, best.encoding, best.preamble, tables, diagnostics)


def recognise(source: Source, *, layout: LayoutName | None = None, lex: Lexicon | None = None) -> Sheet:
    """Find the document's tables and rows; raises InputError when nothing readable is found.

    A text with attachment markers (附件1 … 附件2) is read part by part, each in the layout that explains it best,
    so that a list notice followed by a table of livelihood projects gives both.
    """
    lex = lex or load_lexicon()
    file = source.file
    lines = source.lines
    best, best_score, headed = _best_reading(source, lines, layout, lex)
    regions = _regions(lines) if source.format == "text" and best is not None and layout is None else [lines]
    if len(regions) > 1 and best is not None:
        best = _fill_unread_parts(best, regions, lambda region: _best_reading(source, region, None, lex)[0])
        best_score = explained(best)
    if best_score[0] == 0 and headed is not None:
        best = headed
    # Statements with no responsible unit or leader anywhere are not a responsibility table (a table of contents).
    if best is None or not best.tables or (best_score[0] == 0 and layout is None and headed is None):
        raise InputError(
            file,
            "no responsibility table found: no column names (序号 / 工作任务 / 牵头单位 …), no numbered tasks with "
            "牵头单位：… lines or a unit list in brackets, and no tab-separated, pipe or box-drawn cells",
        )
    empty = [table for table in best.tables if not table.rows]
    if len(empty) == len(best.tables):
        table = empty[0]
        raise InputError(file, "the table has a header but no rows (truncated?)", table.title_line or table.span.first)
    for table in empty:
        best.diagnostics.append(Diagnostic(file, table.title_line or table.span.first,
                                           "a table with a header or title but no rows (truncated?); left out"))
    best.tables = [table for table in best.tables if table.rows]
    best.sha256 = source.sha256
    best.format = source.format
    best.locations = source.locations
    best.lines = lines
    best.printed = source.printed
    best.diagnostics = [*source.diagnostics, *(d for d in best.diagnostics if d not in source.diagnostics)]
    return best
