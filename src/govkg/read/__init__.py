"""read: a document on disk → a :class:`~govkg.model.Sheet` (rows of cells with source lines).

The layout is detected from the text (tab-cell, key-value list, flat text) unless one is forced.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from ..lexicon import Lexicon, load_lexicon
from ..model import InputError, LayoutName, Line, Sheet
from .decode import decode, split_lines
from .flat import read_flat
from .keyvalue import key_role, read_keyvalue
from .patterns import TASK_NUMBER
from .sidecar import read_sidecar
from .tabcell import read_tabcell

__all__ = ["LAYOUTS", "detect_layout", "read_document", "read_sidecar", "read_text"]

Reader = Callable[[str, list[Line], str, Lexicon], Sheet]
LAYOUTS: dict[str, Reader] = {"tabcell": read_tabcell, "flat": read_flat, "keyvalue": read_keyvalue}

_MIN_TAB_LINES = 6
_MIN_KEY_LINES = 2
_MIN_TASK_LINES = 2
_MIN_HEADER_WORDS = 3


def detect_layout(lines: list[Line], lex: Lexicon) -> LayoutName | None:
    """Which layout the text is in, or None when it holds no recognisable table."""
    texts = [line.text for line in lines if line.text.strip()]
    if sum(1 for text in texts if text.startswith("\t")) >= _MIN_TAB_LINES:
        return "tabcell"
    if sum(1 for text in texts if key_role(text, lex) in ("lead", "coop", "resp", "leader")) >= _MIN_KEY_LINES:
        return "keyvalue"
    tasks = sum(1 for text in texts if TASK_NUMBER.match(text))
    headers = sum(1 for text in texts if lex.header_role(text.strip()))
    if tasks >= _MIN_TASK_LINES or headers >= _MIN_HEADER_WORDS:
        return "flat"
    return None


def read_text(text: str, file: str, *, encoding: str = "utf-8", layout: LayoutName | None = None,
              lex: Lexicon | None = None) -> Sheet:
    """Read already-decoded text (the file name is used in messages only)."""
    lex = lex or load_lexicon()
    lines = split_lines(text)
    chosen = layout or detect_layout(lines, lex)
    if chosen is None:
        raise InputError(
            file,
            "no responsibility table found: no tab-separated cells, no numbered tasks such as "
            "（1）, no 牵头单位：… lines and no column names (序号 / 工作标准 / 牵头单位)",
        )
    sheet = LAYOUTS[chosen](file, lines, encoding, lex)
    sheet.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if not sheet.tables:
        raise InputError(file, f"no table found in {chosen} text (no header row naming the columns)")
    for table in sheet.tables:
        if not table.rows:
            raise InputError(
                file, "the table has a header but no rows (truncated?)", table.title_line or table.span.first
            )
    return sheet


def read_document(path: str | Path, *, layout: LayoutName | None = None, lex: Lexicon | None = None) -> Sheet:
    """Read a document file: decode it, detect (or force) its layout and return its tables."""
    path = Path(path)
    file = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a folder, not a document") from None
    except PermissionError:
        raise InputError(str(path), "permission denied") from None
    text, encoding = decode(data, file)
    sheet = read_text(text, file, encoding=encoding, layout=layout, lex=lex)
    sheet.sha256 = hashlib.sha256(data).hexdigest()
    return sheet
