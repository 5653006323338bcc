"""Linked-data niceties: HEAD everywhere, CORS, named graphs that dereference, prefixed Turtle and compact JSON-LD,
Link headers, VoID / DCAT as pages, the JSON-LD dump, the no-JavaScript form's format, CSV with a BOM for people,
and `govkg serve` announcing its port only once it is bound."""

from __future__ import annotations

import gzip
import json
import re
import socket
import subprocess
import sys
import time
from urllib.parse import quote

import httpx
import pytest
from rdflib import Dataset, Graph, URIRef

from govkg.web.app import parse_cors
from local_servers import Listener, start_server

ID = "https://w3id.org/govkg/id/"
UNIT = "/id/gov/320404/unit/" + quote("住建局")
PLAN_GRAPH = "/id/graph/plan/320404/2022"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ASK = {"query": "ASK {}"}
TASKS = "SELECT (COUNT(*) AS ?n) WHERE { ?t a <https://w3id.org/govkg/ontology#Task> }"


def links(response: httpx.Response) -> dict[str, str]:
    """The Link header's rel="alternate" targets by media type."""
    found = re.findall(r'<([^>]*)>; rel="alternate"; type="([^"]+)"', response.headers.get("link", ""))
    return {media: target for target, media in found}


# --- HEAD --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "accept"), [
    ("/", BROWSER), ("/void", "text/turtle"), ("/catalog", BROWSER), ("/dumps/", BROWSER), (UNIT, "text/turtle"),
    ("/sparql?query=ASK%20%7B%7D", "application/sparql-results+json"), ("/queries", "*/*"),
    ("/static/govkg.css", "*/*"),
])
def test_head_answers_like_get_without_a_body(server, url, accept):
    got = httpx.get(server + url, headers={"Accept": accept})
    head = httpx.head(server + url, headers={"Accept": accept})
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert int(head.headers["content-length"]) == len(got.content)


# --- CORS --------------------------------------------------------------------------------------------------------

def test_cors_is_open_on_the_endpoint_and_the_data(server):
    origin = {"Origin": "https://elsewhere.example"}
    for url in ("/sparql?query=ASK%20%7B%7D", UNIT, "/void", "/dumps/dataset.nq.gz", "/ontology?format=ttl"):
        response = httpx.get(server + url, headers=origin)
        assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*", url
    assert "access-control-allow-origin" not in httpx.get(server + "/", headers=origin).headers  # a page, not data
    preflight = httpx.options(server + "/sparql", headers={
        **origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    # a data page is read-only: a preflight for POST is not granted
    refused = httpx.options(server + UNIT, headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in refused.headers
    # without an Origin, OPTIONS on the endpoint stays what the protocol says: not a query method
    assert httpx.options(server + "/sparql").status_code == 405


@pytest.fixture(scope="module")
def cors_limited(built):
    """The samples served with CORS for one origin only."""
    origin, process = start_server(built, "--cors", "https://allowed.example")
    yield origin
    process.terminate()
    process.wait(timeout=20)


def test_cors_can_be_limited_to_named_origins(cors_limited):
    allowed = httpx.get(cors_limited + "/sparql", params=ASK, headers={"Origin": "https://allowed.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://allowed.example"
    assert "origin" in allowed.headers["vary"].lower()
    other = httpx.get(cors_limited + "/sparql", params=ASK, headers={"Origin": "https://other.example"})
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers


def test_cors_option_values():
    assert parse_cors("none") == ()
    assert parse_cors("*") == ("*",)
    assert parse_cors("https://A.example, http://localhost:3000") == ("https://a.example", "http://localhost:3000")
    for bad in ("ftp://a.example", "https://a.example/path", "a.example", ""):
        with pytest.raises(ValueError):
            parse_cors(bad)


# --- named graphs, Turtle with prefixes, compact JSON-LD, Link headers ----------------------------------------------

def test_a_documents_graph_dereferences(server, built):
    iri = ID + "graph/plan/320404/2022"
    quads = httpx.get(server + PLAN_GRAPH, headers={"Accept": "application/n-quads"})
    assert quads.status_code == 200 and quads.headers["content-type"].startswith("application/n-quads")
    lines = quads.text.splitlines()
    assert lines and all(line.endswith(f"<{iri}> .") for line in lines)
    assert len(lines) == len((built / "graphs" / "320404_2022.nq").read_text(encoding="utf-8").splitlines())
    trig = Dataset().parse(data=httpx.get(server + PLAN_GRAPH, headers={"Accept": "application/trig"}).text,
                           format="trig")
    assert len(trig.graph(URIRef(iri))) == len(lines)
    page = httpx.get(server + PLAN_GRAPH, headers={"Accept": BROWSER})
    assert page.status_code == 200 and 'href="/id/plan/320404/2022"' in page.text
    assert f"{len(lines)} 三元组" in page.text
    assert links(page)["application/n-quads"].endswith("?format=nq")


def test_the_lexicon_and_links_graphs_dereference(server):
    turtle = httpx.get(server + "/id/graph/lexicon", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(ID + "gov/320404/unit/住建局"), None, None) in graph
    linked = Graph().parse(data=httpx.get(server + "/id/graph/links?format=ttl").text, format="turtle")
    assert len(set(linked.subjects(URIRef("https://w3id.org/govkg/ontology#continues")))) > 0
    page = httpx.get(server + "/id/graph/links", headers={"Accept": BROWSER})
    assert page.status_code == 200 and "Links between documents" in page.text
    assert httpx.get(server + "/id/graph/plan/999999/1900", headers={"Accept": "text/turtle"}).status_code == 404


def test_turtle_uses_prefixes(server):
    turtle = httpx.get(server + UNIT, headers={"Accept": "text/turtle"}).text
    assert "@prefix gw: <https://w3id.org/govkg/ontology#>" in turtle and "gw:Unit" in turtle
    assert "<https://w3id.org/govkg/ontology#Unit>" not in turtle and "skos:altLabel" in turtle
    nt = httpx.get(server + UNIT, headers={"Accept": "application/n-triples"}).text
    assert set(Graph().parse(data=turtle, format="turtle")) == set(Graph().parse(data=nt, format="nt"))


def test_json_ld_is_compact_with_the_projects_context(server):
    from govkg.resources import resource_dir

    published = json.loads((resource_dir("ontology") / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    response = httpx.get(server + UNIT, headers={"Accept": "application/ld+json"})
    document = response.json()
    assert document["@context"] == published
    assert document["id"] == ID + "gov/320404/unit/住建局"
    assert set(document["type"]) == {"Unit", "Organization"} and document["altLabel"] == "区住建局"
    nt = httpx.get(server + UNIT, headers={"Accept": "application/n-triples"}).text
    assert set(Graph().parse(data=response.text, format="json-ld")) == set(Graph().parse(data=nt, format="nt"))


def test_link_headers_name_the_other_formats(server):
    page = httpx.get(server + UNIT, headers={"Accept": BROWSER})
    alternates = links(page)
    assert "text/html" not in alternates
    assert set(alternates) >= {"text/turtle", "application/ld+json", "application/n-triples"}
    for media, target in alternates.items():
        answer = httpx.get(server + target)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(media), target
    turtle = httpx.get(server + UNIT, headers={"Accept": "text/turtle"})
    assert "text/turtle" not in links(turtle) and "text/html" in links(turtle)


# --- VoID and DCAT pages, the JSON-LD dump -------------------------------------------------------------------------

def test_void_and_catalog_are_pages_for_browsers_and_turtle_otherwise(server):
    for url in ("/void", "/catalog"):
        page = httpx.get(server + url, headers={"Accept": BROWSER})
        assert page.headers["content-type"].startswith("text/html") and "<table" in page.text
        plain = httpx.get(server + url)  # no preference (Accept: */*): Turtle as before
        assert plain.headers["content-type"].startswith("text/turtle")
        assert len(Graph().parse(data=plain.text, format="turtle")) > 5
    void_page = httpx.get(server + "/void", headers={"Accept": BROWSER}).text
    void = Graph().parse(data=httpx.get(server + "/void").text, format="turtle")
    triples = next(void.objects(URIRef(server + "/void#dataset"), URIRef("http://rdfs.org/ns/void#triples")))
    assert f'href="{server}/sparql"' in void_page and f"<td><span>{triples}</span></td>" in void_page


def test_the_json_ld_dump_is_listed_and_served(server, built):
    assert 'href="/dumps/dataset.jsonld.gz"' in httpx.get(server + "/dumps/").text
    response = httpx.get(server + "/dumps/dataset.jsonld.gz")
    assert response.status_code == 200 and response.headers["content-type"] == "application/gzip"
    assert gzip.decompress(response.content) == (built / "dataset.jsonld").read_bytes()
    catalog = Graph().parse(data=httpx.get(server + "/catalog?format=ttl").text, format="turtle")
    media = {str(o) for o in catalog.objects(URIRef(server + "/dumps/dataset.jsonld.gz"),
                                             URIRef("http://www.w3.org/ns/dcat#mediaType"))}
    assert media == {"application/ld+json"}


# --- the no-JavaScript form, CSV with a BOM for people -------------------------------------------------------------

def test_the_plain_form_honours_its_format_and_bom(server):
    form = httpx.get(server + "/sparql", headers={"Accept": BROWSER}).text
    assert 'name="format"' in form and 'name="bom"' in form
    as_csv = httpx.post(server + "/sparql", data={"query": TASKS, "format": "csv", "bom": "1"},
                        headers={"Accept": BROWSER})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.content.startswith(b"\xef\xbb\xbfn\r\n516")
    as_xml = httpx.post(server + "/sparql", data={"query": TASKS, "format": "xml"}, headers={"Accept": BROWSER})
    assert as_xml.headers["content-type"].startswith("application/sparql-results+xml")


def test_protocol_csv_has_no_bom(server):
    response = httpx.get(server + "/sparql", params={"query": TASKS}, headers={"Accept": "text/csv"})
    assert response.content.startswith(b"n\r\n516")


# --- govkg serve: announced once bound; a busy port is one line -----------------------------------------------------

def test_serve_announces_the_port_once_bound(built):
    process = subprocess.Popen([sys.executable, "-m", "govkg", "serve", "--store", str(built), "--port", "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1))
        assert port != 0
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # the port was bound before the line was printed
        deadline = time.monotonic() + 60
        while True:
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/sparql", params=ASK, timeout=5).status_code == 200
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.3)
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_busy_port_is_a_one_line_error(built):
    listener = Listener()
    try:
        done = subprocess.run([sys.executable, "-m", "govkg", "serve", "--store", str(built), "--port",
                               str(listener.port)], check=False, capture_output=True, text=True, timeout=60)
    finally:
        listener.close()
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(listener.port) in lines[0] and "in use" in lines[0]
    assert "Traceback" not in done.stderr and "serving" not in done.stderr


def test_form_format_fields_must_agree(server):
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    agreeing = httpx.post(f"{server}/sparql", data={"query": query, "format": ["tsv", "text/tab-separated-values"],
                                                   "output": "tsv"})
    assert agreeing.status_code == 200 and agreeing.headers["content-type"].startswith("text/tab-separated-values")
    disagreeing = httpx.post(f"{server}/sparql", data={"query": query, "format": ["csv", "json"]})
    assert disagreeing.status_code == 400 and "disagree" in disagreeing.text
