"""read: a file on disk → a :class:`~govkg.model.Source` (paragraph lines and tables, with positions).

The format is found from the file's content (magic bytes, zip members), never from its name alone. Text files
become numbered lines; originals (.docx, .xlsx, .xls, .html, .pdf, .doc/.wps/.et) become paragraphs and
:class:`~govkg.model.Grid` tables with their true merged cells. What the lines and tables mean is the
recognisers' job (:mod:`govkg.recognise`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..model import Grid, InputError, Line, Source
from .decode import decode, split_lines
from .files import display_name, read_file
from .formats import read_original
from .limits import MAX_FILE_BYTES, check_size
from .sidecar import read_sidecar
from .sniff import sniff

__all__ = ["display_name", "read_bytes", "read_file", "read_sidecar", "read_source", "source_from_text"]


def source_from_text(text: str, file: str, *, encoding: str = "utf-8", sha256: str = "") -> Source:
    """A Source of already-decoded text: its lines, numbered from 1."""
    blocks: list[Line | Grid] = list(split_lines(text))
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Source(file=file, format="text", encoding=encoding, sha256=digest, blocks=blocks)


def read_bytes(data: bytes, file: str, *, max_bytes: int = MAX_FILE_BYTES) -> Source:
    """Read a document's bytes (text or an original file) into a Source; the format is found from the content."""
    check_size(data, file, max_bytes)
    if not data.strip():
        raise InputError(file, "the file is empty")
    fmt = sniff(data, file)
    if fmt != "text":
        return read_original(data, file, fmt)
    text, encoding = decode(data, file)
    return source_from_text(text, file, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())


def read_source(path: str | bytes | os.PathLike, *, max_bytes: int = MAX_FILE_BYTES) -> Source:
    """Read a document file into a Source; unreadable files raise a one-line InputError naming the file.

    A file name that is not valid UTF-8 is refused (it could not be written into the outputs faithfully).
    """
    shown = display_name(path)
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(shown, "the file name is not valid UTF-8: rename the file") from None
    data = read_file(path, max_bytes=max_bytes)
    return read_bytes(data, Path(os.fsdecode(path)).name, max_bytes=max_bytes)
