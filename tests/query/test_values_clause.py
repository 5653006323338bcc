"""The binder's one VALUES clause (the parameters together, their combinations as rows) answers exactly as a
clause per parameter does, on the samples, for every named query with and without an issuer and a year."""

from __future__ import annotations

import importlib
import itertools
import re

import pyoxigraph
import pytest

from govkg.lexicon import load_lexicon
from govkg.query import bind, find_query, load_catalog
from govkg.query.catalog import PARAMS_MARKER

bind_module = importlib.import_module("govkg.query.bind")  # the module (govkg.query.bind is the function)
CATALOG = load_catalog()
#: Values that answer on the samples (钟楼区's plans are for 2021, 2022 and 2025).
VALUES = {"unit": "住建局", "group": "各街道", "person": "王旭锋", "goal": "主要预期目标", "issuer": "钟楼区",
          "year": "2022", "text": "停车", "iri": "https://w3id.org/govkg/id/plan/320404/2022/main/18"}


def _clause_per_parameter(query, params) -> str:
    """The query bound as the binder did before: `VALUES ?p_x { … }` for each parameter, in order."""
    lex = load_lexicon()
    issuer = params.get("issuer")
    lines = []
    for param in query.params:
        raw = params.get(param.name)
        terms = ["UNDEF"] if raw is None else [bind_module.sparql_term(term) for term in bind_module.terms_for(
            param, raw, issuer=issuer, lex=lex)]
        lines.append(f"VALUES ?{param.variable} {{ {' '.join(terms)} }}")
    return query.text.replace(PARAMS_MARKER, "\n".join(lines))


def _answers(store: pyoxigraph.Store, text: str) -> list[tuple]:
    result = store.query(text, use_default_graph_as_union=True)
    return sorted(tuple(str(value) if value is not None else "" for value in row) for row in result)


def _cases():
    for name, query in sorted(CATALOG.items()):
        kinds = {param.name: param for param in query.params}
        required = {p.name: VALUES[p.kind] if p.name not in ("year1", "year2") else
                    {"year1": "2021", "year2": "2022"}[p.name] for p in query.params if p.required}
        optional = [p.name for p in query.params if not p.required and p.name in ("issuer", "year")]
        for given in itertools.chain.from_iterable(itertools.combinations(optional, k)
                                                   for k in range(len(optional) + 1)):
            yield name, {**required, **{key: VALUES[kinds[key].kind] for key in given}}


@pytest.fixture(scope="module")
def store(built):
    return pyoxigraph.Store.read_only(str(built / "store"))


@pytest.mark.parametrize(("name", "params"), list(_cases()), ids=str)
def test_one_clause_answers_as_a_clause_per_parameter(store, name, params):
    query = CATALOG[name]
    together = bind(query, params, load_lexicon())
    assert together.count("VALUES (") == query.text.count(PARAMS_MARKER)
    assert _answers(store, together) == _answers(store, _clause_per_parameter(query, params))


def test_the_clause_holds_every_combination_of_spellings():
    lex = load_lexicon()
    text = bind(find_query("q01"), {"unit": "钟楼资规分局", "issuer": "钟楼区", "year": "2022"}, lex)
    clause = text[text.index("VALUES ("):text.index("}", text.index("VALUES ("))]
    assert clause.splitlines()[0] == "VALUES (?p_unit ?p_year ?p_issuer) {"
    rows = re.findall(r"^\s*\((.*)\)$", clause, re.M)
    year, issuer = '"2022"^^<http://www.w3.org/2001/XMLSchema#gYear>', '"常州市钟楼区"@zh'
    assert sorted(rows) == sorted(f"{unit} {year} {issuer}" for unit in ('"钟楼资规分局"@zh', '"资规分局"@zh'))


def test_parameters_past_the_row_cap_get_a_clause_of_their_own(monkeypatch):
    monkeypatch.setattr(bind_module, "MAX_VALUES_ROWS", 1)
    text = bind(find_query("q01"), {"unit": "钟楼资规分局", "issuer": "钟楼区"}, load_lexicon())
    # the unit's two spellings would make two rows: it is bound apart, the others together
    assert 'VALUES ?p_unit { "钟楼资规分局"@zh "资规分局"@zh }' in text
    assert 'VALUES (?p_year ?p_issuer) {\n    (UNDEF "常州市钟楼区"@zh)\n  }' in text
