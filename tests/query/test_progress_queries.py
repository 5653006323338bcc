"""Q13 (progress of a unit's tasks) and Q12's places in an original, on an in-memory store holding sample 000 made
into an .xlsx progress report (tests/progress_report.py)."""

from __future__ import annotations

import pytest

from govkg.lexicon import load_lexicon
from govkg.query import as_dicts, bind, find_query, run_named
from progress_report import MemoryStore, progress_report, sample_000

ID = "https://w3id.org/govkg/id/"
ZHONGLOU = "常州市钟楼区"


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    return MemoryStore(progress_report(sample_000()))


def ask(store: MemoryStore, name: str, **params) -> list[dict]:
    named, results = run_named(name, store, params)
    return as_dicts(results, named.lists)


def test_q13_progress_of_the_tasks_zhujianju_leads(store):
    rows = ask(store, "q13", unit="区住建局")  # any spelling
    assert [(r["issuer"], r["year"], r["number"], r["role"], r["unit"]) for r in rows] == [
        (ZHONGLOU, "2021", "27", "lead", "住建局"), (ZHONGLOU, "2021", "41", "lead", "住建局")]
    first, second = rows
    assert (first["status"], first["statusPrinted"], first["progress"]) == (
        "BehindSchedule", "部分滞后", "完成年度目标的60%。")
    assert (first["reportDate"], first["deadline"], first["deadlineDate"]) == ("2021-07-15", "12月底", "2021-12-31")
    assert first["task"] == ID + "plan/320404/2021/main/27" and first["text"].startswith("抓紧对上衔接")
    assert (second["status"], second["statusPrinted"], second["progress"]) == ("Done", "办结", None)
    assert (second["deadline"], second["deadlineDate"]) == ("长期坚持", None)


def test_q13_roles_statuses_and_filters(store):
    rows = ask(store, "q13", unit="发改局", year=2021, issuer="钟楼区")
    assert [(r["number"], r["role"], r["status"], r["statusPrinted"]) for r in rows] == [
        ("27", "lead", "BehindSchedule", "部分滞后"), ("28", "cooperating", "Done", None),
        ("42", "lead", "StatusUnknown", "较好")]
    assert ask(store, "q13", unit="发改局", year=2022) == []
    assert ask(store, "q13", unit="发改局", issuer="武进区") == []
    # 商务局 leads (25) too, but no progress is reported for it
    assert [r["number"] for r in ask(store, "q13", unit="商务局")] == ["26", "27", "28", "42"]


def test_q13_drives_from_the_unit():
    text = bind(find_query("q13"), {"unit": "住建局"}, load_lexicon())
    body = text[text.index("WHERE"):]
    # the unit's spellings are bound first, then its assignments, then their tasks
    assert body.index("?p_unit") < body.index("gw:agent ?unitNode") < body.index("?task gw:assignment ?assignment")
    assert "UNION" not in body  # no branch evaluated on its own, away from the bound unit


def test_q12_gives_the_places_of_an_original(store):
    rows = ask(store, "q12", task=ID + "plan/320404/2021/main/27")
    assert {row["location"] for row in rows} == {"工作表“附件1” 表1 第28行"}
    fields = {(row["field"], row["printed"]): (row["fieldLocation"], row["inherited"], row["merged"]) for row in rows}
    assert fields[("LeadRole", "住建局")] == ("工作表“附件1” 表1 第28行 第4列", False, False)
    assert fields[("LeaderRole", "韩雪琴")] == ("工作表“附件1” 表1 第28行 第3列", False, False)


def test_q12_marks_values_of_merged_cells(store):
    rows = ask(store, "q12", task=ID + "plan/320404/2021/main/26")
    coop = [row for row in rows if row["field"] == "CooperatingRole"]
    assert len(coop) == 3
    assert {(row["fieldLocation"], row["inherited"], row["merged"]) for row in coop} == {
        ("工作表“附件1” 表1 第26行 第5列", False, True)}
