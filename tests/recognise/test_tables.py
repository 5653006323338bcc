"""Tables flattened to text: cells per paragraph, pipe cells or rows, tab-separated rows, box drawing."""

from __future__ import annotations

from reading import roles

CELLS = """\
2023年重点工作任务分解表

序号

工作任务

牵头单位

配合单位

完成时限

一、经济发展

1

地区生产总值增长6%。

区发改局

区统计局、各街道

2023年底

2

新建城市公园2个，提升绿化覆盖率。

区住建局

12月底前

3

举办招商活动5场。

区商务局*、区投促中心

"""


#: What CELLS holds: "*" marks the lead unit of a list, the others cooperate.
CELLS_ROLES = [
    ("地区生产总值增长6%。", [], ["区发改局"], ["区统计局", "各街道"]),
    ("新建城市公园2个，提升绿化覆盖率。", [], ["区住建局"], []),
    ("举办招商活动5场。", [], ["区商务局"], ["区投促中心"]),
]


def test_one_cell_per_paragraph_with_empty_cells_gone(read):
    document = read(CELLS)
    assert document.layout == "cells"
    assert roles(document) == CELLS_ROLES
    first, second, third = document.tasks
    assert first.record.goal == ["经济发展"] and third.record.goal == ["经济发展"]
    assert (first.record.deadline, second.record.deadline, third.record.deadline) == ("2023年底", "12月底前", None)
    # No legend for "*" in the text, so the split is flagged uncertain.
    assert not third.record.role_certain and first.record.role_certain


PIPE_ROWS = """\
索引号 | 000330702/2022-73415 | 公开方式 | 主动公开 |
某区2022年民生实事项目推进情况(截至9月30日)
序号 | 项目内容 | 进展情况 | 是否达到序时进度 | 责任单位 |
1 | 建成中小学4所。 | 建成3所,1所主体封顶。 | 是 | 教育局 |
新增学位5400个。 | 新增学位5450个。 | 是 | ||
2 | 建成托育机构5家。 | 已建成2家。 | 否 | 卫健局 |
"""


def test_pipe_rows_whose_merged_cells_left_no_trace(read):
    document = read(PIPE_ROWS)
    assert document.layout == "pipe"
    assert roles(document) == [
        ("建成中小学4所。", [], ["教育局"], []),
        ("新增学位5400个。", [], ["教育局"], []),
        ("建成托育机构5家。", [], ["卫健局"], []),
    ]
    first, second, third = document.tasks
    assert second.record.inherited == ["lead_units"] and second.record.group_no == "1"
    assert (first.record.progress, first.record.status) == ("建成3所,1所主体封顶。", "是")
    assert (third.record.progress, third.record.status) == ("已建成2家。", "否")
    assert all(task.record.table == "livelihood" for task in document.tasks)


def test_pipe_rows_in_full_width_bars_read_as_pipe_rows(read):
    # a page converted to full-width punctuation: ｜ separates the cells
    document = read(PIPE_ROWS.replace("|", "｜"))
    assert document.layout == "pipe"
    assert roles(document) == [
        ("建成中小学4所。", [], ["教育局"], []),
        ("新增学位5400个。", [], ["教育局"], []),
        ("建成托育机构5家。", [], ["卫健局"], []),
    ]
    assert document.tasks[0].record.progress == "建成3所,1所主体封顶。"


def test_a_full_width_bar_inside_an_ascii_pipe_table_stays_text(read):
    text = PIPE_ROWS.replace("建成托育机构5家。", "建成托育机构5家｜含普惠托位。")
    assert roles(read(text))[2] == ("建成托育机构5家｜含普惠托位。", [], ["卫健局"], [])


def test_characters_that_print_nothing_are_left_out(read):
    # zero-width spaces and joiners, a byte-order mark and a soft hyphen inside names, as copied from web pages
    text = (CELLS.replace("区住建局", "区住\u200b建局").replace("区统计局", "区统计局\u2060")
            .replace("区发改局", "\ufeff区发改局\u00ad").replace("区投促中心", "区投促\u200d中心"))
    assert roles(read(text)) == CELLS_ROLES


def test_html_character_references_in_a_text_read_as_their_characters(read):
    # text copied from a page's source: indents, separators and a full stop as references; "&para" unclosed stays
    text = (CELLS.replace("区统计局、各街道", "&nbsp;&nbsp;区统计局&#12289;各街道")
            .replace("举办招商活动5场。", "举办招商活动5场&#x3002;").replace("新建城市公园2个", "新建城市&para公园2个"))
    assert roles(read(text)) == [CELLS_ROLES[0], ("新建城市&para公园2个，提升绿化覆盖率。", [], ["区住建局"], []),
                                 CELLS_ROLES[2]]


def test_a_reference_to_a_line_break_keeps_the_lines_numbered_as_in_the_file(read):
    text = CELLS.replace("举办招商活动5场。", "举办招商活动&#10;5场。")
    lines = text.split("\n")
    document = read(text)
    task = document.tasks[2].record
    assert task.text == "举办招商活动5场。"  # the line break read as a space, which Chinese text drops
    span = task.sources["text"].span
    assert span.first == span.last == lines.index("举办招商活动&#10;5场。") + 1
    assert task.sources["lead_units"].span.first == lines.index("区商务局*、区投促中心") + 1


PIPE_CATEGORY_MERGED = """\
类别 | 民生事项名称 | 年度任务目标 | 责任单位 | 分管市领导 | 1-6月份完成情况 |
二、健康医疗 | 7.改建市第二人民医院门诊楼 | 门诊楼主体完工并投入使用。 | 卫生健康局 | 林向东 | 主体已封顶。 |
8.推进社区卫生服务站标准化建设 | 完成20处社区卫生服务站改造。 | 卫生健康局 | 林向东 | 完成改造11处。 | |
9.开展老年人免费体检 | 为65岁以上老人免费体检3万人次。 | 卫生健康局 | 林向东 | 已体检1.6万人次。 |
"""


def test_pipe_rows_missing_a_merged_category_cell_keep_the_category(read):
    # The whole first row shows which numbering each goal column holds ("二、" the category, "7." the project),
    # so a later row one cell short lost its category cell (merged), not its project cell.
    document = read(PIPE_CATEGORY_MERGED)
    assert document.layout == "pipe"
    assert [task.record.goal for task in document.tasks] == [
        ["健康医疗", "改建市第二人民医院门诊楼"],
        ["健康医疗", "推进社区卫生服务站标准化建设"],
        ["健康医疗", "开展老年人免费体检"],
    ]
    assert [task.record.text for task in document.tasks] == [
        "门诊楼主体完工并投入使用。", "完成20处社区卫生服务站改造。", "为65岁以上老人免费体检3万人次。"]
    assert roles(document)[2] == ("为65岁以上老人免费体检3万人次。", ["林向东"], ["卫生健康局"], [])


PIPE_CELLS = """\
序号 |
牵头单位 |
项目名称 |
业主单位 |
本月进展情况 |
|||
一 |
某镇政府 |
(一)道路提档升级行动 |
1.北大街 |
区城投集团 |
已建成 |
|
2.南大街 |
某镇政府 |
已通车 |
||||||
二 |
区住建局 |
(一)老旧管网更新项目 |
区住建局 |
已完成 |
|||
"""


def test_pipe_cells_one_per_line_with_projects_and_sub_items(read):
    document = read(PIPE_CELLS)
    assert document.layout == "pipe"
    assert roles(document) == [
        ("北大街", [], ["某镇政府"], ["区城投集团"]),
        ("南大街", [], ["某镇政府"], []),  # the owner is the lead unit itself
        ("老旧管网更新项目", [], ["区住建局"], []),
    ]
    first, second, third = document.tasks
    assert first.record.goal == ["道路提档升级行动"] == second.record.goal and third.record.goal == []
    assert first.record.parent_text == "(一)道路提档升级行动" and third.record.task_no == "一"
    assert second.record.inherited == ["lead_units"]


TSV = (
    "序号\t工作任务\t分管领导\t牵头单位\t配合单位\t完成时限\n"
    "1\t新建学校2所\t王明\t区教育局\t区住建局、区财政局\t2024年12月\n"
    "\t\"新增学位3000个，\n其中公办学位2000个\"\t\t区教育局\t各街道\t2024年9月\n"
    "2\t建成社区卫生服务中心2个\t李华\t区卫健委\t区住建局\t2024年底\n"
)


def test_tab_separated_rows_as_excel_saves_them(read):
    document = read(TSV)
    assert document.layout == "tsv"
    assert roles(document) == [
        ("新建学校2所", ["王明"], ["区教育局"], ["区住建局", "区财政局"]),
        ("新增学位3000个，其中公办学位2000个", ["王明"], ["区教育局"], ["各街道"]),
        ("建成社区卫生服务中心2个", ["李华"], ["区卫健委"], ["区住建局"]),
    ]
    assert document.tasks[1].record.inherited == ["leaders"]


BOX = """\
2024年重点工作任务分解表
┌────┬──────────────────┬──────┬────────────┐
│序号│工作任务          │牵头单位│配合单位    │
├────┼──────────────────┼──────┼────────────┤
│1   │新建城市公园2个，提│区住建局│区城管局、各│
│    │升绿化覆盖率      │      │街道        │
├────┼──────────────────┼──────┼────────────┤
│2   │改造老旧小区10个  │区住建局│区财政局    │
└────┴──────────────────┴──────┴────────────┘
"""


def test_box_drawn_table_with_cells_wrapped_over_lines(read):
    document = read(BOX)
    assert document.layout == "box"
    assert roles(document) == [
        ("新建城市公园2个，提升绿化覆盖率", [], ["区住建局"], ["区城管局", "各街道"]),
        ("改造老旧小区10个", [], ["区住建局"], ["区财政局"]),
    ]


TWO_ROW_HEADER = """\
某区2024年民生实事项目推进情况

序号

目标任务

区领导

牵头单位

工作进度

重点工作

主要内容

完成情况

进度状态

1

学校建设

扩容提质

新建实验学校1所。

张明

教育局

主体结构封顶。

正常推进

建设安全通道6处。

李华

公安分局

已全部建成。

办结
"""


def test_two_row_header_and_a_goal_cell_printed_over_two_paragraphs(read):
    document = read(TWO_ROW_HEADER)
    assert roles(document) == [
        ("新建实验学校1所。", ["张明"], ["教育局"], []),
        ("建设安全通道6处。", ["李华"], ["公安分局"], []),
    ]
    first, second = document.tasks
    assert first.record.goal == ["学校建设扩容提质"] == second.record.goal
    assert (first.record.progress, first.record.status) == ("主体结构封顶。", "正常推进")
    assert (second.record.progress, second.record.status) == ("已全部建成。", "办结")


def test_statement_column_named_like_a_goal_and_a_group_row(read):
    document = read("序号\n\n目标任务\n\n牵头单位\n\n配合单位\n\n一\n\n主要预期目标\n\n1\n\n"
                    "全区生产总值增长6%以上\n\n区发改局\n\n各乡镇（街道）\n\n2\n\n税收收入与经济增长同步\n\n区税务局\n\n区财政局\n")
    assert roles(document) == [
        ("全区生产总值增长6%以上", [], ["区发改局"], ["各乡镇（街道）"]),
        ("税收收入与经济增长同步", [], ["区税务局"], ["区财政局"]),
    ]
    assert [task.record.goal for task in document.tasks] == [["主要预期目标"], ["主要预期目标"]]


def test_tab_cell_heading_row_in_a_table_whose_statement_column_is_named_like_a_goal(read):
    document = read("\t序号\n\t目标任务\n\t牵头单位\n\t配合单位\n\n\t一\n\t主要预期目标\n\t\n\t\n\n"
                    "\t1\n\t全区生产总值增长6%以上\n\t区发改局\n\t各街道\n\n\t2\n\t税收收入增长5%\n\t区税务局\n\t区财政局\n")
    assert document.layout == "tabcell"
    assert roles(document) == [
        ("全区生产总值增长6%以上", [], ["区发改局"], ["各街道"]),
        ("税收收入增长5%", [], ["区税务局"], ["区财政局"]),
    ]
    assert [task.record.goal for task in document.tasks] == [["主要预期目标"], ["主要预期目标"]]


def test_one_cell_per_line_with_no_blank_lines_and_sub_rows(read):
    document = read("序号\n工作任务\n牵头单位\n配合单位\n1\n新建城市公园2个\n区住建局\n区城管局\n"
                    "提升改造口袋公园5个\n2\n新增公共停车泊位1000个\n区交通局\n区公安分局、各街道\n")
    assert document.layout == "lines"
    assert roles(document) == [
        ("新建城市公园2个", [], ["区住建局"], ["区城管局"]),
        ("提升改造口袋公园5个", [], ["区住建局"], ["区城管局"]),
        ("新增公共停车泊位1000个", [], ["区交通局"], ["区公安分局", "各街道"]),
    ]
    # The sub-row prints only its statement: its units are the merged cells of its 序号 group.
    assert document.tasks[1].record.inherited == ["lead_units", "coop_units"]
    assert document.tasks[1].record.group_no == "1"
