"""Tables flattened to text, read into cells: one cell per paragraph, pipe cells or rows, tab-separated rows.

Each reader turns the document's lines into a sequence of :class:`Token` (one printed cell each); where the
serialisation marks the end of a row (a pipe row's line end, a line of pipes only, a TSV line) the last cell
of the row says so. Lines outside any table are tokens too: the table reader tells them apart by their place.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from ..model import Line
from ..read.limits import MAX_FILE_BYTES
from ..textutil import clean_export
from .patterns import is_page_number

_PIPE = "|"
_RULE_CELL = re.compile(r"^[\s:：\-—=]*$")
_ONLY_PIPES = re.compile(r"^[\s|｜]*\|[\s|｜]*$")


@dataclass
class Token:
    """One printed cell: its lines, and whether a row is known to end after it."""

    lines: list[Line]
    row_end: bool = False
    #: The column the serialisation puts the cell in, where it says (tab-separated rows, box-drawn rows, pipe
    #: rows); `exact` when empty cells keep their place too (tab-separated and box-drawn rows, not pipe rows).
    column: int | None = None
    exact: bool = False
    #: How many cells the serialisation printed in the cell's row (empty ones included), where it says.
    fields: int | None = None
    #: A line outside the table's cell shape (a pipe row's format has pipes, a box's format box lines).
    outside: bool = False

    @property
    def text(self) -> str:
        """The cell's lines joined with newlines."""
        return "\n".join(line.text for line in self.lines)

    @property
    def first(self) -> int:
        """The cell's first line number."""
        return self.lines[0].no


def _clean(line: Line) -> str:
    return clean_export(line.text).replace("\u3000", " ").replace("\xa0", " ").strip()


def paragraph_cells(lines: list[Line]) -> list[Token]:
    """One cell per paragraph: blank lines separate cells; lines without a blank between belong together."""
    tokens: list[Token] = []
    current: list[Line] = []
    for line in lines:
        text = _clean(line)
        if not text or is_page_number(text):
            if current:
                tokens.append(Token(current))
                current = []
            continue
        current.append(Line(line.no, text))
    if current:
        tokens.append(Token(current))
    return tokens


def line_cells(lines: list[Line]) -> list[Token]:
    """One cell per line: each printed line is a cell (a table copied with no blank line between cells)."""
    out = []
    for line in lines:
        text = _clean(line)
        if text and not is_page_number(text):
            out.append(Token([Line(line.no, text)]))
    return out


def _pipe_parts(text: str) -> list[str]:
    parts = text.split(_PIPE)
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return [part.strip() for part in parts]


def pipe_cells(lines: list[Line]) -> list[Token]:
    """Pipe cells: one cell per line ("x |"), a line of pipes only ending a row; or rows ("a | b | c |")."""
    tokens: list[Token] = []
    for line in lines:
        text = _clean(line)
        if not text or is_page_number(text):
            continue
        if _ONLY_PIPES.match(text):
            if tokens:
                tokens[-1].row_end = True
            continue
        if _PIPE not in text:
            tokens.append(Token([Line(line.no, text)], row_end=True, outside=True))
            continue
        fields = _pipe_parts(text)
        if len(fields) > 1 and all(_RULE_CELL.match(part) for part in fields):
            continue  # a markdown rule row ("|---|:---:|"): furniture, not cells
        for index, part in enumerate(fields):
            if part:
                tokens.append(Token([Line(line.no, part)], column=index if len(fields) > 1 else None))
        if tokens and len(fields) > 1:
            tokens[-1].row_end = True
    return tokens


_BOX_VERTICAL = "│┃║|"
_BOX_RULE = set("─━═-=┼╋╬┬┴┳┻╦╩├┤┣┫╠╣┌┐└┘┏┓┗┛╔╗╚╝+│┃║| \t")
_BOX_START = "│┃║|┌├└┏┣┗╔╠╚+"


def is_box_line(text: str) -> bool:
    """True for a line of a box-drawn table: a rule ("├──┼──┤") or a row of cells ("│a│b│")."""
    stripped = text.strip()
    return len(stripped) > 1 and stripped[0] in _BOX_START and (
        set(stripped) <= _BOX_RULE or stripped.count(stripped[0]) >= 2 or any(c in stripped for c in _BOX_VERTICAL))


def _is_rule(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and set(stripped) <= _BOX_RULE and any(c in stripped for c in "─━═-=")


def _box_cells(text: str) -> list[str]:
    parts = re.split(f"[{_BOX_VERTICAL}]", text.strip())
    return [part.strip() for part in parts[1:-1]] if len(parts) > 2 else [part.strip() for part in parts if part]


def box_cells(lines: list[Line]) -> list[Token]:
    """A box-drawn table ("┌──┬──┐ / │a │b │ / ├──┼──┤"): a rule ends a row and a cell's lines are joined.

    A rule with a gap under a column ("│  ├──┤") leaves that column's cell open: the row below prints nothing
    there, and the merged value is taken from above like any empty cell of the same 序号 group. Each cell keeps
    its column, so that a row printed whole is placed as printed. Lines after the bottom border are not the table's.
    """
    tokens: list[Token] = []
    fragments: list[list[Line]] = []  # per column, the lines of the open row

    def close() -> None:
        nonlocal fragments
        row = [Token(cell, column=index, exact=True, fields=len(fragments)) for index, cell in enumerate(fragments)
               if cell]
        if row:
            row[-1].row_end = True
            tokens.extend(row)
        fragments = []

    for line in lines:
        text = _clean(line)
        if not is_box_line(text):
            close()
            if text:
                tokens.append(Token([Line(line.no, text)], row_end=True, outside=True))
            continue
        if _is_rule(text):
            close()
            continue
        cells = _box_cells(text)
        while len(fragments) < len(cells):
            fragments.append([])
        for index, cell in enumerate(cells):
            if cell:
                fragments[index].append(Line(line.no, cell))
    close()
    return tokens


def tsv_rows(lines: list[Line]) -> list[list[Token | None]]:
    """Tab-separated rows as Excel or WPS save them (quoted cells may hold line breaks); None for an empty cell."""
    rows: list[list[Token | None]] = []
    texts = [line.text for line in lines]
    numbers = [line.no for line in lines]
    # A cell may be as long as the whole file (a run-on line of names): csv's default 128 KiB field limit would
    # end in a csv.Error traceback.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    reader = csv.reader(texts, delimiter="\t", quotechar='"')
    for fields in reader:
        no = numbers[min(reader.line_num, len(numbers)) - 1]
        if not any(field.strip() for field in fields):
            continue
        cells: list[Token | None] = []
        for field in fields:
            text = field.strip()
            cells.append(Token([Line(no, part.strip()) for part in text.split("\n") if part.strip()]) if text else None)
        rows.append(cells)
    return rows
