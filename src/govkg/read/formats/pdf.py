"""PDF with pdfplumber: ruled tables with merged cells recovered from cell geometry, text outside tables as lines.

A tagged PDF (Word and LibreOffice export them) is read from its structure tree, whose tables say which cells are
merged and keep a cell broken by a page break as one cell (:mod:`.pdftags`). Otherwise the page geometry is read:
each character goes to the table cell holding its centre, or to the page's text outside tables; tables and lines
are kept in reading order (top to bottom), page numbers in the page margins are dropped. Tables continued over
pages are joined (:mod:`.pdftables`). Lines wrapped at a cell's right edge are joined, lines outside tables are
kept as printed (the list recognisers read them). CJK compatibility characters are normalised with NFKC; the
document's diagnostics say how many texts were printed with them, with examples of the printed form.

A PDF without a text layer (a scan) is refused with an explanation; OCR is not attempted. A PDF that needs a
password to open is refused; one encrypted only against editing is read, with a note.
"""

from __future__ import annotations

import io

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ...model import InputError, Location, Source
from ..assemble import SourceBuilder, place_rows
from ..cjk import normalise_cjk
from .pdftables import JoinedTable, PageTable, page_table
from .pdftags import Block, TaggedReader, TaggedTable, has_tables
from .pdftext import VisualLine, is_page_number, visual_lines

_MARGIN = 0.08
_SCAN_CHARS_PER_PAGE = 10
_CID_SHARE = 0.3


class _Reader:
    """Reads the pages of a PDF into the builder, joining tables continued over pages."""

    def __init__(self, builder: SourceBuilder) -> None:
        self.builder = builder
        self.open: JoinedTable | None = None
        self.normalised: list[tuple[str, str]] = []

    def normalise(self, printed: str) -> str:
        """The text with CJK compatibility characters normalised; changes are remembered for the report."""
        text = normalise_cjk(printed)
        if text != printed:
            self.normalised.append((printed, text))
        return text

    def _normalise(self, lines: list[VisualLine]) -> list[VisualLine]:
        return [VisualLine(self.normalise(line.text), line.x0, line.x1, line.top, line.bottom, line.char_width)
                for line in lines]

    def tagged(self, blocks: list[Block]) -> None:
        """Read the paragraphs and tables of a tagged PDF's structure tree."""
        for block in blocks:
            if isinstance(block, TaggedTable):
                self.builder.table(place_rows(block.rows), pages=block.pages)
            else:
                self.builder.paragraph(block[1], Location(page=block[0]))

    def page(self, number: int, page: pdfplumber.page.Page) -> None:
        """Read one page: its tables and the lines outside them, in reading order."""
        page = page.dedupe_chars()
        tables = [table for table in (page_table(found.cells) for found in page.find_tables()) if table]
        outside: list[dict] = []
        per_cell: dict[tuple[int, int], list[dict]] = {}
        for char in page.chars:
            x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
            holder = next((i for i, table in enumerate(tables) if table.holds(x, y)), None)
            if holder is None:
                outside.append(char)
                continue
            index = tables[holder].cell_at(x, y)
            if index is not None:
                per_cell.setdefault((holder, index), []).append(char)
        for (holder, index), chars in per_cell.items():
            tables[holder].fill(index, self._normalise(visual_lines(chars)))
        blocks: list[tuple[float, PageTable | VisualLine]] = [(table.ys[0], table) for table in tables]
        for line in self._normalise(visual_lines(outside)):
            in_margin = line.top < _MARGIN * page.height or line.bottom > (1 - _MARGIN) * page.height
            if not (in_margin and is_page_number(line.text)):
                blocks.append((line.top, line))
        for _, block in sorted(blocks, key=lambda item: item[0]):
            if isinstance(block, PageTable):
                self._table(number, block)
            else:
                self._close()
                self.builder.paragraph(block.text, Location(page=number))

    def _table(self, number: int, table: PageTable) -> None:
        if self.open is not None and self.open.matches(table):
            self.open.extend(number, table)
            return
        self._close()
        self.open = JoinedTable(number, table)

    def _close(self) -> None:
        if self.open is not None:
            self.builder.table(self.open.cells(), pages=self.open.pages)
            self.open = None

    def finish(self) -> None:
        """Flush the last table and report the texts normalised from their printed form."""
        self._close()
        if self.normalised:
            examples = "; ".join(f"{printed[:24]!r} → {text[:24]!r}" for printed, text in self.normalised[:3])
            self.builder.warn(f"{len(self.normalised)} lines were printed with CJK compatibility characters and are "
                              f"read normalised (NFKC), e.g. {examples}", code="normalised")


def read_pdf(data: bytes, file: str) -> Source:
    """Read a PDF: ruled tables with their merged cells, and the lines of text outside them."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        inner = exc.args[0] if exc.args else exc
        if isinstance(inner, PDFPasswordIncorrect):
            raise InputError(file, "password-protected (encrypted) PDF: it cannot be opened without its password; "
                                   "remove the password and save it again") from None
        raise InputError(file, f"broken PDF ({type(inner).__name__}: {inner}); the file is damaged") from None
    builder = SourceBuilder(file, "pdf", data, "pdf")
    with pdf:
        _refuse_unreadable(pdf, file)
        if getattr(pdf.doc, "encryption", None):
            builder.warn("encrypted PDF that needs no password to read: read", code="encrypted")
        reader = _Reader(builder)
        tree = _structure_tree(pdf)
        if has_tables(tree):
            reader.tagged(TaggedReader(pdf, reader.normalise).blocks(tree))
        else:
            for number, page in enumerate(pdf.pages, start=1):
                reader.page(number, page)
                page.close()
        reader.finish()
    return builder.build()


def _structure_tree(pdf: pdfplumber.PDF) -> list[dict]:
    """The PDF's structure tree ([] when it has none or it cannot be read: the page geometry is read then)."""
    try:
        return pdf.structure_tree
    except Exception:
        return []


def _refuse_unreadable(pdf: pdfplumber.PDF, file: str) -> None:
    """Refuse a PDF whose pages hold no text (a scan) or only glyphs without a Unicode mapping."""
    chars = images = cids = 0
    for page in pdf.pages:
        chars += len(page.chars)
        cids += sum(1 for char in page.chars if str(char.get("text", "")).startswith("(cid:"))
        images += len(page.images)
    if chars < _SCAN_CHARS_PER_PAGE * max(len(pdf.pages), 1) and images:
        raise InputError(file, f"no text layer: this PDF is a scan ({len(pdf.pages)} pages of images). Run OCR "
                               "first (e.g. `ocrmypdf -l chi_sim scan.pdf text.pdf`) or use the original document")
    if not chars:
        raise InputError(file, "the PDF holds no text")
    if cids > _CID_SHARE * chars:
        raise InputError(file, "the PDF's fonts carry no Unicode mapping, so its text cannot be read; use the "
                               "original document or OCR it")
