"""queries/*.rq: every named query has a complete header, binds only declared parameters, and parses."""

from __future__ import annotations

import re

import pyoxigraph
import pytest

from govkg.lexicon import load_lexicon
from govkg.query import QueryError, bind, find_query, load_catalog
from govkg.query.catalog import PARAMS_MARKER

CATALOG = load_catalog()
EXAMPLE_VALUES = {"unit": "住建局", "group": "各街道", "person": "王旭锋", "goal": "主要预期目标", "issuer": "钟楼区",
                  "year": "2022", "text": "停车", "iri": "https://w3id.org/govkg/id/plan/320404/2022/main/18"}


def test_one_query_per_question():
    numbers = sorted(int(name[1:3]) for name in CATALOG)
    assert numbers == list(range(1, 18))  # Q1–Q16 of the questions; Q17 counts Q9's weak records per plan


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_header_and_parameters(name):
    query = CATALOG[name]
    assert query.title_zh and query.title_en and query.description.startswith(f"Q{int(name[1:3])}.")
    assert query.example.startswith(f"govkg query {name}")
    where = query.text.upper().index("WHERE")
    assert query.text.index(PARAMS_MARKER) > where
    body = query.text[query.text.index(PARAMS_MARKER):]
    used = set(re.findall(r"\?p_(\w+)", body))
    assert used == {param.name for param in query.params}


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_bound_query_parses(name):
    query = CATALOG[name]
    params = {p.name: EXAMPLE_VALUES[p.kind] if p.kind != "year" or p.name == "year" else
              {"year1": "2021", "year2": "2022"}[p.name] for p in query.params}
    text = bind(query, params, load_lexicon())
    assert PARAMS_MARKER not in text
    solutions = pyoxigraph.Store().query(text)
    assert list(solutions) == []  # an empty store answers nothing, but the query must be valid SPARQL


def test_names_and_errors():
    assert find_query("Q1").name == find_query("q01").name == "q01-cooperating-tasks"
    with pytest.raises(QueryError, match="no named query"):
        find_query("q99")
    query = find_query("q01")
    lex = load_lexicon()
    with pytest.raises(QueryError, match="needs --param unit"):
        bind(query, {}, lex)
    with pytest.raises(QueryError, match="has no parameter colour"):
        bind(query, {"unit": "住建局", "colour": "red"}, lex)
    with pytest.raises(QueryError, match="must be a year"):
        bind(query, {"unit": "住建局", "year": "20x2"}, lex)
    with pytest.raises(QueryError, match="absolute IRI"):
        bind(find_query("q12"), {"task": "plan/1> } DROP ALL { <x"}, lex)


def test_aliases_expand_within_the_issuer():
    lex = load_lexicon()
    text = bind(find_query("q01"), {"unit": "钟楼资规分局", "issuer": "钟楼区"}, lex)
    assert '"资规分局"@zh' in text and '"钟楼资规分局"@zh' in text
    assert '"常州市钟楼区"@zh' in text
    grouped = bind(find_query("q11"), {"group": "各镇、开发区"}, lex)
    assert '"各镇"@zh' in grouped and '"各开发区"@zh' in grouped


_HEAD = ("# title@zh: 试\n# title@en: Test\n# description: Q1. A test.\n# example: govkg query test\n"
         "# param: issuer | issuer | optional | 发文政府 / issuer\n")


@pytest.mark.parametrize(("header", "message"), [
    ("# part-rows: 0\n", "'part-rows:' must be a count of rows such as 1, not '0'"),
    ("# part-rows: some\n", "'part-rows:' must be a count of rows such as 1, not 'some'"),
    ("# paged-over: plans\n", "'paged-over:' must be one of issuers, reports, not 'plans'"),
    ("", "two '# @params' lines in the group"),
])
def test_a_header_or_template_the_binder_cannot_use_is_refused(tmp_path, header, message):
    from govkg.query.catalog import parse_query

    markers = "  # @params\n" * (1 if header else 2)
    path = tmp_path / "q99-test.rq"
    path.write_text(_HEAD + header + "SELECT * WHERE {\n" + markers + "  ?gov ?p ?p_issuer .\n}\n", encoding="utf-8")
    with pytest.raises(QueryError, match=re.escape(f"q99-test.rq: {message}")):
        parse_query(path)


def test_the_headers_of_questions_planned_from_fewer_rows_or_paged_over_reports():
    assert (CATALOG["q09-weak-records"].part_rows, CATALOG["q16-unit-fate"].part_rows) == (1, 1)
    assert CATALOG["q01-cooperating-tasks"].part_rows is None
    assert {name for name, query in CATALOG.items() if query.paged_over == "reports"} == {
        "q13-unit-progress", "q14-behind-schedule"}
