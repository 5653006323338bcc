"""PDF: a table over two pages with its header repeated, scans, passwords, compatibility characters."""

from __future__ import annotations

import io

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from govkg.model import Grid, InputError
from govkg.read import read_bytes
from govkg.read.cjk import normalise_cjk
from govkg.read.formats.pdftext import is_page_number

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
STYLE = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11, wordWrap="CJK")


def table_pdf(rows: int, encrypt: object = None) -> bytes:
    """A ruled table of `rows` rows under a header row repeated on every page, a title above it."""
    data = [[Paragraph(text, STYLE) for text in ("序号", "工作任务", "牵头单位")]]
    data += [[Paragraph(str(n), STYLE), Paragraph(f"第{n}项任务", STYLE), Paragraph("发改局", STYLE)]
             for n in range(1, rows + 1)]
    table = Table(data, colWidths=[40, 300, 100], repeatRows=1,
                  style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, encrypt=encrypt).build([Paragraph("任务分解表", STYLE), table])
    return buffer.getvalue()


def test_table_over_two_pages_with_a_repeated_header():
    source = read_bytes(table_pdf(60), "two-pages.pdf")
    (grid,) = [block for block in source.blocks if isinstance(block, Grid)]
    texts = [[cell.text for cell in row] for row in grid.rows]
    assert texts[0] == ["序号", "工作任务", "牵头单位"] and texts.count(texts[0]) == 1
    assert [row[0] for row in texts[1:]] == [str(n) for n in range(1, 61)]
    pages = {source.locations[row[1].lines[0].no].page for row in grid.rows}
    assert pages == {1, 2}
    assert source.lines[0].text == "任务分解表" and source.locations[1].page == 1


def test_a_scan_is_refused_with_advice():
    from PIL import Image

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.drawImage(ImageReader(Image.new("RGB", (200, 280), "white")), 50, 50, 400, 560)
    page.showPage()
    page.save()
    with pytest.raises(InputError, match="scan") as caught:
        read_bytes(buffer.getvalue(), "scan.pdf")
    assert "OCR" in str(caught.value) and "scan.pdf" in str(caught.value)


def test_password_protected_pdf_is_refused():
    from reportlab.lib.pdfencrypt import StandardEncryption

    with pytest.raises(InputError, match="password-protected"):
        read_bytes(table_pdf(3, StandardEncryption("secret", canPrint=0)), "locked.pdf")


def test_pdf_encrypted_against_editing_only_is_read():
    from reportlab.lib.pdfencrypt import StandardEncryption

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt=StandardEncryption("", ownerPassword="owner", canModify=0))
    page.setFont("Helvetica", 12)
    page.drawString(72, 720, "Annual work report: task list")
    page.showPage()
    page.save()
    source = read_bytes(buffer.getvalue(), "ro.pdf")
    assert [line.text for line in source.lines] == ["Annual work report: task list"]
    assert [d.code for d in source.diagnostics] == ["encrypted"]


def test_broken_and_empty_pdfs():
    with pytest.raises(InputError, match="PDF"):
        read_bytes(b"%PDF-1.7\n1 0 obj <<>> garbage", "broken.pdf")
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.showPage()
    page.save()
    with pytest.raises(InputError, match="holds no text"):
        read_bytes(buffer.getvalue(), "blank.pdf")


def test_compatibility_characters_are_normalised():
    # Kangxi radical ⽬, radicals-supplement ⻳, compatibility ideograph 豈 (U+F900); 﨑 (U+FA11) is unified: kept
    assert normalise_cjk("⽬标任务 ⻳ \uf900 﨑") == "目标任务 龟 \u8c48 﨑"
    assert normalise_cjk("全⾯完成") == "全面完成" and normalise_cjk("Ａ１（）") == "Ａ１（）"


@pytest.mark.parametrize(("text", "expected"), [("3", True), ("- 3 -", True), ("第 3 页", True), ("— 12 —", True),
                                                ("3/12", True), ("2023年", False), ("1、任务", False)])
def test_page_numbers(text, expected):
    assert is_page_number(text) is expected
