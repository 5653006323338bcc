"""The SPARQL page's YASGUI: every example answers, nothing leaves the machine, results link to local pages,
the typed query survives a reload, a query past the deadline says so; the page without YASGUI says how to get it."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import httpx
import pytest

#: Examples about progress reports, which the samples do not hold: run on the tracking fixture's server.
PROGRESS = ("q13-unit-progress", "q14-behind-schedule")
#: A cross product of the samples' triples: runs past the served deadline (3 s).
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def open_yasgui(page, origin: str) -> None:
    """Load /sparql and count YASR's draws in window.drawn."""
    page.goto(origin + "/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.evaluate("() => { window.drawn = 0; govkgYasgui.getTab().getYasr().on('drawn', () => window.drawn++); }")


def run(page, example: str | None = None) -> None:
    """Load an example (else keep the editor's query), run it and wait until YASR has drawn the answer."""
    if example:
        page.click(f"button.example[data-name='{example}']")
    before = page.evaluate("() => window.drawn")
    page.click(".yasqe_queryButton")
    page.wait_for_function(f"() => window.drawn > {before}", timeout=20000)


def rows(page) -> int:
    """The result rows shown (DataTables' "no data" row not counted)."""
    return page.locator(".yasr .dataTable tbody tr:not(:has(td.dt-empty))").count()


def examples_of(origin: str) -> dict[str, str]:
    """The examples the page carries, by name."""
    html = httpx.get(origin + "/sparql", headers={"Accept": "text/html"}).text
    data = re.search(r'<script type="application/json" id="examples-data">(.*?)</script>', html, re.S)
    assert data, "no examples on the page"
    return {name: example["query"] for name, example in json.loads(data.group(1)).items()}


@pytest.mark.browser
def test_every_example_answers_offline(server, tracking_server, offline_page):
    page = offline_page.page
    names = list(examples_of(server))
    assert len(names) == 17
    for origin, chosen in ((server, [n for n in names if n not in PROGRESS]), (tracking_server, PROGRESS)):
        open_yasgui(page, origin)
        for name in chosen:
            run(page, name)
            assert page.locator(".yasr .errorResult").count() == 0, name
            assert rows(page) > 0, f"{name}: no rows"
    # typing where a property goes: YASGUI's own completer asks an outside vocabulary service (LOV), which the
    # route refuses or, before it, the page's CSP (connect-src 'self') blocks with a console error
    page.evaluate("""() => { const editor = window.govkgYasgui.getTab().getYasqe();
        editor.setValue('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\nSELECT * WHERE {\\n  ?s rdfs:');
        editor.focus(); editor.setCursor(editor.lineCount(), 0); }""")
    page.keyboard.type("lab")
    page.keyboard.press("Control+Space")
    page.wait_for_timeout(1500)
    assert offline_page.refused == [] and offline_page.errors == []


@pytest.mark.browser
def test_results_link_here_and_show_plain_literals(server, offline_page):
    page = offline_page.page
    open_yasgui(page, server)
    run(page, "q02-lead-tasks")
    links = page.locator(".yasr .dataTable a.iri")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs and all(href.startswith("/id/plan/") for href in hrefs), hrefs
    table = page.locator(".yasr .dataTable").inner_text()
    assert "2021" in table and "^^" not in table and "gYear" not in table and "@zh" not in table
    offline_page.screenshot("web-yasgui-q2")
    links.first.click()
    page.wait_for_url(server + "/id/plan/**")
    assert page.locator("h1").count() == 1
    assert offline_page.refused == [] and offline_page.errors == []


@pytest.mark.browser
def test_typed_query_survives_reload(server, offline_page):
    page = offline_page.page
    open_yasgui(page, server)
    typed = "SELECT ?task WHERE { ?task a <https://w3id.org/govkg/ontology#Task> } LIMIT 7"
    page.evaluate("q => { window.govkgYasgui.getTab().setQuery(q); }", typed)
    page.wait_for_timeout(300)
    page.reload()
    page.wait_for_selector(".yasqe .CodeMirror")
    assert page.evaluate("() => window.govkgYasgui.getTab().getQuery()") == typed
    port = server.rsplit(":", 1)[1]
    assert any(f"govkg:127.0.0.1:{port}/sparql" in key for key in page.evaluate("() => Object.keys(localStorage)"))
    # a link /sparql#query=… opens its query in a tab of its own, beside the typed one
    page.goto(server + "/sparql#query=" + quote("ASK { ?s ?p ?o }"))
    page.wait_for_function("() => window.govkgYasgui")
    tabs = page.evaluate("() => Object.values(govkgYasgui._tabs).map(tab => tab.getQuery())")
    assert page.evaluate("() => govkgYasgui.getTab().getQuery()") == "ASK { ?s ?p ?o }" and typed in tabs


@pytest.mark.browser
def test_query_past_deadline_shows_message(server, offline_page):
    page = offline_page.page
    open_yasgui(page, server)
    page.evaluate("q => { window.govkgYasgui.getTab().setQuery(q); }", ENDLESS)
    run(page)
    message = page.locator(".yasr .errorResult").inner_text()
    assert "did not finish" in message and "deadline" in message
    offline_page.screenshot("web-yasgui-deadline")
    # the browser logs the 503 itself; nothing else may fail
    assert [e for e in offline_page.errors if "status of 503" not in e] == [] and offline_page.refused == []


def test_examples_state_their_parameters_at_the_top(server):
    for name, query in examples_of(server).items():
        lines = query.splitlines()
        if "# 没有参数" in lines[1]:
            continue
        header = re.match(r"# 参数 Parameters .* line (?P<where>[\d–, ]+):$", lines[1])
        assert header, f"{name}: {lines[1]}"
        assert any("VALUES (?p_" in line for line in lines[:25]), name
        for span in header.group("where").split(", "):
            first, _, last = span.partition("–")
            block = [line.strip() for line in lines[int(first) - 1:int(last or first)]]
            # one clause binding the parameters together: its variables, a row of values, the end
            assert block[0].startswith("VALUES (?p_") and block[-1] == "}", (name, block)
            assert all(row.startswith("(") and row.endswith(")") for row in block[1:-1]), (name, block)
            assert lines[int(last or first)].strip() != "}" and not lines[int(first) - 2].strip().startswith(
                ("VALUES", "(")), (name, span)  # the lines named are the whole clause
    q09 = examples_of(server)["q09-weak-records"]
    assert '"001_087f41aba7939677.txt"' in q09 and "停车" not in q09


def test_page_without_yasgui_says_how_to_get_it(built, monkeypatch):
    from fastapi.testclient import TestClient

    from govkg.web import app as web

    monkeypatch.setattr(web, "yasgui_dir", lambda: None)
    with TestClient(web.create_app(web.ServerSettings(built, workers=1))) as client:
        page = client.get("/sparql", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert "make vendor" in page.text and "yasgui.min.js" not in page.text
        assert '<form method="post" action="/sparql" class="plain">' in page.text
        assert client.get("/vendor/yasgui/yasgui.min.js").status_code == 404
