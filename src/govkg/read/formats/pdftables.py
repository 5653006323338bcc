"""Ruled tables of PDF pages: merged cells from cell geometry, and tables continued over pages.

On a page, pdfplumber finds the ruled cells; the distinct x and y positions of their borders are the table's
column and row bands, so a cell whose box covers two row bands is a cell merged over two rows.

A table that ends a page and a table that starts the next page with the same column borders are one table. The
next page's first rows are dropped where they repeat the table's first (header) rows. A merged cell that a page
break splits is drawn as two boxes, its text printed in the first and, when it does not fit there, going on in
the second. So a cell at the top of the continued part, spanning the same columns as the cell above it, is read
as the rest of that cell when it is empty; when it repeats the text of the cell above while one of the two is
merged over rows (some writers print a split cell's text again); or when the cell above is merged over rows and
its text fills it to the bottom (the text goes on). This is geometry, not proof: an untagged PDF does not say
whether two boxes at a page break are one cell, and a merged cell split exactly at its first row is not seen.
Rows split by a page break (a table that lets rows break across pages) are not joined.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..assemble import Placed
from .pdftext import VisualLine, cell_text

_EDGE_TOLERANCE = 2.0
_HEADER_ROWS_MAX = 3


@dataclass
class PageCell:
    """A cell of a table on a page: placed in the page's bands, its box, and whether its text fills it."""

    placed: Placed
    box: tuple[float, float, float, float]
    full: bool = False


@dataclass
class PageTable:
    """A ruled table as found on one page: its column and row borders and its cells."""

    xs: list[float]
    ys: list[float]
    cells: list[PageCell]
    owners: list[list[int | None]]

    @property
    def n_rows(self) -> int:
        """Rows (bands between horizontal borders)."""
        return len(self.ys) - 1

    def holds(self, x: float, y: float) -> bool:
        """True when the point lies inside the table."""
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]

    def cell_at(self, x: float, y: float) -> int | None:
        """Index of the cell holding a point inside the table."""
        row = min(max(bisect.bisect_right(self.ys, y) - 1, 0), self.n_rows - 1)
        col = min(max(bisect.bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        return self.owners[row][col]

    def fill(self, index: int, lines: list[VisualLine]) -> None:
        """Set a cell's text from its printed lines."""
        cell = self.cells[index]
        cell.placed.text, cell.full = cell_text(lines, cell.box)


def _bands(values: list[float]) -> list[float]:
    """Distinct border positions, positions closer than the tolerance taken as one."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > _EDGE_TOLERANCE:
            out.append(value)
    return out


def _index(bands: list[float], value: float) -> int:
    return min(bisect.bisect_left(bands, value - _EDGE_TOLERANCE), len(bands) - 1)


def page_table(boxes: list[tuple[float, float, float, float]]) -> PageTable | None:
    """A table from the boxes of its ruled cells (None when they do not make a table of two cells or more)."""
    boxes = [box for box in boxes if box]
    if len(boxes) < 2:
        return None
    xs = _bands([value for box in boxes for value in (box[0], box[2])])
    ys = _bands([value for box in boxes for value in (box[1], box[3])])
    if len(xs) < 2 or len(ys) < 2:
        return None
    cells: list[PageCell] = []
    owners: list[list[int | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for box in boxes:
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        placed = Placed(r0, c0, "", max(r1 - r0, 1), max(c1 - c0, 1))
        for r in range(r0, min(r0 + placed.row_span, len(owners))):
            for c in range(c0, min(c0 + placed.col_span, len(owners[r]))):
                if owners[r][c] is None:
                    owners[r][c] = len(cells)
        cells.append(PageCell(placed, tuple(box)))  # type: ignore[arg-type]
    return PageTable(xs, ys, cells, owners)


@dataclass
class _Part:
    """A cell of a joined table: placed in the table's rows (columns set when the table is done), its x extent."""

    placed: Placed
    x0: float
    x1: float


def _same_text(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def _same_extent(a: float, b: float) -> bool:
    return abs(a - b) <= 2 * _EDGE_TOLERANCE


class JoinedTable:
    """A table assembled over one or more pages: its cells in the table's rows and the page of each row.

    Parts on different pages may have different inner column borders (a column some rows split in two); the
    table's columns are the union of all borders, set by :meth:`cells`.
    """

    def __init__(self, page: int, table: PageTable) -> None:
        self.xs = (table.xs[0], table.xs[-1])
        self.parts: list[_Part] = []
        self.pages: list[int] = []
        self.last: list[tuple[_Part, PageCell]] = []
        self._add(page, table, skip=0)

    def matches(self, table: PageTable) -> bool:
        """True when a page's table has the same outer borders (it continues this one)."""
        return _same_extent(self.xs[0], table.xs[0]) and _same_extent(self.xs[1], table.xs[-1])

    def extend(self, page: int, table: PageTable) -> None:
        """Append a page's table that continues this one (repeated header rows dropped, split cells joined)."""
        self._add(page, table, skip=self._repeated_rows(table))

    def _add(self, page: int, table: PageTable, skip: int) -> None:
        offset = len(self.pages) - skip
        previous = {(round(part.x0), round(part.x1)): (part, cell) for part, cell in self.last}
        parts: list[tuple[_Part, PageCell]] = []
        for cell in sorted(table.cells, key=lambda item: (item.placed.row, item.placed.col)):
            placed = cell.placed
            if placed.row < skip:
                continue
            box_x0, box_x1 = cell.box[0], cell.box[2]
            above = next((found for key, found in previous.items()
                          if _same_extent(key[0], box_x0) and _same_extent(key[1], box_x1)), None)
            if placed.row == skip and above is not None and self._continues(above[1], cell):
                part = above[0]
                if not _same_text(above[1].placed.text, placed.text):
                    part.placed.text = "\n".join(t for t in (part.placed.text, placed.text) if t.strip())
                part.placed.row_span = placed.row + offset + placed.row_span - part.placed.row
            else:
                part = _Part(Placed(placed.row + offset, 0, placed.text, placed.row_span, 1), box_x0, box_x1)
                self.parts.append(part)
            parts.append((part, cell))
        self.pages += [page] * (table.n_rows - skip)
        end = len(self.pages) - 1
        self.last = [(part, cell) for part, cell in parts if part.placed.row + part.placed.row_span - 1 == end]

    @staticmethod
    def _continues(above: PageCell, top: PageCell) -> bool:
        """Whether a cell at the top of a page is the rest of the cell above it, split by the page break."""
        if not top.placed.text.strip():
            return True
        if _same_text(above.placed.text, top.placed.text):
            return top.placed.row_span > 1 or above.placed.row_span > 1  # printed again on the new page
        return above.full and above.placed.row_span > 1

    def _repeated_rows(self, table: PageTable) -> int:
        """How many of the page's first rows repeat the table's first rows."""

        def texts(cells: list[tuple[float, str]]) -> list[str]:
            return ["".join(text.split()) for _, text in sorted(cells)]

        count = 0
        while count < min(_HEADER_ROWS_MAX, table.n_rows - 1):
            own = texts([(c.box[0], c.placed.text) for c in table.cells if c.placed.row == count])
            first = texts([(p.x0, p.placed.text) for p in self.parts if p.placed.row == count])
            if not own or own != first or not any(own):
                break
            count += 1
        return count

    def cells(self) -> list[Placed]:
        """The table's cells, with columns from the union of the column borders of all its parts."""
        xs = _bands([x for part in self.parts for x in (part.x0, part.x1)])
        for part in self.parts:
            part.placed.col = _index(xs, part.x0)
            part.placed.col_span = max(_index(xs, part.x1) - part.placed.col, 1)
        return [part.placed for part in self.parts]
