"""Safety of the endpoint: read-only, no outbound requests, capped bodies, deadlines, escaped output."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
import pytest

from local_servers import Listener

DEADLINE = 3  # as the `server` fixture starts it


@pytest.mark.parametrize(("kwargs"), [
    {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"content": b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", "headers": {"Content-Type": "application/sparql-update"}},
    {"data": {"query": "DROP ALL"}},
    {"data": {"query": "PREFIX x: <urn:x:> INSERT DATA { x:a x:b x:c }"}},
    {"data": {"query": "LOAD <http://127.0.0.1:1/data.ttl>"}},
])
def test_updates_are_refused(server, kwargs):
    before = httpx.get(f"{server}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
    response = httpx.post(f"{server}/sparql", **kwargs)
    assert response.status_code == 403 and "read-only" in response.text
    after = httpx.get(f"{server}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
    assert before.json() == after.json()




@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
])
def test_no_outbound_request(server, template):
    listener = Listener()
    try:
        response = httpx.get(f"{server}/sparql", params={"query": template.format(port=listener.port)})
        time.sleep(0.5)
        assert response.status_code == 403
        assert listener.connections == 0
    finally:
        listener.close()


def test_remote_dataset_in_protocol_is_empty_and_never_fetched(server):
    listener = Listener()
    try:
        params = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                  "default-graph-uri": f"http://127.0.0.1:{listener.port}/g.ttl"}
        response = httpx.get(f"{server}/sparql", params=params)
        assert response.status_code == 200 and response.json()["results"]["bindings"] == []
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()


def test_oversize_body_is_refused(server):
    query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 200_000
    response = httpx.post(f"{server}/sparql", data={"query": query})
    assert response.status_code == 413


def test_slow_query_hits_its_deadline_while_others_answer(server):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    quick = "ASK { ?s a <https://w3id.org/govkg/ontology#Task> }"
    with ThreadPoolExecutor(2) as pool:
        started = time.monotonic()
        pending = pool.submit(httpx.get, f"{server}/sparql", params={"query": slow}, timeout=60)
        time.sleep(0.5)
        before = time.monotonic()
        answer = httpx.get(f"{server}/sparql", params={"query": quick}, timeout=10)
        quick_seconds = time.monotonic() - before
        slow_response = pending.result()
        slow_seconds = time.monotonic() - started
    assert answer.json()["boolean"] is True
    assert quick_seconds < 1.0  # not stuck behind the slow query
    assert slow_response.status_code == 503 and "deadline" in slow_response.text
    assert DEADLINE <= slow_seconds < DEADLINE + 5
    assert httpx.get(f"{server}/sparql", params={"query": quick}).json()["boolean"] is True  # worker replaced


def test_malicious_labels_render_as_text(malicious_server):
    home = httpx.get(f"{malicious_server}/").text
    assert "<script>alert(1)</script>" not in home
    search = httpx.get(f"{malicious_server}/search", params={"q": "script"}).text
    # The unit's canonical name has full-width parentheses; the printed spelling keeps ASCII ones.
    assert "&lt;script&gt;alert（1）&lt;/script&gt;局" in search
    assert "<script>alert" not in search
    task = httpx.get(f"{malicious_server}/id/plan/320404/2024/main/1").text
    assert "测试任务&lt;b&gt;粗体&lt;/b&gt;。" in task and "<b>粗体</b>" not in task
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in task and "&#34;onmouseover=&#34;x局" in task
    assert "<script>alert" not in task and '"onmouseover="' not in task


def test_malicious_unit_name_renders_as_text_on_its_page(malicious_server):
    query = """SELECT ?u WHERE { ?u a <https://w3id.org/govkg/ontology#Unit> ;
        <http://www.w3.org/2000/01/rdf-schema#label> ?l . FILTER(CONTAINS(?l, "script")) }"""
    (row,) = httpx.get(f"{malicious_server}/sparql", params={"query": query},
                       headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    tail = row["u"]["value"].split("/id/", 1)[1]
    unit = httpx.get(f"{malicious_server}/id/{quote(tail, safe='/%')}", headers={"Accept": "text/html"})
    assert unit.status_code == 200
    assert '<span class="name">&lt;script&gt;alert（1）&lt;/script&gt;局</span>' in unit.text
    assert "<script>alert" not in unit.text
