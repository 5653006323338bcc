"""Content negotiation, the service description and further SPARQL 1.1 Protocol behaviour, against a running
`govkg serve` (the W3C protocol validator's cases themselves are in test_w3c_protocol.py)."""

from __future__ import annotations

import json

import httpx
import pytest

TASK = "<https://w3id.org/govkg/ontology#Task>"
TASKS = f"SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{ ?t a {TASK} }}"


def count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize(("accept", "expected"), [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
    ("text/*", "text/csv"),
    ("text/csv;q=0, text/*", "text/tab-separated-values"),
    ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
])
def test_select_content_negotiation(server, accept, expected):
    response = httpx.get(f"{server}/sparql", params={"query": TASKS}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(expected)
    assert "516" in response.text
    assert response.headers["vary"] == "Accept"


def test_nothing_acceptable_is_406(server):
    response = httpx.get(f"{server}/sparql", params={"query": TASKS}, headers={"Accept": "*/*;q=0, image/png"})
    assert response.status_code == 406


def test_format_parameter_overrides_accept(server):
    response = httpx.get(f"{server}/sparql", params={"query": TASKS, "format": "csv"},
                         headers={"Accept": "application/sparql-results+xml"})
    assert response.headers["content-type"].startswith("text/csv") and response.text.splitlines() == ["n", "516"]


@pytest.mark.parametrize(("accept", "expected", "marker"), [
    ("text/turtle", "text/turtle", "住建局"),
    ("application/n-triples", "application/n-triples", "<https://w3id.org/govkg/id/gov/320404/unit/住建局>"),
    ("application/rdf+xml", "application/rdf+xml", "rdf:RDF"),
    ("application/ld+json", "application/ld+json", "@id"),
    ("application/n-quads", "application/n-quads", "住建局"),
    ("application/trig", "application/trig", "住建局"),
])
def test_construct_and_describe_formats(server, accept, expected, marker):
    unit = "<https://w3id.org/govkg/id/gov/320404/unit/%E4%BD%8F%E5%BB%BA%E5%B1%80>".replace(
        "%E4%BD%8F%E5%BB%BA%E5%B1%80", "住建局")
    for query in (f"CONSTRUCT {{ {unit} ?p ?o }} WHERE {{ {unit} ?p ?o }}", f"DESCRIBE {unit}"):
        response = httpx.get(f"{server}/sparql", params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200 and response.headers["content-type"].startswith(expected)
        assert marker in response.text


def test_service_description(server):
    response = httpx.get(f"{server}/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and "sd:Service" in response.text and "UnionDefaultGraph" in response.text


@pytest.mark.parametrize(("method", "kwargs", "status"), [
    # The W3C bad_* cases are in test_w3c_protocol.py; these are further malformed requests.
    ("GET", {"params": {"query": "SELEKT * WHERE { ?s ?p ?o }"}}, 400),
    ("POST", {"data": {"query": ""}}, 400),
])
def test_bad_requests(server, method, kwargs, status):
    response = httpx.request(method, f"{server}/sparql", **kwargs)
    assert response.status_code == status, response.text


def test_syntax_error_names_the_problem(server):
    response = httpx.get(f"{server}/sparql", params={"query": "SELECT ?x WHERE { ?x ?p }"})
    # The parser's position and a short reason, nothing more.
    assert response.status_code == 400 and "line 1, column" in response.text and len(response.text) < 200


def test_union_default_graph_needs_no_graph_clause(server):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> \"常州市钟楼区\"@zh }"
    assert count(httpx.get(f"{server}/sparql", params={"query": query})) >= 1


def test_json_results_are_valid_json(server):
    response = httpx.get(f"{server}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert len(json.loads(response.text)["results"]["bindings"]) == 5


def test_large_results_arrive_whole_every_time(server, built):
    """Several megabytes of results, asked for repeatedly on the same workers, arrive complete each time."""
    quads = sum(1 for _ in (built / "dataset.nq").open(encoding="utf-8"))
    for _ in range(4):
        response = httpx.get(server + "/sparql", params={"query": "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                             headers={"Accept": "application/sparql-results+json"}, timeout=60)
        assert response.status_code == 200, response.text[:200]
        assert len(response.content) > 2_000_000
        assert len(response.json()["results"]["bindings"]) == quads
