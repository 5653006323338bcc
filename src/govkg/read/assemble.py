"""Assemble a :class:`~govkg.model.Source` from what a format reader found: paragraphs and placed table cells.

Every format reader finds paragraphs and table cells with spans its own way; this module numbers their lines
(virtual line numbers, consecutive from 1 in reading order), records each line's :class:`Location`, and turns the
placed cells of a table into a :class:`Grid` of equal-length rows in which a merged cell is stored once, at its
top-left position, and every other position it covers is an empty cell pointing at it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Diagnostic, FormatName, Grid, GridCell, InputError, Line, Location, Source
from ..textutil import INVISIBLE
from .cjk import normalise_cjk

#: Largest table a reader assembles (rows × columns), against absurd spans or sheets.
MAX_GRID_CELLS = 2_000_000
#: Characters removed from text: C0/C1 controls other than TAB and line breaks (Word field marks, bells …), and
#: those that print nothing (textutil.INVISIBLE).
_CONTROLS = {**{code: None for code in (*range(0x00, 0x09), 0x0C, *range(0x0E, 0x20), 0x7F)}, **INVISIBLE}
_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"})


@dataclass
class Placed:
    """A table cell as a reader found it: top-left position (0-based), text, and how far it spans."""

    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1


#: Largest row or column span taken from a document (HTML allows colspan up to 1000).
MAX_SPAN = 1000


def place_rows(rows: list[list[Placed]]) -> list[Placed]:
    """Place the cells of rows given in order (HTML / tagged-PDF tables): each cell takes the next column its row
    has free; spans are clipped to the table (a row span of 0 reaches the last row)."""
    taken: set[tuple[int, int]] = set()
    placed: list[Placed] = []
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            while (r, col) in taken:
                col += 1
            col_span = min(max(cell.col_span, 1), MAX_SPAN)
            row_span = len(rows) - r if cell.row_span == 0 else min(max(cell.row_span, 1), len(rows) - r)
            placed.append(Placed(r, col, cell.text, row_span, col_span))
            taken.update((r + dr, col + dc) for dr in range(row_span) for dc in range(col_span))
            col += col_span
    return placed


def clean_lines(text: str) -> list[str]:
    """The non-blank lines of a text (line breaks of every kind; control characters and characters that print
    nothing removed; CJK radicals as the ideographs they stand for)."""
    text = normalise_cjk(text.replace("\r\n", "\n").translate(_BREAKS).translate(_CONTROLS))
    return [line.rstrip() for line in text.split("\n") if line.strip()]


class SourceBuilder:
    """Collects a document's blocks in reading order and numbers their lines."""

    def __init__(self, file: str, fmt: FormatName, data: bytes, encoding: str) -> None:
        self.file, self.format, self.encoding = file, fmt, encoding
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.blocks: list[Line | Grid] = []
        self.locations: dict[int, Location] = {}
        self.diagnostics: list[Diagnostic] = []
        self._next_line = 1
        self._grids = 0

    def warn(self, message: str, line: int | None = None, code: str = "warning") -> None:
        """Add a diagnostic about the document."""
        self.diagnostics.append(Diagnostic(self.file, line, message, code))

    def _line(self, text: str, location: Location | None) -> Line:
        line = Line(self._next_line, text)
        if location is not None:
            self.locations[line.no] = location
        self._next_line += 1
        return line

    def paragraph(self, text: str, location: Location | None = None) -> None:
        """Add a paragraph: each of its non-blank lines becomes a line of the document."""
        for part in clean_lines(text):
            self.blocks.append(self._line(part, location))

    @property
    def grid_count(self) -> int:
        """How many tables were added so far."""
        return self._grids

    def table(self, cells: Sequence[Placed], *, sheet: str | None = None, pages: Sequence[int] | None = None,
              row_numbers: Sequence[int] | None = None, col_numbers: Sequence[int] | None = None) -> Grid | None:
        """Add a table of placed cells; returns the Grid (None when the table holds no cell).

        `pages` gives the page of each row (PDF), `row_numbers` / `col_numbers` the row and column numbers to
        report (default: 1-based positions in the table).
        """
        matrix = self._place(cells)
        if not matrix:
            return None
        self._grids += 1
        grid = Grid(self._grids, [])
        for r, row in enumerate(matrix):
            out: list[GridCell] = []
            for c, entry in enumerate(row):
                if entry is None:
                    out.append(GridCell())
                elif isinstance(entry, tuple):
                    out.append(GridCell(covered=entry))
                else:
                    where = Location(
                        page=pages[r] if pages else None,
                        sheet=sheet,
                        table=grid.number,
                        row=row_numbers[r] if row_numbers else r + 1,
                        column=col_numbers[c] if col_numbers else c + 1,
                    )
                    lines = tuple(self._line(part, where) for part in clean_lines(entry.text))
                    out.append(GridCell(lines, entry.row_span, entry.col_span))
            grid.rows.append(out)
        self.blocks.append(grid)
        return grid

    def _place(self, cells: Sequence[Placed]) -> list[list[Placed | tuple[int, int] | None]]:
        """Lay cells out on a matrix; spans are clipped so that no two cells claim a position."""
        if not cells:
            return []
        n_rows = max(cell.row + max(cell.row_span, 1) for cell in cells)
        n_cols = max(cell.col + max(cell.col_span, 1) for cell in cells)
        if n_rows * n_cols > MAX_GRID_CELLS:
            raise InputError(self.file, f"table of {n_rows} × {n_cols} cells is larger than the limit "
                                        f"({MAX_GRID_CELLS} cells)")
        matrix: list[list[Placed | tuple[int, int] | None]] = [[None] * n_cols for _ in range(n_rows)]
        for cell in sorted(cells, key=lambda item: (item.row, item.col)):
            if matrix[cell.row][cell.col] is not None:
                self.warn(f"table {self._grids + 1}: overlapping cells at row {cell.row + 1}, column {cell.col + 1}; "
                          "the later one is dropped")
                continue
            col_span = 1
            while col_span < cell.col_span and cell.col + col_span < n_cols \
                    and matrix[cell.row][cell.col + col_span] is None:
                col_span += 1
            row_span = 1
            while row_span < cell.row_span and cell.row + row_span < n_rows and all(
                    matrix[cell.row + row_span][c] is None for c in range(cell.col, cell.col + col_span)):
                row_span += 1
            placed = Placed(cell.row, cell.col, cell.text, row_span, col_span)
            for r in range(cell.row, cell.row + row_span):
                for c in range(cell.col, cell.col + col_span):
                    matrix[r][c] = (cell.row, cell.col)
            matrix[cell.row][cell.col] = placed
        return matrix

    def build(self) -> Source:
        """The assembled Source."""
        return Source(self.file, self.format, self.encoding, self.sha256, self.blocks, self.locations,
                      self.diagnostics)
