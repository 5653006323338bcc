"""`govkg track` and govkg.track.track: a unit's (or an issuer's) tasks with their latest status and their fate in
the next plan, on the hand-written fixture (tests/tracking/fixture.trig; expected rows read off it by hand) and on
the real tracking data set (tests/tracking/data/expected.toml)."""

from __future__ import annotations

import csv
import io

import pytest
from fixture_store import DECEMBER, PLAN21, PLAN22, ZHONGLOU, FixtureStore, expected, write_store
from openpyxl import load_workbook

from govkg.cli import main
from govkg.query import QueryError, open_backend
from govkg.track import ISSUER_COLUMNS, UNIT_COLUMNS, track

T1, T2, T3, T4 = (f"{PLAN21}/main/{n}" for n in (1, 2, 3, 4))
P1, P2, P3 = (f"{PLAN22}/main/{n}" for n in (1, 2, 3))

#: 住建局's tasks: (year, number, role, status, status printed, report date, fate, successor, task)
ZHUJIANJU_2021 = [
    ("2021", "1", "lead", "Done", "已完成", "2021-12-31", "kept", "1", T1),
    ("2021", "2", "cooperating", "BehindSchedule", "滞后", "2021-12-31", "dropped", "", T2),
    ("2021", "3", "cooperating", "", "", "", "handed to 生态环境局", "2", T3),
    ("2021", "4", "cooperating", "", "", "", "dropped", "", T4),
]
ZHUJIANJU_2022 = [
    ("2022", "1", "lead", "", "", "", "", "", P1),  # no 2023 plan in the data: nothing to say
    ("2022", "3", "cooperating", "", "", "", "", "", P3),
]


@pytest.fixture(scope="module")
def store() -> FixtureStore:
    return FixtureStore()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    return write_store(tmp_path_factory.mktemp("track") / "store")


def flat(tracking):
    return [(r.year, r.number, r.role, r.status, r.status_printed, r.report_date, r.fate, r.successor, r.task)
            for r in tracking.rows]


def test_a_units_tasks(store):
    tracking = track(store, unit="区住建局")  # any spelling
    assert tracking.by_unit and tracking.columns == UNIT_COLUMNS and tracking.units == ["住建局"]
    assert flat(tracking) == ZHUJIANJU_2021 + ZHUJIANJU_2022
    assert {r.issuer for r in tracking.rows} == {ZHONGLOU}
    assert tracking.rows[0].statement == "完成老旧小区改造20个。"
    assert flat(track(store, unit="住建局", issuer="钟楼区", year=2021)) == ZHUJIANJU_2021


def test_renamed_unit(store):
    assert flat(track(store, unit="环保局", year=2021)) == [
        ("2021", "3", "lead", "", "", "", "renamed", "2", T3),
        # the December report's row matched to no plan task: its own status; no plan continues a report row
        ("2021", "3", "lead", "BehindSchedule", "部分滞后", "2021-12-31", "", "", f"{DECEMBER}/main/3"),
    ]


def test_an_issuers_followed_tasks(store):
    tracking = track(store, issuer="钟楼区")
    assert not tracking.by_unit and tracking.columns == ISSUER_COLUMNS
    # (4) has neither a report nor a link to 2022; 2022 (3) is new and not reported on
    assert flat(tracking) == [
        ("2021", "1", "住建局", "Done", "已完成", "2021-12-31", "kept", "1", T1),
        ("2021", "2", "城管局", "BehindSchedule", "滞后", "2021-12-31", "dropped", "", T2),
        ("2021", "3", "环保局", "", "", "", "renamed", "2", T3),
        ("2021", "3", "环保局", "BehindSchedule", "部分滞后", "2021-12-31", "", "", f"{DECEMBER}/main/3"),
        ("2022", "1", "住建局", "", "", "", "", "", P1),
        ("2022", "2", "生态环境局", "", "", "", "", "", P2),
    ]
    assert [r.number for r in track(store, issuer="常州市钟楼区", year=2022).rows] == ["1", "2"]


def test_each_query_of_many_is_a_step_and_the_chunks_give_the_same_rows(store, monkeypatch):
    import govkg.track
    monkeypatch.setattr(govkg.track, "CHUNK", 3)  # 住建局's six tasks (2021 and 2022) in two queries of details
    said: list[str] = []
    tracking = track(store, unit="区住建局", progress=said.append)
    assert flat(tracking) == ZHUJIANJU_2021 + ZHUJIANJU_2022
    assert said == ["[1/1] tasks of unit nodes: 1 of 1",
                    "[1/2] details of tasks: 3 of 6", "[2/2] details of tasks: 6 of 6"]


def test_queries_asked_side_by_side_give_the_rows_and_steps_in_order(store, monkeypatch):
    import threading
    import time

    import govkg.track
    monkeypatch.setattr(govkg.track, "CHUNK", 1)  # 住建局's six tasks in six queries of details
    run, threads = store.run, set()

    def slow(text: str):
        threads.add(threading.get_ident())
        time.sleep(0.01)  # busy while the next queries are handed out: they go to other threads
        return run(text)

    monkeypatch.setattr(store, "run", slow)
    said: list[str] = []
    tracking = track(store, unit="区住建局", progress=said.append, jobs=3)
    assert flat(tracking) == ZHUJIANJU_2021 + ZHUJIANJU_2022
    assert said[1:] == [f"[{n}/6] details of tasks: {n} of 6" for n in range(1, 7)]
    assert len(threads) > 1, "the chunks were asked from several threads"


def test_unknown_names(store):
    with pytest.raises(QueryError, match="unknown unit '规划局'"):
        track(store, unit="规划局")
    with pytest.raises(QueryError, match="unknown unit '住建局' of 武进区"):
        track(store, unit="住建局", issuer="武进区")
    with pytest.raises(QueryError, match="unknown issuer '武进区'"):
        track(store, issuer="武进区")
    with pytest.raises(QueryError, match="needs --unit or --issuer"):
        track(store)
    assert track(store, unit="住建局", year=2020).rows == []  # a known unit without tasks that year


# --- the command ---------------------------------------------------------------------------------------------------


def test_csv_with_and_without_bom(store_dir, tmp_path, capsys):
    out = tmp_path / "track.csv"
    assert main(["track", "--unit", "住建局", "--year", "2021", "--store", str(store_dir), "--format", "csv",
                 "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(UNIT_COLUMNS)
    assert [(r[2], r[4], r[5], r[8], r[9]) for r in rows[1:]] == [
        ("1", "lead", "Done", "kept", "1"), ("2", "cooperating", "BehindSchedule", "dropped", ""),
        ("3", "cooperating", "", "handed to 生态环境局", "2"), ("4", "cooperating", "", "dropped", "")]
    assert "4 tasks written to" in capsys.readouterr().err
    assert main(["track", "--issuer", "钟楼区", "--store", str(store_dir), "--format", "csv", "--no-bom"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("issuer,year,number,statement,leadUnits,")
    assert len(text.splitlines()) == 7


def test_xlsx(store_dir, tmp_path):
    out = tmp_path / "住建局.xlsx"
    assert main(["track", "--unit", "住建局", "--store", str(store_dir), "--format", "xlsx", "-o", str(out)]) == 0
    sheet = load_workbook(out).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == list(UNIT_COLUMNS)
    assert values[1][:5] == [ZHONGLOU, 2021, "1", "完成老旧小区改造20个。", "lead"]
    assert values[3][8] == "handed to 生态环境局" and len(values) == 7


def test_table(store_dir, capsys):
    assert main(["track", "--unit", "环保局", "--store", str(store_dir)]) == 0
    out = capsys.readouterr().out
    assert "renamed" in out and "id:plan/320404/2021/main/3" in out and out.endswith("(2 rows)\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--unit", "规划局"], "unknown unit '规划局'"),
    (["--issuer", "武进区"], "unknown issuer '武进区'"),
    ([], "needs --unit or --issuer"),
    (["--unit", "住建局", "--format", "xlsx"], "-o FILE"),
])
def test_errors_are_one_line_and_exit_2(store_dir, capsys, args, message):
    assert main(["track", "--store", str(store_dir), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit):
        main(["track", "--help"])
    assert "govkg track --unit 住建局 --issuer 钟楼区 --year 2021" in capsys.readouterr().out


# --- the real tracking data set -----------------------------------------------------------------------------------

STATUS = {"on_schedule": "OnSchedule", "behind": "BehindSchedule", "done": "Done", "not_started": "NotStarted"}


def test_latest_status_and_fate_on_the_tracking_data(tracking):
    out, _ = tracking
    gold = expected()
    rows = {r.number: r for r in track(open_backend(out), issuer="钟楼区", year=2021).rows
            if r.task.startswith(PLAN21 + "/")}
    assert {number: row.status for number, row in rows.items() if row.status} == {
        number: STATUS[status] for number, status in gold["latest"].items()}
    continued = {c["continues"]: c for c in gold["continuity"] if c["continues"]}
    for number, row in rows.items():
        if number in continued:
            change = continued[number]["lead_changed"]
            handed = f"handed to {'、'.join(continued[number].get('lead_2022', []))}"
            want = {"": "kept", "renamed": "renamed"}.get(change) or handed
            assert (row.fate, row.successor) == (want, continued[number]["task"]), number
        else:
            assert (row.fate, row.successor) == ("dropped", ""), number


def test_a_unit_on_the_tracking_data(tracking):
    out, _ = tracking
    rows = {r.number: r for r in track(open_backend(out), unit="住建局", issuer="钟楼区", year=2021).rows}
    # expected.toml: (46) 滞后 in June, 已完成 in September, continued by 2022 (7); (74) 滞后 in June only
    assert (rows["46"].status, rows["46"].report_date, rows["46"].fate, rows["46"].successor) == (
        "Done", "2021-09-30", "kept", "7")
    assert (rows["74"].status, rows["74"].status_printed, rows["74"].fate) == ("BehindSchedule", "滞后", "dropped")
