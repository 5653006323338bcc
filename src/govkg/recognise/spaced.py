"""Tables whose cells are separated by spaces only: text laid out in columns (`pdftotext -layout`, a terminal
copy) or pasted with one space between cells ("1 新建学校2所 王明 区教育局 区住建局").

The header line is found first: a line that splits into at least three column names. With columns laid out
by runs of spaces, each later line's pieces are put in the column their position falls under, and a line
with nothing under the first column (a cell wrapped onto the next line) goes on the row above; with single
spaces, each line is one row and its pieces are its cells in order.
"""

from __future__ import annotations

import re

from ..lexicon import Lexicon
from ..model import Line
from ..textutil import display_width
from .patterns import is_page_number
from .streams import Token

_RUN = re.compile(r"\S+(?: \S+)*")  # pieces separated by two spaces or more
_WORD = re.compile(r"\S+")
_MIN_HEADER = 3


def _pieces(text: str, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
    """(display column where it starts, text) of each piece of a line."""
    return [(display_width(text[: match.start()]), match.group()) for match in pattern.finditer(text)]


def _header(lines: list[Line], lex: Lexicon) -> tuple[int, re.Pattern[str], list[int]] | None:
    """The header line's index, how its cells are separated, and each column's start."""
    for index, line in enumerate(lines):
        text = line.text.replace("\u3000", "  ").rstrip()
        for pattern in (_RUN, _WORD):
            pieces = _pieces(text, pattern)
            named = [piece for _, piece in pieces if lex.column_role(piece) or lex.is_header_word(piece)]
            if len(pieces) >= _MIN_HEADER and len(named) == len(pieces):
                return index, pattern, [start for start, _ in pieces]
    return None


def _column(start: int, starts: list[int]) -> int:
    """The column whose header starts nearest a piece's start (headers are often centred over their cells)."""
    return min(range(len(starts)), key=lambda index: (abs(starts[index] - start), -index))


def spaced_cells(lines: list[Line], lex: Lexicon) -> list[Token]:
    """The cells of a table separated by spaces, with their columns; lines before the header are kept as lines."""
    found = _header(lines, lex)
    if found is None:
        return []
    index, pattern, starts = found
    tokens = [Token([line], row_end=True, outside=True) for line in lines[:index] if line.text.strip()]
    header = _pieces(lines[index].text.replace("\u3000", "  ").rstrip(), pattern)
    tokens += [Token([Line(lines[index].no, piece)], column=column, exact=True, fields=len(starts))
               for column, (_, piece) in enumerate(header)]
    tokens[-1].row_end = True
    laid_out = pattern is _RUN
    row: dict[int, list[Line]] = {}

    def close() -> None:
        cells = [Token(row[column], column=column, exact=True, fields=len(starts)) for column in sorted(row)]
        if cells:
            cells[-1].row_end = True
            tokens.extend(cells)
        row.clear()

    for line in lines[index + 1 :]:
        text = line.text.replace("\u3000", "  ").rstrip()
        if not text.strip() or is_page_number(text):
            continue
        pieces = _pieces(text, pattern)
        if laid_out:
            placed = [(_column(start, starts), piece) for start, piece in pieces]
            if row and all(column > 0 for column, _ in placed):
                for column, piece in placed:  # a cell wrapped onto the next line
                    row.setdefault(column, []).append(Line(line.no, piece))
                continue
            close()
            for column, piece in placed:
                row.setdefault(column, []).append(Line(line.no, piece))
        else:
            close()
            width = len(pieces)
            for column, (_, piece) in enumerate(pieces):
                tokens.append(Token([Line(line.no, piece)], column=column, exact=width == len(starts), fields=width))
            tokens[-1].row_end = True
    close()
    return tokens
