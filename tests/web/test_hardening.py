"""Issue 12, parts 1 and 5: no outbound request whatever the spelling of the query, workers cut off from the
network, security headers everywhere, no banner, request read deadlines, base IRI, unknown protocol graphs."""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import time
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from local_servers import Listener, descendants, start_server


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# By path: with tests/query collected too, the name `conftest` may be the other folder's.
corpus = _load("ssrf_corpus", Path(__file__).parents[1] / "query" / "ssrf_corpus.py")

READ_TIMEOUT = 1.5
DEADLINE = 3


@pytest.fixture(scope="module")
def hardened(built):
    """The samples served with a short read deadline; (origin, process)."""
    origin, process = start_server(built, "--read-timeout", str(READ_TIMEOUT), "--deadline", str(DEADLINE))
    yield origin, process
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def origin(hardened):
    return hardened[0]


@pytest.fixture(scope="module")
def listener():
    listening = Listener()
    yield listening
    listening.close()


# --- part 1: SSRF ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["get", "form", "direct"])
@pytest.mark.parametrize("case", corpus.CORPUS, ids=[c[0] for c in corpus.CORPUS])
def test_evasions_are_refused_without_any_connection(origin, listener, case, how):
    _, template, status = case
    query = corpus.render(template, listener.port)
    before = listener.connections
    if how == "get":
        response = httpx.get(f"{origin}/sparql", params={"query": query}, timeout=20)
    elif how == "form":
        response = httpx.post(f"{origin}/sparql", data={"query": query}, timeout=20)
    else:
        response = httpx.post(f"{origin}/sparql", content=query.encode(),
                              headers={"Content-Type": "application/sparql-query"}, timeout=20)
    time.sleep(0.2)
    assert response.status_code == status, response.text
    assert listener.connections == before == 0
    assert len(response.text.splitlines()) == 1 and "Traceback" not in response.text


def test_harmless_lookalikes_still_run(origin):
    query = 'SELECT ?service WHERE { BIND("SERVICE <http://127.0.0.1:1/> LOAD" AS ?service) } # SERVICE'
    response = httpx.get(f"{origin}/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["service"]["value"].startswith("SERVICE")


def test_unicode_escapes_are_applied_before_running(origin):
    query = 'SELECT ?x WHERE { BIND("\\u5e02" AS ?x) }'
    response = httpx.get(f"{origin}/sparql", params={"query": query})
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "市"


@pytest.mark.skipif(not Path("/proc/self/ns/net").exists(), reason="Linux namespaces only")
def test_query_workers_have_no_network(hardened, tmp_path):
    from govkg.sandbox import isolate_network

    probe = tmp_path / "probe.py"
    probe.write_text("import sys\nfrom govkg.sandbox import isolate_network\n"
                     "sys.exit(0 if isolate_network() else 3)\n")
    import subprocess
    import sys

    if subprocess.run([sys.executable, str(probe)], check=False).returncode != 0:
        pytest.skip("unprivileged user namespaces are not available here")
    assert isolate_network  # imported for the skip decision above
    _, process = hardened
    mine = os.readlink(f"/proc/{process.pid}/ns/net")
    workers = [pid for pid in descendants(process.pid) if os.readlink(f"/proc/{pid}/ns/net") != mine]
    assert len(workers) >= 2  # the two query workers, each in an empty network namespace


def test_backend_errors_are_not_echoed(origin):
    # A deadline or a store failure gives a fixed short reason; a syntax error only the parser's position.
    response = httpx.get(f"{origin}/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert re.fullmatch(r"the query is not valid SPARQL: [^\n]{1,160}\(line 1, column \d+\)\n", response.text)


# --- part 5: HTTP ------------------------------------------------------------------------------------------------

HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy")


@pytest.mark.parametrize(("path", "accept", "status"), [
    ("/", "text/html", 200),
    ("/sparql", "text/html", 200),
    ("/search?q=停车", "text/html", 200),
    ("/ontology", "text/html", 200),
    ("/void", "text/turtle", 200),
    ("/catalog", "application/ld+json", 200),
    ("/queries", "application/json", 200),
    ("/sparql?query=ASK%7B%7D", "application/sparql-results+json", 200),
    ("/sparql?query=CONSTRUCT%7B%3Fs%20%3Fp%20%3Fo%7DWHERE%7B%3Fs%20%3Fp%20%3Fo%7DLIMIT%201", "text/turtle", 200),
    ("/static/govkg.css", "*/*", 200),
    ("/id/nothing/here", "text/html", 404),
    ("/queries/nope", "*/*", 404),
    ("/sparql?query=SELECT", "*/*", 400),
    ("/sparql?update=CLEAR%20ALL", "*/*", 403),
    ("/no-such-page", "*/*", 404),
])
def test_security_headers_and_no_banner(origin, path, accept, status):
    response = httpx.get(f"{origin}{path}", headers={"Accept": accept}, timeout=20)
    assert response.status_code == status
    for name in HEADERS:
        assert name in response.headers, name
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "server" not in response.headers


def test_post_and_method_errors_have_headers(origin):
    for response in (httpx.post(f"{origin}/sparql", data={"query": "ASK {}"}),
                     httpx.put(f"{origin}/sparql", content=b"x")):
        assert all(name in response.headers for name in HEADERS) and "server" not in response.headers


@pytest.mark.parametrize("path", ["/", "/sparql", "/search?q=停车", "/ontology", "/void", "/dumps/", "/graph"])
def test_pages_need_no_inline_script_beyond_the_csp(origin, path):
    response = httpx.get(f"{origin}{path}", headers={"Accept": "text/html"}, timeout=60)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    import base64
    import hashlib

    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.DOTALL):
        if "src=" in attrs or "application/json" in attrs:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src, f"an inline script on {path} would be blocked"


def _closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed the socket, or None if it was still open after `seconds`."""
    sock.settimeout(0.2)
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            data = sock.recv(4096)
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - started
        if not data:
            return time.monotonic() - started
    return None


@pytest.mark.parametrize("sent", [
    b"GET /sparql?qu",
    b"",
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK",
])
def test_slow_clients_are_dropped(origin, sent):
    host, port = origin.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        if sent:
            sock.sendall(sent)
        closed = _closed_within(sock, READ_TIMEOUT + 3)
    assert closed is not None and closed <= READ_TIMEOUT + 2


def test_many_slowloris_sockets_do_not_block_the_server(origin):
    host, port = origin.removeprefix("http://").split(":")
    sockets = [socket.create_connection((host, int(port))) for _ in range(50)]
    try:
        for sock in sockets:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        assert httpx.get(f"{origin}/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200
        time.sleep(READ_TIMEOUT + 1)
        assert all(_closed_within(sock, 1.0) is not None for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()


def test_a_query_may_take_longer_than_the_read_timeout(origin):
    # The read deadline is for reading the request; a query that runs past it still gets its answer (503 here).
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    response = httpx.get(f"{origin}/sparql", params={"query": slow}, timeout=30)
    assert response.status_code == 503 and "deadline" in response.text


def test_keep_alive_connection_serves_several_requests(origin):
    with httpx.Client() as client:
        for _ in range(3):
            assert client.get(f"{origin}/sparql", params={"query": "ASK {}"}).status_code == 200
            time.sleep(READ_TIMEOUT / 2)


def test_relative_iris_resolve_against_the_endpoint(origin):
    query = "SELECT ?x ?y WHERE { BIND(<rel/thing> AS ?x) BIND(<#frag> AS ?y) }"
    response = httpx.get(f"{origin}/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    row = response.json()["results"]["bindings"][0]
    assert row["x"]["value"] == urljoin(f"{origin}/sparql", "rel/thing")
    assert row["y"]["value"] == f"{origin}/sparql#frag"


def test_unknown_default_graph_is_an_empty_dataset(origin, listener):
    params = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": "https://example.org/no-graph"}
    response = httpx.get(f"{origin}/sparql", params=params)
    assert response.status_code == 200 and response.json()["results"]["bindings"] == []
    params = {"query": "ASK { GRAPH ?g { ?s ?p ?o } }",
              "named-graph-uri": f"http://127.0.0.1:{listener.port}/g.ttl"}
    response = httpx.get(f"{origin}/sparql", params=params)
    assert response.status_code == 200 and response.json()["boolean"] is False
    time.sleep(0.2)
    assert listener.connections == 0


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/graph", "/", "/ontology"])
def test_pages_run_in_a_browser_under_their_csp(origin, offline_page, path):
    page = offline_page.page
    page.goto(origin + path)
    page.wait_for_load_state("load")
    if path == "/graph":
        page.wait_for_selector("#network canvas", timeout=15000)
    assert offline_page.errors == [], offline_page.errors  # a CSP violation is a console error
