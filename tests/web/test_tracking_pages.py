"""Following commitments on the HTML pages: a unit's latest status, a task's timeline (predecessors, observations,
successors), what a report row reports on and the matches left to review, over the hand-written dataset
tests/web/tracking_fixture.trig (the expected values below are read off that file by hand)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph
import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Dataset as RdfDataset

from govkg import __version__
from govkg.query import EmbeddedStore
from govkg.web.pages import describe
from govkg.web.site import Dataset
from local_servers import described_graph_sizes

ID = "https://w3id.org/govkg/id/"
FIXTURE = Path(__file__).with_name("tracking_fixture.trig")
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "govkg" / "web" / "templates"
PLAN21, PLAN22 = "plan/320404/2021", "plan/320404/2022"
JUNE, SEPTEMBER = "plan/320404/2021-report-2021-06-30", "plan/320404/2021-report-2021-09-30"


class FixtureStore(EmbeddedStore):
    """The fixture in an in-memory Oxigraph store, queried as the server queries its store (union default graph);
    `replace` changes texts of the fixture first."""

    def __init__(self, replace: dict[str, str] | None = None) -> None:
        self.location = Path(":memory:")
        self.store = pyoxigraph.Store()
        text = FIXTURE.read_text(encoding="utf-8")
        for old, new in (replace or {}).items():
            text = text.replace(old, new)
        self.store.load(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG)


@pytest.fixture(scope="module")
def store() -> FixtureStore:
    return FixtureStore()


def render(store: EmbeddedStore, tail: str) -> tuple[dict, str]:
    """What the server's page for ID+tail holds, and its HTML."""

    async def select(query: str) -> list[dict]:
        return [{name: value.to_json() for name, value in row.items()} for row in store.run(query).rows]

    data = Dataset(Path("."), ID)
    with ThreadPoolExecutor(max_workers=1) as pool:  # a browser test may leave an event loop in this thread
        page = pool.submit(asyncio.run, describe(ID + tail, select, data)).result()
    assert page is not None, tail
    templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    return page, templates.get_template("resource.html").render(version=__version__, data=data, page=page)


def section(html: str, css_class: str) -> str:
    """The HTML of one <section class=…> of a page ("" when absent)."""
    start = html.find(f'<section class="{css_class}">')
    return html[start:html.index("</section>", start)] if start >= 0 else ""


def ref(item: dict) -> tuple[str, str, str | None]:
    """(year, number, link) of a task entry."""
    return item["year"], item["number"], item["task"].href


# --- the unit page: latest status -------------------------------------------------------------------------------

def test_unit_shows_the_latest_status_of_its_observed_tasks(store):
    page, html = render(store, "gov/320404/unit/住建局")
    latest = page["latest"]
    rows = [(t["year"], t["number"], t["role"], t["status"].text, t["printed"], t["date"], t["report"].href,
             t["task"].href) for t in latest["tasks"]]
    # (1): 正常推进 on 06-30, then 部分滞后 on 09-30, the later shown; (2): 未开工, then 已完成; (3) has no observation
    assert rows == [
        ("2021", "1", "牵头 lead", "滞后", "部分滞后", "2021-09-30", f"/id/{SEPTEMBER}", f"/id/{PLAN21}/main/1"),
        ("2021", "2", "牵头 lead", "已完成", "已完成", "2021-09-30", f"/id/{SEPTEMBER}", f"/id/{PLAN21}/main/2"),
    ]
    assert latest["tasks"][0]["status"].href == "/ontology#BehindSchedule"
    assert latest["summary"] == [("滞后", 1), ("已完成", 1)]
    shown = section(html, "latest")
    assert "进展 / Latest status" in shown and "滞后 1 · 已完成 1" in shown
    assert f'href="/id/{PLAN21}/main/1"' in shown and f'href="/id/{SEPTEMBER}"' in shown
    assert "正常推进" not in shown and "未开工" not in shown and JUNE not in shown  # the earlier observations
    # the report rows restating the plan's tasks are not listed again among the unit's tasks: 2021 (1)–(3),
    # 2022 (1) and (2)
    assert [(t["year"], t["number"]) for t in page["tasks"]] == [
        ("2021", "1"), ("2021", "2"), ("2021", "3"), ("2022", "1"), ("2022", "2")]
    assert "任务 Tasks (5)" in html


def test_cooperating_unit_and_report_row_of_no_plan_task(store):
    page, html = render(store, "gov/320404/unit/财政局")
    rows = [(t["year"], t["number"], t["role"], t["status"].text, t["date"], t["in_report"], t["task"].href)
            for t in page["latest"]["tasks"]]
    assert rows == [("2021", "1", "配合 cooperating", "滞后", "2021-09-30", False, f"/id/{PLAN21}/main/1"),
                    ("2021", "3", "牵头 lead", "已完成", "2021-09-30", True, f"/id/{SEPTEMBER}/main/3")]
    assert "报告行 report row" in section(html, "latest")


def test_unit_without_observations(store):
    page, html = render(store, "gov/320404/unit/教育局")  # leads 2021 (3) and 2022 (2): nothing observed
    assert page["latest"] is None and "Latest status" not in html


# --- the task page: timeline ----------------------------------------------------------------------------------

def test_plan_task_timeline_observations_then_successor(store):
    page, html = render(store, f"{PLAN21}/main/1")
    timeline = page["timeline"]
    assert timeline["before"] == [] and timeline["reports_on"] == [] and timeline["pending"] == []
    this = timeline["this"]
    assert ref(this) == ("2021", "1", f"/id/{PLAN21}/main/1") and this["link"] is None and not this["in_report"]
    assert this["targets"] == ["新建公共停车泊位2000个"]
    observed = [(p["date"], p["status"].iri.rsplit("#")[-1], p["printed"], p["text"], p["report"].href)
                for p in page["progress"]]
    assert observed == [
        ("2021-06-30", "OnSchedule", "正常推进", "已建成停车泊位800个。", f"/id/{JUNE}"),
        ("2021-09-30", "BehindSchedule", "部分滞后", "已建成停车泊位1100个，进度滞后。", f"/id/{SEPTEMBER}"),
    ]
    (after,) = timeline["after"]
    assert ref(after) == ("2022", "1", f"/id/{PLAN22}/main/1")
    assert after["text"] == "新建公共停车泊位1500个。" and after["targets"] == ["新建公共停车泊位1500个"]
    assert after["link"]["task"].href == f"/id/{PLAN21}/main/1"
    assert (after["link"]["score"], after["link"]["method"]) == ("0.874", "按文本 statement")
    shown = section(html, "timeline")
    assert "时间线 Timeline" in shown and "进展情况 Progress" in shown
    # in order: this task, its observations by report date, then the task continuing it
    marks = ["本任务 this task", "2021-06-30", "2021-09-30", f'href="/id/{PLAN22}/main/1"']
    assert [shown.index(mark) for mark in marks] == sorted(shown.index(mark) for mark in marks)
    assert f'href="/id/{JUNE}"' in shown and f'href="/id/{SEPTEMBER}"' in shown
    assert "得分 score 0.874" in shown and "待核对" not in shown and "reports on" not in shown


def test_later_task_timeline_shows_its_predecessor_and_the_match(store):
    page, html = render(store, f"{PLAN22}/main/1")
    timeline = page["timeline"]
    (before,) = timeline["before"]
    assert ref(before) == ("2021", "1", f"/id/{PLAN21}/main/1")
    assert before["text"] == "新建公共停车泊位2000个。" and before["targets"] == ["新建公共停车泊位2000个"]
    assert timeline["after"] == [] and page["progress"] == []
    link = timeline["this"]["link"]
    assert (link["year"], link["number"], link["score"], link["method"]) == ("2021", "1", "0.874", "按文本 statement")
    shown = section(html, "timeline")
    assert shown.index(f'href="/id/{PLAN21}/main/1"') < shown.index("本任务 this task")
    assert "接续 continues" in shown and "按文本 statement，得分 score 0.874" in shown


def test_report_row_links_the_plan_task_it_reports_on(store):
    page, html = render(store, f"{SEPTEMBER}/main/1")
    (planned,) = page["timeline"]["reports_on"]
    assert ref(planned) == ("2021", "1", f"/id/{PLAN21}/main/1")
    assert (planned["score"], planned["method"]) == ("0.962", "按序号 number")
    assert [p["date"] for p in page["progress"]] == ["2021-09-30"]  # the row's own observation
    assert page["timeline"]["this"]["in_report"]
    shown = section(html, "timeline")
    assert "报告所述任务 / reports on" in shown and f'href="/id/{PLAN21}/main/1"' in shown
    assert "报告行 report row" in shown
    assert "按序号 number，得分 score 0.962" in shown


def test_ambiguous_match_is_listed_to_review(store):
    page, html = render(store, f"{PLAN22}/main/2")
    (pending,) = page["timeline"]["pending"]
    assert (pending["kind"], pending["score"], pending["method"]) == ("接续 continues", "0.610", "按文本 statement")
    assert pending["match"].href == f"/id/{PLAN22}/main/2/match"
    assert [(ref(c), c["text"]) for c in pending["candidates"]] == [
        (("2021", "2", f"/id/{PLAN21}/main/2"), "完成老旧小区改造10个。"),
        (("2021", "3", f"/id/{PLAN21}/main/3"), "新建幼儿园3所。"),
    ]
    assert page["timeline"]["before"] == [] and page["timeline"]["this"]["link"] is None  # never forced
    shown = section(html, "timeline")
    assert "待核对 / to review" in shown
    assert f'href="/id/{PLAN21}/main/2"' in shown and f'href="/id/{PLAN21}/main/3"' in shown


def test_task_without_links_or_observations_has_no_timeline(store):
    page, html = render(store, f"{PLAN21}/main/3")
    assert page["timeline"] is None and "时间线" not in html


def test_texts_are_escaped():
    hostile = FixtureStore({'"部分滞后"': '"<script>alert(1)</script>"',
                            '"新建幼儿园3所。"': '"<b onmouseover=x>幼儿园</b>"'})
    _, html = render(hostile, "gov/320404/unit/住建局")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in section(html, "latest")
    _, html = render(hostile, f"{PLAN22}/main/2")
    assert "<b onmouseover" not in html and "&lt;b onmouseover=x&gt;幼儿园" in section(html, "timeline")


def test_served_pages_and_network_coloured_by_schedule(tracking_server):
    unit = httpx.get(tracking_server + "/id/" + quote("gov/320404/unit/住建局")).text
    assert "进展 / Latest status" in unit and "部分滞后" in unit
    task = httpx.get(tracking_server + f"/id/{PLAN21}/main/1").text
    assert "时间线 Timeline" in task and f'href="/id/{PLAN22}/main/1"' in task
    assert 'href="http' not in section(task, "timeline") and "src=" not in section(task, "timeline")  # links stay here
    default = httpx.get(tracking_server + "/graph").text
    assert '"colour":"type"' in default
    behind = httpx.get(tracking_server + "/graph", params={"colour": "behind", "issuer": "", "year": ""})  # all plans
    assert behind.status_code == 200 and '"colour":"behind"' in behind.text
    assert '"behindColour":"#f76707"' in behind.text  # 住建局: 1 of its 2 observed tasks behind
    assert "http://" not in behind.text and "https://" not in behind.text
    assert httpx.get(tracking_server + "/graph", params={"colour": "red"}).status_code == 400


def test_a_store_without_a_manifest_has_its_graphs_counted_in_the_store(tracking_server):
    """No build manifest tells this store's graph sizes: the server counts them (the file parsed by rdflib here)."""
    written = RdfDataset()
    written.parse(Path(__file__).with_name("tracking_fixture.trig"), format="trig")
    sizes = {str(g.identifier): len(g) for g in written.graphs() if len(g)}  # rdflib's empty default graph left out
    assert described_graph_sizes(tracking_server) == sizes and len(sizes) >= 2
