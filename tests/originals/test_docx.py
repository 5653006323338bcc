"""Word .docx: true merges, nested tables, numbered paragraphs, text boxes; headers, footers, deletions left out."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml

from govkg.model import Grid, GridCell, Line, Source
from govkg.read import read_bytes
from govkg.read.formats.numbering import chinese_number, format_number

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def save(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def grids(source: Source) -> list[Grid]:
    return [block for block in source.blocks if isinstance(block, Grid)]


def texts(row: list[GridCell]) -> list[str]:
    return [cell.text for cell in row]


def test_merged_cells_are_stored_once_with_their_spans():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"{r}{c}"
    table.cell(1, 2).merge(table.cell(2, 2))  # vMerge
    table.cell(0, 0).merge(table.cell(0, 1))  # gridSpan
    (grid,) = grids(read_bytes(save(document), "m.docx"))
    assert [len(row) for row in grid.rows] == [3, 3, 3]
    top = grid.rows[0][0]
    assert (top.col_span, top.row_span) == (2, 1) and top.text.split("\n") == ["00", "01"]
    assert grid.rows[0][1].covered == (0, 0) and not grid.rows[0][1].lines
    assert grid.rows[1][2].row_span == 2 and grid.rows[1][2].text.split("\n") == ["12", "22"]
    assert grid.rows[2][2].covered == (1, 2)


def test_lines_are_numbered_in_reading_order_with_locations():
    document = docx.Document()
    document.add_paragraph("附件1")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "序号"
    table.cell(0, 1).text = "工作任务"
    table.cell(1, 1).text = "第一行\n第二行"
    document.add_paragraph("")
    document.add_paragraph("落款")
    source = read_bytes(save(document), "n.docx")
    assert [line.no for line in source.lines] == list(range(1, len(source.lines) + 1))
    assert [line.text for line in source.lines] == ["附件1", "序号", "工作任务", "第一行", "第二行", "落款"]
    location = source.locations[5]
    assert (location.table, location.row, location.column) == (1, 2, 2)


def test_nested_table_becomes_a_table_after_its_holder_and_a_frame_is_unwrapped():
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1)
    frame.cell(0, 0).text = "外框里的标题"
    outer = frame.cell(0, 0).add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "外表"
    inner = outer.cell(0, 1).add_table(rows=2, cols=1)
    inner.cell(0, 0).text = "内表上"
    inner.cell(1, 0).text = "内表下"
    source = read_bytes(save(document), "nested.docx")
    assert isinstance(source.blocks[0], Line) and source.blocks[0].text == "外框里的标题"
    first, second = grids(source)
    assert texts(first.rows[0])[0] == "外表"
    assert [texts(row) for row in second.rows] == [["内表上"], ["内表下"]]


def test_numbered_paragraphs_text_boxes_and_what_is_left_out():
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "页眉文字"
    document.sections[0].footer.paragraphs[0].text = "— 1 —"
    document.add_paragraph("重点工作", style="List Number")
    document.add_paragraph("民生实事", style="List Number")
    anchor = document.add_paragraph("正文")
    box = (f'<w:r {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
           '<w:txbxContent><w:p><w:r><w:t>文本框里的字</w:t></w:r></w:p></w:txbxContent></w:drawing>'
           '</mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框里的字</w:t></w:r>'
           '</w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    anchor._p.append(parse_xml(box))
    edited = document.add_paragraph()
    edited._p.append(parse_xml(f'<w:del {W_NS} w:id="1" w:author="a"><w:r><w:delText>删掉的</w:delText></w:r>'
                               "</w:del>"))
    edited._p.append(parse_xml(f'<w:ins {W_NS} w:id="2" w:author="a"><w:r><w:t>加上的</w:t></w:r></w:ins>'))
    lines = [line.text for line in read_bytes(save(document), "list.docx").lines]
    assert lines == ["1.\t重点工作", "2.\t民生实事", "正文", "文本框里的字", "加上的"]


def test_list_style_document_with_trailing_annotations():
    document = docx.Document()
    items = ["（1）推动制造业高质量发展。（牵头单位：区工信局；配合单位：区发改局、各街道）",
             "（2）扩大有效投资。（区发改局牵头，各街道配合）",
             "（3）优化营商环境。责任单位：区行政审批局"]
    document.add_paragraph("一、经济发展")
    for item in items:
        document.add_paragraph(item)
    source = read_bytes(save(document), "list.docx")
    assert not grids(source)
    assert [line.text for line in source.lines] == ["一、经济发展", *items]


def test_macro_enabled_file_is_read_as_data():
    document = docx.Document()
    document.add_paragraph("带宏的文件")
    package = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(save(document))) as plain, zipfile.ZipFile(package, "w") as docm:
        for info in plain.infolist():
            data = plain.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                                    b"application/vnd.ms-word.document.macroEnabled.main+xml")
            docm.writestr(info, data)
        docm.writestr("word/vbaProject.bin", b"\0" * 64)
    source = read_bytes(package.getvalue(), "macro.docm")
    assert [line.text for line in source.lines] == ["带宏的文件"]
    assert [d.code for d in source.diagnostics] == ["macros"]


@pytest.mark.parametrize(("value", "fmt", "label"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCountingThousand", "十二"),
    (20, "chineseCounting", "二十"), (105, "chineseCounting", "一百零五"), (3, "ideographTraditional", "丙"),
    (4, "decimalEnclosedCircle", "④"), (14, "upperRoman", "XIV"), (28, "lowerLetter", "bb"),
    (7, "decimalFullWidth", "７"),
])
def test_number_formats(value, fmt, label):
    assert format_number(value, fmt) == label
    assert chinese_number(11) == "十一"
