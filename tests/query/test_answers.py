"""Named queries answer the users' questions, on the embedded store and on a real Oxigraph server after
`govkg publish`, with the same rows. Expected answers come from reading the sample documents."""

from __future__ import annotations

import pytest

from govkg.publish import publish
from govkg.query import load_catalog, query

ZHONGLOU, WUJIN = "常州市钟楼区", "常州市武进区"
ID = "https://w3id.org/govkg/id/"


@pytest.fixture(scope="module")
def endpoint(built, oxigraph_server):
    """The samples published to the Oxigraph server; its query URL."""
    publish(built, f"{oxigraph_server}/store", endpoint=f"{oxigraph_server}/query")
    return f"{oxigraph_server}/query"


@pytest.fixture(params=["embedded", "oxigraph-server"])
def ask(request, built):
    """Run a named query on one backend."""
    if request.param == "embedded":
        return lambda name, **params: query(name, store=built, **params)
    url = request.getfixturevalue("endpoint")
    return lambda name, **params: query(name, endpoint=url, **params)


def numbers(rows, year=None):
    return [row["number"] for row in rows if year is None or row["year"] == str(year)]


@pytest.mark.parametrize("spelling", ["住建局", "区住建局", "钟楼区住建局"])
def test_q01_zhujianju_cooperates_on_2022_tasks_2_to_4(ask, spelling):
    rows = ask("q01", unit=spelling)
    assert [(row["issuer"], row["year"], row["number"]) for row in rows] == [
        (ZHONGLOU, "2022", "2"), (ZHONGLOU, "2022", "3"), (ZHONGLOU, "2022", "4")]
    assert rows[0]["leadUnits"] == ["经开区"] and rows[0]["leaders"] == ["王旭锋", "王行杰", "胡金芳"]
    assert rows[2]["leadUnits"] == ["农业农村局"] and rows[2]["leaders"] == ["谢志诚"]
    assert ask("q01", unit=spelling, year=2021) == []
    assert ask("q01", unit=spelling, issuer="武进区") == []


def test_q02_zhujianju_leads_in_2021(ask):
    rows = ask("q02", unit="住建局", issuer="钟楼区", year=2021)
    # 000: 住建局 in the 牵头单位 cell of (27), (41), (44)–(49), (56), (60)–(62), (73), (74).
    assert numbers(rows) == ["27", "41", "44", "45", "46", "47", "48", "49", "56", "60", "61", "62", "73", "74"]
    assert rows[1]["cooperatingUnits"] == ["相关街道"]
    wujin = ask("q02", unit="住建局", issuer="武进区")
    assert {row["issuer"] for row in wujin} == {WUJIN} and len(wujin) > 0


def test_q03_leader_portfolio(ask):
    rows = ask("q03", person="谢志诚")
    # 001 (4) 谢志诚 / 农业农村局; 004 (7) 谢志诚 / 钟楼生态环境局 and (8), whose leader cell is empty.
    assert [(row["year"], row["number"]) for row in rows] == [("2022", "4"), ("2025", "7"), ("2025", "8")]
    assert rows[1]["leadUnits"] == ["生态环境局"] and rows[2]["cooperatingUnits"] == ["区安委会各成员单位"]
    assert [row["number"] for row in ask("q03", person="王 旭锋", year=2021)][:3] == ["4", "5", "7"]


def test_q04_top_pair_of_zhonglou_2021(ask):
    rows = ask("q04", issuer="钟楼区", year=2021)
    top = rows[0]
    assert (top["unitA"], top["unitB"], top["tasks"]) == ("经开区", "高新区（邹区镇）", 79)
    # Every task of 000 names both zones (printed or in a merged cell) except these thirteen.
    missing = {"11", "12", "19", "21", "40", "41", "42", "43", "44", "48", "49", "50", "52"}
    assert set(top["taskNumbers"]) == {str(n) for n in range(1, 93)} - missing
    assert rows[1]["tasks"] == 12


def test_q05_unit_load(ask):
    rows = ask("q05", issuer="武进区", year=2023)
    first = rows[0]
    # 003: 工信局 in the 牵头单位 cell of rows 1–7, 23, 26, 27, 52, 54, 55, 57; never in 责任单位.
    assert (first["unit"], first["tasksLed"], first["tasksCooperated"]) == ("工信局", 14, 0)


def test_q06_tasks_under_a_goal_and_its_sub_goals(ask):
    rows = ask("q06", goal="提升发展内生动力")
    assert numbers(rows) == [str(n) for n in range(10, 28)]  # 000 group 2, lines 77–267
    assert {row["goal"] for row in rows} == {"激发创新活力", "深化改革攻坚", "推动开放融合"}


def test_q07_targets_of_a_metric(ask):
    rows = ask("q07", metric="地区生产总值")
    found = [(row["year"], row["value"], row["unit"], row["comparator"], row["growth"]) for row in rows]
    # 002 "地区生产总值增长8%。", 000 (1) and 001 (5) "增长6.5%左右", 004 (1) "增长5%左右",
    # 002 "服务业增加值占地区生产总值的比重达到44.5%" (a level, not a growth rate).
    assert sorted(found) == sorted([("2018", 8.0, "%", "Exactly", True), ("2021", 6.5, "%", "About", True),
                                    ("2022", 6.5, "%", "About", True), ("2025", 5.0, "%", "About", True),
                                    ("2018", 44.5, "%", "Exactly", False)])


def test_q08_zhujianju_2021_to_2022(ask):
    rows = ask("q08", unit="住建局", year1=2021, year2=2022)
    by_status = {}
    for row in rows:
        by_status.setdefault(row["status"], []).append((row["role"], row["number"]))
    assert by_status["gained"] == [("cooperating", "2"), ("cooperating", "3"), ("cooperating", "4"), ("lead", "1")]
    assert [number for _, number in by_status["lost"]] == [
        "27", "41", "44", "45", "46", "47", "48", "49", "56", "60", "61", "62", "73", "74"]
    assert "kept" not in by_status


def test_q08_follows_renames(ask):
    rows = ask("q08", unit="环保局", year1=2018, year2=2023)
    units = {(row["year"], row["unit"]) for row in rows}
    assert ("2018", "环保局") in units and ("2023", "生态环境局") in units


def test_q09_weak_records_of_001(ask):
    rows = ask("q09", document="001_087f41aba7939677.txt")
    issues = {(row["number"], row["issue"]) for row in rows}
    assert ("25", "no lead unit") in issues  # (25)–(27): nothing printed under 以开放释放动能
    assert ("18", "uncertain lead/cooperating split") in issues
    assert ("10", "inherited from a merged cell") in issues
    assert {row["detail"] for row in rows if row["number"] == "2"} == {
        "LeaderRole 王旭锋 @19", "LeaderRole 王行杰 @19", "LeaderRole 胡金芳 @19"}
    assert {row["document"] for row in rows} == {"001_087f41aba7939677.txt"}
    assert {row["issuer"] for row in rows} == {"常州市钟楼区"}  # 001 is addressed to 邹区镇 and 钟楼区's offices


def test_q09_weak_records_of_an_issuer(ask):
    # the weak records of 武进区: 002 (its other sample, 003, has none), none of 钟楼区's
    rows = ask("q09", issuer="武进区")
    assert rows and {(row["issuer"], row["document"]) for row in rows} == {("常州市武进区", "002_f805794b5a88dfe4.txt")}


def test_q17_counts_what_q09_lists_per_plan(ask):
    rows = ask("q17")
    assert [(row["issuer"], row["year"], row["document"]) for row in rows] == [
        (WUJIN, "2018", "002_f805794b5a88dfe4.txt"), (WUJIN, "2023", "003_66424366e1f8fc47.txt"),
        (ZHONGLOU, "2021", "000_8726cfd2ff1c199e.txt"), (ZHONGLOU, "2022", "001_087f41aba7939677.txt"),
        (ZHONGLOU, "2025", "004_ebc19d26066b7b22.txt")]
    # 003: 86 rows (row 24 holds two sub-items), each printing its leaders and lead units in cells of its own
    counts = {row["document"]: row for row in rows}
    assert [counts["003_66424366e1f8fc47.txt"][name] for name in (
        "tasks", "withoutLeadUnit", "roleUncertain", "inherited", "weak")] == [87, 0, 0, 0, 0]
    # the precomputed counts are Q9's rows counted, document by document and kind by kind
    listed: dict[tuple[str, str], int] = {}
    for row in ask("q09"):
        listed[row["document"], row["issue"]] = listed.get((row["document"], row["issue"]), 0) + 1
    kinds = ("no lead unit", "uncertain lead/cooperating split", "inherited from a merged cell")
    for row in rows:
        assert [row["withoutLeadUnit"], row["roleUncertain"], row["inherited"]] == [
            listed.get((row["document"], kind), 0) for kind in kinds], row["document"]
        assert row["weak"] == row["withoutLeadUnit"] + row["roleUncertain"] + row["inherited"]
    assert counts["001_087f41aba7939677.txt"]["withoutLeadUnit"] > 0  # (25)–(27) at least: not vacuous
    assert [row["document"] for row in ask("q17", issuer="钟楼区", year=2025)] == ["004_ebc19d26066b7b22.txt"]


def test_q10_phrase(ask):
    rows = ask("q10", phrase="停车泊位")
    # 000 (46); 001 (46) and 民生实事 交通畅行工程 item 2; 004 民生实事 交通畅行 item 2.
    assert [(row["year"], row["number"]) for row in rows] == [
        ("2021", "46"), ("2022", "46"), ("2022", None), ("2025", None)]


def test_q11_group_members(ask):
    streets = ask("q11", group="各街道", issuer="钟楼区")
    assert sorted(row["member"] for row in streets) == sorted(
        ["南大街街道", "荷花池街道", "五星街道", "永红街道", "北港街道", "西林街道", "新闸街道"])
    wujin = ask("q11", group="各镇、开发区", issuer="武进区")
    towns = sorted(row["member"] for row in wujin if row["group"] == "各镇")
    assert towns == ["嘉泽镇", "湖塘镇", "牛塘镇", "雪堰镇"]  # the towns named in 002 and 003
    assert {row["how"] for row in wujin} == {"unit of the group's type"}


def test_q12_provenance_of_001_task_18(ask):
    rows = ask("q12", task=ID + "plan/320404/2022/main/18")
    assert {(row["document"], row["firstLine"], row["lastLine"]) for row in rows} == {
        ("001_087f41aba7939677.txt", 67, 71)}
    fields = [(row["field"], row["printed"], row["fieldFirstLine"], row["inherited"]) for row in rows]
    assert sorted(fields) == sorted([("CooperatingRole", "城管局", 70, False), ("CooperatingRole", "司法局", 70, False),
                                     ("LeadRole", "编办", 69, False), ("LeaderRole", "曹雷", 68, False)])


def test_q12_task_without_units_still_has_its_provenance(ask):
    # 001 lines 154-158: 序号 7, the goal headings, then "(64)推动资源、服务、管理向社区一线倾斜…", followed at once
    # by (65): no leader, no unit printed
    rows = ask("q12", task=ID + "plan/320404/2022/main/64")
    assert [(row["document"], row["firstLine"], row["lastLine"], row["number"], row.get("field")) for row in rows] == [
        ("001_087f41aba7939677.txt", 154, 158, "64", None)]


def test_q08_kept_when_the_same_topic_recurs(ask):
    # 000 line 13 (2021, lead 发改局) and 001 line 39 (2022, lead 发改局): (1)/(5) 地区生产总值增长6.5%左右。
    rows = ask("q08", unit="发改局", year1=2021, year2=2022)
    kept = sorted((row["year"], row["number"], row["role"]) for row in rows if row["status"] == "kept")
    assert kept == [("2021", "1", "lead"), ("2022", "5", "lead")]
    assert {row["status"] for row in rows} == {"kept", "lost", "gained"}


def test_injection_is_just_a_value(ask):
    evil = 'a"b\\c{d}"} ; DROP ALL #'
    assert ask("q01", unit=evil) == []
    assert ask("q10", phrase=evil) == []
    assert len(ask("q01", unit="住建局")) == 3  # the data is still there


def test_same_answers_everywhere(built, endpoint):
    params = {"q01": {"unit": "住建局"}, "q02": {"unit": "财政局"}, "q03": {"person": "王旭锋"}, "q04": {},
              "q05": {}, "q06": {"goal": "主要预期目标"}, "q07": {"metric": "地区生产总值"},
              "q08": {"unit": "发改局", "year1": "2021", "year2": "2022"}, "q09": {}, "q10": {"phrase": "老旧小区"},
              "q11": {"group": "各街道"}, "q12": {"task": ID + "plan/320412/2023/main/24-1"},
              "q13": {"unit": "住建局"}, "q14": {}, "q15": {"task": ID + "plan/320404/2022/main/5"},
              "q16": {"unit": "发改局", "year": "2021"}, "q17": {}}
    assert set(params) == {name[:3] for name in load_catalog()}
    for name, values in params.items():
        assert query(name, store=built, **values) == query(name, endpoint=endpoint, **values), name
