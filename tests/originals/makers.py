"""Original files generated from the tab-cell samples: the same tables as .docx, .xlsx, .html and PDF.

The tab-cell text (read with the project's own tab-cell recogniser) gives each table's header and rows. Where the
text export shows an empty cell that its reading convention fills from the row above (a leader or unit cell in the
same 序号 group, an empty 序号, goal or parent-statement cell), the original gets a real vertical merge; a row
with fewer cells than the widest row has its goal cell (or, where the extra column holds a parent statement, its
task-text cell) merged across columns, as Word does.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
TABCELL_SAMPLES = ("000", "002", "003")
#: Column widths (cm) by role; the task text takes what is left of a landscape A4 page.
_WIDTHS = {"seq": 1.0, "goal": 2.2, "goal1": 2.2, "parent": 4.5, "leader": 1.9, "lead": 2.6, "coop": 3.2,
           "resp": 3.2, "deadline": 2.0}
_PAGE_CM = 26.7
_PARENT_MIN = 30


def sample_path(prefix: str) -> Path:
    """The sample document whose file name starts with `prefix`."""
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    return path


@dataclass
class Origin:
    """A cell of the generated table at its top-left position, with its spans."""

    text: str
    row_span: int = 1
    col_span: int = 1


@dataclass
class TableSpec:
    """A table to write: marker, title, columns (roles and widths) and its cells (row 0 is the header)."""

    marker: str | None
    title: str | None
    roles: list[str]
    origins: list[dict[int, Origin]] = field(default_factory=list)
    owner: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    @property
    def n_cols(self) -> int:
        """Columns of the table."""
        return len(self.roles)

    def widths_cm(self) -> list[float]:
        """Each column's width in cm."""
        fixed = [_WIDTHS.get(role, 0.0) for role in self.roles]
        rest = _PAGE_CM - sum(fixed)
        share = rest / max(sum(1 for width in fixed if not width), 1)
        return [width or share for width in fixed]

    def place(self, r: int, c: int, origin: Origin) -> None:
        """Put a cell at (r, c) covering its spans."""
        self.origins[r][c] = origin
        for dr in range(origin.row_span):
            for dc in range(origin.col_span):
                self.owner[(r + dr, c + dc)] = (r, c)

    def continuation(self, r: int, c: int) -> tuple[int, int] | None:
        """The origin a position continues downwards (covered, first column of the merged cell, below its top)."""
        found = self.owner.get((r, c))
        if found is None or found == (r, c) or found[1] != c:
            return None
        return found


@dataclass
class Document:
    """A sample as paragraphs before its tables and the tables."""

    name: str
    preamble: list[str]
    tables: list[TableSpec]


def _is_parent(text: str) -> bool:
    return len(text) > _PARENT_MIN or text.rstrip().endswith(("。", "；"))


def _row_layout(cells: list[str], n_head: int, n_cols: int, span_index: int) -> list[tuple[int, str, int]]:
    """(column, text, column span) of each cell of a row, the cell at `span_index` widened to fill the row."""
    cells = cells + [""] * (n_head - len(cells))
    spans = [1] * len(cells)
    if len(cells) < n_cols:
        spans[span_index] += n_cols - len(cells)
    out, col = [], 0
    for text, span in zip(cells, spans, strict=True):
        out.append((col, text, span))
        col += span
    return out


def table_spec(table: object, lex: object) -> TableSpec:
    """The generated form of one tab-cell table (a Table of the tab-cell recogniser)."""
    header = [cell.text for cell in table.header]  # type: ignore[attr-defined]
    rows = [[cell.text for cell in row.cells] for row in table.rows]  # type: ignore[attr-defined]
    head_roles = [lex.header_role(text) or "other" for text in header]  # type: ignore[attr-defined]
    head_roles = ["coop" if role == "resp" and "lead" in head_roles else role for role in head_roles]
    text_index = head_roles.index("text")
    n_head = len(header)
    n_cols = max(n_head, *(len(row) for row in rows))
    extra = n_cols - n_head
    parent = any(len(row) > n_head and _is_parent(row[text_index]) for row in rows)
    span_index = text_index if parent else text_index - 1
    roles = head_roles[:text_index] + (["parent"] * extra if parent else [f"goal{i + 1}" for i in range(extra)]) \
        + head_roles[text_index:]
    spec = TableSpec(table.marker, table.title, roles)  # type: ignore[attr-defined]
    layouts = [_row_layout(header, n_head, n_cols, span_index)]
    layouts += [_row_layout(row, n_head, n_cols, span_index) for row in rows]
    group: str | None = None
    for r, layout in enumerate(layouts):
        spec.origins.append({})
        seq = "".join(layout[0][1].split()) if layout else ""
        new_group = bool(seq) and seq != group
        group = seq or group
        printed_goal = False
        for col, printed, span in layout:
            text = "\n".join(line for line in printed.split("\n") if line.strip())
            role = roles[col + span - 1]  # a cell merged across columns is the last column's (the task text)
            above = spec.owner.get((r - 1, col)) if r > 1 else None
            merge = (not text and above is not None and above[1] == col
                     and spec.origins[above[0]][col].col_span == span and _merges(role, new_group, printed_goal))
            if role.startswith("goal") and text:
                printed_goal = True
            if merge:
                origin = spec.origins[above[0]][col]
                origin.row_span = r - above[0] + 1
                for dc in range(span):
                    spec.owner[(r, col + dc)] = above
            else:
                spec.place(r, col, Origin(text, 1, span))
    return spec


def _merges(role: str, new_group: bool, printed_goal: bool) -> bool:
    """Whether an empty cell of this column is the continuation of the cell above (the text's convention)."""
    if role == "seq":
        return True
    if role.startswith("goal"):
        return not printed_goal
    if role in ("text", "other"):
        return False
    return not new_group


def sample_document(prefix: str) -> Document:
    """A tab-cell sample as paragraphs and generated tables."""
    from govkg.lexicon import load_lexicon
    from govkg.read import read_source
    from govkg.recognise.tabcell import read_tabcell

    lex = load_lexicon()
    source = read_source(sample_path(prefix))
    sheet = read_tabcell(source.file, source.lines, source.encoding, lex)
    preamble = [line.text.strip() for line in sheet.preamble if line.text.strip()]
    return Document(sample_path(prefix).stem, preamble, [table_spec(table, lex) for table in sheet.tables])


# --- writers ------------------------------------------------------------------------------------------------


def write_docx(document: Document) -> bytes:
    """The document as .docx: real vMerge / gridSpan merges, a repeated header row, rows that do not split."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt
    from docx.table import _Cell

    out = docx.Document()
    section = out.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    normal = out.styles["Normal"]
    normal.font.size = Pt(9)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
    for line in document.preamble:
        out.add_paragraph(line)
    for spec in document.tables:
        for line in (spec.marker, spec.title):
            if line:
                out.add_paragraph(line)
        widths = spec.widths_cm()
        table = out.add_table(rows=len(spec.origins), cols=spec.n_cols)
        table.style = out.styles["Table Grid"]
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for r, row in enumerate(table.rows):
            tr = row._tr
            for tc in list(tr.tc_lst):
                tr.remove(tc)
            tr_pr = tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if r == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))
            c = 0
            while c < spec.n_cols:
                origin_at = (r, c) if c in spec.origins[r] else spec.continuation(r, c)
                if origin_at is None:
                    c += 1
                    continue
                origin = spec.origins[origin_at[0]][c]
                tc = tr.add_tc()
                tc.width = Cm(sum(widths[c:c + origin.col_span]))
                if origin.col_span > 1:
                    tc.get_or_add_tcPr().append(_val(OxmlElement("w:gridSpan"), str(origin.col_span)))
                if origin.row_span > 1 or origin_at != (r, c):
                    v_merge = OxmlElement("w:vMerge")
                    if origin_at == (r, c):
                        _val(v_merge, "restart")
                    tc.get_or_add_tcPr().append(v_merge)
                cell = _Cell(tc, table)
                lines = origin.text.split("\n") if origin_at == (r, c) and origin.text else [""]
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
                c += origin.col_span
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _val(element: object, value: str) -> object:
    from docx.oxml.ns import qn

    element.set(qn("w:val"), value)  # type: ignore[attr-defined]
    return element


def write_xlsx(document: Document) -> bytes:
    """The document as .xlsx: one sheet per table (marker and title in the rows above), merged ranges."""
    import openpyxl
    from openpyxl.styles import Alignment

    book = openpyxl.Workbook()
    book.remove(book.active)
    for number, spec in enumerate(document.tables, start=1):
        sheet = book.create_sheet(spec.marker or f"表{number}")
        top = 1
        for line in (*(document.preamble if number == 1 else ()), spec.marker, spec.title):
            if line:
                sheet.cell(top, 1, line)
                sheet.merge_cells(start_row=top, start_column=1, end_row=top, end_column=spec.n_cols)
                top += 1
        for r, row in enumerate(spec.origins):
            for c, origin in row.items():
                value: object = int(origin.text) if origin.text.strip().isdigit() else (origin.text or None)
                cell = sheet.cell(top + r, c + 1, value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if origin.row_span > 1 or origin.col_span > 1:
                    sheet.merge_cells(start_row=top + r, start_column=c + 1, end_row=top + r + origin.row_span - 1,
                                      end_column=c + origin.col_span)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_CHROME = """<header class="site-header"><div class="logo">某某区人民政府门户网站</div></header>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li>互动交流</li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 通知公告</div>
<script>var menu = "<td>脚本里的单元格</td>"; document.write(menu);</script>
<style>td { border: 1px solid #000 }</style>"""
_FOOTER = """<aside class="related">相关链接：上级政府网站</aside>
<footer><p>版权所有：某某区人民政府办公室</p><p>网站标识码 3204040001</p></footer>"""


def write_html(document: Document, encoding: str = "utf-8") -> bytes:
    """The document as a web page with site chrome around it: tables with rowspan / colspan, <br> in cells."""
    parts = [f'<!DOCTYPE html>\n<html lang="zh"><head><meta charset="{encoding}"><title>{escape(document.name)}'
             f"</title></head><body>{_CHROME}<div class=\"article-content\">"]
    parts += [f"<p>{escape(line)}</p>" for line in document.preamble]
    for spec in document.tables:
        parts += [f"<p>{escape(line)}</p>" for line in (spec.marker, spec.title) if line]
        parts.append('<table border="1" cellspacing="0">')
        for r, row in enumerate(spec.origins):
            tag = "th" if r == 0 else "td"
            cells = []
            for c in sorted(row):
                origin = row[c]
                attributes = (f' rowspan="{origin.row_span}"' if origin.row_span > 1 else "") + \
                             (f' colspan="{origin.col_span}"' if origin.col_span > 1 else "")
                text = "<br>".join(escape(line) for line in origin.text.split("\n"))
                cells.append(f"<{tag}{attributes}>{text}</{tag}>")
            parts.append(f"<tr>{''.join(cells)}</tr>")
        parts.append("</table>")
    parts.append(f"</div>{_FOOTER}</body></html>")
    return "\n".join(parts).encode(encoding)


def write_pdf_reportlab(document: Document) -> bytes:
    """The document as PDF drawn by reportlab (CJK CID font STSong-Light): ruled tables with spans, header rows
    repeated on every page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")
    story: list[object] = [Paragraph(escape(line), style) for line in document.preamble]
    for spec in document.tables:
        story += [Paragraph(escape(line), style) for line in (spec.marker, spec.title) if line]
        data = [[""] * spec.n_cols for _ in spec.origins]
        commands: list[tuple[object, ...]] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                              ("VALIGN", (0, 0), (-1, -1), "TOP")]
        for r, row in enumerate(spec.origins):
            for c, origin in row.items():
                data[r][c] = Paragraph("<br/>".join(escape(line) for line in origin.text.split("\n")), style)
                if origin.row_span > 1 or origin.col_span > 1:
                    commands.append(("SPAN", (c, r), (c + origin.col_span - 1, r + origin.row_span - 1)))
        story.append(Table(data, colWidths=[w * cm for w in spec.widths_cm()], repeatRows=1,
                           style=TableStyle(commands)))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=1.5 * cm, rightMargin=1.5 * cm,
                      topMargin=1.5 * cm, bottomMargin=1.5 * cm).build(story)
    return buffer.getvalue()


#: LibreOffice's PDF export with document structure tags, as Word exports PDF by default.
TAGGED_PDF = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def write_pdf_libreoffice(document: Document, *, tagged: bool = True) -> bytes:
    """The document's .docx converted to PDF by LibreOffice (as a government office would publish it)."""
    from govkg.read.formats.legacy import convert

    return convert(write_docx(document), f"{document.name}.docx", "docx", TAGGED_PDF if tagged else "pdf")


def write_doc(document: Document) -> bytes:
    """The document as Word 97 .doc, written by LibreOffice (through OpenDocument: LibreOffice 7.4 drops the
    tables of a .docx it saves straight to .doc)."""
    from govkg.read.formats.legacy import convert

    odt = convert(write_docx(document), f"{document.name}.docx", "docx", "odt")
    return convert(odt, f"{document.name}.odt", "odt", "doc:MS Word 97")


def write_xls(document: Document) -> bytes:
    """The document as Excel 97 .xls, written by LibreOffice from the .xlsx."""
    from govkg.read.formats.legacy import convert

    return convert(write_xlsx(document), f"{document.name}.xlsx", "xlsx", "xls")


def write_pdf(document: Document) -> bytes:
    """PDF by LibreOffice where it is installed, else drawn by reportlab."""
    from govkg.read.formats.legacy import soffice_path

    return write_pdf_libreoffice(document) if soffice_path() else write_pdf_reportlab(document)
