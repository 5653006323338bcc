"""Word .docx (and .docm / .dotx, read as data: macros never run) with python-docx.

The body is walked in document order: paragraphs (with the labels of numbered list items), text boxes (after the
paragraph that anchors them), and tables. Table cells keep their true merges: `w:gridSpan` (and the legacy
`w:hMerge`) across columns, `w:vMerge` down rows. A table nested in a cell becomes a table of its own, placed after
the table that holds it; a table of a single cell (a frame around content) is read as the content it holds.
Headers, footers, footnotes, comments and deleted text are not read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from lxml import etree

from ...model import FormatName, Source
from ..assemble import Placed, SourceBuilder
from ..limits import open_zip
from ..sniff import is_macro_enabled
from .numbering import Numbering, W

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_MACRO_TYPES = {
    b"application/vnd.ms-word.document.macroEnabled.main+xml":
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml":
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml":
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
}
#: Containers whose children are read as if they stood in their parent (content controls, custom XML, …).
_TRANSPARENT = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo"}
#: Subtrees that never contribute text to a paragraph.
_SKIPPED = {W + "txbxContent", _MC_FALLBACK, W + "del", W + "moveFrom", W + "pPr", W + "rPr", W + "instrText",
            W + "delText", W + "footnoteReference", W + "endnoteReference", W + "commentReference"}
_NESTING_LIMIT = 32


def read_docx(data: bytes, file: str, *, fmt: FormatName = "docx") -> Source:
    """Read a .docx file: paragraphs and tables (with their merged cells) in document order."""
    builder = SourceBuilder(file, fmt, data, "utf-8")
    with open_zip(data, file) as archive:
        macros = is_macro_enabled(archive)
        package = _as_plain_docx(archive) if macros else data
    if macros:
        builder.warn("macro-enabled Word file: read as data, its macros are ignored (never run)", code="macros")
    document = docx.Document(io.BytesIO(package))
    numbering_part = _numbering_element(document)
    styles = document.part.styles.element if document.part.styles is not None else None
    walker = _Walker(builder, Numbering(numbering_part, styles))
    walker.blocks(document.element.body)
    return builder.build()


def _as_plain_docx(archive: zipfile.ZipFile) -> bytes:
    """The package with its main part declared as a plain document (python-docx opens no .docm); VBA dropped."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            if info.filename.lower().endswith("vbaproject.bin"):
                continue
            content = archive.read(info)
            if info.filename == "[Content_Types].xml":
                for macro, plain in _MACRO_TYPES.items():
                    content = content.replace(macro, plain)
            copy.writestr(info, content)
    return out.getvalue()


def _numbering_element(document: docx.document.Document) -> etree._Element | None:
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/numbering") and not rel.is_external:
            return rel.target_part.element  # type: ignore[attr-defined]
    return None


def paragraph_text(paragraph: etree._Element) -> str:
    """A paragraph's text as printed: runs, tabs and line breaks; no deleted text, field codes or text boxes."""
    out: list[str] = []

    def walk(element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag == W + "t":
                out.append(child.text or "")
            elif tag == W + "tab" or tag == W + "ptab":
                out.append("\t")
            elif tag in (W + "br", W + "cr"):
                out.append("" if child.get(W + "type") in ("page", "column") else "\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            else:
                walk(child)

    walk(paragraph)
    return "".join(out)


def _text_boxes(paragraph: etree._Element) -> Iterator[etree._Element]:
    """The text boxes a paragraph anchors (each once: the fallback copy of alternate content is skipped)."""
    stack = list(paragraph)
    while stack:
        element = stack.pop(0)
        if not isinstance(element.tag, str) or element.tag == _MC_FALLBACK:
            continue
        if element.tag == W + "txbxContent":
            yield element
            continue
        stack[:0] = list(element)


class _Walker:
    """Walks block content (body, cell, text box) and feeds the builder in reading order."""

    def __init__(self, builder: SourceBuilder, numbering: Numbering) -> None:
        self.builder = builder
        self.numbering = numbering

    def _paragraph_text(self, paragraph: etree._Element) -> str:
        label = self.numbering.label(paragraph)
        text = paragraph_text(paragraph)
        return f"{label[0]}{label[1]}{text}" if label and text.strip() else text

    def blocks(self, container: etree._Element, depth: int = 0) -> None:
        """Read the paragraphs and tables of a container, in order."""
        for element in self._children(container):
            if element.tag == W + "p":
                self.builder.paragraph(self._paragraph_text(element))
                for box in _text_boxes(element):
                    if depth < _NESTING_LIMIT:
                        self.blocks(box, depth + 1)
            elif element.tag == W + "tbl" and depth < _NESTING_LIMIT:
                self.table(element, depth + 1)

    def _children(self, container: etree._Element) -> Iterator[etree._Element]:
        for child in container:
            if child.tag in _TRANSPARENT:
                yield from self._children(child)
            elif isinstance(child.tag, str):
                yield child

    def _rows(self, table: etree._Element) -> list[etree._Element]:
        return [row for row in self._children(table) if row.tag == W + "tr"]

    def _cells(self, row: etree._Element) -> list[etree._Element]:
        return [cell for cell in self._children(row) if cell.tag == W + "tc"]

    def table(self, table: etree._Element, depth: int) -> None:
        """Read a table: its cells with their merges, then the tables nested in its cells."""
        rows = self._rows(table)
        cells = [cell for row in rows for cell in self._cells(row)]
        if len(cells) == 1:
            self.blocks(cells[0], depth)  # a frame around content, not a table of data
            return
        nested: list[etree._Element] = []
        placed: list[Placed] = []
        owner: dict[tuple[int, int], Placed] = {}
        for r, row in enumerate(rows):
            col = _int(row.find(f"{W}trPr/{W}gridBefore"), 0)
            previous: Placed | None = None
            for tc in self._cells(row):
                tc_pr = tc.find(W + "tcPr")
                span = max(1, _int(tc_pr.find(W + "gridSpan") if tc_pr is not None else None, 1))
                v_merge = tc_pr.find(W + "vMerge") if tc_pr is not None else None
                h_merge = tc_pr.find(W + "hMerge") if tc_pr is not None else None
                nested += [child for child in self._children(tc) if child.tag == W + "tbl"]
                if h_merge is not None and h_merge.get(W + "val") != "restart" and previous is not None:
                    previous.col_span += span
                    for c in range(col, col + span):
                        owner[(r, c)] = previous
                    col += span
                    continue
                above = owner.get((r - 1, col))
                if (v_merge is not None and v_merge.get(W + "val") != "restart" and above is not None
                        and above.col == col and above.col_span == span):
                    above.row_span = r - above.row + 1
                    cell = above
                else:
                    lines = [self._paragraph_text(p) for p in self._children(tc) if p.tag == W + "p"]
                    cell = Placed(r, col, "\n".join(lines), 1, span)
                    placed.append(cell)
                for c in range(col, col + span):
                    owner[(r, c)] = cell
                previous = cell
                col += span
        self.builder.table(placed)
        for inner in nested:
            self.table(inner, depth + 1)


def _int(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    value = element.get(W + "val", "")
    return int(value) if value.isdigit() else default
