"""The search page's in-memory indexes (govkg.web.textsearch): packing, the TSV they are read from, the same
answers as scanning the store, and the page served from them."""

from __future__ import annotations

import re

import httpx
import pyoxigraph
import pytest

from govkg.rdf.vocab import SPARQL_PROLOGUE
from govkg.web.pages import PREFIX
from govkg.web.textsearch import SEARCH_TASKS, TASK_TEXTS, Packed, task_texts
from govkg.web.tsv import tsv_rows


def test_packed_finds_each_string_once_in_order():
    packed = Packed(["停车泊位，停车泊位", "无", "泊位", ""])
    assert len(packed) == 4 and [packed[i] for i in range(4)] == ["停车泊位，停车泊位", "无", "泊位", ""]
    assert list(packed.containing("泊位")) == [0, 2]  # the first string twice, listed once
    assert list(packed.containing("位无")) == []  # never across two strings
    assert list(packed.containing("")) == [] and list(packed.containing("位\x00无")) == []
    assert list(Packed([]).containing("位")) == []


def test_tsv_rows_give_plain_values():
    body = ('?task\t?text\t?year\n'
            '<http://x/1>\t"a\\"b\\\\c\\nd\\te"@zh\t"2021"^^<http://www.w3.org/2001/XMLSchema#gYear>\n'
            '<http://x/2>\t"\\u0041\\U0001F600"\t\n'
            '<http://x/3>\t\t12\n'
            '\n')
    assert list(tsv_rows(body)) == [["http://x/1", 'a"b\\c\nd\te', "2021"], ["http://x/2", "A\U0001F600", None],
                                    ["http://x/3", None, "12"]]


@pytest.mark.parametrize("text", ["停车泊位", "住建局", "的", "2000个", "没有这句话"])
def test_the_index_answers_as_the_store_scan(built, text):
    store = pyoxigraph.Store.read_only(str(built / "store"))
    body = store.query(SPARQL_PROLOGUE + TASK_TEXTS, use_default_graph_as_union=True).serialize(
        format=pyoxigraph.QueryResultsFormat.TSV).decode("utf-8")
    index = task_texts(tsv_rows(body))
    assert len(index.iris) == 516  # every task has its statement (the samples' 516 tasks)
    scan = SEARCH_TASKS.replace("$TEXT", '"' + text + '"').replace("$LIMIT", "200")
    scanned = [(row["s"].value, row["text"].value)
               for row in store.query(PREFIX + scan, use_default_graph_as_union=True)]
    assert index.containing(text) == scanned
    del store


def test_search_page_lists_the_tasks_of_the_samples(server):
    html = httpx.get(f"{server}/search", params={"q": "停车泊位"}).text
    rows = re.findall(r"<tr><td>(\d*)</td><td>([^<]*)</td><td><a href=\"([^\"]+)\">([^<]*)</a></td></tr>", html)
    # the four lines of the samples that say 停车泊位: 钟楼区 2021 (46), 2022 (46) and its 民生实事 2, 2025
    assert len(rows) == 4 and all("停车泊位" in statement for *_, statement in rows)
    assert [year for year, *_ in rows] == sorted(year for year, *_ in rows)
    assert {href.split("/id/plan/")[1].split("/")[1] for _, _, href, _ in rows} == {"2021", "2022", "2025"}
    assert any("新增公共停车泊位1200个" in statement for *_, statement in rows)
    names = httpx.get(f"{server}/search", params={"q": "住建"}).text
    # 住建局 of both issuers (钟楼区 spells it 区住建局 too: one entry each), as units
    assert names.count('/id/gov/320404/unit/住建局"') == 1 and names.count('/id/gov/320412/unit/住建局"') == 1
    assert "单位 unit" in names
