"""Local servers for tests: a free loopback port, `govkg serve` started on one, and the Oxigraph server binary
(the PyPI package `oxigraph`, a test dependency, installs it beside Python)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

SD_NAME = URIRef("http://www.w3.org/ns/sparql-service-description#name")


def oxigraph_binary() -> str:
    """The path of the `oxigraph` command; fails the test when it is not installed."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server (PyPI package `oxigraph`, a test dependency) is not installed")
    return found


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Listener:
    """A socket on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        """Stop listening."""
        self.running = False
        self.thread.join(timeout=2)
        self.socket.close()


@contextlib.contextmanager
def serving(build: Path, *extra: str) -> Iterator[str]:
    """`govkg serve` on the build folder for the length of a with block; gives its origin, stops it after."""
    origin, process = start_server(build, *extra)
    try:
        yield origin
    finally:
        process.terminate()
        process.wait(timeout=20)


def start_server(build: Path, *extra: str) -> tuple[str, subprocess.Popen]:
    """Start `govkg serve` on the build folder; returns its origin once it answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "govkg", "serve", "--store", str(build), "--port", str(port),
                                *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{origin}/sparql?query=ASK%7B%7D", timeout=2).read()
            _names_read(origin, deadline)
            return origin, process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"govkg serve did not start: {process.stderr.read().decode()[-800:]}") from None
            time.sleep(0.3)


def _names_read(origin: str, deadline: float) -> None:
    """Wait until the server has read its names (completion answers 503 until then), so that the pages a test asks
    for are those of a settled server, whatever the machine's speed."""
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{origin}/api/names?limit=1", timeout=5).read()
            return
        except urllib.error.HTTPError as error:
            if error.code != 503:
                return
        time.sleep(0.1)


def descendants(pid: int) -> list[int]:
    """Every descendant process of `pid` (Linux /proc), e.g. the query workers a fork server started."""
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:  # the process ended meanwhile
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                children = list(map(int, handle.read().split()))
        except (FileNotFoundError, ProcessLookupError):  # a thread (or the process) that ended meanwhile
            continue
        for child in children:
            found += [child, *descendants(child)]
    return found


def void_graph_sizes(void: Graph) -> dict[str, int]:
    """Each named graph and its triples, as a server's VoID description (parsed) gives them."""
    return {str(void.value(subset, SD_NAME)): int(void.value(subset, VOID.triples))
            for subset in void.objects(None, VOID.subset)}


def described_graph_sizes(origin: str) -> dict[str, int]:
    """Each named graph and its triples, as the server at `origin` describes them in its VoID."""
    text = httpx.get(origin + "/void", headers={"Accept": "text/turtle"}, timeout=60).text
    return void_graph_sizes(Graph().parse(data=text, format="turtle"))


def stored_graph_sizes(store: Path) -> dict[str, int]:
    """Each named graph and its quads, counted in the store itself."""
    answer = pyoxigraph.Store.read_only(str(store)).query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in answer}


def run_coroutine(coroutine: Any) -> Any:
    """Run a coroutine in a thread of its own: a browser test may leave an event loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
