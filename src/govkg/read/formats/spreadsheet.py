"""What .xlsx and .xls sheets share: cell values as shown (whole numbers, percentages, dates), a sheet's table
of non-empty cells and merged ranges, reports of hidden rows and columns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..assemble import Placed, SourceBuilder


def cell_text(value: object, number_format: str = "General") -> str:
    """The text a spreadsheet cell shows for a value and its number format (formulas: their cached value)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            return f"{_number(float(value) * 100)}%"
        return _number(value)
    return str(value)


def _number(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}" if isinstance(value, float) else str(value)


@dataclass
class SheetTable:
    """A sheet's cells laid out as a table: placed cells relative to the top-left, and the sheet's coordinates."""

    placed: list[Placed]
    rows: range
    columns: range


def sheet_table(values: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]]) -> SheetTable | None:
    """The table of a sheet's non-empty cells and merged ranges (top, left, bottom, right; inclusive).

    Merged ranges that do not touch the cells holding values (formatting far away) are no part of the table.
    """
    if not values:
        return None
    top, left = min(r for r, _ in values), min(c for _, c in values)
    bottom, right = max(r for r, _ in values), max(c for _, c in values)
    merges = [m for m in merges if m[0] <= bottom and m[2] >= top and m[1] <= right and m[3] >= left]
    top, left = min([top, *(m[0] for m in merges)]), min([left, *(m[1] for m in merges)])
    bottom, right = max([bottom, *(m[2] for m in merges)]), max([right, *(m[3] for m in merges)])
    spans = {(m[0], m[1]): (m[2] - m[0] + 1, m[3] - m[1] + 1) for m in merges}
    placed = [Placed(r - top, c - left, values.get((r, c), ""), *spans.get((r, c), (1, 1)))
              for r, c in sorted(set(values) | set(spans))]
    return SheetTable(placed, range(top, bottom + 1), range(left, right + 1))


def report_hidden(builder: SourceBuilder, sheet: str, what: str, labels: list[str]) -> None:
    """Warn that a sheet's hidden rows or columns are read like the others."""
    if labels:
        more = f" … ({len(labels)} in all)" if len(labels) > 10 else ""
        builder.warn(f"sheet {sheet!r}: hidden {what} {', '.join(labels[:10])}{more} are read like the others")
