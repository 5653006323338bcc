"""Headings above a table give its rows their goal and the leader or lead unit they assign, whatever the format."""

from __future__ import annotations

from pathlib import Path

import docx
from reading import roles

import govkg

TAB_CELL = (
    "一、区长张明牵头重点工作\n"
    "\t序号\n\t目标任务\n\t牵头单位\n\t配合单位\n\n"
    "\t1\n\t全区生产总值增长6%\n\t区发改局\n\t区统计局\n\n"
    "二、常务副区长李华牵头重点工作\n"
    "\t序号\n\t目标任务\n\t牵头单位\n\t配合单位\n\n"
    "\t1\n\t一般公共预算收入增长5%\n\t区财政局\n\t区税务局\n"
)


def test_tab_cell_tables_under_leader_headings(read):
    document = read(TAB_CELL)
    assert document.layout == "tabcell"
    assert roles(document) == [
        ("全区生产总值增长6%", ["张明"], ["区发改局"], ["区统计局"]),
        ("一般公共预算收入增长5%", ["李华"], ["区财政局"], ["区税务局"]),
    ]
    first, second = document.tasks
    assert first.record.goal == ["区长张明牵头重点工作"] and second.record.goal == ["常务副区长李华牵头重点工作"]
    assert first.record.inherited == ["leaders"] and first.record.sources["leaders"].span.first == 1


def test_docx_heading_paragraph_and_a_row_spanning_the_table(tmp_path: Path):
    document = docx.Document()
    document.add_paragraph("一、区长张明牵头重点工作")
    table = document.add_table(rows=4, cols=4)
    for row, values in zip(table.rows, [("序号", "目标任务", "牵头单位", "配合单位"), ("", "", "", ""),
                                        ("1", "全区生产总值增长6%", "区发改局", "区统计局"),
                                        ("2", "新建公园2个", "区住建局", "各街道")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    spanning = table.rows[1].cells[0].merge(table.rows[1].cells[3])
    spanning.text = "（一）主要预期目标"
    path = tmp_path / "plan.docx"
    document.save(path)
    read = govkg.extract_document(path)
    assert read.format == "docx" and read.layout == "grid"
    assert roles(read) == [
        ("全区生产总值增长6%", ["张明"], ["区发改局"], ["区统计局"]),
        ("新建公园2个", ["张明"], ["区住建局"], ["各街道"]),
    ]
    # The heading paragraph is the outer goal, the row spanning the table the goal under it.
    assert [task.record.goal for task in read.tasks] == [["区长张明牵头重点工作", "主要预期目标"]] * 2
