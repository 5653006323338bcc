"""read: a file on disk → a :class:`~govkg.model.Source` (paragraph lines and tables, with positions).

The format is found from the file's content (magic bytes, zip members), never from its name alone. Text files
become numbered lines; originals (.docx, .xlsx, .xls, .html, .pdf, .doc/.wps/.et) become paragraphs and
:class:`~govkg.model.Grid` tables with their true merged cells. What the lines and tables mean is the
recognisers' job (:mod:`govkg.recognise`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..model import Grid, InputError, Line, Source
from .decode import decode, split_lines
from .formats import read_original
from .limits import check_size
from .sidecar import read_sidecar
from .sniff import sniff

__all__ = ["read_bytes", "read_sidecar", "read_source", "source_from_text"]


def source_from_text(text: str, file: str, *, encoding: str = "utf-8", sha256: str = "") -> Source:
    """A Source of already-decoded text: its lines, numbered from 1."""
    blocks: list[Line | Grid] = list(split_lines(text))
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Source(file=file, format="text", encoding=encoding, sha256=digest, blocks=blocks)


def read_bytes(data: bytes, file: str) -> Source:
    """Read a document's bytes (text or an original file) into a Source; the format is found from the content."""
    if not data.strip():
        raise InputError(file, "the file is empty")
    fmt = sniff(data, file)
    if fmt != "text":
        check_size(data, file)
        return read_original(data, file, fmt)
    text, encoding = decode(data, file)
    return source_from_text(text, file, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())


def read_source(path: str | Path) -> Source:
    """Read a document file into a Source; unreadable files raise InputError naming the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a folder, not a document") from None
    except PermissionError:
        raise InputError(str(path), "permission denied") from None
    return read_bytes(data, path.name)
