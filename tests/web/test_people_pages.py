"""Pages for people: a task with its printed lines, a unit with its issuer and years, a plan redrawn, browsing."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import escape

from govkg import __version__
from govkg.web.pages import describe
from govkg.web.people import people_page
from govkg.web.site import Dataset
from local_servers import run_coroutine
from progress_report import MemoryStore, progress_report, sample_000
from sample_docs import sample_path

ID = "https://w3id.org/govkg/id/"
PREFIXES = """PREFIX gw: <https://w3id.org/govkg/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
SOURCE_ROW = re.compile(r'<tr class="(own|context)"><th class="n">(\d+)</th><td class="text">(.*?)</td></tr>')


def select(origin: str, query: str) -> list[dict[str, str]]:
    answer = httpx.post(f"{origin}/sparql", data={"query": PREFIXES + query},
                        headers={"Accept": "application/sparql-results+json"})
    answer.raise_for_status()
    return [{k: v["value"] for k, v in row.items()} for row in answer.json()["results"]["bindings"]]


def page(origin: str, iri: str) -> str:
    answer = httpx.get(origin + "/id/" + quote(iri[len(ID):], safe="/%"), headers={"Accept": "text/html"})
    assert answer.status_code == 200
    return answer.text


def test_task_page_opens_with_the_statement_then_its_printed_lines(server):
    iri = ID + "plan/320404/2022/main/3"
    (fact,) = select(server, f"SELECT ?s WHERE {{ <{iri}> gw:statement ?s }}")
    html = page(server, iri)
    heading = html.index('<h1 class="statement">')
    assert html[heading:].startswith(f'<h1 class="statement">{escape(fact["s"])}</h1>')  # whole, never truncated
    assert '<dd class="issuer"><a href="/id/gov/320404"' in html and '<dd class="year">2022</dd>' in html
    assert '<dd class="number">3</dd>' in html and "四大功能区建设" in html  # the goal path
    lead = re.search(r'<tr class="lead">.*?</tr>', html, re.S).group()
    assert 'href="/id/gov/320404/unit/高新区（邹区镇）"' in lead
    coop = re.search(r'<tr class="coop">.*?</tr>', html, re.S).group()
    assert 'href="/id/gov/320404/unit/住建局"' in coop and 'href="/id/gov/320404/unit/组织部"' in coop
    printed = sample_path("001").read_text(encoding="utf-8").splitlines()
    rows = [(kind, int(n), text) for kind, n, text in SOURCE_ROW.findall(html)]
    assert [n for kind, n, _ in rows if kind == "own"] == [29, 30, 31, 32]
    assert [n for kind, n, _ in rows if kind == "context"] == [26, 27, 28, 33, 34, 35]
    assert all(text == escape(printed[n - 1]) for _, n, text in rows)
    assert heading < html.index('class="source-lines"') < html.index("<details class=\"rdf\">") \
        < html.index("属性 Properties")


def test_unit_page_names_its_issuer_and_counts_each_year(server):
    iri = ID + "gov/320404/unit/住建局"
    html = page(server, iri)
    assert "<title>住建局 · 常州市钟楼区 ·" in html
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert "住建局" in heading and "常州市钟楼区" in heading and "政府工作部门" in html
    loads = select(server, f"""SELECT ?year ?led ?cooperated WHERE {{
        ?load gw:loadOf <{iri}> ; gw:statisticsOf/gw:year ?year ; gw:tasksLed ?led ; gw:tasksCooperated ?cooperated
        }} ORDER BY ?year""")
    counts = re.findall(r'<td><a href="#year-(\d+)">\d+</a></td><td class="lead">(\d+)</td><td class="coop">(\d+)</td>',
                        html)
    assert counts == [(r["year"], r["led"], r["cooperated"]) for r in loads] and len(counts) == 3
    assert 'id="year-2022"' in html and "<svg" in html and 'href="/id/gov/320404/unit/高新区（邹区镇）"' in html


@pytest.mark.parametrize("plan", ["plan/320404/2022", "plan/320412/2018"])
def test_plan_page_draws_a_row_per_task_under_its_goals(server, plan):
    (count,) = select(server, f"SELECT (COUNT(?t) AS ?n) WHERE {{ ?t gw:inPlan <{ID + plan}> }}")
    html = page(server, ID + plan)
    assert html.count('<tr class="task">') == int(count["n"])
    assert 'id="goal-main-1"' in html and 'rowspan="' in html  # goals as sections, merged cells merged
    assert 'href="/static/people.css"' in html


def test_plan_page_says_how_weak_its_record_is_and_links_the_list(server):
    # 001 (钟楼区 2022): the counts q09-weak-records lists for it (tests/query/test_answers.py checks them against Q9)
    html = page(server, ID + "plan/320404/2022")
    weak = re.search(r'<p class="weak-record">(.*?)</p>', html, re.S).group(1)
    assert re.findall(r"(\d+)\s*(?:·|<a)", weak)[:3] == ["59", "17", "52"]
    link = re.search(r'href="(/ask/q09\?document=[^"]+)"', weak).group(1)
    assert link == "/ask/q09?document=001_087f41aba7939677.txt"
    listed = httpx.get(server + link, headers={"Accept": "text/html"}, timeout=30)
    assert listed.status_code == 200 and "no lead unit" in listed.text
    # 003 (武进区 2023): every row prints its leaders and lead units in cells of its own: nothing to list
    quiet = re.search(r'<p class="weak-record">(.*?)</p>', page(server, ID + "plan/320412/2023"), re.S).group(1)
    assert re.findall(r"(\d+)", quiet) == ["0", "0", "0"] and "/ask/q09" not in quiet


def test_browse_lists_every_plan_with_its_goals(server):
    plans = select(server, "SELECT ?plan WHERE { ?plan a gw:WorkPlan }")
    html = httpx.get(f"{server}/browse").text
    assert html.count('<tr class="plan">') == len(plans) == 5
    for row in plans:
        assert f'class="plan-link" href="/id/{row["plan"][len(ID):]}"' in html
    anchor = re.search(r'href="(/id/plan/320404/2021)#(goal-main-\d+)"', html)
    assert f'id="{anchor.group(2)}"' in httpx.get(server + anchor.group(1), headers={"Accept": "text/html"}).text


def test_browse_one_issuer_by_code_or_name(server):
    for issuer in ("320412", "武进区", "常州市武进区"):
        html = httpx.get(f"{server}/browse", params={"issuer": issuer}).text
        assert html.count('<tr class="plan">') == 2  # 武进区's two plans (002, 003)
        assert "/id/plan/320412/" in html and "/id/plan/320404/" not in html and 'href="/browse"' in html
    missing = httpx.get(f"{server}/browse", params={"issuer": "<b>999999</b>"})
    assert missing.status_code == 404 and "No issuer called &lt;b&gt;999999&lt;/b&gt;" in missing.text


def test_a_large_dataset_is_browsed_issuer_by_issuer(built, monkeypatch):
    """Above BROWSE_PLANS plans, /browse lists the issuers (no goals counted) and the home page links to it."""
    from fastapi.testclient import TestClient

    from govkg.web import app as web

    monkeypatch.setattr(web, "BROWSE_PLANS", 4)  # the samples' 5 plans are then "many"
    with TestClient(web.create_app(web.ServerSettings(built, workers=1))) as client:
        html = client.get("/browse").text
        assert '<tr class="plan">' not in html and html.count('<tr class="issuer">') == 2
        rows = re.findall(r'<tr class="issuer"><td>(\d+)</td>\s*<td><a href="/browse\?issuer=\d+">(\S+?)</a></td>\s*'
                          r'<td>(\S*)</td><td>(\d+)</td><td>(\d+)</td></tr>', html)
        # by code; 钟楼区 has the 2021, 2022 and 2025 plans (000, 001, 004), 武进区 2018 and 2023 (002, 003)
        assert [(code, name, years, plans) for code, name, years, plans, _ in rows] == [
            ("320404", "常州市钟楼区", "2021–2025", "3"), ("320412", "常州市武进区", "2018–2023", "2")]
        assert [int(tasks) for *_, tasks in rows] == [92 + 116 + 107, 114 + 87]  # tests/extraction/test_counts.py
        home = client.get("/").text
        assert "5 documents" in home and 'href="/browse"' in home and "/id/plan/" not in home


def test_search_shows_a_units_issuer(server):
    html = httpx.get(f"{server}/search", params={"q": "住建局"}).text
    found = re.findall(r'>住建局</a> <span class="where">· (\S+)</span>', html)
    assert sorted(found) == ["常州市武进区", "常州市钟楼区"]


# --- an original: sample 000 read as if from an .xlsx sheet (tests/progress_report.py), in memory ---------------

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "govkg" / "web" / "templates"


def render_original(tmp_path: Path, tail: str) -> str:
    """The HTML page of a resource of the .xlsx report, with the document's text kept as a build keeps it."""
    store = MemoryStore(progress_report(sample_000()))

    async def select(query: str) -> list[dict]:
        return [{name: value.to_json() for name, value in row.items()} for row in store.run(query).rows]

    (sha,) = [row["sha"]["value"] for row in run_coroutine(select(
        "SELECT ?sha WHERE { ?s a <https://w3id.org/govkg/ontology#SourceDocument> ; "
        "<https://w3id.org/govkg/ontology#sha256> ?sha }"))]
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / f"{sha[:16]}.txt").write_bytes(sample_path("000").read_bytes())
    data = Dataset(tmp_path, ID)

    async def view() -> tuple[str, dict]:
        page = await describe(ID + tail, select, data)
        template, extra = await people_page(page, select, data)
        return template, {"page": page, **extra}

    template, context = run_coroutine(view())
    templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    return templates.get_template(template).render(version=__version__, data=data, **context)


def test_task_of_an_original_shows_its_place_and_lines(tmp_path):
    html = render_original(tmp_path, "plan/320404/2021/main/27")
    source = html[html.index('<section class="source">'):html.index("</section>", html.index('class="source"'))]
    assert "（xlsx）" in source and "工作表“附件1” 表1 第28行" in source
    own = [(int(n), text) for kind, n, text in SOURCE_ROW.findall(source) if kind == "own"]
    assert [n for n, _ in own] == list(range(255, 268)) and own[3][1].startswith("\t（27）抓紧对上衔接")


def test_plan_of_an_original_merges_its_merged_cells(tmp_path):
    html = render_original(tmp_path, "plan/320404/2021")
    rows = {re.search(r">(\d+)</a></td>", r).group(1): r for r in re.findall(r'<tr class="task">.*?</tr>', html, re.S)}
    # (26)'s 配合单位 is the merged cell printed on (25)'s row: one cell over both rows, none of (26)'s own
    assert rows["25"].count('<td class="people merged" rowspan="2">') == 1
    assert rows["26"].count('<td class="people') == 2 and rows["27"].count('<td class="people') == 3
