"""Numbering printed at the start of a paragraph or cell ("一、", "（一）", "1.", "1、", "（1）", "①", "一是")."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_CN = "一二三四五六七八九十百零〇"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

#: (style, pattern, rank): a lower rank is an outer level. The order of the list is the order of trial.
_STYLES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("part", re.compile(rf"^\s*第\s*(?P<n>[{_CN}\d]+)\s*(?:部分|章|篇)\s*[、.．:：]?\s*"), 0),
    ("cn", re.compile(rf"^\s*(?P<n>[{_CN}]{{1,3}})\s*[、.．]\s*"), 1),
    ("pcn", re.compile(rf"^\s*[（(]\s*(?P<n>[{_CN}]{{1,3}})\s*[）)]\s*[、.．]?\s*"), 2),
    ("num", re.compile(r"^\s*(?P<n>\d{1,4})\s*(?:[、．]|\.(?!\d))\s*"), 3),
    ("pnum", re.compile(r"^\s*[（(]\s*(?P<n>\d{1,4})\s*[）)]\s*[、.．]?\s*"), 4),
    ("circled", re.compile(rf"^\s*(?P<n>[{_CIRCLED}])\s*[、.．]?\s*"), 5),
    ("cnshi", re.compile(rf"^\s*(?P<n>[{_CN}]{{1,3}})是\s*(?=[，,:：]|\S)"), 6),
)
#: The rank of a paragraph with no numbering (the deepest level).
UNNUMBERED = 7
#: The outline rank of each numbering style.
RANKS = {style: rank for style, _, rank in _STYLES}

#: Where a run-on line may be cut before a numbering: after whitespace or a sentence / clause end.
_RUN_ON = re.compile(
    rf"(?:(?<=\s)|(?<=[。；;！？!?）)】]))(?=(?:[{_CN}]{{1,3}}\s*、|[（(]\s*[{_CN}\d]{{1,3}}\s*[）)]|\d{{1,4}}\s*[、．]"
    rf"|\d{{1,4}}\.(?!\d)))"
    rf"|(?<=[。；;，,：:])(?=[{_CN}]{{1,2}}是)"
)


@dataclass(frozen=True)
class Enumerator:
    """A printed numbering: its style, the number as printed, its rank, and where the text after it starts."""

    style: str
    number: str
    rank: int
    end: int


def enumerator(text: str) -> Enumerator | None:
    """The numbering at the start of a paragraph, or None."""
    for style, pattern, rank in _STYLES:
        match = pattern.match(text)
        if match and match.end() < len(text.rstrip()):
            return Enumerator(style, match.group("n"), rank, match.end())
    return None


def strip_enumerator(text: str) -> str:
    """The text without its leading numbering ("（一）经济总量指标。" → "经济总量指标。")."""
    found = enumerator(text)
    return text[found.end:] if found else text


_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def number_value(number: str) -> int | None:
    """The value of a printed number: "12", "十二", "二十三", "①"; None when it is not one (or above 99)."""
    if number.isascii() and number.isdigit():
        return int(number)
    if number in _CIRCLED:
        return _CIRCLED.index(number) + 1
    if len(number) == 1 and number in _DIGITS:
        return _DIGITS[number]
    tens, ten, ones = number.partition("十")
    if not ten or (tens and tens not in _DIGITS) or (ones and ones not in _DIGITS):
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def in_sequence(found: list[Enumerator]) -> bool:
    """True when at least two numberings of one style count on by one ("一是" … "二是", "1." … "2.")."""
    for first, second in itertools.pairwise(found):
        a, b = number_value(first.number), number_value(second.number)
        if first.style == second.style and a is not None and b == a + 1:
            return True
    return False


def run_on_cuts(text: str) -> list[int]:
    """Offsets where a line holding several numbered paragraphs run together may be cut (0 excluded)."""
    return [match.start() for match in _RUN_ON.finditer(text) if match.start() > 0 and enumerator(text[match.start():])]
