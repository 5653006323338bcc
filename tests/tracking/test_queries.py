"""Q14–Q16 and the queries that count a commitment once, on the hand-written fixture (tests/tracking/fixture.trig;
every expected answer below is read off that file by hand), how the queries are evaluated (driven from the unit,
the status or the task, never from all tasks), and Q14 and Q16 on the real tracking data set (its hand-checked
answers: tests/tracking/data/expected.toml)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from fixture_store import DECEMBER, ID, JUNE, PLAN21, PLAN22, ZHONGLOU, FixtureStore, expected, write_store

from govkg.lexicon import load_lexicon
from govkg.query import as_dicts, bind, find_query, query, run_named
from govkg.query.catalog import parse_query
from govkg.resources import resource_dir
from local_servers import oxigraph_binary

T1, T2, T3, T4 = (f"{PLAN21}/main/{n}" for n in (1, 2, 3, 4))
P1, P2, P3 = (f"{PLAN22}/main/{n}" for n in (1, 2, 3))
UNMATCHED = f"{DECEMBER}/main/3"  # the year-end report's row matched to nothing (ambiguous between (3) and (4))


@pytest.fixture(scope="module")
def store() -> FixtureStore:
    return FixtureStore()


def ask(store, name: str, **params) -> list[dict]:
    named, results = run_named(name, store, params)
    return as_dicts(results, named.lists)


# --- Q14 ---------------------------------------------------------------------------------------------------------


def test_q14_behind_as_of_the_latest_report(store):
    rows = ask(store, "q14")
    assert [(r["unit"], r["issuer"], r["year"], r["task"], r["number"], r["text"], r["statusPrinted"], r["progress"],
             r["reportDate"], r["report"]) for r in rows] == [
        # (2) 正常推进 in June, 滞后 in December: behind; the plan task answers, not the report rows
        ("城管局", ZHONGLOU, "2021", T2, "2", "新增公共停车泊位1000个。", "滞后", "新增泊位800个，未达目标。",
         "2021-12-31", DECEMBER),
        # a row of the December report matched to no plan task stands for itself
        ("环保局", ZHONGLOU, "2021", UNMATCHED, "3", "推进污水管网建设。", "部分滞后", "完成管网6公里。",
         "2021-12-31", DECEMBER),
    ]
    # (1) was 部分滞后 in June but 已完成 in December: not behind
    assert T1 not in {r["task"] for r in rows}


def test_q14_filters(store):
    assert len(ask(store, "q14", issuer="钟楼区", year=2021)) == 2
    assert ask(store, "q14", year=2022) == []
    assert ask(store, "q14", issuer="武进区") == []


# --- Q15 ---------------------------------------------------------------------------------------------------------

HISTORY_OF_1 = [
    ("plan", "2021", "2021-02-20", T1, "1", "完成老旧小区改造20个。", "完成老旧小区改造20个", None, None, None, None),
    ("report", "2021", "2021-06-30", T1, "1", "完成老旧小区改造20个。", None, "BehindSchedule", "部分滞后",
     "已完成改造8个。", JUNE),
    ("report", "2021", "2021-12-31", T1, "1", "完成老旧小区改造20个。", None, "Done", "已完成", "20个小区全部完工。",
     DECEMBER),
    ("plan", "2022", "2022-02-10", P1, "1", "完成老旧小区改造30个。", "完成老旧小区改造30个", None, None, None, None),
]


def history(rows):
    return [(r["kind"], r["year"], r["date"], r["task"], r["number"], r["text"], r["targets"], r["status"],
             r["statusPrinted"], r["progress"], r["report"]) for r in rows]


@pytest.mark.parametrize("start", [T1, P1, f"{JUNE}/main/1"], ids=["plan-2021", "plan-2022", "report-row"])
def test_q15_history_from_any_task_of_the_chain(store, start):
    rows = ask(store, "q15", task=start)
    assert history(rows) == HISTORY_OF_1
    assert {r["issuer"] for r in rows} == {ZHONGLOU}


def test_q15_continued_without_reports_and_reported_without_successor(store):
    assert [(r["kind"], r["year"], r["task"], r["targets"]) for r in ask(store, "q15", task=T3)] == [
        ("plan", "2021", T3, "新建污水管网10公里"), ("plan", "2022", P2, "新建污水管网15公里")]
    assert [(r["kind"], r["date"], r["status"]) for r in ask(store, "q15", task=T2)] == [
        ("plan", "2021-02-20", None), ("report", "2021-06-30", "OnSchedule"),
        ("report", "2021-12-31", "BehindSchedule")]
    # an unmatched report row: itself, with its own observation (the report prints no date of issue)
    assert [(r["kind"], r["date"], r["task"], r["status"]) for r in ask(store, "q15", task=UNMATCHED)] == [
        ("plan", None, UNMATCHED, None), ("report", "2021-12-31", UNMATCHED, "BehindSchedule")]
    assert ask(store, "q15", task=ID + "plan/320404/2021/main/99") == []


# --- Q16 ---------------------------------------------------------------------------------------------------------


def fates(rows):
    return [(r["role"], r["task"], r["number"], r["fate"], r["next"], r["nextNumber"], r["nextLeadUnits"])
            for r in rows]


@pytest.mark.parametrize("spelling", ["住建局", "区住建局"])
def test_q16_kept_handed_dropped(store, spelling):
    rows = ask(store, "q16", unit=spelling, year=2021)
    assert fates(rows) == [
        ("lead", T1, "1", "kept", P1, "1", ["住建局"]),            # 2022 (1) is led by 住建局 again
        ("cooperating", T2, "2", "dropped", None, None, None),       # no 2022 task continues (2)
        ("cooperating", T3, "3", "handed", P2, "2", ["生态环境局"]),  # 2022 (2) names 生态环境局 and 城管局 only
        ("cooperating", T4, "4", "dropped", None, None, None),
    ]
    assert {(r["issuer"], r["year"], r["unit"]) for r in rows} == {(ZHONGLOU, "2021", "住建局")}
    assert rows[0]["text"] == "完成老旧小区改造20个。" and rows[0]["nextText"] == "完成老旧小区改造30个。"


def test_q16_follows_renames_and_leaves_report_rows_out(store):
    # 环保局 leads (3) and the December report's unmatched row; 2022 (2) is led by 生态环境局, 环保局's new name
    assert fates(ask(store, "q16", unit="环保局", year=2021)) == [
        ("lead", T3, "3", "renamed", P2, "2", ["生态环境局"])]


def test_q16_nothing_to_say_without_a_later_plan(store):
    assert fates(ask(store, "q16", unit="住建局", year=2022, issuer="钟楼区")) == [
        ("lead", P1, "1", "", None, None, None), ("cooperating", P3, "3", "", None, None, None)]
    assert ask(store, "q16", unit="住建局", year=2021, issuer="武进区") == []
    assert ask(store, "q16", unit="住建局", year=2020) == []


# --- the other queries count a commitment once (report rows restating a plan task are left out) ---------------------


def test_tasks_listed_once(store):
    assert [(r["year"], r["number"]) for r in ask(store, "q01", unit="住建局")] == [
        ("2021", "2"), ("2021", "3"), ("2021", "4"), ("2022", "3")]
    assert [(r["year"], r["number"]) for r in ask(store, "q02", unit="区住建局")] == [("2021", "1"), ("2022", "1")]
    assert [(r["year"], r["number"]) for r in ask(store, "q10", phrase="停车泊位")] == [("2021", "2")]
    assert [(r["year"], r["number"]) for r in ask(store, "q06", goal="城市建设")] == [
        ("2021", "1"), ("2021", "2"), ("2021", "3"), ("2021", "4")]
    targets = ask(store, "q07", metric="老旧小区改造")
    assert [(r["year"], r["value"]) for r in targets] == [("2021", 20.0), ("2022", 30.0)]


def test_tasks_counted_once(store):
    load = {r["unit"]: (r["tasksLed"], r["tasksCooperated"]) for r in ask(store, "q05", issuer="钟楼区", year=2021)}
    # 环保局 leads (3) and the unmatched report row, which stays a task of its report
    assert load == {"住建局": (1, 3), "城管局": (1, 0), "环保局": (2, 0), "教育局": (1, 0), "财政局": (0, 2)}
    pairs = {(r["unitA"], r["unitB"]): r["tasks"] for r in ask(store, "q04", issuer="钟楼区", year=2021)}
    assert pairs[("住建局", "财政局")] == 2  # (1) and (4), not the rows of the reports on (1)
    kept = [(r["status"], r["year"], r["number"]) for r in ask(store, "q08", unit="住建局", year1=2021, year2=2022)
            if r["role"] == "lead"]
    assert kept == [("kept", "2021", "1"), ("kept", "2022", "1")]


def test_q13_observations_under_the_plan_task(store):
    rows = ask(store, "q13", unit="住建局")
    assert [(r["task"], r["role"], r["status"], r["statusPrinted"], r["reportDate"], r["deadline"], r["deadlineDate"])
            for r in rows] == [
        # the plan prints no deadline; the June report row on (1) does
        (T1, "lead", "BehindSchedule", "部分滞后", "2021-06-30", "12月底", "2021-12-31"),
        (T1, "lead", "Done", "已完成", "2021-12-31", None, None),
        (T2, "cooperating", "OnSchedule", "正常推进", "2021-06-30", None, None),
        (T2, "cooperating", "BehindSchedule", "滞后", "2021-12-31", None, None),
    ]


def test_network_queries_leave_report_rows_out(store):
    lex = load_lexicon()
    folder = resource_dir("queries") / "network"
    participations = as_dicts(store.run(bind(parse_query(folder / "participations.rq"), {}, lex)))
    assert {r["task"] for r in participations} == {T1, T2, T3, T4, P1, P2, P3, UNMATCHED}
    goal_tasks = as_dicts(store.run(bind(parse_query(folder / "goal-tasks.rq"), {"goal": "城市建设"}, lex)))
    assert [r["task"] for r in goal_tasks] == [T1, T2, T3, T4]


# --- how the queries are evaluated --------------------------------------------------------------------------------


def test_new_queries_bind_their_driver_first():
    lex = load_lexicon()
    q14 = bind(find_query("q14"), {}, lex)
    body = q14[q14.index("WHERE"):]
    assert body.index("?behind gw:progressStatus gw:BehindSchedule") < body.index("?task gw:statement")
    q15 = bind(find_query("q15"), {"task": T1}, lex)
    # the task is bound in each branch of the UNION, which a store evaluates on its own
    assert q15.count("VALUES (?p_task) {") == 3
    q16 = bind(find_query("q16"), {"unit": "住建局", "year": "2021"}, lex)
    body = q16[q16.index("WHERE"):]
    assert body.index("?p_unit") < body.index("gw:agent ?unitNode") < body.index("?task gw:assignment ?assignment")


def _reads(plan: dict, found: dict[str, int]) -> dict[str, int]:
    """Solutions read by each quad pattern of an Oxigraph explanation (summed over its evaluations)."""
    name = plan["name"]
    if name.startswith("QuadPattern("):
        found[name] = found.get(name, 0) + plan.get("number of results", 0)
    for child in plan.get("children", []):
        _reads(child, found)
    return found


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory) -> Path:
    return write_store(tmp_path_factory.mktemp("fixture-store") / "store")


@pytest.mark.parametrize(("name", "params", "most"), [
    ("q14", {}, 5),                           # the tasks holding the 3 behind observations (2 plan tasks, 3 rows)
    ("q15", {"task": T1}, 4),                 # the 2 tasks of the chain, once per branch
    ("q16", {"unit": "环保局", "year": "2021"}, 2),  # 环保局's 2 tasks
])
def test_new_queries_never_read_every_task(disk_store, tmp_path, name, params, most):
    text = bind(find_query(name), params, load_lexicon())
    (tmp_path / "q.rq").write_text(text, encoding="utf-8")
    subprocess.run([oxigraph_binary(), "query", "--location", str(disk_store), "--query-file", str(tmp_path / "q.rq"),
                    "--union-default-graph", "--results-format", "csv", "--results-file", str(tmp_path / "out.csv"),
                    "--explain-file", str(tmp_path / "plan.json"), "--stats"], check=True, capture_output=True)
    reads = _reads(json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))["plan"], {})
    statements = [count for pattern, count in reads.items() if "ontology#statement>" in pattern]
    assert statements and max(statements) <= most < 12  # the fixture holds 12 tasks


# --- the real tracking data set (two progress reports on the 2021 plan of 钟楼区 and its 2022 plan) ------------------


def test_q14_on_the_tracking_data(tracking):
    out, _ = tracking
    rows = query("q14", store=out, issuer="钟楼区")
    assert sorted((r["unit"], r["number"]) for r in rows) == sorted(map(tuple, expected()["q14"]["rows"]))
    assert {r["year"] for r in rows} == {"2021"}


def test_q16_on_the_tracking_data(tracking):
    out, _ = tracking
    gold = expected()["q16"]
    rows = query("q16", store=out, unit=gold["unit"], year=gold["year"], issuer="钟楼区")
    assert sorted({r["number"] for r in rows}, key=int) == gold["tasks"]
    by_fate: dict[str, list] = {}
    for row in rows:
        by_fate.setdefault(row["fate"], []).append(row)
    assert sorted(r["number"] for r in by_fate.get("kept", [])) == gold["kept"]
    assert sorted(r["number"] for r in by_fate.get("dropped", [])) == gold["dropped"]
    assert sorted(r["number"] for r in by_fate.get("renamed", [])) == gold["renamed"]
    assert [[r["number"], "、".join(r["nextLeadUnits"])] for r in by_fate.get("handed", [])] == gold["handed"]


def test_q16_renamed_unit_on_the_tracking_data(tracking):
    # expected.toml [[continuity]]: 城管局 (renamed 综合行政执法局 in the test's lexicon) — 53 → (8), 55 → (9);
    # 54 and 56 are not continued
    out, _ = tracking
    rows = query("q16", store=out, unit="城管局", year=2021, issuer="钟楼区")
    assert {(r["number"], r["fate"], r["nextNumber"]) for r in rows if r["role"] == "lead"} == {
        ("53", "renamed", "8"), ("54", "dropped", None), ("55", "renamed", "9"), ("56", "dropped", None)}
