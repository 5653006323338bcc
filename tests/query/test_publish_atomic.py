"""Publishing replaces each graph in one request: a publish killed midway and run again leaves the store equal to
the build; a bad --batch is refused before anything is sent."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
from urllib.parse import quote

import httpx
import pyoxigraph
import pytest

from govkg.cli import main
from govkg.publish import build_graphs, publish
from local_servers import free_port


def _remote_graph(server: str, name: str) -> set[pyoxigraph.Triple]:
    response = httpx.get(f"{server}/store?graph={quote(name, safe='')}", headers={"Accept": "application/n-triples"})
    if response.status_code == 404:
        return set()
    response.raise_for_status()
    return {quad.triple for quad in pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.N_TRIPLES)}


def _local_graph(paths) -> set[pyoxigraph.Triple]:
    """The graph of its files as the store keeps it (literals of numeric types in their canonical form)."""
    store = pyoxigraph.Store()
    for path in paths:
        store.load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
    return {quad.triple for quad in store}


def test_publish_killed_midway_then_run_again_leaves_the_store_equal_to_the_build(built, oxigraph_server):
    _, graphs = build_graphs(built)
    names = list(graphs)
    for name in names[:2]:  # a store holding something else in the build's graphs
        httpx.put(f"{oxigraph_server}/store?graph={quote(name, safe='')}", content=b"<urn:x> <urn:y> <urn:z> .\n",
                  headers={"Content-Type": "application/n-triples"}).raise_for_status()
    process = subprocess.Popen([sys.executable, "-m", "govkg", "publish", "--from", str(built), "--graph-store",
                                f"{oxigraph_server}/store", "--batch", "100"], stderr=subprocess.PIPE, text=True)
    started = 0
    for line in process.stderr:
        started += line.startswith("sending ")
        if started == len(names) // 2 + 1:  # killed while sending a graph in the middle
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    for name in names:  # each graph is the old one or the new one, never a part
        remote = _remote_graph(oxigraph_server, name)
        assert len(remote) in (0, 1, len(_local_graph(graphs[name]))), name

    report = publish(built, f"{oxigraph_server}/store", endpoint=f"{oxigraph_server}/query")
    assert all(graph.counted == graph.triples and graph.requests == 1 for graph in report.graphs)
    for name, paths in graphs.items():
        assert _remote_graph(oxigraph_server, name) == _local_graph(paths), name


def test_a_build_without_whole_lexicon_and_links_files_publishes_their_issuer_shares(built, oxigraph_server,
                                                                                      tmp_path):
    """A build keeping its dumps as shares writes no graphs/lexicon.nq or links.nq: publish sends the issuers'
    shares of each graph, in one request, and the store holds what the whole files hold."""
    copy = tmp_path / "build"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("store"))
    for name in ("lexicon.nq", "links.nq"):
        (copy / "graphs" / name).unlink()
    _, graphs = build_graphs(copy)
    base = "https://w3id.org/govkg/id/graph/"
    assert [path.parent.name for path in graphs[base + "lexicon"]] == ["lexicon"] * 2  # the samples' two issuers
    assert [path.parent.name for path in graphs[base + "links"]] == ["links"] * 2
    report = publish(copy, f"{oxigraph_server}/store", endpoint=f"{oxigraph_server}/query")
    assert all(graph.counted == graph.triples and graph.requests == 1 for graph in report.graphs)
    for name in ("lexicon", "links"):
        whole = _local_graph([built / "graphs" / f"{name}.nq"])
        assert whole and _remote_graph(oxigraph_server, base + name) == whole, name


@pytest.mark.parametrize("batch", ["0", "-5"])
def test_a_batch_below_one_is_refused_before_anything_is_sent(built, batch, capsys):
    listener = socket.socket()
    port = free_port()
    listener.bind(("127.0.0.1", port))
    listener.listen()
    listener.setblocking(False)
    try:
        code = main(["publish", "--from", str(built), "--graph-store", f"http://127.0.0.1:{port}/store",
                     "--batch", batch])
        with pytest.raises(BlockingIOError):
            listener.accept()  # no connection came
    finally:
        listener.close()
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--batch" in err[0]
