"""Issue 12, part 1: `govkg sparql` decides on the parsed query and never reaches out; the guard itself."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from ssrf_corpus import CORPUS, render

from govkg.query.guard import RefusedQueryError, check, normalise
from local_servers import Listener


@pytest.fixture(scope="module")
def listener():
    listening = Listener()
    yield listening
    listening.close()


def _sparql(query: str, store, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govkg", "sparql", query, "--store", str(store), *extra],
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(("name", "template", "status"), CORPUS, ids=[c[0] for c in CORPUS])
def test_cli_refuses_every_evasion(built, listener, name, template, status):
    # a process each: a query the first check lets through cuts its process off the network for good (an audit hook,
    # a network namespace of its own), which would leave the test process unable to open a socket
    result = _sparql(render(template, listener.port), built)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("govkg: error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert listener.connections == 0


def test_cli_still_runs_ordinary_queries(built):
    result = _sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", built)
    assert result.returncode == 0 and "(1 rows)" in result.stdout


def test_cli_runs_from_a_graph_of_the_store(built):
    graph = _sparql("SELECT ?g WHERE { GRAPH ?g { } } LIMIT 1", built, "--format", "csv").stdout.split()[1]
    result = _sparql(f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}", built)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("name", "template", "status"), CORPUS, ids=[c[0] for c in CORPUS])
def test_guard_statuses(name, template, status):
    with pytest.raises(RefusedQueryError) as refused:
        check(render(template, 9), base="http://h/sparql", local_graphs={"urn:g"})
    assert refused.value.status == status
    assert "\n" not in refused.value.message


def test_guard_normalises_what_runs():
    assert normalise("\\u0053ELECT\r* {}") == "SELECT\n* {}"
    checked = check("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", local_graphs={"urn:g"})
    assert checked.form == "SELECT" and checked.from_default == ("urn:g",) and checked.has_dataset
    assert check("ASK {}").form == "ASK"
    assert check("SELECT ?s WHERE { ?s ?p ?o }") is check("SELECT ?s WHERE { ?s ?p ?o }")  # cached decision


@pytest.mark.parametrize("query", ["SELECT * WHERE { ?s ?p", "SELECT * WHERE { x:a ?p ?o }", "\\uD800", "{" * 5000])
def test_unreadable_queries_are_400_with_a_short_reason(query):
    with pytest.raises(RefusedQueryError) as refused:
        check(query)
    assert refused.value.status == 400 and len(refused.value.message) < 250


def _run_isolated(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=60, check=False)


def test_audit_hook_stops_python_sockets(listener):
    result = _run_isolated(f"""
        import socket
        from govkg.sandbox import forbid_network
        forbid_network()
        try:
            socket.create_connection(("127.0.0.1", {listener.port}), timeout=2)
        except PermissionError:
            print("refused")
    """)
    assert result.stdout.strip() == "refused", result.stderr
    assert listener.connections == 0


def test_network_namespace_stops_oxigraphs_own_service_client(listener):
    # Oxigraph's SERVICE client is Rust code: no audit hook sees it. The worker's empty network namespace does.
    result = _run_isolated(f"""
        import sys
        import pyoxigraph
        from govkg.sandbox import isolate_network
        if not isolate_network():
            print("unavailable"); sys.exit(0)
        query = "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/s> {{ ?s ?p ?o }} }}"
        try:
            list(pyoxigraph.Store().query(query))
            print("ran")
        except Exception as exc:
            print("failed", type(exc).__name__)
    """)
    if result.stdout.strip() == "unavailable":
        pytest.skip("unprivileged user namespaces are not available here")
    assert result.stdout.startswith("failed"), result.stdout + result.stderr
    assert listener.connections == 0
