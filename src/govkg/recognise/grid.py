"""Recogniser for tables read from original files: :class:`~govkg.model.Grid` objects with their true merges.

Rows become rows of positional cells exactly as tab-cell text would give them: a cell merged across columns is one
cell, a position that a cell merged down from an earlier row of the same table covers is an empty cell marked
`covered` (the layout stage gives it the merged cell's value, recorded as merged). A header row is a row with at
least two cells naming column roles, one of them the task text; a header row repeated later (page breaks, a table
split in two) is dropped and the table goes on. A header cell spanning several columns over a second row of
column names is a two-row header. Paragraph lines around the tables are the preamble, attachment markers (附件1)
and table titles; so is a row before the header whose only cell spans the table (a title row of a spreadsheet).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..lexicon import Lexicon
from ..model import Cell, Diagnostic, Grid, GridCell, Line, Row, Sheet, Source, Span, Table
from ..textutil import no_space
from .headings import context_cells, headings_before, is_heading
from .patterns import is_marker, is_title
from .roles import is_header_row, resolve_roles


def _positions(row: list[GridCell]) -> list[int]:
    """Grid columns that open a cell in this row (a cell merged across columns counts once, at its left)."""
    return [c for c, cell in enumerate(row) if cell.covered is None or cell.covered[1] == c]


def _cell(cell: GridCell) -> Cell:
    return Cell(tuple(cell.lines))


def _is_header(cells: list[Cell], lex: Lexicon) -> bool:
    return is_header_row(cells, lex)


def _span_of(cells: list[GridCell]) -> Span | None:
    nos = [line.no for cell in cells for line in cell.lines if line.text.strip()]
    return Span(min(nos), max(nos)) if nos else None


@dataclass
class _GridReader:
    """Walks a document's blocks, keeping the table being read and the marker / title waiting for the next."""

    file: str
    lex: Lexicon
    preamble: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    marker: str | None = None
    title: Line | None = None
    current: Table | None = None
    #: Lines since the last table opened: the headings of the next one are among them.
    outside: list[Line] = field(default_factory=list)

    def loose(self, line: Line) -> None:
        """A line outside any table: attachment marker, table title, heading, or preamble."""
        text = line.text.strip()
        self.outside.append(line)
        if is_marker(text):
            self.marker, self.title, self.current, self.outside = text, None, None, [line]
        elif is_title(text) and (self.current is None or self.current.rows):
            self.title, self.current = line, None
        elif is_heading(text, self.lex):
            self.current = None  # a heading ("二、某某副区长牵头工作") starts a table of its own below it
        else:
            self.preamble.append(line)

    def grid(self, grid: Grid) -> None:
        """Read a table's rows: header rows open tables, the other rows are their rows."""
        owner: dict[int, Table | None] = {}  # grid row → the table it is a data row of (None: header / outside)
        r = 0
        while r < len(grid.rows):
            row = grid.rows[r]
            positions = _positions(row)
            cells = [_cell(row[c]) for c in positions]
            owner[r] = None
            filled = [c for c in positions if row[c].covered is None and row[c].lines]
            if len(filled) == 1 and (len(positions) == 1 or self.current is None):
                if self.current is not None:
                    self._group_row(row[filled[0]])
                else:
                    for line in row[filled[0]].lines:
                        self.loose(line)
                r += 1
                continue
            if _is_header(cells, self.lex):
                r += self._header(grid, r)
                continue
            if self.current is None:
                if filled:
                    first = row[filled[0]].lines[0].no
                    self.diagnostics.append(
                        Diagnostic(self.file, first, "row before any header row (no column names); skipped"))
                r += 1
                continue
            self._row(grid, r, positions, owner)
            r += 1

    def _group_row(self, cell: GridCell) -> None:
        """A row of one cell spanning a table ("二、社会事业") heads the rows below it: it is put in the goal column
        (the text column when the table has none), where the layout stage reads it as a goal heading."""
        table = self.current
        assert table is not None
        roles = resolve_roles([self.lex.column_role(header.text) for header in table.header])
        column = roles.index("goal") if "goal" in roles else roles.index("text") if "text" in roles else 0
        cells = [Cell() for _ in table.header]
        cells[column] = _cell(cell)
        span = _span_of([cell])
        if span is not None:
            table.rows.append(Row(cells, span))
            table.span = table.span.join(span)

    def _header(self, grid: Grid, r: int) -> int:
        """Open a table at a header row (or drop a repeated one); returns how many rows the header takes."""
        header, used = self._columns(grid, r)
        current = self.current
        if current is not None and [no_space(c.text) for c in current.header] == [
                no_space(c.text) for c in header]:
            return used  # a header repeated after a page break: the table goes on
        span = _span_of([grid.rows[r + i][c] for i in range(used) for c in range(len(grid.rows[r]))])
        table = Table(
            marker=self.marker,
            title=self.title.text.strip() if self.title else None,
            title_line=self.title.no if self.title else None,
            header=header,
            rows=[],
            span=span or Span(1, 1),
            inherit="merged",
            context=context_cells(headings_before(self.outside, self.lex)),
        )
        self.tables.append(table)
        self.current = table
        self.marker, self.title, self.outside = None, None, []
        return used

    def _columns(self, grid: Grid, r: int) -> tuple[list[Cell], int]:
        """The header cells of a header row (with a second row of column names under spanning cells) and how many
        rows the header takes."""
        row = grid.rows[r]
        below = grid.rows[r + 1] if r + 1 < len(grid.rows) else None
        subs = self._sub_header(row, below) if below is not None else []
        columns: list[Cell] = []
        for c in _positions(row):
            origin = row[c] if row[c].covered is None else grid.rows[row[c].covered[0]][c]
            inner = [s for s in subs if c <= s < c + origin.col_span]
            if inner and below is not None:
                columns += [_cell(below[s]) for s in inner]
            else:
                columns.append(_cell(row[c]) if row[c].covered is None else Cell())
        return columns, 2 if subs else 1

    def _sub_header(self, row: list[GridCell], below: list[GridCell]) -> list[int]:
        """Columns of a second header row: cells naming column roles under header cells spanning columns."""
        subs: list[int] = []
        for c in _positions(below):
            cell = below[c]
            if cell.covered is not None or not cell.lines:
                continue
            above = row[c]
            spans = above.col_span > 1 if above.covered is None else above.covered[1] < c
            if not spans or not self.lex.header_role(cell.text):
                return []
            subs.append(c)
        return subs

    def _row(self, grid: Grid, r: int, positions: list[int], owner: dict[int, Table | None]) -> None:
        table = self.current
        assert table is not None
        row = grid.rows[r]
        cells: list[Cell] = []
        for c in positions:
            cell = row[c]
            if cell.covered is None:
                cells.append(_cell(cell))
            else:
                # Merged down from a data row of this table: covered; from the header or another table: empty.
                cells.append(Cell(covered=owner.get(cell.covered[0]) is table))
        owner[r] = table
        span = _span_of([row[c] for c in positions if row[c].covered is None])
        if span is None:
            return
        table.rows.append(Row(cells, span))
        table.span = table.span.join(span)


def read_grid(source: Source, lex: Lexicon) -> Sheet:
    """Read the tables of an original file (and the lines around them) into a sheet of positional rows."""
    reader = _GridReader(source.file, lex)
    for block in source.blocks:
        if isinstance(block, Line):
            reader.loose(block)
        else:
            reader.grid(block)
    return Sheet(source.file, "grid", source.encoding, reader.preamble, reader.tables,
                 list(source.diagnostics) + reader.diagnostics, merges_known=True)
