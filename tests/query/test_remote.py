"""Publishing with the Graph Store Protocol, and the command line on remote endpoints."""

from __future__ import annotations

import json
import socket
import threading

from govkg.cli import main
from govkg.publish import publish
from govkg.query import RemoteEndpoint
from local_servers import free_port


def _count(endpoint: str) -> int:
    rows = RemoteEndpoint(endpoint, union_default_graph=True).run(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    return int(rows[0]["n"].value)


def test_publishing_twice_leaves_the_count_unchanged(built, oxigraph_server):
    endpoint = f"{oxigraph_server}/query"
    first = publish(built, f"{oxigraph_server}/store", endpoint=endpoint, batch=5000)
    count = _count(endpoint)
    second = publish(built, f"{oxigraph_server}/store", endpoint=endpoint, batch=5000)
    assert _count(endpoint) == count
    assert [g.triples for g in first.graphs] == [g.triples for g in second.graphs]
    assert all(g.counted == g.triples for g in second.graphs)
    assert all(g.requests == 1 for g in second.graphs)  # each graph replaced in one request
    assert count == sum(g.triples for g in second.graphs)


def test_cli_query_on_the_endpoint(built, oxigraph_server, capsys):
    publish(built, f"{oxigraph_server}/store")
    code = main(["query", "q01", "--param", "unit=住建局", "--endpoint", f"{oxigraph_server}/query",
                 "--format", "json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert [row["number"]["value"] for row in data["results"]["bindings"]] == ["2", "3", "4"]


def test_unreachable_endpoint_is_one_line_and_exit_2(capsys):
    port = free_port()  # nobody listens there
    code = main(["query", "q01", "--param", "unit=住建局", "--endpoint", f"http://127.0.0.1:{port}/query"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("govkg: error: cannot reach") and len(err.strip().splitlines()) == 1
    code = main(["publish", "--from", "out-does-not-exist", "--graph-store", f"http://127.0.0.1:{port}/store"])
    assert code == 2 and "not a build folder" in capsys.readouterr().err


def test_silent_endpoint_times_out(capsys):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    port = listener.getsockname()[1]
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
    thread.start()
    code = main(["query", "q10", "--param", "phrase=停车", "--endpoint", f"http://127.0.0.1:{port}/query",
                 "--union-default-graph", "--timeout", "1"])
    err = capsys.readouterr().err
    listener.close()
    assert code == 2 and "no answer within 1 s" in err


def test_publish_to_a_refusing_store(built, oxigraph_server, capsys):
    code = main(["publish", "--from", str(built), "--graph-store", f"{oxigraph_server}/no-such-path"])
    assert code == 2 and "answered 404" in capsys.readouterr().err
