"""Which format a document is in, from its content: magic bytes, ZIP members and content types, OLE streams, an
HTML start. The file name's extension only breaks ties (.doc vs .wps, .xls vs .et, markup in a .html file).

Containers that are no document of ours (RTF, OpenDocument, PowerPoint, plain ZIP archives) and encrypted Office
files are refused here with a one-line :class:`~govkg.model.InputError`.
"""

from __future__ import annotations

import codecs
import io
import struct
import zipfile
import zlib
from pathlib import PurePath

import olefile
from lxml import etree

from ..model import FormatName, InputError
from .limits import check_members

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_PDF_WINDOW = 1024
_HTML_WINDOW = 4096
_HTML_START_TAGS = frozenset(
    {"html", "head", "body", "meta", "title", "table", "div", "p", "link", "style", "script", "base", "h1", "h2",
     "center", "font", "span", "br", "form", "section", "article", "main", "header", "nav"}
)
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_CONTENT_TYPES = "[Content_Types].xml"
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024
#: Main-part content types of the OOXML packages we read (macro-enabled and template variants included).
_WORD_TYPES = ("wordprocessingml.document.main", "ms-word.document.macroenabled.main",
               "wordprocessingml.template.main", "ms-word.template.macroenabledtemplate.main")
_EXCEL_TYPES = ("spreadsheetml.sheet.main", "ms-excel.sheet.macroenabled.main",
                "spreadsheetml.template.main", "ms-excel.template.macroenabled.main")
#: Word's FIB flag fEncrypted (offset 0x0A of the WordDocument stream).
_WORD_ENCRYPTED = 0x0100


def sniff(data: bytes, file: str) -> FormatName:
    """The format of a document's bytes ("text" when no container or markup is recognised)."""
    suffix = PurePath(file).suffix.lower()
    if b"%PDF-" in data[:_PDF_WINDOW]:
        return "pdf"
    if data.startswith(_ZIP_MAGICS):
        return _zip_format(data, file)
    if data.startswith(OLE_MAGIC):
        return _ole_format(data, file, suffix)
    if data.lstrip()[:5] == b"{\\rtf":
        raise InputError(file, "this is an RTF document, which is not read: save it as .docx (or as text) first")
    first = _first_tag(data)
    if first is not None and (first in _HTML_START_TAGS or first == "!doctype html"):
        return "html"
    if suffix in _HTML_SUFFIXES and _has_markup(data):
        return "html"
    return "text"


def is_macro_enabled(archive: zipfile.ZipFile) -> bool:
    """True when an OOXML package declares macro-enabled content (.docm / .xlsm) or holds a VBA project."""
    if any(name.lower().endswith("vbaproject.bin") for name in archive.namelist()):
        return True
    return any("macroenabled" in content_type for content_type in _content_types(archive))


def _content_types(archive: zipfile.ZipFile) -> list[str]:
    """The lower-cased content types an OOXML package's [Content_Types].xml declares."""
    try:
        info = archive.getinfo(_CONTENT_TYPES)
    except KeyError:
        return []
    if info.file_size > _MAX_CONTENT_TYPES_BYTES:
        return []
    try:
        root = etree.fromstring(archive.read(info), etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError, zlib.error):
        return []  # a damaged member (bad offsets, bad deflate stream): sniff from the member names instead
    return [str(element.get("ContentType", "")).lower() for element in root.iter() if element.get("ContentType")]


def _zip_format(data: bytes, file: str) -> FormatName:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(file, f"broken ZIP container ({exc}); the file is damaged or truncated") from None
    with archive:
        check_members(archive.infolist(), file)
        names = set(archive.namelist())
        types = _content_types(archive)
        if any(kind in content_type for content_type in types for kind in _WORD_TYPES) or "word/document.xml" in names:
            return "docx"
        if any(kind in content_type for content_type in types for kind in _EXCEL_TYPES) or "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            raise InputError(file, "this is a binary Excel workbook (.xlsb), which is not read: save it as .xlsx")
        if any(name.startswith("ppt/") for name in names):
            raise InputError(file, "this is a PowerPoint presentation, not a document with tables")
        if "mimetype" in names:
            raise InputError(file, "this is an OpenDocument file (.odt / .ods), which is not read: "
                                   "save it as .docx or .xlsx")
    raise InputError(file, "this is a ZIP archive, not a Word or Excel document: unpack it and pass the documents")


def _ole_format(data: bytes, file: str, suffix: str) -> FormatName:
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, struct.error, IndexError) as exc:
        raise InputError(file, f"broken OLE compound file ({exc}); the file is damaged or truncated") from None
    with ole:
        streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
        top = {name.split("/")[0] for name in streams}
        if {"EncryptionInfo", "EncryptedPackage"} & top:
            raise InputError(file, "password-protected (encrypted) Office document: open it in Word / Excel / WPS, "
                                   "remove the password and save it again")
        if "WordDocument" in top:
            header = ole.openstream("WordDocument").read(12)
            if len(header) == 12 and struct.unpack_from("<H", header, 10)[0] & _WORD_ENCRYPTED:
                raise InputError(file, "password-protected (encrypted) Word document: remove the password and "
                                       "save it again")
            return "wps" if suffix == ".wps" else "doc"
        if top & {"Workbook", "Book", "WORKBOOK", "BOOK"}:
            return "et" if suffix == ".et" or "ETExtData" in top else "xls"
        if "PowerPoint Document" in top:
            raise InputError(file, "this is a PowerPoint presentation, not a document with tables")
    raise InputError(file, "an OLE compound file that is neither a Word (.doc / .wps) nor an Excel (.xls / .et) "
                           "document")


def _head_text(data: bytes) -> str:
    """The start of the bytes as text good enough to see markup: ASCII-compatible bytes stay as they are."""
    head = data[:_HTML_WINDOW]
    for boms, codec in ((_UTF32_BOMS, "utf-32"), (_UTF16_BOMS, "utf-16")):
        if head.startswith(boms):
            return head[: len(head) // 4 * 4].decode(codec, errors="ignore")
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    return head.decode("latin-1")


def _first_tag(data: bytes) -> str | None:
    """The lower-cased name of the first tag at the start (after whitespace, comments and an XML declaration)."""
    text = _head_text(data).lstrip("\ufeff \t\r\n\f")
    while text.startswith(("<!--", "<?")):
        end = text.find("-->" if text.startswith("<!--") else "?>")
        if end < 0:
            return None
        text = text[end + (3 if text.startswith("<!--") else 2):].lstrip(" \t\r\n\f")
    if not text.startswith("<"):
        return None
    lowered = text[1:40].lower()
    if lowered.startswith("!doctype"):
        return "!doctype html" if lowered[8:].lstrip().startswith("html") else "!doctype"
    name = ""
    for char in lowered:
        if not (char.isalnum() or char in "-:"):
            break
        name += char
    return name or None


def _has_markup(data: bytes) -> bool:
    """True when the start holds at least one start tag of an HTML element (for files named .html)."""
    text = _head_text(data).lower()
    return any(f"<{tag}" in text for tag in _HTML_START_TAGS)
