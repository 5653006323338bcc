"""A named question asked of every issuer of a build with many issuers answers in pages of issuers (the API's
`next` link, the Ask page's next page, the downloads with every page, `govkg query`'s output written as the pages
come), and the pages add up to the whole answer.

The build: the 2021 钟楼区 sample (92 tasks, 住建局 leading 14 of them) copied under twelve issuers by sidecars,
and the two progress reports of 钟楼区's 2021 plan (tests/tracking/data); the server pages above 9 issuers with at
least 100 rows a page.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import httpx
import openpyxl
import pytest

import govkg
from govkg.query import EmbeddedStore, as_dicts, run_named
from local_servers import run_coroutine, serving

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "000_8726cfd2ff1c199e.txt"
REPORTS = sorted((Path(__file__).resolve().parents[1] / "tracking" / "data").glob("zhonglou_2021_*_progress.txt"))
COUNTIES = ("天宁区", "新北区", "金坛区", "溧阳市", "江阴市", "宜兴市", "锡山区", "惠山区", "梁溪区", "滨湖区",
            "钟楼区", "武进区")
PAGE_ROWS = 100


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    """The sample under twelve issuers, built."""
    folder = tmp_path_factory.mktemp("national")
    for number, county in enumerate(COUNTIES):
        shutil.copy(SAMPLE, folder / f"plan{number:02d}.txt")
        (folder / f"plan{number:02d}.meta.toml").write_text(f'issuer = "{county}"\n', encoding="utf-8")
    for report in REPORTS:  # their titles name 钟楼区
        shutil.copy(report, folder)
    out = folder / "out"
    govkg.build([folder], out)
    return out


@pytest.fixture(scope="module")
def origin(national):
    with serving(national, "--page-rows", str(PAGE_ROWS), "--deadline", "20") as address:
        yield address


def whole(national: Path, name: str, params: dict[str, str]) -> list[dict]:
    """The question asked of the whole store at once (`govkg query`), its rows in issuer order (stable)."""
    named, results = run_named(name, EmbeddedStore(national / "store"), params)
    return sorted(as_dicts(results, named.lists), key=lambda row: row["issuer"])


def pages(origin: str, path: str) -> list[dict]:
    """Every page of an API answer, following the `next` links."""
    found = []
    while path:
        reply = httpx.get(origin + path, timeout=60)
        assert reply.status_code == 200, reply.text
        found.append(reply.json())
        path = found[-1]["next"]
    return found


@pytest.mark.parametrize(("name", "query", "params"), [
    ("q05", "", {}),
    ("q02", "unit=住建局", {"unit": "住建局"}),
    ("q04", "", {}),
    ("q11", "group=各街道", {"group": "各街道"}),
])
def test_the_pages_add_up_to_the_whole_answer(national, origin, name, query, params):
    answer = pages(origin, f"/api/{name}?{query}")
    expected = whole(national, name, params)
    assert expected, "the question has rows in the sample"
    assert [row for page in answer for row in page["rows"]] == expected
    issuers = [issuer for page in answer for issuer in page["issuers"]]
    assert len(issuers) == len(COUNTIES) and issuers == sorted(issuers), "each issuer once, in name order"
    assert answer[-1]["next"] is None


@pytest.mark.parametrize(("name", "query", "params"), [
    ("q14", "", {}),
    ("q13", "unit=科技局", {"unit": "科技局"}),
])
def test_questions_answered_from_reports_are_paged_over_the_issuers_with_reports(national, origin, name, query,
                                                                                params):
    # Only 钟楼区 has progress reports: the pages of Q13 and Q14 cover it alone (one query, not twelve issuers in
    # groups) and hold the whole answer
    assert len(REPORTS) == 2
    answer = pages(origin, f"/api/{name}?{query}")
    assert [issuer for page in answer for issuer in page["issuers"]] == ["常州市钟楼区"]
    expected = whole(national, name, params)
    assert expected and {row["issuer"] for row in expected} == {"常州市钟楼区"}
    assert [row for page in answer for row in page["rows"]] == expected


def test_a_page_ends_once_it_holds_enough_rows(national, origin):
    answer = pages(origin, "/api/q02?unit=住建局")
    # 住建局 leads 14 tasks in each copy: groups of 1, 2 and 4 issuers hold 98 rows, one more issuer fills the page
    # of 100 (8 issuers, 112 rows); the other 4 issuers come on the second
    assert [len(page["rows"]) for page in answer] == [8 * 14, 4 * 14]
    assert [len(page["issuers"]) for page in answer] == [8, 4]
    assert answer[0]["next"].endswith("start=" + httpx.URL("?x=" + answer[1]["issuers"][0]).query.decode()[2:])


def test_a_start_that_names_no_issuer_begins_at_the_next_name(origin):
    # a cursor whose issuer left the data (or any text) starts at the first name after it
    page = httpx.get(f"{origin}/api/q02", params={"unit": "住建局", "start": "常州市"}, timeout=60).json()
    assert page["issuers"][0] == "常州市天宁区"
    assert all(row["issuer"].startswith("常州市") for row in page["rows"][:14])
    past = httpx.get(f"{origin}/api/q02", params={"unit": "住建局", "start": "龙"}, timeout=60).json()
    assert past["rows"] == [] and past["issuers"] == [] and past["next"] is None


def test_a_question_about_one_issuer_is_not_paged(origin):
    reply = httpx.get(f"{origin}/api/q02", params={"unit": "住建局", "issuer": "钟楼区"}, timeout=60).json()
    assert len(reply["rows"]) == 14
    assert {row["issuer"] for row in reply["rows"]} == {"常州市钟楼区"}
    assert "issuers" not in reply and "next" not in reply


def test_the_downloads_hold_every_page(national, origin):
    expected = whole(national, "q05", {})
    text = httpx.get(f"{origin}/ask/q05", params={"run": "1", "format": "csv"}, timeout=60).content.decode("utf-8")
    assert text.count("\ufeff") == 1 and text.startswith("\ufeffissuer,year,unit,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == len(expected) > 2 * PAGE_ROWS
    assert [(row["issuer"], row["unit"], row["total"]) for row in rows] == [
        (row["issuer"], row["unit"], str(row["total"])) for row in expected]
    document = httpx.get(f"{origin}/ask/q05", params={"run": "1", "format": "json"}, timeout=60).json()
    assert document["rows"] == expected and document["columns"][:3] == ["issuer", "year", "unit"]
    workbook = httpx.get(f"{origin}/ask/q05", params={"run": "1", "format": "xlsx"}, timeout=60)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0][:3] == ("issuer", "year", "unit") and len(cells) == len(expected) + 1
    assert [(row[0], row[2], row[5]) for row in cells[1:]] == [(r["issuer"], r["unit"], r["total"]) for r in expected]


def test_the_ask_page_links_the_next_page(origin):
    first = httpx.get(f"{origin}/ask/q02", params={"unit": "住建局"}, timeout=60)
    assert first.status_code == 200
    assert "本页为 8 个发文政府" in first.text and 'rel="next"' in first.text
    assert "本页 112 行 rows on this page" in first.text  # 8 issuers × 14 tasks led by 住建局
    link = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert link.startswith("/ask/q02?") and "start=" in link
    second = httpx.get(origin + link, timeout=60)
    assert "本页为 4 个发文政府" in second.text and "这是最后一页" in second.text
    assert 'rel="next"' not in second.text


def _paging_server(monkeypatch, issuers: int, *, deadline: float = 60.0, per_query: float = 0.0, workers: int = 2,
                   running: list[int] | None = None):
    """A stand-in for a server of `issuers` issuers whose store answers one row per issuer asked, each query taking
    `per_query` seconds and failing once `deadline` seconds have passed since the request (ARRIVAL) began; the
    queries running at once are counted into `running` (now, then the most seen)."""
    import asyncio
    import json
    from types import SimpleNamespace

    from govkg.web import ask
    from govkg.web.workers import ARRIVAL, Answer, DeadlineExceededError

    async def names_known(*_):
        return None

    async def run(job, deadline_=None):
        loop = asyncio.get_running_loop()
        if running is not None:
            running[0] += 1
            running[1] = max(running[1], running[0])
        await asyncio.sleep(per_query)
        if running is not None:
            running[0] -= 1
        if loop.time() - (ARRIVAL.get() or loop.time()) > deadline:
            raise DeadlineExceededError("the query waited past its deadline")
        asked = [line.split('"')[1] for line in job.query.splitlines() if line.strip().startswith('("')]
        rows = [{"issuer": {"type": "literal", "value": issuer, "xml:lang": "zh"}} for issuer in asked]
        return Answer("ok", json.dumps({"head": {"vars": ["issuer"]}, "results": {"bindings": rows}}).encode())

    monkeypatch.setattr(ask, "check_names_async", names_known)
    names = [f"常州市{n:02d}区" for n in range(issuers)]
    return SimpleNamespace(select=None, pool=SimpleNamespace(run=run), data=SimpleNamespace(issuers=names),
                           settings=SimpleNamespace(max_result=10**6, paged_above=9, page_rows=1, workers=workers))


def test_each_page_of_a_download_has_a_deadline_of_its_own(monkeypatch):
    # a download outlasts the request's deadline; each page's queries count from when that page began
    import asyncio

    from govkg.query import find_query
    from govkg.web import ask
    from govkg.web.workers import ARRIVAL

    server = _paging_server(monkeypatch, 90, deadline=0.5, per_query=0.1)

    async def download() -> list[str]:
        ARRIVAL.set(asyncio.get_running_loop().time())
        first = await ask.answer(server, find_query("q05"), {})
        return [row["issuer"].value async for page in ask.every_page(server, first) for row in page.results.rows]

    # the page shown: one group of one issuer (0.1 s); then the download's pages of at least 20 rows, each sizing its
    # groups from the page before: 2, 4, 8 and 6 issuers (0.4 s), then 9, 9 and 2 (0.3 s) a page, 1.3 s in all, past
    # the 0.5 s a request has
    assert run_coroutine(download()) == server.data.issuers


@pytest.mark.parametrize("workers", [1, 2])
def test_a_download_asks_its_blocks_of_issuers_side_by_side_and_sends_them_in_order(monkeypatch, workers):
    from govkg.query import find_query
    from govkg.query.pages import BLOCK
    from govkg.web import ask

    running = [0, 0]
    server = _paging_server(monkeypatch, 2 * BLOCK + 50, per_query=0.001, workers=workers, running=running)

    async def download() -> list[str]:
        first = await ask.answer(server, find_query("q05"), {})
        return [row["issuer"].value async for page in ask.every_page(server, first) for row in page.results.rows]

    assert run_coroutine(download()) == server.data.issuers  # every issuer once, in order, over three blocks
    assert running == [0, workers]  # two blocks asked at once with two query workers


def test_an_answer_too_long_for_a_workbook_says_to_download_csv(monkeypatch):

    from govkg.query import find_query
    from govkg.web import ask

    server = _paging_server(monkeypatch, 40)
    every = server.data.issuers
    monkeypatch.setattr(ask, "MAX_XLSX_ROWS", 30)

    async def workbook(issuers: int):
        server.data.issuers = every[:issuers]
        return await ask.download(server, await ask.answer(server, find_query("q05"), {}), "xlsx")

    assert run_coroutine(workbook(30)).status_code == 200  # 30 rows: every page in the workbook
    with pytest.raises(ask.AnswerError) as caught:
        run_coroutine(workbook(40))
    assert caught.value.status == 400 and "download it as CSV" in caught.value.message
    assert "give issuer or year" in caught.value.message


@pytest.mark.parametrize(("option", "value"), [("--page-rows", "0"), ("--paged-above", "-1"), ("--page-rows", "x")])
def test_the_paging_options_take_counts(tmp_path, capsys, option, value):
    from govkg.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["serve", "--store", str(tmp_path), option, value])
    assert exited.value.code == 2 and option in capsys.readouterr().err


def test_an_empty_page_with_more_to_come_does_not_say_nothing_matches():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from govkg import __version__
    from govkg.query import Results, find_query
    from govkg.query.pages import Page
    from govkg.web.ask import COLUMN_LABELS, NAME_KINDS, Answer, short_name
    from govkg.web.site import Dataset

    templates = Environment(loader=FileSystemLoader(Path(__file__).parents[2] / "src/govkg/web/templates"),
                            autoescape=select_autoescape(default=True))

    def shown(next_issuer: str | None) -> str:
        page = Page(Results(variables=["issuer"]), issuers=["常州市天宁区", "常州市新北区"], next=next_issuer)
        found = Answer(find_query("q14"), {}, "SELECT …", page.results, page)
        return templates.get_template("ask.html").render(
            version=__version__, data=Dataset(Path("."), "https://w3id.org/govkg/id/"), queries=[],
            named=found.named, values={}, issuers=[], years=[], prefilled={kind: [] for kind in NAME_KINDS},
            short_name=short_name, labels=COLUMN_LABELS, found=found, rows=[], total=0, downloads=[], api="/api/q14",
            sparql="/sparql", next_page="/ask/q14?run=1&start=x" if next_issuer else None)

    more = shown("常州市武进区")
    assert "the next page goes on" in more and "nothing matches" not in more and 'rel="next"' in more
    last = shown(None)
    assert "nothing matches" in last and "这是最后一页" in last


# --- `govkg query` asked of every issuer: the same pages, written as they come --------------------------------------

def command(national: Path, capsys, *args: str) -> tuple[int, str, str]:
    """`govkg query ARGS --store NATIONAL`: exit status, stdout, stderr."""
    from govkg import cli

    status = cli.main(["query", *args, "--store", str(national)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def small_pages(monkeypatch) -> list[int]:
    """`govkg query` asks pages of at least PAGE_ROWS rows (not 1,000 and 20,000): the sizes of the pages it wrote."""
    import sys

    package = sys.modules["govkg.query"]  # (govkg.query, the attribute, is the function of that name)
    written: list[int] = []
    made = package.national_pages

    def pages(*args, **options):
        for page in made(*args, **{**options, "rows": PAGE_ROWS, "more_rows": PAGE_ROWS}):
            written.append(len(page.results.rows))
            yield page
    monkeypatch.setattr(package, "national_pages", pages)
    return written


def test_the_command_writes_a_national_answer_issuer_by_issuer(national, capsys, small_pages):
    expected = whole(national, "q05", {})
    status, out, err = command(national, capsys, "q05", "--format", "csv", "--no-bom")
    assert status == 0 and len(small_pages) > 2 and sum(small_pages) == len(expected)
    assert "asked of every one of 12 issuers, answered issuer by issuer" in err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert out.count("issuer,year,unit,") == 1, "the header once, not once a page"
    assert len(rows) == len(expected) > PAGE_ROWS  # 12 copies of the sample: several pages
    assert [(row["issuer"], row["unit"], row["total"]) for row in rows] == [
        (row["issuer"], row["unit"], str(row["total"])) for row in expected]


def test_whole_asks_it_in_one_query_in_the_questions_own_order(national, capsys):
    status, out, err = command(national, capsys, "q02", "--param", "unit=住建局", "--format", "tsv", "--whole")
    assert status == 0 and "in one query" in err
    paged_status, paged, _ = command(national, capsys, "q02", "--param", "unit=住建局", "--format", "tsv")
    assert paged_status == 0
    whole_lines, paged_lines = out.splitlines(), paged.splitlines()
    assert len(whole_lines) == 1 + 12 * 14  # the header, 住建局's 14 tasks in each of the 12 copies
    assert sorted(whole_lines) == sorted(paged_lines) and whole_lines[0] == paged_lines[0]
    issuers = [line.split("\t")[0] for line in paged_lines[1:]]
    assert issuers == sorted(issuers), "pages come issuer by issuer in the order of their names"


def test_a_national_answer_as_json_and_table(national, capsys, small_pages):
    expected = whole(national, "q02", {"unit": "住建局"})
    status, out, _ = command(national, capsys, "q02", "--param", "unit=住建局", "--format", "json")
    assert status == 0 and small_pages == [8 * 14, 4 * 14]  # as the server's pages of 100 rows
    document = json.loads(out)  # one document, whatever the pages
    assert document["head"]["vars"][:2] == ["issuer", "year"]
    assert [binding["issuer"]["value"] for binding in document["results"]["bindings"]] == [
        row["issuer"] for row in expected]
    status, out, _ = command(national, capsys, "q02", "--param", "unit=住建局")
    lines = out.splitlines()
    assert lines[0].startswith("issuer") and set(lines[1]) == {"-", " "} and lines[-1] == f"({len(expected)} rows)"
    assert sum(1 for line in lines if line.startswith("issuer")) == 1 and len(lines) == len(expected) + 3


def test_a_national_answer_to_a_file(national, capsys, tmp_path, small_pages):
    expected = whole(national, "q05", {})
    target = tmp_path / "q05.xlsx"
    status, out, err = command(national, capsys, "q05", "--format", "xlsx", "-o", str(target))
    assert status == 0 and out == ""
    assert "[12/12] issuers answered" in err and f"{len(expected)} rows written to {target}" in err
    cells = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert cells[0][:3] == ("issuer", "year", "unit") and len(cells) == len(expected) + 1


def test_an_unknown_name_in_a_national_question_writes_nothing(national, capsys, tmp_path):
    target = tmp_path / "q02.csv"
    status, out, err = command(national, capsys, "q02", "--param", "unit=住建委", "--format", "csv", "-o", str(target))
    assert status == 2 and out == "" and "住建委" in err and "住建局" in err
    assert not target.exists()
