"""Colouring the network by schedule: each unit by the share of its tasks behind schedule, every task counted by its
latest progress observation; units with no observed task in a neutral colour. Over the hand-written dataset
tests/web/tracking_fixture.trig: 住建局 is on 2021 (1) (latest: behind), (2) (latest: done) and (3), 2022 (1), (2)
(no observation) — 1 of its 2 observed tasks behind; 财政局 on 2021 (1) (behind), the September report's row (3)
matched to no plan task (done) and 2022 (1) — 1 of 2; 教育局 none observed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph
import pytest

from govkg.network import Filters, NetworkError, analyse, build_network, collaboration_page, fetch, render_page
from govkg.network.cli import main
from govkg.network.page import BEHIND_COLOURS, UNOBSERVED, behind_colour
from govkg.query import EmbeddedStore

FIXTURE = Path(__file__).resolve().parents[1] / "web" / "tracking_fixture.trig"
ID = "https://w3id.org/govkg/id/plan/320404/"
GREEN, YELLOW, ORANGE, RED = (colour for _, colour, _ in BEHIND_COLOURS)
GREY = UNOBSERVED[0]


class FixtureStore(EmbeddedStore):
    """The fixture in an in-memory Oxigraph store."""

    def __init__(self) -> None:
        self.location = Path(":memory:")
        self.store = pyoxigraph.Store()
        self.store.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)


@pytest.fixture(scope="module")
def store() -> FixtureStore:
    return FixtureStore()


def page_data(page: str) -> dict:
    match = re.search(r"const DATA = (\{.*?\});\n", page)
    assert match, "no DATA in the page"
    return json.loads(match.group(1))


def nodes_by_label(page: str) -> dict[str, dict]:
    return {node["label"]: node for node in page_data(page)["nodes"]}


def test_latest_status_of_each_task(store):
    data = fetch(store, Filters())
    # the report rows restating the plan's tasks are not tasks of the network; the plan's tasks carry the
    # observations of both reports, the later one counting
    row = ID + "2021-report-2021-09-30/main/3"  # a report row linked to no plan task stays a task
    assert list(data.tasks) == [row, ID + "2021/main/1", ID + "2021/main/2", ID + "2021/main/3",
                                ID + "2022/main/1", ID + "2022/main/2"]
    assert data.progress == {row: "Done", ID + "2021/main/1": "BehindSchedule", ID + "2021/main/2": "Done"}


def test_units_coloured_by_share_behind(store):
    network = build_network(fetch(store, Filters()), "coparticipation")
    page = render_page(network, analyse(network), "behind")
    data = page_data(page)
    assert data["colour"] == "behind"
    nodes = nodes_by_label(page)
    assert {label: (node["behind"], node["behindColour"]) for label, node in nodes.items()} == {
        "住建局": ([1, 2], ORANGE),  # 1 of 2 observed: 1/2, in (1/3, 2/3]
        "财政局": ([1, 2], ORANGE),
        "教育局": ([0, 0], GREY),  # no observed task: neutral
    }
    assert ["进度（各任务最新通报）", "滞后 1 / 有通报 2（共 5 项任务）"] in nodes["住建局"]["facts"]
    assert ["进度（各任务最新通报）", "滞后 1 / 有通报 2（共 3 项任务）"] in nodes["财政局"]["facts"]
    assert ["进度（各任务最新通报）", "无进展通报"] in nodes["教育局"]["facts"]
    legend = data["legend"]["behind"]
    assert [entry[2] for entry in legend] == [0, 0, 2, 0, 1]
    assert legend[-1][:2] == [GREY, "无进展通报（没有任务被通报过进展）"]  # the legend says what grey means
    assert "有进展通报的任务 3 项，按最新通报滞后 1 项" in page
    assert '<option value="behind">' in page and "http://" not in page.split("<script>")[0]


def test_default_colouring_is_unchanged(store):
    network = build_network(fetch(store, Filters()), "coparticipation")
    page = render_page(network, analyse(network))
    data = page_data(page)
    assert data["colour"] == "type"
    assert {node["color"] for node in data["nodes"]} == {"#4c6ef5"}  # three bureaus, by type
    with pytest.raises(NetworkError, match="--colour must be one of"):
        render_page(network, analyse(network), "red")


def test_a_year_without_observations_is_all_neutral(store):
    page = collaboration_page(store, year=2022, colour="behind")
    nodes = nodes_by_label(page)
    assert {node["behindColour"] for node in nodes.values()} == {GREY}
    assert all(fact[0] != "进度（各任务最新通报）" for node in nodes.values() for fact in node["facts"])
    assert "有进展通报的任务" not in page


@pytest.mark.parametrize(("behind", "observed", "colour"), [
    (0, 0, GREY), (0, 3, GREEN), (1, 3, YELLOW), (1, 2, ORANGE), (2, 3, ORANGE), (3, 4, RED), (3, 3, RED)])
def test_colour_bins(behind, observed, colour):
    assert behind_colour(behind, observed) == colour


def test_sample_pages_have_no_observations(sample_page_network):
    network, analysis = sample_page_network
    assert network.progress == {}
    data = page_data(render_page(network, analysis, "behind"))
    assert {node["behindColour"] for node in data["nodes"]} == {GREY}


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tracking-network")
    disk = pyoxigraph.Store(str(folder / "store"))
    disk.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    disk.flush()
    del disk
    return folder


def test_cli_colour_option(capsys, disk_store, tmp_path):
    path = tmp_path / "behind.html"
    assert main(["html", "--store", str(disk_store), "--colour", "behind", "--out", str(path)]) == 0
    written = path.read_text(encoding="utf-8")
    assert nodes_by_label(written)["住建局"]["behindColour"] == ORANGE and page_data(written)["colour"] == "behind"
    assert main(["html", "--store", str(disk_store), "--out", str(tmp_path / "type.html")]) == 0
    assert page_data((tmp_path / "type.html").read_text(encoding="utf-8"))["colour"] == "type"
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        main(["html", "--store", str(disk_store), "--colour", "red", "--out", str(tmp_path / "x.html")])
    assert stop.value.code == 2 and "invalid choice" in capsys.readouterr().err


@pytest.mark.browser
def test_behind_colouring_in_the_browser(offline_page, store, tmp_path):
    network = build_network(fetch(store, Filters()), "coparticipation")
    path = tmp_path / "behind.html"
    path.write_text(render_page(network, analyse(network), "behind"), encoding="utf-8")
    page = offline_page.page
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.govkgReady === true", timeout=15_000)
    colours = page.evaluate("Object.fromEntries(window.govkg.nodes.get().map(n => [n.label, n.color]))")
    assert colours == {"住建局": ORANGE, "财政局": ORANGE, "教育局": GREY}
    assert page.eval_on_selector("#colour", "select => select.value") == "behind"
    assert "无进展通报" in page.inner_text("#legend")
    page.select_option("#colour", "type")
    assert set(page.evaluate("window.govkg.nodes.get().map(n => n.color)")) == {"#4c6ef5"}
    assert offline_page.errors == [] and offline_page.refused == []
