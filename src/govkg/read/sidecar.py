"""Sidecar metadata beside a document: `NAME.meta.toml` (or `NAME.txt.meta.toml`).

Example::

    issuer = "钟楼区"      # name, alias or division code of the issuing government
    year = 2021            # the year of the work report
    title = "…"            # optional
    issued = "2021-02-20"  # optional
    note = "why these values"
    part = "民生实事"      # optional: this document is a further part of the issuer's plan for the year

A `part` is needed when an issuer has two documents of one year (say the main table and a separate 民生实事
table): the build refuses two documents with the same plan key, and never renames a published plan. The
document with a part gets plan key "{year}-{part}" (a progress report "{year}-report-{period}-{part}"), the
other keeps "{year}". A part is a short name (at most 40 characters after NFC normalisation and trimming
spaces; no "/", control, format or line-breaking characters, no whitespace but the plain space); it is
percent-encoded in IRIs like every other key.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import Any

from ..model import InputError
from .files import display_name, read_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: Largest sidecar file read (bytes): a few lines of metadata.
MAX_SIDECAR_BYTES = 1024 * 1024

_KEYS = {"issuer": str, "year": int, "title": str, "issued": str, "note": str, "part": str}

#: Longest `part` (characters): it becomes a piece of IRIs and of graph file names.
MAX_PART = 40


def check_part(value: str) -> str:
    """A sidecar's `part`, normalised (NFC, spaces trimmed); raises ValueError for what cannot name one."""
    part = unicodedata.normalize("NFC", value).strip(" ")
    if not part:
        raise ValueError("part must not be empty")
    if len(part) > MAX_PART:
        raise ValueError(f"part must be at most {MAX_PART} characters, not {len(part)}")
    for char in part:
        category = unicodedata.category(char)
        if char == "/" or category[0] == "C" or (category[0] == "Z" and char != " "):
            raise ValueError(f"part must not hold {char!r} (no /, control characters or other whitespace)")
    return part


#: A sidecar's name ends so: X.meta.toml beside X.txt, or X.txt.meta.toml.
SIDECAR_SUFFIX = ".meta.toml"


def sidecar_path(document: Path) -> Path | None:
    """The sidecar file of a document, if one exists."""
    for candidate in (document.with_suffix(SIDECAR_SUFFIX), document.with_name(document.name + SIDECAR_SUFFIX)):
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(document: str | Path) -> dict[str, Any]:
    """The metadata a sidecar file supplies for a document ({} when there is none)."""
    path = sidecar_path(Path(document))
    if path is None:
        return {}
    shown = display_name(path)
    raw_bytes = read_file(path, max_bytes=MAX_SIDECAR_BYTES)
    try:
        data = tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(shown, "sidecar is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        reason = " ".join(str(exc).split())
        raise InputError(shown, f"sidecar is not valid TOML: {reason}") from None
    except RecursionError:
        raise InputError(shown, "sidecar is not valid TOML: nested too deeply") from None
    out: dict[str, Any] = {}
    for key, raw in data.items():
        expected = _KEYS.get(key)
        if expected is None:
            raise InputError(shown, f"unknown key {key!r} (known: {', '.join(_KEYS)})")
        value = str(raw) if key == "issued" else raw  # a TOML date is fine too
        if not isinstance(value, expected):
            raise InputError(shown, f"{key} must be {expected.__name__}, not {type(value).__name__}")
        if key == "part":
            try:
                value = check_part(value)
            except ValueError as exc:
                raise InputError(shown, str(exc)) from None
        out[key] = value
    return out
