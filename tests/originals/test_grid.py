"""The grid recogniser: tables of originals as positional rows, merged positions marked covered."""

from __future__ import annotations

import docx

from govkg.lexicon import load_lexicon
from govkg.model import Sheet
from govkg.read.assemble import Placed, SourceBuilder
from govkg.recognise import recognise
from govkg.recognise.grid import read_grid

HEADER = ["序号", "目标名称", "工作任务", "分管领导", "牵头单位"]


def sheet_of(*blocks: object) -> Sheet:
    """A sheet of paragraphs (str) and tables (lists of Placed)."""
    builder = SourceBuilder("t.docx", "docx", b"", "utf-8")
    for block in blocks:
        if isinstance(block, str):
            builder.paragraph(block)
        else:
            builder.table(block)  # type: ignore[arg-type]
    return read_grid(builder.build(), load_lexicon())


def header(row: int = 0) -> list[Placed]:
    return [Placed(row, c, text) for c, text in enumerate(HEADER)]


def test_rows_are_positional_and_merged_positions_covered():
    cells = [
        *header(),
        Placed(1, 0, "1", 2), Placed(1, 1, "目标", 3), Placed(1, 2, "任务甲"), Placed(1, 3, "张三", 2),
        Placed(1, 4, "发改局"),
        Placed(2, 2, "任务乙"), Placed(2, 4, "财政局"),
        Placed(3, 0, "2"), Placed(3, 2, "任务丙"), Placed(3, 3, "李四"), Placed(3, 4, "商务局"),
    ]
    sheet = sheet_of("附件1", "2023年目标任务分解表", cells)
    (table,) = sheet.tables
    assert sheet.layout == "grid" and sheet.merges_known and table.inherit == "merged"
    assert (table.marker, table.title) == ("附件1", "2023年目标任务分解表")
    assert [c.text for c in table.header] == HEADER
    second = table.rows[1].cells
    assert [c.covered for c in second] == [True, True, False, True, False]
    assert [c.text for c in second] == ["", "", "任务乙", "", "财政局"]
    assert table.rows[2].cells[1].covered


def test_repeated_header_and_a_second_grid_continue_the_table():
    first = [*header(), Placed(1, 0, "1"), Placed(1, 2, "任务甲"), Placed(1, 4, "发改局")]
    second = [*header(), Placed(1, 0, "2"), Placed(1, 2, "任务乙"), Placed(1, 4, "商务局")]
    sheet = sheet_of(first, "第 2 页", second)
    (table,) = sheet.tables
    assert [row.cells[2].text for row in table.rows] == ["任务甲", "任务乙"]


def test_a_cell_merged_down_from_the_header_is_just_empty():
    cells = [*header()[:4], Placed(0, 4, "牵头单位", 2), Placed(1, 0, "1"), Placed(1, 2, "任务")]
    (table,) = sheet_of(cells).tables
    assert not table.rows[0].cells[4].covered


def test_two_row_header_and_title_row():
    cells = [Placed(0, 0, "2023年重点工作任务分解表", 1, 5),
             Placed(1, 0, "序号", 2), Placed(1, 1, "工作任务", 2), Placed(1, 2, "责任分工", 1, 3),
             Placed(2, 2, "分管领导"), Placed(2, 3, "牵头单位"), Placed(2, 4, "配合单位"),
             Placed(3, 0, "1"), Placed(3, 1, "任务"), Placed(3, 2, "张三"), Placed(3, 3, "发改局"),
             Placed(3, 4, "各街道")]
    (table,) = sheet_of(cells).tables
    assert table.title == "2023年重点工作任务分解表"
    assert [c.text for c in table.header] == ["序号", "工作任务", "分管领导", "牵头单位", "配合单位"]
    assert [c.text for c in table.rows[0].cells] == ["1", "任务", "张三", "发改局", "各街道"]


def test_rows_before_any_header_are_reported():
    cells = [Placed(0, 0, "说明"), Placed(0, 1, "备注"), *header(1), Placed(2, 2, "任务")]
    sheet = sheet_of(cells)
    assert len(sheet.tables) == 1
    assert any("before any header" in d.message for d in sheet.diagnostics)


def test_a_paragraphs_only_original_is_read_as_text(tmp_path):
    document = docx.Document()
    document.add_paragraph("（1）推动制造业高质量发展。（牵头单位：区工信局；配合单位：区发改局）")
    document.add_paragraph("（2）扩大有效投资。（牵头单位：区发改局；配合单位：各街道）")
    path = tmp_path / "list.docx"
    document.save(path)
    from govkg.read import read_source

    assert recognise(read_source(path)).layout != "grid"
