"""A VALUES clause of more than bind.VALUES_START_ROWS rows is bound in parts, the group pattern around the
`# @params` line written once per part and the copies joined by UNION: the answers are those of the one clause
(checked on the samples for every named question with names of several spellings, split row by row), and the
template scanner finds each marker's group whatever braces its comments, strings and IRIs hold."""

from __future__ import annotations

import dataclasses
import importlib

import pyoxigraph
import pytest
from rdflib import URIRef

from govkg.lexicon import load_lexicon
from govkg.query import QueryError, bind, find_query, load_catalog
from govkg.query.bind import bind_rows, bind_text_rows
from govkg.query.catalog import parse_query
from govkg.query.template import PARAMS_MARKER, TemplateError, marked_groups
from govkg.resources import resource_dir

bind_module = importlib.import_module("govkg.query.bind")  # the module (govkg.query.bind is the function)
CATALOG = load_catalog()

#: Values with several spellings or rows on the samples: the unit 钟楼资规分局 is also spelled 资规分局, the list
#: of two groups makes a row per group, and the years and issuers of the samples answer.
SEVERAL = {"unit": "钟楼资规分局", "group": "各街道、各镇", "person": "王旭锋", "goal": "主要预期目标",
           "issuer": "钟楼区", "year": "2022", "text": "停车",
           "iri": "https://w3id.org/govkg/id/plan/320404/2022/main/18"}


def test_the_group_around_each_marker():
    text = ('SELECT * WHERE {\n  ?a ?b "}{" .\n  { SELECT ?x WHERE {\n    # @params\n    ?x <urn:x#}> ?y .\n'
            '  } }\n  # a comment with a brace }\n  OPTIONAL { ?a ?c ?d }\n}\n')
    (group,) = marked_groups(text)
    assert text[group.open] == "{" and text[group.close] == "}"
    assert text[group.open:group.close + 1] == '{\n    # @params\n    ?x <urn:x#}> ?y .\n  }'
    assert text[group.marker_start:group.marker_end] == "    # @params\n"


@pytest.mark.parametrize(("text", "message"), [
    ("# @params\nSELECT * WHERE { ?a ?b ?c }", "outside every group"),
    ("SELECT * WHERE {\n# @params\n# @params\n?a ?b ?c }", "two '# @params' lines"),
    ("SELECT * WHERE {\n# @params\n?a ?b ?c", "not closed"),
    ('SELECT * WHERE {\n# @params\n?a ?b "c }', "string literal"),
    ("SELECT * WHERE { ?a ?b ?c }}", "closes no group"),
])
def test_a_template_whose_markers_cannot_be_placed(text, message):
    with pytest.raises(TemplateError, match=message):
        marked_groups(text)


def test_every_marker_of_the_catalog_is_placed():
    for name, query in CATALOG.items():
        assert len(marked_groups(query.text)) == query.text.count(PARAMS_MARKER), name


def test_a_clause_within_the_limit_is_one_part():
    text = bind(find_query("q01"), {"unit": "钟楼资规分局", "issuer": "钟楼区"}, load_lexicon())
    assert "UNION" not in text and text.count("VALUES (") == 1


#: The samples' two issuers, asked of together as a national answer's page asks a group of issuers.
ISSUERS = ("常州市武进区", "常州市钟楼区")


def _cases():
    for name, query in sorted(CATALOG.items()):
        params = {p.name: SEVERAL[p.kind] if p.name not in ("year1", "year2") else
                  {"year1": "2021", "year2": "2022"}[p.name] for p in query.params}
        yield name, params, ()
        if any(p.name == "issuer" for p in query.params):
            without = {key: value for key, value in params.items() if key != "issuer"}
            yield name, without, ()
            yield name, without, ISSUERS


def _answers(store: pyoxigraph.Store, text: str) -> list[tuple]:
    result = store.query(text, use_default_graph_as_union=True)
    return sorted(tuple(str(value) if value is not None else "" for value in row) for row in result)


@pytest.fixture(scope="module")
def store(built):
    return pyoxigraph.Store.read_only(str(built / "store"))


@pytest.mark.parametrize(("name", "params", "issuers"), list(_cases()), ids=str)
def test_parts_answer_as_the_one_clause(store, monkeypatch, name, params, issuers):
    query, lex = CATALOG[name], load_lexicon()
    monkeypatch.setattr(bind_module, "VALUES_START_ROWS", 10_000)
    whole = bind(dataclasses.replace(query, part_rows=None), params, lex, issuers)  # one clause
    monkeypatch.setattr(bind_module, "VALUES_START_ROWS", 1)
    parts = bind(query, params, lex, issuers)
    if len(bind_module.values_parts(query, params, lex, issuers)) > 1:
        assert parts.count("UNION") > whole.count("UNION")
    else:
        assert parts == whole
    assert _answers(store, parts) == _answers(store, whole)


def test_the_cases_split_and_answer(store, monkeypatch):
    # the comparison above is not vacuous: most cases are split and many have answers
    monkeypatch.setattr(bind_module, "VALUES_START_ROWS", 1)
    lex = load_lexicon()
    split = [(name, params, issuers) for name, params, issuers in _cases()
             if len(bind_module.values_parts(CATALOG[name], params, lex, issuers)) > 1]
    answered = [name for name, params, issuers in split if _answers(store, bind(CATALOG[name], params, lex, issuers))]
    assert len(split) >= 20 and len(set(answered)) >= 8, (split, answered)


def test_rows_of_terms_are_bound_in_parts_with_the_same_answer(store, monkeypatch):
    # govkg track binds the tasks it details (and a unit's nodes) as rows of IRIs: 30 tasks of 钟楼区's 2021 plan
    # make four parts, whose answer is the one clause's
    details = parse_query(resource_dir("queries") / "tracking" / "details.rq")
    rows = [(URIRef(f"https://w3id.org/govkg/id/plan/320404/2021/main/{n}"),) for n in range(1, 31)]
    parts = bind_rows(details, ["p_task"], rows)
    assert parts.count("VALUES (?p_task) {") == 2 * 4  # both branches of the query, four parts each
    monkeypatch.setattr(bind_module, "VALUES_START_ROWS", 1000)
    whole = bind_rows(details, ["p_task"], rows)
    assert whole.count("VALUES (?p_task) {") == 2
    answer = _answers(store, parts)
    assert answer and answer == _answers(store, whole)


def test_rows_must_match_the_variables():
    details = parse_query(resource_dir("queries") / "tracking" / "details.rq")
    with pytest.raises(QueryError, match="each of p_task, p_year"):
        bind_rows(details, ["p_task", "p_year"], [(URIRef("urn:x:1"),)])


@pytest.mark.parametrize(("module", "name", "variable"), [
    ("people", "BROWSE_GOALS", "plan"), ("textsearch", "TASK_DETAILS", "s"), ("people", "UNIT_PARTNERS", "task")])
def test_the_pages_lists_of_resources_answer_in_parts_as_in_one_clause(store, module, name, variable):
    # the server's pages bind the plans or tasks they found (pages.bound_to); here every plan of the samples, or
    # 钟楼区's 2021 tasks, one a part, against one clause: the browse page's goal counts (GROUP BY) included
    from govkg.web.pages import PREFIX

    query = getattr(importlib.import_module(f"govkg.web.{module}"), name)
    found = "SELECT ?x WHERE { ?x a gw:WorkPlan }" if variable == "plan" else \
        "SELECT ?x WHERE { ?x gw:inPlan <https://w3id.org/govkg/id/plan/320404/2021> }"
    rows = [(URIRef(row["x"].value),) for row in store.query(PREFIX + found, use_default_graph_as_union=True)]
    assert len(rows) > 3
    unit = "<https://w3id.org/govkg/id/gov/320404/unit/住建局>"
    parts = PREFIX + bind_text_rows(query, [variable], rows, size=1).replace("$IRI", unit)
    whole = PREFIX + bind_text_rows(query, [variable], rows, size=len(rows)).replace("$IRI", unit)
    assert parts.count("UNION") >= whole.count("UNION") + len(rows) - 1
    answer = _answers(store, parts)
    assert answer and answer == _answers(store, whole)
