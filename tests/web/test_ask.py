"""The Ask page and the named questions' JSON API: answers, unknown names, OpenAPI, downloads, completion, and
the page without JavaScript (plain GET forms) and in a browser with networking off."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urljoin

import httpx
import pytest

from govkg.web.ask import Name, NameIndex
from govkg.web.workers import DeadlineExceededError
from local_servers import run_coroutine

Q1 = {"unit": "住建局", "issuer": "钟楼区", "year": "2022"}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class _Page(HTMLParser):
    """The links and table cells of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.cells: list[str] = []
        self.options: dict[str, list[str]] = {}
        self._cell: list[str] | None = None
        self._list: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if tag == "td":
            self._cell = []
        if tag == "datalist":
            self._list = found.get("id")
            self.options[self._list or ""] = []
        if tag == "option" and self._list:
            self.options[self._list].append(found.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None
        if tag == "datalist":
            self._list = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


# --- the JSON API -------------------------------------------------------------------------------------------------

def test_api_q01_gives_the_three_zhonglou_2022_tasks(server):
    response = httpx.get(server + "/api/q01", params=Q1, timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "q01-cooperating-tasks"
    assert body["params"] == Q1
    assert body["columns"][:5] == ["issuer", "year", "task", "number", "text"]
    assert [(row["number"], row["year"], row["issuer"]) for row in body["rows"]] == [
        ("2", "2022", "常州市钟楼区"), ("3", "2022", "常州市钟楼区"), ("4", "2022", "常州市钟楼区")]
    # plain values: no RDF term syntax, list columns as lists, task IRIs whole
    assert all(isinstance(row["leadUnits"], list) for row in body["rows"])
    assert all(row["task"].startswith("https://w3id.org/govkg/id/plan/320404/2022/") for row in body["rows"])
    assert "^^" not in response.text


def test_api_other_spelling_and_issuer_code_give_the_same_rows(server):
    numbers = {}
    for params in (Q1, {"unit": "区住建局", "issuer": "320404", "year": "2022"}):
        rows = httpx.get(server + "/api/q01", params=params, timeout=30).json()["rows"]
        numbers[params["unit"]] = [row["number"] for row in rows]
    assert numbers == {"住建局": ["2", "3", "4"], "区住建局": ["2", "3", "4"]}


def test_api_unknown_unit_is_404_with_a_suggestion(server):
    response = httpx.get(server + "/api/q01", params={"unit": "住建委", "issuer": "钟楼区"}, timeout=30)
    assert response.status_code == 404
    body = response.json()
    assert body["parameter"] == "unit"
    assert "did you mean" in body["error"] and "住建局" in body["error"]
    assert any(suggestion.startswith("住建局") for suggestion in body["suggestions"])


def test_api_bad_values(server):
    missing = httpx.get(server + "/api/q01", timeout=30)
    assert missing.status_code == 422  # a required parameter left out: FastAPI's validation answer
    year = httpx.get(server + "/api/q01", params={"unit": "住建局", "year": "1999"}, timeout=30)
    assert year.status_code == 404 and "1999" in year.json()["error"]
    odd = httpx.get(server + "/api/q01", params={"unit": "住建局", "year": "twenty"}, timeout=30)
    assert odd.status_code == 400 and "year" in odd.json()["error"]


def test_api_refuses_a_parameter_it_does_not_take(server):
    # a misspelt parameter was ignored: ?q=住 answered the first names of every kind in order, ?units=… asked Q1
    # of every issuer without a unit (422) or, with the unit, answered as if no issuer had been given
    names = httpx.get(server + "/api/names", params={"kind": "unit", "q": "住"}, timeout=30)
    assert names.status_code == 400
    assert names.json() == {"error": "unknown parameter q; /api/names takes issuer, kind, limit, prefix",
                            "parameter": "q", "suggestions": []}
    q01 = httpx.get(server + "/api/q01", params={"unit": "住建局", "isuer": "钟楼区", "yr": "2022"}, timeout=30)
    assert q01.status_code == 400
    assert q01.json()["error"] == "unknown parameters isuer, yr; /api/q01 takes issuer, start, unit, year"
    # the declared ones, the page's start among them, are taken as before
    assert httpx.get(server + "/api/q01", params={**Q1, "start": "钟楼区"}, timeout=30).status_code == 200
    assert httpx.get(server + "/api/names", params={"kind": "unit", "prefix": "住", "limit": 2},
                     timeout=30).status_code == 200


def test_openapi_lists_every_named_query_with_its_parameters(server):
    spec = httpx.get(server + "/openapi.json", timeout=30).json()
    q01 = spec["paths"]["/api/q01"]["get"]
    params = {p["name"]: p for p in q01["parameters"]}
    assert set(params) == {"unit", "year", "issuer", "start"}  # start: the page of a national answer
    assert params["unit"]["required"] is True and params["year"]["required"] is False
    assert params["start"]["required"] is False and "issuer the page starts at" in params["start"]["description"]
    assert {p["name"] for p in spec["paths"]["/api/q12"]["get"]["parameters"]} == {"task"}  # no issuer: no pages
    assert "住建局" in params["unit"]["description"]
    assert "配合单位" in q01["summary"] + q01["description"]
    assert {f"/api/q{n:02d}" for n in range(1, 17)} <= set(spec["paths"])
    assert "/api/names" in spec["paths"]
    # no Swagger UI (it would load from a CDN)
    assert httpx.get(server + "/docs", timeout=30).status_code == 404


def test_names_completion(server):
    names = httpx.get(server + "/api/names", params={"kind": "unit", "prefix": "住建", "issuer": "钟楼区"},
                      timeout=30).json()
    assert {"label": "住建局", "name": "住建局", "issuer": "常州市钟楼区"} in names
    assert all(name["issuer"] == "常州市钟楼区" for name in names)
    spelled = httpx.get(server + "/api/names", params={"kind": "unit", "prefix": "区住"}, timeout=30).json()
    assert any(name["label"] == "区住建局" and name["name"] == "住建局" for name in spelled)
    assert httpx.get(server + "/api/names", params={"kind": "task"}, timeout=30).status_code == 400


def test_name_index_prefix_then_contains_within_an_issuer():
    index = NameIndex({"unit": [Name("住建局", "住建局", "甲"), Name("区住建局", "住建局", "甲"),
                                Name("住建局", "住建局", "乙"), Name("交通局", "交通局", "甲")]})
    assert [(n.label, n.issuer) for n in index.complete("unit", "住")] == [("住建局", "乙"), ("住建局", "甲")]
    assert [(n.label, n.issuer) for n in index.complete("unit", "住建", "甲")] == [("住建局", "甲"), ("区住建局", "甲")]
    assert [n.label for n in index.complete("unit", "", "甲", limit=2)] == ["交通局", "住建局"]
    assert index.complete("goal", "住") == [] and index.complete("unit", "住", "丙") == []


# --- downloads ----------------------------------------------------------------------------------------------------

def test_csv_download_starts_with_the_bom(server):
    response = httpx.get(server + "/ask/q01", params={**Q1, "format": "csv"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("issuer,year,task,number,text")
    assert len(lines) == 4


def test_xlsx_download_opens_with_openpyxl(server):
    from openpyxl import load_workbook

    response = httpx.get(server + "/ask/q01", params={**Q1, "format": "xlsx"}, timeout=30)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("issuer", "year", "task", "number")
    assert [(row[1], row[3]) for row in rows[1:]] == [(2022, "2"), (2022, "3"), (2022, "4")]


def test_json_download_is_the_api_answer(server):
    download = httpx.get(server + "/ask/q01", params={**Q1, "format": "json"}, timeout=30).json()
    assert download == httpx.get(server + "/api/q01", params=Q1, timeout=30).json()


# --- the page without JavaScript ----------------------------------------------------------------------------------

def test_every_page_links_to_ask(server):
    home = httpx.get(server + "/", headers={"Accept": BROWSER}, timeout=30)
    assert "/ask" in parsed(home.text).links


def test_ask_index_has_a_get_form_per_question(server):
    response = httpx.get(server + "/ask", headers={"Accept": BROWSER}, timeout=30)
    assert response.status_code == 200
    forms = re.findall(r'<form class="ask" method="get" action="(/ask/q\d\d)"', response.text)
    assert forms == [f"/ask/q{n:02d}" for n in range(1, 18)]
    page = parsed(response.text)
    assert "住建局" in page.options["names-unit"]  # completion without JavaScript: the list comes filled
    assert "<option>常州市钟楼区</option>" in response.text and "<option>2022</option>" in response.text
    head = httpx.head(server + "/ask", headers={"Accept": BROWSER}, timeout=30)
    assert head.status_code == 200 and head.content == b""


def test_ask_page_answers_q01_with_local_links(server):
    response = httpx.get(server + "/ask/q01", params=Q1, headers={"Accept": BROWSER}, timeout=30)
    assert response.status_code == 200
    page = parsed(response.text)
    assert page.cells and not any("^^" in cell or "gYear" in cell or "://" in cell for cell in page.cells)
    tasks = [link for link in page.links if re.fullmatch(r"/id/plan/320404/2022/[^/]+/\d+", link)]
    assert len(tasks) == 3
    assert "2022" in page.cells and "常州市钟楼区" in page.cells
    assert not any(link.startswith("https://w3id.org/") for link in page.links)
    for link in tasks:
        assert httpx.get(server + link, headers={"Accept": BROWSER}, timeout=30).status_code == 200
    # the chosen issuer and year stay selected
    assert "<option selected>常州市钟楼区</option>" in response.text
    assert "<option selected>2022</option>" in response.text
    # downloads and the bound query on /sparql
    sparql = next(link for link in page.links if link.startswith("/sparql?query="))
    rows = httpx.get(urljoin(server, sparql), headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert len(rows.json()["results"]["bindings"]) == 3
    assert any("format=csv" in link for link in page.links) and any("format=xlsx" in link for link in page.links)


def test_ask_page_unknown_unit_says_did_you_mean(server):
    response = httpx.get(server + "/ask/q01", params={"unit": "住建委", "issuer": "钟楼区"},
                         headers={"Accept": BROWSER}, timeout=30)
    assert response.status_code == 404
    assert "did you mean" in response.text and 'role="alert"' in response.text
    retry = next(link for link in parsed(response.text).links if "unit=" + quote("住建局") in link)
    assert httpx.get(urljoin(server, retry), timeout=30).status_code == 200


def test_ask_page_escapes_what_it_is_given(server):
    response = httpx.get(server + "/ask/q10", params={"phrase": "<script>alert(1)</script>"},
                         headers={"Accept": BROWSER}, timeout=30)
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text and "&lt;script&gt;alert(1)" in response.text


def test_ask_form_without_values_runs_nothing_and_unknown_question_is_404(server):
    blank = httpx.get(server + "/ask/q01", headers={"Accept": BROWSER}, timeout=30)
    assert blank.status_code == 200 and "答案 Answer" not in blank.text
    assert httpx.get(server + "/ask/q99", headers={"Accept": BROWSER}, timeout=30).status_code == 404


def test_api_q01_asked_again_gives_the_same_answer(server):
    """Speed is a matter for bench/ (bench/endpoint.py, bench/queries.py), not a time limit here."""
    first = httpx.get(server + "/api/q01", params=Q1, timeout=30)
    assert first.status_code == 200 and first.json()["rows"]
    for _ in range(4):
        again = httpx.get(server + "/api/q01", params=Q1, timeout=30)
        assert again.status_code == 200 and again.json() == first.json()


# --- in a browser with networking off -----------------------------------------------------------------------------

@pytest.mark.browser
def test_browser_completion_asks_again_when_the_names_are_still_being_read(server, offline_page):
    # A server that has just started on a national build answers completion 503 with Retry-After while it reads
    # the names (tests/web/test_background_lane.py); the script then asks again after that many seconds. Here the
    # browser's requests for names get that answer until the typing is done, and none after.
    page = offline_page.page
    held, answered, typed = [True], [], []

    def names(route) -> None:
        answered.append(503 if held[0] else 200)
        typed.append(held[0] and "prefix=%E4%BD%8F%E5%BB%BA" in route.request.url)  # 住建, held
        if held[0]:
            route.fulfill(status=503, headers={"Retry-After": "1", "Content-Type": "application/json"},
                          body='{"error": "the names of this build are still being read; try again shortly"}')
        else:
            route.continue_()

    page.route("**/api/names?*", names)
    page.goto(server + "/ask/q01")
    form = page.locator("form.ask")
    form.locator("select[name=issuer]").select_option("常州市钟楼区")
    unit = form.locator("input[name=unit]")
    unit.click()
    unit.press_sequentially("住建")
    for _ in range(50):  # the last keystroke's request (made 120 ms after it) answered 503
        if any(typed):
            break
        page.wait_for_timeout(100)
    assert any(typed) and set(answered) == {503}
    held[0] = False
    page.wait_for_function("""() => {
        const options = [...document.querySelectorAll("datalist#names-unit option")];
        return options.some(o => o.value === "住建局")
            && options.every(o => o.label.includes("常州市钟楼区") && o.value.includes("住建"));
    }""", timeout=5000)
    assert answered[-1] == 200 and answered.count(200) == 1  # asked once more, by the script alone


@pytest.mark.browser
def test_browser_ask_q01_from_the_completion_list(server, offline_page):
    page = offline_page.page
    page.goto(server + "/ask/q01")
    form = page.locator("form.ask")
    form.locator("select[name=issuer]").select_option("常州市钟楼区")
    form.locator("select[name=year]").select_option("2022")
    unit = form.locator("input[name=unit]")
    unit.click()
    unit.press_sequentially("住建")
    # the script refills the completion list from /api/names with this issuer's names starting with 住建 (the page
    # came with a list of both issuers' names)
    page.wait_for_function("""() => {
        const options = [...document.querySelectorAll("datalist#names-unit option")];
        return options.some(o => o.value === "住建局")
            && options.every(o => o.label.includes("常州市钟楼区") && o.value.includes("住建"));
    }""", timeout=5000)
    # Headless Chromium draws no datalist popup to click: picking the option is putting its value in the field.
    unit.fill(page.locator("datalist#names-unit option[value='住建局']").get_attribute("value"))
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/ask/q01?*")
    rows = page.locator("table.answer tbody tr")
    assert rows.count() == 3
    assert [rows.nth(i).locator("td").nth(3).inner_text() for i in range(3)] == ["2", "3", "4"]
    offline_page.screenshot("ask-page")
    page.locator("table.answer tbody tr >> nth=0").locator("a[href^='/id/plan/']").click()
    page.wait_for_url("**/id/plan/320404/2022/**")
    assert page.locator("h1").count() == 1
    assert offline_page.refused == [] and offline_page.errors == []


def _timing_out_server(issuers: int = 2) -> SimpleNamespace:
    """A stand-in for the server whose every query runs past its deadline; the data has `issuers` issuers (above 8,
    a question asked of all of them is paged)."""
    async def run(job, deadline=None):
        raise DeadlineExceededError("the query ran past its deadline of 10 s")

    return SimpleNamespace(select=None, pool=SimpleNamespace(run=run),
                           settings=SimpleNamespace(max_result=1000, paged_above=8, page_rows=1000),
                           data=SimpleNamespace(issuers=[f"常州市{n:02d}区" for n in range(issuers)]))


@pytest.mark.parametrize(("name", "params", "narrow"), [
    ("q05", {}, ["issuer", "year"]),  # unit load of every plan in the country
    ("q05", {"issuer": "钟楼区"}, ["year"]),
    ("q05", {"issuer": "钟楼区", "year": "2021"}, []),
])
@pytest.mark.parametrize("issuers", [2, 20])  # 20: the national question is asked in groups of issuers
def test_a_question_of_the_whole_country_that_runs_too_long_says_how_to_narrow_it(monkeypatch, name, params,
                                                                                 narrow, issuers):
    from govkg.query import find_query
    from govkg.web import ask
    from govkg.web.ask import AnswerError, answer

    async def names_known(*_):  # the names are checked elsewhere (test_api_unknown_unit_is_404_with_a_suggestion)
        return None

    monkeypatch.setattr(ask, "check_names_async", names_known)
    server = _timing_out_server(issuers)
    with pytest.raises(AnswerError) as caught:
        run_coroutine(answer(server, find_query(name), params))
    error = caught.value
    assert error.status == 503 and "deadline of 10 s" in str(error.message)
    if narrow:
        assert f"give {' or '.join(narrow)} to narrow it" in error.message and "请填写" in error.message
        assert "Retry-After" not in error.headers  # the same question would run as long again
    else:  # nothing left to narrow by: the deadline alone, and a retry may help once the server is less busy
        assert "narrow" not in error.message and error.headers["Retry-After"] == "1"


def test_a_long_answer_shows_its_first_rows_and_says_so():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from govkg import __version__
    from govkg.query import Results, Value, find_query
    from govkg.web.ask import COLUMN_LABELS, NAME_KINDS, Answer, cells, short_name
    from govkg.web.site import Dataset

    data = Dataset(Path("."), "https://w3id.org/govkg/id/")
    tasks = [f"https://w3id.org/govkg/id/plan/320404/2022/main/{n}" for n in range(1, 6)]
    found = Answer(find_query("q01"), {}, "SELECT …",
                   Results(variables=["task", "year"], rows=[{"task": Value("iri", t), "year": Value("literal", "2022")}
                                                            for t in tasks]))
    rows = cells(SimpleNamespace(data=data), found, 2)
    assert [[cell.text for cell in row] for row in rows] == [["plan/320404/2022/main/1", "2022"],
                                                             ["plan/320404/2022/main/2", "2022"]]
    assert rows[0][0].href == "/id/plan/320404/2022/main/1"
    templates = Environment(loader=FileSystemLoader(Path(__file__).parents[2] / "src/govkg/web/templates"),
                            autoescape=select_autoescape(default=True))
    html = templates.get_template("ask.html").render(
        version=__version__, data=data, queries=[], named=found.named, values={}, issuers=[], years=[],
        prefilled={kind: [] for kind in NAME_KINDS}, short_name=short_name, labels=COLUMN_LABELS, found=found,
        rows=rows, total=5, downloads=[], api="/api/q01", sparql="/sparql")
    assert "5 行 rows" in html and "The first 2 of 5 rows are shown" in html
    assert html.count("/id/plan/320404/2022/main/") == 2
