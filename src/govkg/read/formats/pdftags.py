"""Tagged PDF: tables and paragraphs from the document's structure tree (what Word and LibreOffice write when
they export "tagged" / "accessible" PDF).

The structure tree says what the page geometry cannot: which cells a table has, their `RowSpan` / `ColSpan`, and
that a cell broken by a page break is one cell (one TD whose content is on two pages); a table over several pages
is one Table element. The text of each element is gathered from the characters of its marked-content ids, one
paragraph (P) at a time, so lines wrapped inside a paragraph are joined. Content outside the tree (page numbers,
running headers marked as artifacts) is not read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pdfplumber

from ..assemble import Placed
from .pdftext import join_wrapped, visual_lines

_ROW_GROUPS = {"THead", "TBody", "TFoot"}
_CELLS = {"TD", "TH"}
_SKIPPED = {"Artifact", "Figure", "Formula", "Annot", "Link"}


@dataclass
class TaggedTable:
    """A table of the structure tree: its cells placed in rows, and the page of each row."""

    rows: list[list[Placed]]
    pages: list[int]


Block = tuple[int, str] | TaggedTable  # a paragraph (page, text) or a table


class _Chars:
    """The characters of each page by marked-content id, loaded when first needed."""

    def __init__(self, pdf: pdfplumber.PDF) -> None:
        self.pdf = pdf
        self.pages: dict[int, dict[int, list[dict]]] = {}

    def get(self, page: int, mcid: int) -> list[dict]:
        """The characters of one marked-content sequence."""
        if page not in self.pages:
            by_id: dict[int, list[dict]] = {}
            if 1 <= page <= len(self.pdf.pages):
                for char in self.pdf.pages[page - 1].dedupe_chars().chars:
                    if char.get("mcid") is not None:
                        by_id.setdefault(int(char["mcid"]), []).append(char)
            self.pages[page] = by_id
        return self.pages[page].get(mcid, [])


def _marked(node: dict, page: int | None = None) -> Iterator[tuple[int, int]]:
    """(page, mcid) of every marked-content id under a node, in document order."""
    page = node.get("page_number") or page
    for mcid in node.get("mcids") or ():
        if page is not None:
            yield page, int(mcid)
    for child in node.get("children") or ():
        yield from _marked(child, page)


class TaggedReader:
    """Walks a structure tree into paragraphs and tables."""

    def __init__(self, pdf: pdfplumber.PDF, normalise: Callable[[str], str]) -> None:
        self.chars = _Chars(pdf)
        self.normalise = normalise

    def _text(self, node: dict, page: int | None) -> tuple[str, int | None]:
        """A node's text, paragraph by paragraph (lines of a paragraph joined), and its first page."""
        paragraphs: list[str] = []
        first_page: int | None = None
        for part in self._paragraph_nodes(node):
            by_page: dict[int, list[dict]] = {}
            for pg, mcid in _marked(part, part.get("page_number") or node.get("page_number") or page):
                by_page.setdefault(pg, []).extend(self.chars.get(pg, mcid))
                first_page = first_page or pg
            text = ""
            for line in (line for pg in sorted(by_page) for line in visual_lines(by_page[pg])):
                text = join_wrapped(text, line.text) if text else line.text
            if text.strip():
                paragraphs.append(self.normalise(text))
        return "\n".join(paragraphs), first_page

    def _paragraph_nodes(self, node: dict) -> Iterator[dict]:
        children = node.get("children") or ()
        blocks = [child for child in children if child.get("type") in ("P", "H", "H1", "H2", "H3", "H4", "H5",
                                                                         "H6", "LI", "LBody", "L", "Lbl", "Div")]
        if not blocks or node.get("mcids"):
            yield node
            return
        for child in children:
            if child.get("type") in ("L", "LI", "Div"):
                yield from self._paragraph_nodes(child)
            else:
                yield child

    def blocks(self, tree: list[dict]) -> list[Block]:
        """The document's paragraphs and tables in order."""
        out: list[Block] = []
        for node in tree:
            self._walk(node, out, None)
        return out

    def _walk(self, node: dict, out: list[Block], page: int | None) -> None:
        kind = node.get("type")
        page = node.get("page_number") or page
        if kind in _SKIPPED:
            return
        if kind == "Table":
            out.append(self._table(node, page))
            return
        children = node.get("children") or ()
        if kind in ("P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "Lbl", "LBody", "Caption") or not children:
            text, first = self._text(node, page)
            for line in text.split("\n"):
                if line.strip():
                    out.append((first or page or 1, line))
            return
        for child in children:
            self._walk(child, out, page)

    def _table(self, node: dict, page: int | None) -> TaggedTable:
        rows: list[list[Placed]] = []
        pages: list[int] = []
        for tr in self._rows(node):
            cells, row_page = [], None
            for cell in tr.get("children") or ():
                if cell.get("type") not in _CELLS:
                    continue
                attributes = cell.get("attributes") or {}
                text, first = self._text(cell, tr.get("page_number") or page)
                row_page = row_page or first
                cells.append(Placed(0, 0, text, _int(attributes.get("RowSpan")), _int(attributes.get("ColSpan"))))
            rows.append(cells)
            pages.append(row_page or (pages[-1] if pages else page or 1))
        return TaggedTable(rows, pages)

    def _rows(self, node: dict) -> Iterator[dict]:
        for child in node.get("children") or ():
            if child.get("type") == "TR":
                yield child
            elif child.get("type") in _ROW_GROUPS:
                yield from self._rows(child)


def _int(value: object) -> int:
    try:
        return max(int(value), 0)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 1


def has_tables(tree: list[dict]) -> bool:
    """True when a structure tree holds a table with rows."""
    stack = list(tree)
    while stack:
        node = stack.pop()
        if node.get("type") == "Table" and any(child.get("type") in ("TR", *_ROW_GROUPS)
                                               for child in node.get("children") or ()):
            return True
        stack.extend(node.get("children") or ())
    return False
