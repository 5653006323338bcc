"""Web pages (.html / .htm) with lxml's HTML parser: the main content without site chrome, tables with their
`rowspan` / `colspan`, paragraphs as lines, `<br>` as line breaks.

Encoding: a byte-order mark, else the `<meta charset>` / `http-equiv` / XML declaration of the page (GB2312 and
GBK pages are decoded as GB18030, their superset), else UTF-8 or GB18030 as for text. Main content: `<main>` (or
the single `<article>`) when the page has one, else `<body>`; navigation, page header and footer, asides, menus,
scripts, styles, forms' controls and hidden elements are left out. A table holding other tables is page layout:
its cells are read as blocks; so is a table of a single cell.
"""

from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from ...model import Source
from ..assemble import Placed, SourceBuilder, place_rows
from ..decode import decode

_DECLARED_WINDOW = 8192
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "gb_2312-80", "euc-cn", "x-euc-cn", "csgb2312"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "nav", "aside", "iframe", "object", "embed", "svg",
              "canvas", "button", "select", "option", "textarea", "input", "menu", "dialog", "map", "audio",
              "video"}
_CHROME_TAGS = {"header", "footer"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
#: class / id words of site chrome (split on - _ and spaces): 导航, 页头, 页脚, 面包屑, 分享, 侧栏 …
_CHROME_WORDS = {"nav", "navbar", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "footer", "header",
                 "topbar", "sidebar", "share", "toolbar", "copyright", "banner", "skip", "dh", "daohang", "mianbao"}
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
               "pre", "section", "article", "main", "center", "address", "figure", "figcaption", "hr", "form",
               "fieldset", "legend", "details", "summary", "caption", "tr", "td", "th", "body", "html", "header",
               "footer", "table", "tbody", "thead", "tfoot"}
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_WORD_SPLIT = re.compile(r"[-_\s]+")


def read_html(data: bytes, file: str) -> Source:
    """Read a web page: the main content's paragraphs as lines and its tables with their spans."""
    text, encoding = decode_html(data, file)
    builder = SourceBuilder(file, "html", data, encoding)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    _Walker(builder).block(_main_content(root))
    return builder.build()


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page declares in its start (`<meta charset>`, `http-equiv`, XML declaration), if any."""
    head = data[:_DECLARED_WINDOW].decode("latin-1")
    if head.startswith("<?xml"):
        declaration = head[: head.find("?>") + 1]
        for quote in ('"', "'"):
            key = f"encoding={quote}"
            if key in declaration:
                start = declaration.index(key) + len(key)
                return declaration[start: declaration.find(quote, start)].strip().lower() or None
    try:
        root = lxml.html.document_fromstring(head or "<html></html>",
                                             parser=lxml.html.HTMLParser(no_network=True, remove_comments=True))
    except (etree.ParserError, ValueError):
        return None
    for meta in root.iter("meta"):
        if meta.get("charset"):
            return meta.get("charset", "").strip().lower()
        if (meta.get("http-equiv") or "").strip().lower() == "content-type":
            for part in (meta.get("content") or "").split(";"):
                name, _, value = part.partition("=")
                if name.strip().lower() == "charset" and value.strip():
                    return value.strip().strip("\"'").lower()
    return None


def decode_html(data: bytes, file: str) -> tuple[str, str]:
    """The page as text and the encoding it was read in (BOM, then the declared encoding, then as text)."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE,
                       "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    declared = declared_encoding(data)
    if declared and _is_utf8(data):
        return data.decode("utf-8"), "utf-8"  # a page saved as UTF-8 whatever its header says
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            name = None
        if name:
            codec = "gb18030" if declared in _GB_FAMILY or name in _GB_FAMILY else name
            try:
                return data.decode(codec), name
            except UnicodeDecodeError:
                pass
    return decode(data, file)


def _is_utf8(data: bytes) -> bool:
    """True when the bytes are valid UTF-8 holding non-ASCII characters (GBK text practically never is)."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _main_content(root: etree._Element) -> etree._Element:
    mains = root.xpath("//main | //*[@role='main']")
    if mains:
        return mains[0]
    articles = root.xpath("//article")
    if len(articles) == 1:
        return articles[0]
    body = root.find("body")
    return body if body is not None else root


def _is_chrome(element: etree._Element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIP_TAGS or element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    if (element.get("role") or "").lower() in _CHROME_ROLES:
        return True
    if element.xpath("boolean(.//table)"):
        return False  # whatever holds a table is content, whatever its name
    if tag in _CHROME_TAGS and not element.xpath("ancestor::article | ancestor::main"):
        return True
    words = set(_WORD_SPLIT.split(f"{element.get('class') or ''} {element.get('id') or ''}".lower()))
    return bool(words & _CHROME_WORDS)


class _Lines:
    """Inline text gathered into lines: whitespace collapsed as a browser does, breaks at blocks and `<br>`."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def text(self, text: str | None, pre: bool = False) -> None:
        if text:
            self.current.append(text if pre else _WHITESPACE.sub(" ", text))

    def newline(self) -> None:
        line = "".join(self.current).strip(" \t\n\r\f\xa0")
        if line.strip():
            self.lines.append(line)
        self.current = []


class _Walker:
    """Walks the content tree in document order, feeding paragraphs and data tables to the builder."""

    def __init__(self, builder: SourceBuilder) -> None:
        self.builder = builder

    def block(self, element: etree._Element) -> None:
        """Read a container: text as paragraphs (one per line), data tables as tables."""
        lines = _Lines()
        self._walk(element, lines, pre=False)
        self._flush(lines)

    def _flush(self, lines: _Lines) -> None:
        lines.newline()
        for line in lines.lines:
            self.builder.paragraph(line)
        lines.lines = []

    def _walk(self, element: etree._Element, lines: _Lines, pre: bool) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                lines.text(child.tail, pre)
                continue
            if _is_chrome(child):
                lines.text(child.tail, pre)
                continue
            tag = child.tag.lower()
            if tag == "table":
                if _is_layout_table(child):
                    self._walk_layout_table(child, lines, pre)
                else:
                    self._flush(lines)
                    self._table(child)
            elif tag == "br":
                lines.newline()
            else:
                block = tag in _BLOCK_TAGS
                if block:
                    lines.newline()
                if tag == "li":
                    lines.text(_list_label(child))
                lines.text(child.text, pre or tag == "pre")
                self._walk(child, lines, pre or tag == "pre")
                if block:
                    lines.newline()
            lines.text(child.tail, pre)

    def _walk_layout_table(self, table: etree._Element, lines: _Lines, pre: bool) -> None:
        for row in _rows(table):
            for cell in _cells(row):
                lines.newline()
                lines.text(cell.text, pre)
                self._walk(cell, lines, pre)
                lines.newline()

    def _cell_text(self, cell: etree._Element) -> str:
        lines = _Lines()
        lines.text(cell.text)
        self._walk_cell(cell, lines)
        lines.newline()
        return "\n".join(lines.lines)

    def _walk_cell(self, element: etree._Element, lines: _Lines) -> None:
        for child in element:
            if isinstance(child.tag, str) and not _is_chrome(child):
                tag = child.tag.lower()
                if tag == "br":
                    lines.newline()
                else:
                    block = tag in _BLOCK_TAGS
                    if block:
                        lines.newline()
                    lines.text(child.text, tag == "pre")
                    self._walk_cell(child, lines)
                    if block:
                        lines.newline()
            lines.text(child.tail)

    def _table(self, table: etree._Element) -> None:
        caption = table.find("caption")
        if caption is not None:
            self.builder.paragraph(self._cell_text(caption))
        rows = [[Placed(0, 0, self._cell_text(cell), _span(cell.get("rowspan")), _span(cell.get("colspan")))
                 for cell in _cells(row)] for row in _rows(table)]
        placed = place_rows(rows)
        self.builder.table(placed)


def _list_label(item: etree._Element) -> str:
    """The number a browser shows before an item of an ordered list ("3. "; `start` and `value` respected)."""
    parent = item.getparent()
    if parent is None or not isinstance(parent.tag, str) or parent.tag.lower() != "ol":
        return ""
    number = _span(parent.get("start")) - 1 if parent.get("start") else 0
    for sibling in parent:
        if isinstance(sibling.tag, str) and sibling.tag.lower() == "li":
            number = _span(sibling.get("value")) if sibling.get("value") else number + 1
        if sibling is item:
            break
    return f"{number}. "


def _span(value: str | None) -> int:
    """A rowspan / colspan attribute as a browser reads it: its leading digits (1 when there are none)."""
    text = (value or "").strip()
    digits = text[: len(text) - len(text.lstrip("0123456789"))]
    return int(digits) if digits else 1


def _rows(table: etree._Element) -> list[etree._Element]:
    """The rows of a table itself (not of tables nested in it), head rows first as a browser shows them."""
    sections = {"thead": [], "tbody": [], "tfoot": []}  # type: dict[str, list[etree._Element]]
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            sections["tbody"].append(child)
        elif tag in sections:
            sections[tag] += [row for row in child if isinstance(row.tag, str) and row.tag.lower() == "tr"]
    return sections["thead"] + sections["tbody"] + sections["tfoot"]


def _cells(row: etree._Element) -> list[etree._Element]:
    return [cell for cell in row if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")
            and not _is_chrome(cell)]


def _is_layout_table(table: etree._Element) -> bool:
    """True for a table used for page layout: it holds another table, or it is a single cell."""
    if table.xpath("boolean(.//table)"):
        return True
    return sum(len(_cells(row)) for row in _rows(table)) <= 1
