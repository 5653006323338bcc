"""Traditional characters: folded to simplified for reading, kept as printed for output.

A document printed in traditional characters (地區生產總值… 牽頭單位：區發展改革局) is read through its simplified
form, so that labels, column names, unit suffixes and the lexicon's names match; conversion uses OpenCC's
maintained tables (t2s) and keeps every line's length, so that a position in the folded text is the same
position in the printed one. The printed lines are kept in :attr:`Source.printed` for the layout stage to
give the records their text as printed.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import opencc

from ..model import Grid, Line, Source
from ..textutil import han_count

#: A document is folded when at least this many characters change and this share of its Han characters.
_MIN_CHANGED = 3
_MIN_SHARE = 0.005


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """The text in simplified characters, of the same length (character by character where phrases differ)."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(char if len(c := _converter().convert(char)) != 1 else c for char in text)


def _changed(lines: list[Line]) -> tuple[int, int]:
    text = "\n".join(line.text for line in lines)
    folded = to_simplified(text)
    return sum(1 for a, b in zip(text, folded, strict=True) if a != b), han_count(text)


def fold_traditional(source: Source) -> Source:
    """The source with its lines in simplified characters when it is printed in traditional ones; else itself."""
    lines = source.lines
    changed, han = _changed(lines)
    if changed < _MIN_CHANGED or changed < _MIN_SHARE * han:
        return source
    printed: dict[int, str] = {}

    def fold(line: Line) -> Line:
        folded = to_simplified(line.text)
        if folded != line.text:
            printed[line.no] = line.text
        return Line(line.no, folded)

    blocks: list[Line | Grid] = []
    for block in source.blocks:
        if isinstance(block, Line):
            blocks.append(fold(block))
        else:
            rows = [[replace(cell, lines=tuple(fold(line) for line in cell.lines)) if cell.lines else cell
                     for cell in row] for row in block.rows]
            blocks.append(Grid(block.number, rows))
    return replace(source, blocks=blocks, printed=printed)



