"""Bytes to text: encoding detection (UTF-8, GB18030/GBK, UTF-16/32 with BOM) and binary refusal."""

from __future__ import annotations

import codecs
import html
import re
import unicodedata

from ..model import InputError, Line
from ..textutil import INVISIBLE
from .cjk import normalise_cjk

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTAINERS = (
    (b"PK\x03\x04", "a ZIP container (.docx / .xlsx)"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an OLE document (.doc / .xls)"),
    (b"{\\rtf", "an RTF document"),
)
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}
_MAX_CONTROL_SHARE = 0.01
#: An HTML character reference closed by ";": named (&nbsp;), decimal (&#12289;) or hexadecimal (&#x3001;).
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_NO_BREAKS = {ord(char): " " for char in "\n\r\x0b\x0c\x85\u2028\u2029"}


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" / "utf-16-be" when every other byte is NUL, as in BOM-less UTF-16 of ASCII-rich text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Decode a document's bytes; returns (text, encoding) or raises InputError naming the problem."""
    if not data.strip():
        raise InputError(file, "the file is empty")
    for magic, what in _CONTAINERS:
        if data.startswith(magic):
            raise InputError(
                file, f"this is {what} that could not be read as an original file, and it is not text"
            )
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data[:4096]:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise InputError(file, "binary data (NUL bytes), not a text document", _line_of(data, data.index(0)))
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(file, f"not valid {encoding} text", _line_of(data, exc.start)) from None
    else:
        text, encoding = _decode_without_bom(data, file)
    _refuse_binary(text, file)
    return text, encoding


def _decode_without_bom(data: bytes, file: str) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise InputError(
                file,
                "cannot decode the text: it is neither UTF-8, GB18030/GBK nor UTF-16 "
                f"(first bad byte at offset {utf8_error.start})",
                _line_of(data, utf8_error.start),
            ) from None


def _refuse_binary(text: str, file: str) -> None:
    controls = [
        i
        for i, char in enumerate(text)
        if char not in _ALLOWED_CONTROLS and unicodedata.category(char) in ("Cc", "Cs", "Co")
    ]
    if controls and len(controls) > _MAX_CONTROL_SHARE * len(text):
        line = text.count("\n", 0, controls[0]) + 1
        raise InputError(file, "binary data (control characters), not a text document", line)


def unescape_references(text: str) -> str:
    """The text with its HTML character references ("&nbsp;", "&#12289;", "&#x3001;") as the characters they stand
    for, as a page's source copied as text prints them; only references closed by ";", so that "&para" in running
    text stays as it is. A reference to a line break reads as a space (the lines keep their numbers in the file)."""
    if "&" not in text:
        return text
    return _REFERENCE.sub(lambda found: html.unescape(found.group()).translate(_NO_BREAKS), text)


def split_lines(text: str) -> list[Line]:
    """Split decoded text into numbered lines; a form feed (page break) counts as a line break. Each line is read
    without the characters that print nothing (textutil.INVISIBLE), with its HTML character references decoded
    and its CJK radicals as the ideographs they stand for (cjk.normalise_cjk: text converted from PDF)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = normalise_cjk(unescape_references(text).translate(INVISIBLE))  # none of them makes or takes a line break
    return [Line(no, line) for no, line in enumerate(text.split("\n"), start=1)]
