"""Text of PDF pages: characters grouped into visual lines, wrapped lines of a table cell joined, page numbers
recognised (CJK compatibility characters are normalised by the reader, govkg.read.cjk)."""

from __future__ import annotations

from dataclasses import dataclass

from pdfplumber.utils import cluster_objects
from pdfplumber.utils.text import WordExtractor

_X_TOLERANCE = 1.5
_Y_TOLERANCE = 3.0
_PAGE_NUMBER_DECOR = frozenset(" -—–－_·/|第页共PpAaGgEe()（）.．")
#: A line ending closer than this many character widths to a cell's right edge was wrapped there.
_WRAP_CHARS = 1.0
_CLOSERS = ("）", ")", "】", "]")
#: A cell whose last line ends closer than this many line heights to its bottom is full (its text may go on in
#: the cell's continuation on the next page).
_FULL_LINES = 1.6


def is_page_number(text: str) -> bool:
    """True for a page number as printed in a margin ("3", "- 3 -", "第3页", "3/12")."""
    stripped = "".join(char for char in text if char not in _PAGE_NUMBER_DECOR)
    return stripped.isdigit() and len(stripped) <= 4


@dataclass(frozen=True)
class VisualLine:
    """A printed line: its text (as printed) and its box."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    char_width: float


def visual_lines(chars: list[dict]) -> list[VisualLine]:
    """Characters grouped into printed lines, top to bottom (words separated by a space where the gap is wide)."""
    if not chars:
        return []
    words = WordExtractor(x_tolerance=_X_TOLERANCE, y_tolerance=_Y_TOLERANCE).extract_words(chars)
    out = []
    for cluster in cluster_objects(words, lambda word: word["top"], _Y_TOLERANCE):
        line = sorted(cluster, key=lambda word: word["x0"])
        text = " ".join(word["text"] for word in line)
        widths = [(word["x1"] - word["x0"]) / max(len(word["text"]), 1) for word in line]
        out.append(VisualLine(text, line[0]["x0"], line[-1]["x1"], min(w["top"] for w in line),
                              max(w["bottom"] for w in line), max(widths)))
    return sorted(out, key=lambda item: item.top)


def join_wrapped(left: str, right: str) -> str:
    """Two parts of a wrapped line: CJK text joins directly, other text with a space."""
    if left[-1:].isascii() and right[:1].isascii() and left[-1:].isalnum() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


def cell_text(lines: list[VisualLine], box: tuple[float, float, float, float]) -> tuple[str, bool]:
    """A cell's text, lines wrapped at the cell's right edge joined; and whether the text fills the cell."""
    if not lines:
        return "", False
    padding = max(min(line.x0 for line in lines) - box[0], 0.0)
    paragraphs: list[str] = []
    wrapped = False
    for line in lines:
        if wrapped and paragraphs:
            paragraphs[-1] = join_wrapped(paragraphs[-1], line.text)
        else:
            paragraphs.append(line.text)
        # A line reaching the cell's right edge was wrapped, unless a closing bracket ends it (a name ends there).
        wrapped = line.x1 >= box[2] - padding - _WRAP_CHARS * line.char_width and not line.text.endswith(_CLOSERS)
    height = max(line.bottom - line.top for line in lines)
    full = box[3] - lines[-1].bottom < _FULL_LINES * height + padding
    return "\n".join(paragraphs), full
