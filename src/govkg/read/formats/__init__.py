"""Format readers: one module per file format, each turning a file's bytes into a :class:`~govkg.model.Source`.

Readers are imported when first needed, so that reading text files does not load the office and PDF libraries.
Anything a library raises on a damaged file becomes a one-line :class:`~govkg.model.InputError`.
"""

from __future__ import annotations

import importlib

from ...model import FormatName, InputError, Source

#: Format → (module, reader function).
READERS: dict[str, tuple[str, str]] = {
    "docx": ("docx", "read_docx"),
    "xlsx": ("xlsx", "read_xlsx"),
    "xls": ("xls", "read_xls"),
    "html": ("html", "read_html"),
    "pdf": ("pdf", "read_pdf"),
}
_LEGACY = ("doc", "wps", "et")
_NAMES = {"docx": "Word (.docx)", "xlsx": "Excel (.xlsx)", "xls": "Excel (.xls)", "html": "HTML", "pdf": "PDF",
          "doc": "Word (.doc)", "wps": "WPS (.wps)", "et": "WPS (.et)"}


def read_original(data: bytes, file: str, fmt: FormatName) -> Source:
    """Read an original file of a known format; damaged files raise InputError naming the problem."""
    try:
        if fmt in _LEGACY:
            from .legacy import read_legacy

            return read_legacy(data, file, fmt)
        module, function = READERS[fmt]
        reader = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        return reader(data, file)
    except InputError:
        raise
    except Exception as exc:
        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
        raise InputError(file, f"broken {_NAMES.get(fmt, fmt)} file, it cannot be read "
                               f"({type(exc).__name__}{': ' + detail if detail else ''})") from None
