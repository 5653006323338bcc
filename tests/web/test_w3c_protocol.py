"""The W3C SPARQL 1.1 Protocol cases (kasei/sparql11-protocolvalidator), one test each, against `govkg serve`.

The validator loads its own graphs (data0.rdf … data3.rdf, each holding `<dataN.rdf> a foaf:Document`) through
the update endpoint. This store is read-only and holds the sample build, so the cases are adapted:

=================================  ==================================================================
W3C case                           adapted expectation
=================================  ==================================================================
data1 / data2 / data3.rdf          plan graphs of the build (A = graph/plan/320404/2022,
                                   B = …/320404/2021, C = …/320412/2023), each holding one
                                   `<plan> a gw:WorkPlan` (discovered with a query, not assumed)
data0.rdf (never loaded)           a graph IRI the store lacks: accepted, and empty
query_get / _post_form / _direct   `ASK {}` → 200, true, Content-Type exactly the XML or JSON results type
                                   (the validator compares the whole header); the 516 tasks of the union
query_dataset_default_graph        ASK about A's plan with default graph A → true; the default graph
                                   then holds A's plan and A's 116 tasks only
query_dataset_default_graphs_*     default graphs A + B: the merge (both plans, 116 + 92 tasks)
query_dataset_named_graphs_*       named graphs A, B: `GRAPH ?g` sees exactly A and B; default empty
query_dataset_full                 default C, named A, B: each part holds exactly what it should
query_multiple_dataset             protocol dataset overrides FROM / FROM NAMED in the query
query_content_type_*               SELECT → one of XML/JSON/CSV/TSV, ASK → XML/JSON, DESCRIBE and
                                   CONSTRUCT → RDF/XML or Turtle; the answers are checked as well
bad_query_*                        405 (PUT), 400 (two queries, no Content-Type, UTF-16, syntax),
                                   415 (text/plain)
update_post_form / _direct,        403: a well-formed update is refused (read-only endpoint), and the
update_dataset_*, update_base_uri  store is unchanged afterwards (same quads, no new graph)
bad_update_get                     403 (an update is never run, whatever the method)
bad_multiple_updates,              403 (refused as updates before anything else is looked at)
bad_update_syntax,
bad_update_dataset_conflict
bad_update_wrong_media_type        415
bad_update_missing_form_type       400
bad_update_non_utf8                400 (the charset is refused before the body is read as an update)
=================================  ==================================================================
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

G = "https://w3id.org/govkg/id/graph/"
GW = "https://w3id.org/govkg/ontology#"
TASK = f"<{GW}Task>"
A, B, C = G + "plan/320404/2022", G + "plan/320404/2021", G + "plan/320412/2023"
ABSENT = G + "plan/000000/0000"  # the validator's data0.rdf: named in requests, never loaded
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
RESULTS = ("application/sparql-results+json", "application/sparql-results+xml")
SRX = "{http://www.w3.org/2005/sparql-results#}"
TASKS = f"SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{ ?t a {TASK} }}"
PLANS = f"SELECT ?plan WHERE {{ ?plan a <{GW}WorkPlan> }}"
NAMED = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


# --- helpers -----------------------------------------------------------------------------------------------

def media(response: httpx.Response) -> str:
    """The media type of a response, without parameters."""
    return response.headers["content-type"].split(";")[0].strip().lower()


def boolean(response: httpx.Response) -> bool:
    """The answer of an ASK, which must arrive as SPARQL results in XML or JSON."""
    assert response.status_code == 200, response.text
    # The whole header, as the validator compares it: the bare media type.
    assert response.headers["content-type"] in RESULTS
    if media(response).endswith("json"):
        return response.json()["boolean"]
    return ET.fromstring(response.content).findtext(f"{SRX}boolean") == "true"


def column(response: httpx.Response, name: str) -> list[str]:
    """The values of one variable of a SELECT answered in SPARQL JSON, sorted."""
    assert response.status_code == 200, response.text
    return sorted(row[name]["value"] for row in response.json()["results"]["bindings"] if name in row)


def form(*pairs: tuple[str, str], accept: str | None = None) -> dict[str, Any]:
    """httpx arguments for a URL-encoded POST with these fields, in this order (names may repeat)."""
    headers = {"Content-Type": FORM, **({"Accept": accept} if accept else {})}
    return {"content": urlencode(pairs), "headers": headers}


def direct(text: str, content_type: str = DIRECT) -> dict[str, Any]:
    """httpx arguments for a POST with the operation as the body."""
    return {"content": text.encode(), "headers": {"Content-Type": content_type}}


def url(server: str, *pairs: tuple[str, str]) -> str:
    """The endpoint URL with these query-string parameters (names may repeat)."""
    return f"{server}/sparql?{urlencode(pairs, quote_via=quote)}" if pairs else f"{server}/sparql"


def sparql(server: str, method: str, *pairs: tuple[str, str], **kwargs: Any) -> httpx.Response:
    """One request to the endpoint."""
    return httpx.request(method, url(server, *pairs), timeout=30, **kwargs)


@pytest.fixture(scope="module")
def plans(server: str) -> dict[str, str]:
    """Each plan graph of the build → the one plan it holds, found over the endpoint."""
    response = sparql(server, "GET", ("query", f"SELECT ?g ?plan WHERE {{ GRAPH ?g {{ ?plan a <{GW}WorkPlan> }} }}"))
    rows = [(row["g"]["value"], row["plan"]["value"]) for row in response.json()["results"]["bindings"]]
    found = dict(rows)
    assert len(found) == len(rows), "a graph holds more than one plan"
    assert {A, B, C} <= set(found) and ABSENT not in found
    graphs = column(sparql(server, "GET", ("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")), "g")
    assert ABSENT not in graphs
    return found


@pytest.fixture(scope="module")
def quads(built: Path) -> int:
    """How many quads the build holds (its N-Quads dump, one a line)."""
    with (built / "dataset.nq").open(encoding="utf-8") as lines:
        return sum(1 for _ in lines)


def assert_unchanged(server: str, quads: int) -> None:
    """The store still holds exactly the build's quads and no graph the update cases would have made."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert column(sparql(server, "GET", ("query", count)), "n") == [str(quads)]
    graphs = column(sparql(server, "GET", ("query", NAMED)), "g")
    assert not [g for g in graphs if g.startswith("http://example.org/")]


# --- positive query cases ----------------------------------------------------------------------------------

def test_query_get(server: str) -> None:
    """query_get: a query in the URL of a GET."""
    assert boolean(sparql(server, "GET", ("query", "ASK {}"), ("default-graph-uri", ABSENT))) is True
    assert column(sparql(server, "GET", ("query", TASKS)), "n") == ["516"]


def test_query_post_form(server: str) -> None:
    """query_post_form: a query in a URL-encoded POST body."""
    assert boolean(sparql(server, "POST", **form(("query", "ASK {}"), ("default-graph-uri", ABSENT)))) is True
    assert column(sparql(server, "POST", **form(("query", TASKS))), "n") == ["516"]


def test_query_post_direct(server: str) -> None:
    """query_post_direct: the query as the POST body, dataset in the URL."""
    assert boolean(sparql(server, "POST", ("default-graph-uri", ABSENT), **direct("ASK {}"))) is True
    assert column(sparql(server, "POST", **direct(TASKS)), "n") == ["516"]


def test_query_dataset_default_graph(server: str, plans: dict[str, str]) -> None:
    """query_dataset_default_graph: default-graph-uri makes that one graph the default graph."""
    given = ("default-graph-uri", A)
    assert boolean(sparql(server, "POST", **form(("query", f"ASK {{ <{plans[A]}> ?p ?o }}"), given))) is True
    assert boolean(sparql(server, "POST", **form(("query", f"ASK {{ <{plans[B]}> ?p ?o }}"), given))) is False
    assert column(sparql(server, "POST", **form(("query", PLANS), given)), "plan") == [plans[A]]
    # 2022's document: 88 main tasks and 28 民生实事 items.
    assert column(sparql(server, "POST", **form(("query", TASKS), given)), "n") == ["116"]
    # A graph the store lacks is an empty default graph, not an error.
    assert column(sparql(server, "POST", **form(("query", PLANS), ("default-graph-uri", ABSENT))), "plan") == []


def _both_plans(plans: dict[str, str]) -> str:
    return f"ASK {{ <{plans[A]}> a ?type . <{plans[B]}> a ?type . }}"


def test_query_dataset_default_graphs_get(server: str, plans: dict[str, str]) -> None:
    """query_dataset_default_graphs_get: two default-graph-uri in a GET; the default graph is their merge."""
    both = (("default-graph-uri", A), ("default-graph-uri", B))
    assert boolean(sparql(server, "GET", ("query", _both_plans(plans)), *both)) is True
    assert boolean(sparql(server, "GET", ("query", _both_plans(plans)), both[0])) is False
    assert column(sparql(server, "GET", ("query", PLANS), *both), "plan") == sorted([plans[A], plans[B]])


def test_query_dataset_default_graphs_post(server: str, plans: dict[str, str]) -> None:
    """query_dataset_default_graphs_post: two default-graph-uri in a form POST; the merge of both."""
    both = (("default-graph-uri", A), ("default-graph-uri", B))
    assert boolean(sparql(server, "POST", **form(("query", _both_plans(plans)), *both))) is True
    assert column(sparql(server, "POST", **form(("query", TASKS), *both)), "n") == [str(116 + 92)]


def _named_plans(plans: dict[str, str]) -> str:
    return f"ASK {{ GRAPH ?g1 {{ <{plans[A]}> a ?type }} GRAPH ?g2 {{ <{plans[B]}> a ?type }} }}"


def _check_named(server: str, method: str, plans: dict[str, str]) -> None:
    both = (("named-graph-uri", A), ("named-graph-uri", B))

    def ask(query: str) -> httpx.Response:
        return sparql(server, "GET", ("query", query), *both) if method == "GET" else \
            sparql(server, "POST", **form(("query", query), *both))

    assert boolean(ask(_named_plans(plans))) is True
    assert column(ask(NAMED), "g") == sorted([A, B])
    assert boolean(ask(f"ASK {{ GRAPH <{C}> {{ ?s ?p ?o }} }}")) is False
    # Named graphs only: the default graph is empty (SPARQL 1.1 Query §13.2).
    assert boolean(ask("ASK { ?s ?p ?o }")) is False


def test_query_dataset_named_graphs_post(server: str, plans: dict[str, str]) -> None:
    """query_dataset_named_graphs_post: named-graph-uri in a form POST; GRAPH sees those graphs only."""
    _check_named(server, "POST", plans)


def test_query_dataset_named_graphs_get(server: str, plans: dict[str, str]) -> None:
    """query_dataset_named_graphs_get: named-graph-uri in a GET; GRAPH sees those graphs only."""
    _check_named(server, "GET", plans)


def test_query_dataset_full(server: str, plans: dict[str, str]) -> None:
    """query_dataset_full: default and named graphs both given; each part holds what it was given."""
    dataset = (("default-graph-uri", C), ("named-graph-uri", A), ("named-graph-uri", B))
    query = (f"ASK {{ <{plans[C]}> a ?type GRAPH ?g1 {{ <{plans[A]}> a ?type }} "
             f"GRAPH ?g2 {{ <{plans[B]}> a ?type }} }}")
    assert boolean(sparql(server, "POST", **form(("query", query), *dataset))) is True
    assert column(sparql(server, "POST", **form(("query", PLANS), *dataset)), "plan") == [plans[C]]
    assert column(sparql(server, "POST", **form(("query", NAMED), *dataset)), "g") == sorted([A, B])
    per_graph = f"SELECT ?g (COUNT(DISTINCT ?t) AS ?n) WHERE {{ GRAPH ?g {{ ?t a {TASK} }} }} GROUP BY ?g"
    rows = sparql(server, "POST", **form(("query", per_graph), *dataset)).json()["results"]["bindings"]
    assert sorted((row["g"]["value"], row["n"]["value"]) for row in rows) == [(B, "92"), (A, "116")]


def test_query_multiple_dataset(server: str, plans: dict[str, str]) -> None:
    """query_multiple_dataset: a dataset in the query and in the protocol; the protocol's is used."""
    query = f"ASK FROM <{C}> {{ GRAPH ?g1 {{ <{plans[A]}> a ?type }} GRAPH ?g2 {{ <{plans[B]}> a ?type }} }}"
    named = (("named-graph-uri", A), ("named-graph-uri", B))
    assert boolean(sparql(server, "POST", **form(("query", query), *named))) is True
    # Without the protocol's dataset the query's own (FROM <C>, no named graphs) holds neither graph.
    assert boolean(sparql(server, "POST", **form(("query", query)))) is False
    from_c = f"SELECT (COUNT(DISTINCT ?t) AS ?n) FROM <{C}> FROM NAMED <{C}> WHERE {{ ?t a {TASK} }}"
    assert column(sparql(server, "POST", **form(("query", from_c))), "n") == ["87"]
    assert column(sparql(server, "POST", **form(("query", from_c), ("default-graph-uri", B))), "n") == ["92"]
    # The protocol's named graphs replace FROM NAMED, and its empty default graph replaces FROM.
    from_named = f"SELECT DISTINCT ?g FROM <{C}> FROM NAMED <{C}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert column(sparql(server, "POST", **form(("query", from_named), *named)), "g") == sorted([A, B])
    assert column(sparql(server, "POST", **form(("query", from_c), *named)), "n") == ["0"]


def test_query_content_type_select(server: str) -> None:
    """query_content_type_select: a SELECT answers in XML, JSON, CSV or TSV results."""
    response = sparql(server, "POST", **form(("query", "SELECT (1 AS ?value) {}"), ("default-graph-uri", ABSENT)))
    assert response.status_code == 200
    assert media(response) in (*RESULTS, "text/csv", "text/tab-separated-values")
    row = response.json()["results"]["bindings"]
    assert row == [{"value": {"type": "literal", "value": "1",
                              "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]


def test_query_content_type_ask(server: str) -> None:
    """query_content_type_ask: an ASK answers in XML or JSON results, in either when asked."""
    response = sparql(server, "POST", **form(("query", "ASK {}"), ("default-graph-uri", ABSENT)))
    assert media(response) in RESULTS and response.json() == {"head": {}, "boolean": True}
    unit = f"ASK {{ ?s a <{GW}Unit> }}"
    xml = sparql(server, "POST", **form(("query", unit), accept="application/sparql-results+xml"))
    assert media(xml) == "application/sparql-results+xml" and boolean(xml) is True
    assert boolean(sparql(server, "GET", ("query", f"ASK {{ <{GW}nothing> ?p ?o }}"))) is False


def _rdf(response: httpx.Response) -> Graph:
    """The graph of a DESCRIBE / CONSTRUCT answer, which must be RDF/XML or Turtle."""
    assert response.status_code == 200, response.text
    kind = {"application/rdf+xml": "xml", "text/turtle": "turtle"}.get(media(response))
    assert kind, f"not RDF/XML or Turtle: {response.headers['content-type']}"
    return Graph().parse(data=response.content, format=kind)


def test_query_content_type_describe(server: str, plans: dict[str, str]) -> None:
    """query_content_type_describe: a DESCRIBE answers in an RDF format, with the resource's triples."""
    assert len(_rdf(sparql(server, "POST", **form(("query", "DESCRIBE <http://example.org/>"),
                                                  ("default-graph-uri", ABSENT))))) == 0
    plan = URIRef(plans[A])
    graph = _rdf(sparql(server, "POST", **form(("query", f"DESCRIBE <{plan}>"))))
    assert (plan, RDF.type, URIRef(GW + "WorkPlan")) in graph
    assert set(graph.subjects()) >= {plan}
    # Described from its own graph only when that graph is the default graph.
    assert len(_rdf(sparql(server, "POST", **form(("query", f"DESCRIBE <{plan}>"), ("default-graph-uri", B))))) == 0


def test_query_content_type_construct(server: str) -> None:
    """query_content_type_construct: a CONSTRUCT answers in an RDF format; relative IRIs against the endpoint."""
    graph = _rdf(sparql(server, "POST", **form(("query", "CONSTRUCT { <s> <p> 1 } WHERE {}"),
                                               ("default-graph-uri", ABSENT))))
    assert set(graph) == {(URIRef(f"{server}/s"), URIRef(f"{server}/p"), Literal(1))}


# --- negative query cases (any 4xx / 5xx passes the validator; the exact code is pinned here) -------------

ASK_EMPTY = "ASK%20%7B%7D"
DATA0 = ("default-graph-uri", ABSENT)


def test_bad_query_method(server: str) -> None:
    """bad_query_method: PUT is not a query method."""
    response = sparql(server, "PUT", ("query", "ASK {}"), DATA0, content=b"")
    assert response.status_code == 405 and response.headers["allow"] == "GET, POST"


def test_bad_multiple_queries(server: str) -> None:
    """bad_multiple_queries: two query parameters."""
    response = sparql(server, "GET", ("query", "ASK {}"), ("query", "SELECT * {}"), DATA0)
    assert response.status_code == 400 and "more than one query" in response.text


def test_bad_query_wrong_media_type(server: str) -> None:
    """bad_query_wrong_media_type: a POST body that is neither a form nor application/sparql-query."""
    assert sparql(server, "POST", DATA0, **direct("ASK {}", "text/plain")).status_code == 415


def test_bad_query_missing_form_type(server: str) -> None:
    """bad_query_missing_form_type: a URL-encoded body without its Content-Type."""
    response = sparql(server, "POST", content=urlencode([("query", "ASK {}"), DATA0]).encode())
    assert "content-type" not in response.request.headers
    assert response.status_code == 400


def test_bad_query_missing_direct_type(server: str) -> None:
    """bad_query_missing_direct_type: a query body without its Content-Type."""
    response = sparql(server, "POST", DATA0, content=b"ASK {}")
    assert "content-type" not in response.request.headers
    assert response.status_code == 400


def test_bad_query_non_utf8(server: str) -> None:
    """bad_query_non_utf8: a direct POST in UTF-16."""
    response = sparql(server, "POST", DATA0, content="ASK {}".encode("utf-16"),
                      headers={"Content-Type": f"{DIRECT}; charset=UTF-16"})
    assert response.status_code == 400 and "UTF-8" in response.text
    # The same bytes without a charset are still not UTF-8; another declared charset is refused too.
    assert sparql(server, "POST", **{**direct(""), "content": "ASK {}".encode("utf-16")}).status_code == 400
    assert sparql(server, "POST", **direct("ASK {}", f"{DIRECT}; charset=ISO-8859-1")).status_code == 400


def test_bad_query_syntax(server: str) -> None:
    """bad_query_syntax: `ASK {` is not a query."""
    response = httpx.get(f"{server}/sparql?query=ASK%20%7B&default-graph-uri={quote(ABSENT, safe='')}")
    assert response.status_code == 400 and "not valid SPARQL" in response.text
    assert sparql(server, "POST", **direct("SELECT ?x WHERE { ?x ")).status_code == 400


# --- update cases: the endpoint is read-only, so every update is refused and nothing changes ---------------

def _update(plans: dict[str, str], target: str, where: str) -> str:
    """An update after the validator's: clear, insert a foaf:Document, copy what matches into a test graph."""
    return (f"PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nDROP ALL ;\n"
            f"INSERT DATA {{ GRAPH <{A}> {{ <{plans[A]}> a foaf:Document }} "
            f"GRAPH <{B}> {{ <{plans[B]}> a foaf:Document }} GRAPH <{C}> {{ <{plans[C]}> a foaf:Document }} }} ;\n"
            f"INSERT {{ GRAPH <http://example.org/{target}/> {{ ?s a dc:BibliographicResource }} }}\n"
            f"WHERE {{ {where} }}")


UPDATE_DATASETS = {
    "update_dataset_default_graph": ([("using-graph-uri", A)], "?s a foaf:Document"),
    "update_dataset_default_graphs": ([("using-graph-uri", A), ("using-graph-uri", B)], "?s a foaf:Document"),
    "update_dataset_named_graphs": ([("using-named-graph-uri", A), ("using-named-graph-uri", B)],
                                    "GRAPH ?g { ?s a foaf:Document }"),
    "update_dataset_full": ([("using-graph-uri", A), ("using-named-graph-uri", B)],
                            "{ GRAPH ?g { ?s a foaf:Document } } UNION { ?s a foaf:Document }"),
}


@pytest.mark.parametrize("case", list(UPDATE_DATASETS))
def test_update_dataset(server: str, plans: dict[str, str], quads: int, case: str) -> None:
    """update_dataset_*: an update with a protocol dataset (in the URL) is refused (403); the store is as built."""
    using, where = UPDATE_DATASETS[case]
    response = sparql(server, "POST", *using, **form(("update", _update(plans, case.replace("_", "-"), where))))
    assert response.status_code == 403 and "read-only" in response.text
    assert_unchanged(server, quads)


def test_update_post_form(server: str, quads: int) -> None:
    """update_post_form: `CLEAR ALL` in a form POST is refused (403) and clears nothing."""
    response = sparql(server, "POST", **form(("update", "CLEAR ALL")))
    assert response.status_code == 403 and "read-only" in response.text
    assert_unchanged(server, quads)


def test_update_post_direct(server: str, quads: int) -> None:
    """update_post_direct: `CLEAR ALL` as an application/sparql-update body is refused (403)."""
    response = sparql(server, "POST", **direct("CLEAR ALL", UPDATE))
    assert response.status_code == 403 and "read-only" in response.text
    assert_unchanged(server, quads)


def test_update_base_uri(server: str, quads: int) -> None:
    """update_base_uri: the insert with a relative IRI is refused; the follow-up query finds nothing."""
    graph = "http://example.org/protocol-base-test/"
    update = (f"CLEAR GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/s> "
              f"<http://example.org/p> <test> }} }}")
    assert sparql(server, "POST", **form(("update", update))).status_code == 403
    query = f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <http://example.org/s> <http://example.org/p> ?o }} }}"
    answer = sparql(server, "POST", **form(("query", query), accept="application/sparql-results+xml"))
    assert media(answer) == "application/sparql-results+xml"
    assert ET.fromstring(answer.content).findall(f"{SRX}results/{SRX}result") == []
    assert_unchanged(server, quads)


USING0 = ("using-graph-uri", ABSENT)


@pytest.mark.parametrize(("case", "request_", "status"), [
    ("bad_update_get", {"method": "GET", "pairs": [("update", "CLEAR ALL"), USING0]}, 403),
    ("bad_multiple_updates", {"method": "POST", **form(("update", "CLEAR NAMED"), ("update", "CLEAR DEFAULT"),
                                                      USING0)}, 403),
    ("bad_update_wrong_media_type", {"method": "POST", "pairs": [USING0], **direct("CLEAR NAMED", "text/plain")},
     415),
    ("bad_update_missing_form_type", {"method": "POST", "content": urlencode([("update", "CLEAR NAMED"), USING0])},
     400),
    ("bad_update_non_utf8", {"method": "POST", "pairs": [USING0], "content": "CLEAR NAMED".encode("utf-16"),
                             "headers": {"Content-Type": f"{UPDATE}; charset=UTF-16"}}, 400),
    ("bad_update_syntax", {"method": "POST", **form(("update", "CLEAR XYZ"), USING0)}, 403),
    ("bad_update_dataset_conflict", {"method": "POST", **form(
        ("using-named-graph-uri", "http://example/people"),
        ("update", "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
                   "DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
                   "WHERE { ?person foaf:givenName 'Bill' }\n"))}, 403),
])
def test_bad_update(server: str, quads: int, case: str, request_: dict[str, Any], status: int) -> None:
    """bad_update_*: each malformed update request gets its 4xx; nothing is run."""
    arguments = dict(request_)
    response = sparql(server, arguments.pop("method"), *arguments.pop("pairs", []), **arguments)
    assert response.status_code == status, response.text
    assert_unchanged(server, quads)
