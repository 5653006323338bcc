"""Small text normalisations shared by every stage (whitespace, parentheses, export artefacts)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}“”‘’])\s+|\s+(?=[{_CJK}“”‘’])")
_SPACES = re.compile(r"\s+")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

TERMINAL_PUNCTUATION = "。！？；;!?"
LIST_SEPARATORS = "、，,；;"


#: Characters that print nothing and that web pages and word processors leave inside words (zero-width space,
#: non-joiner and joiner, word joiner, a byte-order mark inside the text, soft hyphen): "住建局\u200b" is 住建局.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def clean_export(text: str) -> str:
    """Remove artefacts of word-processor text exports, such as "[bookmark: _GoBack]"."""
    return _BOOKMARK.sub("", text)


def squeeze(text: str) -> str:
    """Remove whitespace next to Chinese characters and collapse other runs to one space."""
    return _SPACES.sub(" ", _SPACE_NEAR_CJK.sub("", text)).strip()


def no_space(text: str) -> str:
    """Remove all whitespace ("周  庆" → "周庆")."""
    return _SPACES.sub("", text)


def full_width_parens(text: str) -> str:
    """Use full-width parentheses, as Chinese official text does: "高新园(邹区镇)" → "高新园（邹区镇）"."""
    return text.replace("(", "（").replace(")", "）")


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines of Chinese text (no separator), squeezing whitespace."""
    return squeeze("".join(line.strip() for line in lines if line.strip()))


def han_count(text: str) -> int:
    """How many Han characters the text holds."""
    return len(_HAN.findall(text))


def is_han(text: str) -> bool:
    """True when the text is non-empty and made of Han characters only."""
    return bool(text) and han_count(text) == len(text)


def ends_sentence(text: str) -> bool:
    """True when the text ends with sentence-final punctuation (。；！？)."""
    stripped = text.rstrip("”’\"'）) ")
    return bool(stripped) and stripped[-1] in TERMINAL_PUNCTUATION


def display_width(text: str) -> int:
    """Columns the text takes in a terminal (wide East Asian characters count two)."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def fit(text: str, width: int) -> str:
    """Cut the text to at most `width` terminal columns (ending with "…" when cut) and pad it."""
    if display_width(text) > width:
        out, used = [], 0
        for char in text:
            step = display_width(char)
            if used + step > width - 1:
                break
            out.append(char)
            used += step
        text = "".join(out) + "…"
    return text + " " * (width - display_width(text))


def longest_first(words: Iterable[str]) -> tuple[str, ...]:
    """The words without repeats, longest first (so an alternation or prefix scan tries the longest match first)."""
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))
