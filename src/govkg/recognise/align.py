"""Aligning the cells of a flattened table with its columns when empty and merged cells left no trace.

A table printed one cell per paragraph (or a pipe row that lost its merged cells) is a sequence of cells in
reading order. Each row visits the columns left to right, skipping the ones it leaves empty; a cell may
continue the cell before it (a cell printed over two paragraphs); a row may also be a single cell spanning
the table (a goal heading). The best reading is found by dynamic programming over the cells, weighing how well
each cell fits each column's role (:mod:`.cellshape`) against the cost of skipped columns and of new rows.
Time is linear in the number of cells (times the square of the number of columns).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .cellshape import (
    CONTINUE,
    CONTINUE_AFTER_SENTENCE,
    CONTINUE_AFTER_WRAP,
    CONTINUE_OTHER,
    CONTINUE_SUB_ITEM,
    ROW,
    SKIP,
    WRAPPED_LENGTH,
    Shape,
    fit,
    fits_group_row,
)
from .enumerators import RANKS

#: The state of a cell read as a row of its own (a goal heading across the table).
GROUP = -1
_NEG = float("-inf")
#: A new row starting right of where the previous one stopped is unusual: it costs this much more.
_FORWARD_ROW = -3.0
#: Agreement of a cell's numbering style ("14." / "四、") with what its column holds elsewhere.
_STYLE_AGREES = 1.0
_STYLE_DIFFERS = -1.0
#: A goal-column cell much longer than the column's usual cells (half of them known) is less likely to be one.
_KNOWN_LENGTHS = 3
_LENGTH_SLACK = 4
_TOO_LONG = -2.0


@dataclass
class Placement:
    """One row of the reading: the column of each of its cells (GROUP for a heading row)."""

    cells: list[tuple[int, list[int]]] = field(default_factory=list)

    @property
    def group(self) -> bool:
        """True for a heading row: one cell spanning the table."""
        return len(self.cells) == 1 and self.cells[0][0] == GROUP


class Aligner:
    """Reads cells into rows for one table's columns (roles in column order)."""

    def __init__(self, roles: list[str | None]) -> None:
        self.roles = roles
        n = len(roles)
        skip = [SKIP.get(role or "other", -0.2) for role in roles]
        self.before = [sum(skip[:j]) for j in range(n + 1)]  # skipping columns 0..j-1
        self.after = [sum(skip[i + 1 :]) for i in range(n)]  # skipping columns i+1..n-1
        self.between = [[sum(skip[i + 1 : j]) for j in range(n)] for i in range(n)]
        self.memory: list[Counter[str]] = [Counter() for _ in roles]
        self.lengths: list[list[int]] = [[] for _ in roles]

    def _emit(self, shape: Shape, text: str, column: int) -> float:
        if column == GROUP:
            return fits_group_row(shape, text)
        score = fit(shape, self.roles[column])
        seen = self.memory[column]
        if shape.style and sum(seen.values()) >= 1:
            usual, count = seen.most_common(1)[0]
            if count * 2 > sum(seen.values()):
                score += _STYLE_AGREES if usual == shape.style else _STYLE_DIFFERS
        lengths = self.lengths[column]
        if self.roles[column] == "goal" and len(lengths) >= _KNOWN_LENGTHS:
            usual_length = sorted(lengths)[len(lengths) // 2]
            if shape.length > 2 * usual_length + _LENGTH_SLACK:
                score += _TOO_LONG  # a category column holds short names: 教育, 医疗 …
        return score

    def _start(self, column: int) -> float:
        return ROW if column == GROUP else ROW + self.before[column]

    def _step(self, previous: int, column: int, single_row: bool) -> tuple[float, bool]:
        """Cost of going from a cell in column `previous` to one in `column`, and whether a new row starts.

        Going back starts a new row; going right stays in the row (or, at a higher cost, starts a new row that
        left its first columns empty); the same column again continues the cell.
        """
        if GROUP in (previous, column):
            if single_row:
                return _NEG, True
            return (self._start(column) if previous == GROUP else self.after[previous] + ROW), True
        if column == previous:
            return CONTINUE.get(self.roles[column] or "other", CONTINUE_OTHER), False
        if column < previous:
            return (_NEG, True) if single_row else (self.after[previous] + self._start(column), True)
        same_row = self.between[previous][column]
        forward = self.after[previous] + self._start(column) + _FORWARD_ROW
        return (same_row, False) if single_row or same_row >= forward else (forward, True)

    def read(self, shapes: list[Shape], texts: list[str], *, single_row: bool = False) -> list[Placement]:
        """The best reading of these cells as rows (one row when `single_row`), by dynamic programming."""
        if not shapes:
            return []
        states = [*range(len(self.roles))]
        if not single_row or len(shapes) == 1:
            states.append(GROUP)
        steps = {(p, s): self._step(p, s, single_row) for p in states for s in states}
        restart = {s: self.after[s] + self._start(s) for s in states if s != GROUP}
        score = {s: self._start(s) + self._emit(shapes[0], texts[0], s) for s in states}
        back: list[dict[int, tuple[int, bool]]] = [{}]
        for k in range(1, len(shapes)):
            current: dict[int, float] = {}
            pointers: dict[int, tuple[int, bool]] = {}
            before, this = shapes[k - 1], shapes[k]
            after_sentence = (CONTINUE_AFTER_SENTENCE if before.ends_sentence
                              else CONTINUE_AFTER_WRAP if before.length >= WRAPPED_LENGTH else 0.0)
            if before.style and this.style and RANKS[this.style] > RANKS[before.style]:
                after_sentence = CONTINUE_SUB_ITEM
            for state in states:
                best, pointer = _NEG, (GROUP, True)
                for previous, value in score.items():
                    cost, new_row = steps[previous, state]
                    if previous == state != GROUP:
                        cost += after_sentence  # the same column again: the cell goes on, or a new row starts there
                        if not single_row and restart[state] > cost:
                            cost, new_row = restart[state], True
                    if value + cost > best:
                        best, pointer = value + cost, (previous, new_row)
                if best > _NEG:
                    current[state] = best + self._emit(shapes[k], texts[k], state)
                    pointers[state] = pointer
            score = current
            back.append(pointers)
        last = {s: value + (self.after[s] if s != GROUP else 0.0) for s, value in score.items()}
        state = max(last, key=lambda s: (last[s], -s))
        path: list[tuple[int, bool]] = []
        for k in range(len(shapes) - 1, 0, -1):
            previous, new_row = back[k][state]
            path.append((state, new_row))
            state = previous
        path.append((state, True))
        path.reverse()
        return _rows(path)

    def remember(self, placements: list[Placement], shapes: list[Shape], *, reset: bool = True) -> None:
        """Learn each column's usual numbering style and length from a reading (a first pass, or the rows so far)."""
        if reset:
            self.memory = [Counter() for _ in self.roles]
            self.lengths = [[] for _ in self.roles]
        for placement in placements:
            for column, indices in placement.cells:
                if column == GROUP:
                    continue
                if shapes[indices[0]].style:
                    self.memory[column][shapes[indices[0]].style or ""] += 1
                self.lengths[column].append(sum(shapes[i].length for i in indices))


def _rows(path: list[tuple[int, bool]]) -> list[Placement]:
    rows: list[Placement] = []
    for index, (column, new_row) in enumerate(path):
        if new_row or not rows or column == GROUP or rows[-1].group:
            rows.append(Placement())
        cells = rows[-1].cells
        if cells and cells[-1][0] == column and not new_row:
            cells[-1][1].append(index)
        else:
            cells.append((column, [index]))
    return rows
