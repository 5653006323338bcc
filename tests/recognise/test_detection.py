"""Detection: every recogniser that applies is run and the one that explains the document best is kept."""

from __future__ import annotations

import pytest
from reading import roles

from govkg.model import InputError


def test_traditional_characters_are_read_and_kept_as_printed(read):
    document = read("2023年政府工作報告重點工作任務分解\n一、經濟發展\n"
                    "1.地區生產總值增長6%。（牽頭單位：區發展改革局；責任單位：區統計局、各街道）\n")
    assert roles(document) == [("地區生產總值增長6%。", [], ["區發展改革局"], ["區統計局", "各街道"])]
    task = document.tasks[0]
    assert task.record.goal == ["經濟發展"]
    # Names resolve through their simplified form: 區發展改革局 is the unit 发展改革局 of the issuer.
    assert [p.name for p in task.lead_units] == ["发展改革局"] and task.coop_units[1].kind == "group"


@pytest.mark.parametrize(("text", "layout"), [
    ("1.新建公园2个。\n牵头单位：区住建局\n责任单位：区城管局\n2.改造小区3个。\n牵头单位：区住建局\n", "list"),
    ("序号|工作任务|牵头单位|\n1|新建公园2个|区住建局|\n2|改造小区3个|区住建局|\n", "pipe"),
    ("序号\n\n工作任务\n\n牵头单位\n\n1\n\n新建公园2个\n\n区住建局\n\n2\n\n改造小区3个\n\n区住建局\n", "cells"),
    ("序号\t工作任务\t牵头单位\n1\t新建公园2个\t区住建局\n2\t改造小区3个\t区住建局\n", "tsv"),
])
def test_each_layout_is_recognised(read, text, layout):
    document = read(text)
    assert document.layout == layout
    assert [(t.record.text, [p.text for p in t.lead_units]) for t in document.tasks] == [
        ("新建公园2个" + ("。" if layout == "list" else ""), ["区住建局"]),
        ("改造小区3个" + ("。" if layout == "list" else ""), ["区住建局"]),
    ]


def test_a_forced_layout_is_used(read):
    document = read("序号\t工作任务\t牵头单位\n1\t新建公园2个\t区住建局\n2\t改造小区3个\t区住建局\n", layout="tsv")
    assert document.layout == "tsv" and len(document.tasks) == 2


@pytest.mark.parametrize("text", [
    "关于做好2023年春节期间安全生产工作的通知\n各街道、各部门要加强值班值守，牵头单位要主动担当。\n",
    "（一）总体要求\n（二）工作目标\n1.提高认识。\n2.加强领导。\n",
])
def test_prose_with_nothing_to_read_is_an_error(read, text):
    with pytest.raises(InputError, match="no responsibility table found"):
        read(text)


@pytest.mark.parametrize(("title", "kind"), [
    ("某区2024年民生实事项目推进情况", "livelihood"),
    ("某区2024年《政府工作报告》民生实事项目分解表", "livelihood"),
    ("某区2024年《政府工作报告》重点工作和民生实事项目责任分工清单", "main"),
    ("某区2024年政府工作报告主要任务责任清单", "main"),
])
def test_table_kind_from_the_title(read, title, kind):
    document = read(f"{title}\n1.新建公园2个。（牵头单位：区住建局）\n2.改造小区3个。（牵头单位：区住建局）\n")
    assert {task.record.table for task in document.tasks} == {kind}


@pytest.mark.parametrize("text", [
    "|||\n||||\n|\n",                                   # pipes with no cell
    "┌──┐\n│  │\n└──┘\n",                               # an empty box
    "1.\n2.\n（）\n【】\n(牵头单位:)\n",                  # numbering and brackets with nothing in them
    "（" * 5000 + "牵头单位：区住建局" + "）" * 3 + "\n",   # brackets never closed around a label
    "一是" * 3000 + "\n",                                # numbering run together with no text
    "附件1\n附件2\n附件3\n",                             # attachments with no content
])
def test_degenerate_text_is_refused_with_one_line(read, text):
    with pytest.raises(InputError, match="no responsibility table found"):
        read(text)


WRAPPED_CELLS = """\
2022年民生实事项目推进表

序号

项目内容

当前进度

牵头单位

1

新建农村饮用水达标提标工程12处。

92%

县水利局

2

完成县级应急避难中心、10个乡镇避灾安置点、120个村级
避灾点和300个应急物资储备点建设，实现县级应急指挥平台
与省、市联网运行。

96%

县应急管理局

3

新建10家“城市书房”。

96.5%

县文化和广电旅游体育局

4

改造提升海游街道、健跳镇等3家居家养老
服务中心。

60%

县民政局
"""


def test_a_reading_that_splits_a_wrapped_cell_into_an_extra_row_does_not_win(read):
    """Cells one per paragraph, statements wrapped at a PDF's width: read as one cell per line, the wrapped lines
    make rows of their own, one with no unit (which must not count for that reading) and one whose second line
    "服务中心。" looks like a unit."""
    document = read(WRAPPED_CELLS)
    assert document.layout == "cells"
    assert [(t.record.text, [p.text for p in t.lead_units]) for t in document.tasks] == [
        ("新建农村饮用水达标提标工程12处。", ["县水利局"]),
        ("完成县级应急避难中心、10个乡镇避灾安置点、120个村级避灾点和300个应急物资储备点建设，实现县级应急指挥平台"
         "与省、市联网运行。", ["县应急管理局"]),
        ("新建10家“城市书房”。", ["县文化和广电旅游体育局"]),
        ("改造提升海游街道、健跳镇等3家居家养老服务中心。", ["县民政局"]),
    ]


def test_text_in_paragraphs_is_not_read_one_cell_per_line():
    """One cell per line is a layout without blank lines; text whose lines are mostly set apart by blank lines has
    its cells in paragraphs, and a cell wrapped over lines would be cut into cells of its own."""
    from govkg.model import Line
    from govkg.recognise import _candidates

    def lines(text: str) -> list[Line]:
        return [Line(number, line) for number, line in enumerate(text.split("\n"), 1)]

    assert "lines" not in _candidates(lines(WRAPPED_CELLS))
    assert "lines" in _candidates(lines(WRAPPED_CELLS.replace("\n\n", "\n")))
    assert "cells" in _candidates(lines(WRAPPED_CELLS))


def test_header_words_naming_departments_as_well_as_units(read):
    document = read("序号|工作任务|主办部门|协办部门|\n"
                    "1|新建公园2个|区住建局|区财政局|\n2|改造小区3个|区住建局|区城管局|\n")
    assert [(lead, coop) for _, _, lead, coop in roles(document)] == [
        (["区住建局"], ["区财政局"]), (["区住建局"], ["区城管局"])]
