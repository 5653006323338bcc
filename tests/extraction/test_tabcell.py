"""Tab-cell samples 000, 002, 003 against what their source text says (line numbers of the files)."""

from __future__ import annotations

from sample_docs import names, printed, task


def test_000_rows_13_to_16_share_a_merged_cooperating_cell(samples):
    doc = samples["000"]
    t13, t14, t15, t16 = (task(doc, str(n)) for n in (13, 14, 15, 16))
    assert names(t13.leaders) == ["王旭锋"] and names(t13.lead_units) == ["科技局"]
    assert names(t13.coop_units) == ["经开区", "高新区（邹区镇）", "各街道"]
    assert [p.kind for p in t13.coop_units] == ["unit", "unit", "group"]
    assert "coop_units" not in t13.record.inherited
    for later in (t14, t15, t16):
        # Same 序号 group 2, empty 配合单位 cell: the merged cell of row (13), lines 112–115.
        assert names(later.coop_units) == names(t13.coop_units)
        assert "coop_units" in later.record.inherited
        source = later.record.sources["coop_units"]
        assert (source.span.first, source.span.last) == (112, 115)
    assert names(t14.lead_units) == ["科技局"] and "lead_units" not in t14.record.inherited
    assert names(t16.leaders) == ["毛利平"] and names(t16.lead_units) == ["地方金融监管局"]
    assert t13.record.goal == ["提升发展内生动力", "激发创新活力"]


def test_000_rows_84_to_86_inherit_the_collective_leader(samples):
    doc = samples["000"]
    t83 = task(doc, "83")
    assert [(p.name, p.kind) for p in t83.leaders] == [("全体区长", "collective")]
    for number in ("84", "85", "86"):
        t = task(doc, number)
        assert [(p.name, p.kind) for p in t.leaders] == [("全体区长", "collective")]
        assert t.record.sources["leaders"].span.first == 773
        assert names(t.lead_units) == ["政府办"]
        assert set(t.record.inherited) >= {"leaders", "coop_units"}
        assert "lead_units" not in t.record.inherited
        assert t.record.goal == ["加强政府自身建设", "坚持高效理政"]


def test_000_new_group_inherits_only_goal(samples):
    doc = samples["000"]
    # (10) opens 序号 group 2 (line 77); group 1's cooperating units must not carry over.
    t10 = task(doc, "10")
    assert names(t10.lead_units) == ["经开区", "高新区（邹区镇）"]
    assert names(t10.coop_units) == ["科技局"]
    assert t10.record.group_no == "2"


def test_000_names_with_inner_spaces(samples):
    t2 = task(samples["000"], "2")
    assert printed(t2.leaders) == ["周庆"]
    assert t2.record.text == "一般公共预算收入增长6%左右。"


def test_002_retail_sales_inherits_leader_and_lead_unit(samples):
    doc = samples["002"]
    (t,) = [t for t in doc.tasks if t.record.text == "社会消费品零售总额增长10%。"]
    assert names(t.leaders) == ["徐治国"] and names(t.lead_units) == ["商务局"]
    assert {"leaders", "lead_units"} <= set(t.record.inherited)
    assert t.record.sources["leaders"].span.first == 41  # printed in the row above, line 41
    assert t.record.task_no is None  # 002 numbers groups, not tasks


def test_002_cells_with_paragraph_breaks(samples):
    doc = samples["002"]
    (t,) = [t for t in doc.tasks if t.record.text.startswith("一般公共预算收入增长9%")]
    assert names(t.leaders) == ["戴士福", "陆秋明"]  # "戴士福", blank line, "陆秋明"
    (park,) = [t for t in doc.tasks if t.record.text.startswith("西太湖科技产业园瞄准")]
    assert printed(park.lead_units) == ["西太湖科技产业园"]  # "西太湖科技", blank line, "产业园"
    (fund,) = [t for t in doc.tasks if t.record.text.startswith("积极推进中心城区棚改项目")]
    assert printed(fund.lead_units) == ["住建局", "住房公积金中心"]
    (office,) = [t for t in doc.tasks if t.record.text.startswith("以推进经济发达镇")]
    assert printed(office.lead_units) == ["编办"]  # printed "编  办"
    (peak,) = [t for t in doc.tasks if t.record.text.startswith("深化农村土地制度改革三项试点")]
    assert printed(peak.leaders) == ["是峰"]  # printed "是  峰"


def test_002_last_row_is_cut_off_but_present(samples):
    doc = samples["002"]
    last = doc.tasks[-1]
    assert last.record.text == "坚决查处不正之风和腐败问题，营造风清气正的良好政治生态。"
    assert last.record.span.first == 815
    assert any(d.line == 815 and "cut off" in d.message for d in doc.diagnostics)


def test_002_single_lead_column_means_every_unit_leads(samples):
    (t,) = [t for t in samples["002"].tasks if t.record.text.startswith("亩均工业用地产出")]
    assert names(t.lead_units) == ["经信局", "财政局"] and t.coop_units == []
    assert t.record.role_certain


def test_003_row_24_holds_two_sub_items(samples):
    doc = samples["003"]
    first, second = task(doc, "24", sub_no=1), task(doc, "24", sub_no=2)
    parent = "把握科技变革趋势，瞄准前沿领域，建好用好相关创新载体。"
    assert first.record.parent_text == parent and second.record.parent_text == parent
    assert first.record.text.startswith("积极参与“环太湖科创圈”建设")
    assert names(first.leaders) == ["张小虎", "徐俊", "张征宇", "王栋"]
    assert names(first.lead_units) == ["科技局", "西太湖", "嘉泽镇"]
    assert second.record.text == "建好用好江理工绿建区协同创新园。"
    assert names(second.leaders) == ["刘志峰"]
    assert names(second.lead_units) == ["绿建区", "牛塘镇"]
    assert first.record.goal == second.record.goal == ["全方位构造一流创新生态"]
    assert task(doc, "25").record.parent_text is None


def test_003_row_54_splits_names_run_together(samples):
    t = task(samples["003"], "54")
    assert names(t.leaders) == ["赵钢", "刘志峰", "李德森", "朱岩", "张征宇"]
    assert names(t.lead_units) == ["发改局", "工信局", "应急管理局", "自然资源和规划分局", "生态环境局"]
    assert [(p.text, p.name, p.kind) for p in t.coop_units] == [
        ("各镇", "各镇", "group"), ("开发区", "各开发区", "group")]


def test_003_quantifier_carries_over_a_list(samples):
    t = task(samples["003"], "38")
    assert [(p.name, p.kind) for p in t.coop_units] == [
        ("各镇", "group"), ("各开发区", "group"), ("各街道", "group")]
    t2 = task(samples["003"], "2")
    assert names(t2.coop_units) == ["高新区", "相关镇", "相关开发区"]


def test_003_every_row_numbered_so_nothing_is_inherited(samples):
    doc = samples["003"]
    assert all(not ({"leaders", "lead_units", "coop_units"} & set(t.record.inherited)) for t in doc.tasks)
    assert task(doc, "16").coop_units == []  # empty 责任单位 cell, own 序号
    assert task(doc, "2").record.goal == ["打造高端高质的产业体系"]  # goal names do carry down
    assert task(doc, "20").record.goal == ["持续性营造一流营商环境"]  # "持续性营造" + blank + "一流营商环境"
