"""Numbered lists whose tasks carry their roles in the text (the `list` recogniser)."""

from __future__ import annotations

from reading import roles

BRACKETS = """\
某县人民政府办公室关于印发2023年政府工作报告重点任务分解方案的通知
各乡镇人民政府，县直各单位：
现将有关任务分解如下，各牵头单位要主动履职，配合单位要积极支持。
一、扩大有效投资
（一）抓好重大项目
1.新建城市公园2个。【责任领导：王建国；牵头单位：县住建局；责任单位：县城管局、各乡镇】
2.实施老旧小区改造15个。[牵头单位:县住建局;配合单位:县财政局,县自然资源局]
3.完成农村公路提档升级80公里。（县交通运输局牵头，县财政局、各乡镇配合）
（二）促进消费
4.举办消费季活动3场以上。（县商务局主办，县市场监管局、县文旅局协办）
5.培育夜间经济示范街区1个（2023年底前）。（县商务局、县住建局等负责）
"""


def test_trailing_brackets_labelled_and_unlabelled(read):
    document = read(BRACKETS)
    assert document.layout == "list"
    assert roles(document) == [
        ("新建城市公园2个。", ["王建国"], ["县住建局"], ["县城管局", "各乡镇"]),
        ("实施老旧小区改造15个。", [], ["县住建局"], ["县财政局", "县自然资源局"]),
        ("完成农村公路提档升级80公里。", [], ["县交通运输局"], ["县财政局", "各乡镇"]),
        ("举办消费季活动3场以上。", [], ["县商务局"], ["县市场监管局", "县文旅局"]),
        ("培育夜间经济示范街区1个（2023年底前）。", [], ["县商务局", "县住建局"], []),
    ]
    assert [task.record.goal for task in document.tasks][::2] == [
        ["扩大有效投资", "抓好重大项目"], ["扩大有效投资", "抓好重大项目"], ["扩大有效投资", "促进消费"]]
    # "X、Y等负责" names no lead: both lead, and the split is flagged uncertain.
    assert not document.tasks[4].record.role_certain and document.tasks[0].record.role_certain


def test_the_preamble_mentioning_roles_in_prose_is_no_task(read):
    document = read(BRACKETS)
    assert all("履职" not in task.record.text for task in document.tasks)
    assert len(document.tasks) == 5


def test_key_value_lines_run_together_and_wrapped(read):
    document = read("""\
1.新建社区食堂10个。
牵头领导:张伟 责任单位:区民政局 项目责任人:李明 配合单位:区财政局、各街道
2.新增停车泊位2000个。
分管领导：陈静
牵头单位：区城管局
配合单位：区公安分局，
各街道
""")
    assert roles(document) == [
        ("新建社区食堂10个。", ["张伟"], ["区民政局"], ["区财政局", "各街道"]),
        ("新增停车泊位2000个。", ["陈静"], ["区城管局"], ["区公安分局", "各街道"]),
    ]


def test_whole_notice_on_one_line(read):
    document = read("关于分解落实2020年重点工作的通知 各镇人民政府，区各部门： 现将重点工作分解如下。 一、经济发展 "
                    "1.地区生产总值增长6%左右（区发改局，各镇）。 "
                    "2.一般公共预算收入增长5%（区财政局、区税务局，各镇）。 "
                    "二、社会事业 3.新增就业5000人（区人社局）。\n")
    assert roles(document) == [
        ("地区生产总值增长6%左右", [], ["区发改局", "各镇"], []),
        ("一般公共预算收入增长5%", [], ["区财政局", "区税务局", "各镇"], []),
        ("新增就业5000人", [], ["区人社局"], []),
    ]
    assert [task.record.goal for task in document.tasks] == [["经济发展"], ["经济发展"], ["社会事业"]]


def test_headings_that_assign_a_lead_unit_or_a_leader(read):
    document = read("""\
2023年重点工作分工
一、县开发区管委会牵头工作（2项）
1.新引进亿元以上项目10个。
2.建成标准厂房20万平方米。
二、张建华副县长牵头工作（1项）
3.新建学校1所。（责任单位：县教育局）
""")
    assert roles(document) == [
        ("新引进亿元以上项目10个。", [], ["县开发区管委会"], []),
        ("建成标准厂房20万平方米。", [], ["县开发区管委会"], []),
        ("新建学校1所。", ["张建华"], ["县教育局"], []),
    ]
    first, _, third = document.tasks
    assert first.record.inherited == ["lead_units"] and third.record.inherited == ["leaders"]
    assert third.record.goal == ["张建华副县长牵头工作（1项）"]


def test_yi_shi_items_run_in_one_paragraph(read):
    document = read("二、持续改善民生\n（一）办好民生实事。一是新建幼儿园2所（区教育局牵头，区住建局配合）；"
                    "二是新增学位1000个（区教育局负责）；三是改造农村公路50公里（区交通局牵头，各镇配合）。\n")
    # "一是" stays in the statement as printed (only bracketed numbers and "1." become task numbers alone).
    assert roles(document) == [
        ("一是新建幼儿园2所", [], ["区教育局"], ["区住建局"]),
        ("二是新增学位1000个", [], ["区教育局"], []),
        ("三是改造农村公路50公里", [], ["区交通局"], ["各镇"]),
    ]
    assert [task.record.task_no for task in document.tasks] == ["一", "二", "三"]


def test_two_items_run_in_are_enough_when_they_count_on(read):
    document = read("四、提升城市功能品质。一是新建公园2个（牵头单位：区住建局）；"
                    "二是改造小区3个（牵头单位：区城管局）。\n")
    assert roles(document) == [("一是新建公园2个", [], ["区住建局"], []), ("二是改造小区3个", [], ["区城管局"], [])]
    assert document.tasks[0].record.goal == ["提升城市功能品质"]


def test_printed_first_is_lead_and_star_rules(read):
    first = read("任务清单\n责任单位中排在第一位的为牵头单位。\n"
                 "1.新建城市公园2个。（责任单位：区住建局、区城管局、各街道）\n")
    assert roles(first) == [("新建城市公园2个。", [], ["区住建局"], ["区城管局", "各街道"])]
    assert first.tasks[0].record.role_certain
    star = read("任务清单\n（标*的为牵头单位）\n1.完成老旧小区改造10个。\n责任单位：区财政局、区住建局*\n")
    assert roles(star) == [("完成老旧小区改造10个。", [], ["区住建局"], ["区财政局"])]
    assert star.tasks[0].record.role_certain


def test_rule_applies_from_where_it_is_printed(read):
    document = read("""\
一、区长张明牵头重点工作
1.新建学校1所。
责任单位：区教育局、区住建局
2.新建医院1所。
责任单位：区卫健局、区住建局（列第一位者为牵头单位，下同）
3.新建公园2个。
责任单位：区住建局、区城管局
""")
    assert roles(document) == [
        ("新建学校1所。", ["张明"], ["区教育局", "区住建局"], []),
        ("新建医院1所。", ["张明"], ["区卫健局"], ["区住建局"]),
        ("新建公园2个。", ["张明"], ["区住建局"], ["区城管局"]),
    ]


def test_a_cut_unit_list_is_not_read_and_is_warned(read):
    document = read("一、工业\n1.加快工业转型。（市发改委牵头落实）\n2.加快能源基地建设。（市能源局牵\n")
    assert roles(document) == [("加快工业转型。", [], ["市发改委"], [])]
    assert any(d.line == 3 and "not closed" in d.message for d in document.diagnostics)


def test_numbered_paragraphs_without_any_unit_are_not_tasks(read):
    document = read("""\
一、各县市区推进综合排名
1、宁国市;2、广德市;3、宣州区;4、郎溪县。
二、重点项目推进情况
1、就业创业服务,牵头单位:市人社局。其中,见习进度较慢的为旌德县。
2、困难残疾人康复,牵头单位:市残联。
""")
    assert roles(document) == [("就业创业服务", [], ["市人社局"], []), ("困难残疾人康复", [], ["市残联"], [])]
    assert document.tasks[0].record.progress == "其中,见习进度较慢的为旌德县。"
    assert any("宁国市" in d.message and d.line == 2 for d in document.diagnostics)


ANNOTATIONS_BELOW = """\
某省人民政府办公厅关于《政府工作报告》主要任务分工的意见
省直各部门：
现将《政府工作报告》提出的主要任务分解落实如下：
一、推动经济平稳运行
加强财政政策与金融政策的协调配合，培育壮大新的消费增长点。
（省商务厅、省财政厅等负责）

扩大有效投资，实施重大项目建设提速行动。

（省发展改革委牵头，省住房城乡建设厅、省交通运输厅配合）
稳定外贸增长，加快培育出口新优势。（省商务厅负责）
"""


def test_a_role_annotation_on_lines_of_its_own_belongs_to_the_paragraph_above(read):
    """A PDF or page may set "（…负责）" on the line under its task, after a blank line too: the task is the
    paragraph above it."""
    document = read(ANNOTATIONS_BELOW)
    assert roles(document) == [
        ("加强财政政策与金融政策的协调配合，培育壮大新的消费增长点。", [], ["省商务厅", "省财政厅"], []),
        ("扩大有效投资，实施重大项目建设提速行动。", [], ["省发展改革委"], ["省住房城乡建设厅", "省交通运输厅"]),
        ("稳定外贸增长，加快培育出口新优势。", [], ["省商务厅"], []),
    ]


OPEN_BRACKET_WRAPPED = """\
某市人民政府办公室关于做好2022年《政府工作报告》重点工作落实的通知
一、主要预期目标
1.研发经费投入增长25%以上。（牵头单位：市科技局；
责任单位：市经济和信息化局，各乡镇人民政府）
2.实际利用外资增长12%。（牵头单位：市招商服务中心；责任单位：
市发展和改革局）
"""


def test_a_line_inside_an_open_bracket_continues_it_even_when_it_starts_with_a_label(read):
    """Lines cut at a PDF's width: "责任单位：…" starting a line inside the bracket is no key-value line of its own."""
    assert roles(read(OPEN_BRACKET_WRAPPED)) == [
        ("研发经费投入增长25%以上。", [], ["市科技局"], ["市经济和信息化局", "各乡镇人民政府"]),
        ("实际利用外资增长12%。", [], ["市招商服务中心"], ["市发展和改革局"]),
    ]


def test_labels_naming_departments_as_well_as_units(read):
    """部门 for 单位 in every label: 主办部门 leads, 协办部门 / 协助部门 / 配合责任部门 cooperate."""
    document = read("某区2023年政府工作报告重点任务分解\n一、扩大有效投资\n"
                    "1.新增公办学位2400个。（主办部门：区教育局；协办部门：区财政局）\n"
                    "2.建成托育机构4家。（责任牵头部门：区卫生健康局；协助部门：区民政局）\n"
                    "3.新建污水管网20公里。（主责部门：区住建局；配合责任部门：区水利局）\n")
    assert [(lead, coop) for _, _, lead, coop in roles(document)] == [
        (["区教育局"], ["区财政局"]), (["区卫生健康局"], ["区民政局"]), (["区住建局"], ["区水利局"])]


def test_units_named_as_lead_and_cooperating_in_a_sentence(read):
    document = read("某区2023年政府工作报告重点任务分解\n一、扩大有效投资\n"
                    "1.完成农村公路提档80公里。（区交通运输局为牵头单位，区财政局、各镇为配合单位）\n")
    assert roles(document) == [("完成农村公路提档80公里。", [], ["区交通运输局"], ["区财政局", "各镇"])]


def test_a_lead_label_whose_value_names_cooperating_units_by_a_role_word(read):
    document = read("某区2023年政府工作报告重点任务分解\n一、促进消费\n"
                    "1.举办消费季活动3场。（牵头单位：区商务局，区市场监管局、区文旅局配合）\n")
    assert roles(document) == [("举办消费季活动3场。", [], ["区商务局"], ["区市场监管局", "区文旅局"])]


def test_a_rule_printed_inside_the_bracket_is_applied_and_names_no_unit(read):
    document = read("某区2023年政府工作报告重点任务分解\n一、民生保障\n"
                    "1.建成托育机构4家。（责任单位：区卫生健康局、区民政局，排名第一的为牵头单位）\n")
    assert roles(document) == [("建成托育机构4家。", [], ["区卫生健康局"], ["区民政局"])]
