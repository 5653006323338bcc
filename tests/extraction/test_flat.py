"""Flat samples 001 and 004 (PDF text) against what their source text says."""

from __future__ import annotations

from sample_docs import names, printed, task

LEADERS_001_1 = ["王旭锋", "胡金芳", "王行杰"]


def test_001_task_1(samples):
    t = task(samples["001"], "1")
    assert t.record.goal == ["四大功能区建设"]
    assert names(t.leaders) == LEADERS_001_1
    assert names(t.lead_units) == ["住建局"]
    assert names(t.coop_units) == ["新闸街道", "五星街道", "永红街道", "南大街街道", "荷花池街道", "发改局", "财政局",
                                   "文体旅局", "资规分局", "新运集团"]
    assert t.record.role_certain  # one unit line, then one list line
    assert (t.record.span.first, t.record.span.last) == (16, 23)  # from the group number "1" to the list
    assert t.record.sources["text"].span.first == 18


def test_001_task_2_inherits_leaders_and_joins_a_wrapped_list(samples):
    t = task(samples["001"], "2")
    assert names(t.leaders) == LEADERS_001_1 and "leaders" in t.record.inherited
    assert t.record.sources["leaders"].span.first == 19
    assert names(t.lead_units) == ["经开区"]
    coop = names(t.coop_units)
    # Lines 26–28: a list wrapped with a trailing 、 at the end of lines 26 and 27.
    assert coop[:3] == ["北港街道", "新闸街道", "纪委监委"] and coop[-3:] == ["生态环境局", "资规分局", "新运集团"]
    assert len(coop) == 20 and "住建局" in coop and "工商联" in coop


def test_001_task_3_wrapped_name_and_cut_off_list(samples):
    doc = samples["001"]
    t = task(doc, "3")
    assert printed(t.lead_units) == ["高新园(邹区镇)"]  # "高新园" + "(邹区镇)" on the next line
    assert names(t.lead_units) == ["高新区（邹区镇）"]
    assert printed(t.coop_units)[-2:] == ["统计局", "金融局"]
    assert names(t.coop_units)[-1] == "地方金融监管局"  # alias in data/lexicon/aliases.toml
    assert "住建局" in names(t.coop_units)
    assert any(d.line == 32 and "separator" in d.message for d in doc.diagnostics)


def test_001_task_4(samples):
    t = task(samples["001"], "4")
    assert names(t.leaders) == ["谢志诚"] and "leaders" not in t.record.inherited
    assert names(t.lead_units) == ["农业农村局"]
    assert names(t.coop_units)[0] == "高新区（邹区镇）" and "住建局" in names(t.coop_units)


def test_001_cooperating_zhujianju_only_in_tasks_2_to_4(samples):
    hits = [t.record.task_no for t in samples["001"].tasks if "住建局" in names(t.coop_units)]
    assert hits == ["2", "3", "4"]


def test_001_task_18_split_is_uncertain(samples):
    t = task(samples["001"], "18")
    assert t.record.goal == ["推动创新动能更加充实", "以改革提升效能"]
    assert printed(t.leaders) == ["曹雷"]  # printed "曹 雷"
    assert printed(t.lead_units) == ["编办"]  # printed "编 办": a unit, not a person
    assert names(t.coop_units) == ["司法局", "城管局"]
    assert not t.record.role_certain


def test_001_tasks_without_units_inherit_within_their_goal(samples):
    doc = samples["001"]
    t10 = task(doc, "10")  # nothing printed after (10): units and leader of (9)
    assert names(t10.lead_units) == ["商务局"] and names(t10.leaders) == ["孙益锋"]
    assert {"leaders", "lead_units"} <= set(t10.record.inherited)
    t6 = task(doc, "6")  # 财政局 printed: leader inherited, cooperating units not
    assert names(t6.lead_units) == ["财政局"] and t6.coop_units == []
    t25 = task(doc, "25")  # first task under a new heading 以开放释放动能: nothing to inherit
    assert t25.record.goal == ["推动创新动能更加充实", "以开放释放动能"]
    assert t25.lead_units == [] and t25.leaders == []


def test_001_headings_wrapped_on_two_levels(samples):
    t80 = task(samples["001"], "80")
    assert t80.record.goal == ["加强政府自身建设", "打造法治政府"]  # 4 lines: 加强政府/自身建设/打造法治/政府
    assert task(samples["001"], "56").lead_units[0].text == "退役军人事务局"  # "退役军人" + "事务局"


def test_004_task_9(samples):
    t = task(samples["004"], "9")
    assert t.record.goal == ["坚持老城、经开、高新三区并进,同频共振、同向发力,推动四大功能融合提质", "做精老城区"]
    assert names(t.leaders) == ["胡金芳", "王行杰"]
    assert printed(t.lead_units) == ["区住建局"] and names(t.lead_units) == ["住建局"]
    assert names(t.coop_units) == ["文体旅局", "五星街道", "南大街街道", "荷花池街道", "资规分局"]
    assert not t.record.role_certain  # six unit lines: which are lead is a guess


def test_004_task_15(samples):
    t = task(samples["004"], "15")
    assert t.record.goal[-1] == "做强经开区"  # a heading, not the unit 经开区
    assert names(t.leaders) == ["蒋锐"] and "leaders" in t.record.inherited
    assert t.record.sources["leaders"].span.first == 61  # "蒋 锐" under (14)
    assert names(t.lead_units) == ["卫健局"]
    assert printed(t.coop_units) == ["钟楼医保分局", "区数据局"]
    assert names(t.coop_units) == ["医保分局", "数据局"]
    assert not t.record.role_certain


def test_004_task_17(samples):
    t = task(samples["004"], "17")
    assert names(t.leaders) == ["蒋锐"] and "leaders" in t.record.inherited
    assert names(t.lead_units) == ["西林街道"]
    assert printed(t.coop_units) == ["区委组织部", "区委编办"]
    assert names(t.coop_units) == ["组织部", "编办"]
    t16 = task(samples["004"], "16")  # nothing printed: units of (15)
    assert names(t16.lead_units) == ["卫健局"] and "lead_units" in t16.record.inherited


def test_004_names_with_inner_spaces_and_collectives(samples):
    doc = samples["004"]
    assert printed(task(doc, "3").leaders) == ["吴伟"]
    assert [(p.name, p.kind) for p in task(doc, "68").leaders] == [("全体区长", "collective")]
    t8 = task(doc, "8")
    assert printed(t8.lead_units) == ["区应急管理局(安委办)"] and names(t8.lead_units) == ["应急管理局"]
    assert [(p.name, p.kind) for p in t8.coop_units] == [("区安委会各成员单位", "group")]


def test_004_livelihood_items(samples):
    items = [t for t in samples["004"].tasks if t.record.table == "livelihood"]
    assert items[0].record.goal == ["“常有善育”工程"]
    assert items[2].record.text.startswith("提供思想引导") and names(items[2].lead_units) == ["团区委"]
    assert items[18].record.goal == ["交通畅行工程"]  # "交通畅行" + "工程"
    assert items[18].record.group_no == "7"
