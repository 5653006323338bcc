"""A pool of worker processes that run SPARQL queries on the read-only store, each under a hard deadline.

Queries run in separate processes so that they never block the event loop, run in parallel on every core,
and can be stopped: a query past its deadline is ended by ending its process, which is then replaced.
Results are serialised in the worker (by Oxigraph) and capped in size.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from ..query.guard import forbid_network, isolate_network

#: Media types a worker can write, by the kind of result.
SOLUTION_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/n-quads": "N_QUADS",
    "application/trig": "TRIG",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
}


@dataclass(frozen=True)
class Job:
    """A query to run: text, dataset, and the media type wanted for each kind of result (None: refuse)."""

    query: str
    solution_type: str | None
    graph_type: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] | None = None
    max_bytes: int = 50_000_000
    #: Without a dataset from the protocol or the query, the default graph is the union of all graphs.
    union: bool = True
    #: The base IRI relative IRIs of the query resolve against (the endpoint's URL).
    base_iri: str | None = None


@dataclass(frozen=True)
class Answer:
    """A worker's reply: status ("ok", "syntax", "not-acceptable", "too-large", "error"), body, media type."""

    status: str
    body: bytes = b""
    media_type: str = ""
    message: str = ""


class _TooLargeError(Exception):
    pass


@dataclass
class _CappedBuffer:
    limit: int
    parts: list[bytes] = field(default_factory=list)
    size: int = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLargeError
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def value(self) -> bytes:
        return b"".join(self.parts)


def _execute(store: Any, job: Job) -> Answer:
    import pyoxigraph as oxi

    options: dict[str, Any] = {}
    if job.base_iri:
        options["base_iri"] = job.base_iri
    if job.default_graphs:
        options["default_graph"] = [oxi.NamedNode(name) for name in job.default_graphs]
    elif job.union:
        options["use_default_graph_as_union"] = True
    if job.named_graphs is not None:
        options["named_graphs"] = [oxi.NamedNode(name) for name in job.named_graphs]
    try:
        result = store.query(job.query, **options)
    except SyntaxError as exc:
        return Answer("syntax", message=str(exc))
    buffer = _CappedBuffer(job.max_bytes)
    try:
        if isinstance(result, (oxi.QuerySolutions, oxi.QueryBoolean)):
            if job.solution_type is None:
                return Answer("not-acceptable", message="no acceptable format for query results")
            result.serialize(buffer, getattr(oxi.QueryResultsFormat, SOLUTION_TYPES[job.solution_type]))
            return Answer("ok", buffer.value(), job.solution_type)
        if job.graph_type is None:
            return Answer("not-acceptable", message="no acceptable RDF format for a graph")
        fmt = GRAPH_TYPES[job.graph_type]
        triples: Any = result
        if fmt in ("N_QUADS", "TRIG"):
            triples = (oxi.Quad(t.subject, t.predicate, t.object, oxi.DefaultGraph()) for t in result)
        oxi.serialize(triples, buffer, getattr(oxi.RdfFormat, fmt))
        return Answer("ok", buffer.value(), job.graph_type)
    except _TooLargeError:
        return Answer("too-large", message=f"the result exceeds {job.max_bytes} bytes; add a LIMIT")


def _worker(store_path: str, connection: Connection) -> None:
    """Worker process: cut off from the network, open the store read-only and answer jobs until told to stop."""
    isolate_network()
    forbid_network()
    import pyoxigraph as oxi

    store = oxi.Store.read_only(store_path)
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            answer = _execute(store, job)
        except Exception as exc:
            answer = Answer("error", message=f"{type(exc).__name__}: {exc}")
        connection.send(answer)


class _Worker:
    def __init__(self, context: Any, store_path: str) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(store_path, child), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class DeadlineExceededError(Exception):
    """A query ran past its deadline and was stopped."""


class QueryPool:
    """Runs jobs on `size` worker processes; `run` waits for a free worker, then for the answer or the deadline."""

    def __init__(self, store_path: str, *, size: int = 2, deadline: float = 10.0) -> None:
        self.store_path, self.size, self.deadline = store_path, max(1, size), deadline
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []

    async def start(self) -> None:
        """Start the workers (call from the running event loop)."""
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            worker = _Worker(self._context, self.store_path)
            self._all.append(worker)
            self._idle.put_nowait(worker)

    async def stop(self) -> None:
        """Stop every worker."""
        for worker in self._all:
            with contextlib.suppress(OSError, BrokenPipeError):
                worker.connection.send(None)
            worker.stop()
        self._all.clear()

    async def run(self, job: Job, deadline: float | None = None) -> Answer:
        """Run a job; raises DeadlineExceededError (and replaces the worker) when it takes too long."""
        assert self._idle is not None, "QueryPool.start() was not called"
        worker = await self._idle.get()
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fd = worker.connection.fileno()
        try:
            worker.connection.send(job)
            loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
            try:
                await asyncio.wait_for(ready, deadline or self.deadline)
            finally:
                loop.remove_reader(fd)
                # uvloop's add_reader leaves the descriptor non-blocking; a large answer then reads as EAGAIN.
                os.set_blocking(fd, True)
            answer: Answer = await loop.run_in_executor(None, worker.connection.recv)
        except (asyncio.TimeoutError, asyncio.CancelledError, OSError, EOFError) as exc:
            self._replace(worker)
            if isinstance(exc, asyncio.CancelledError):
                raise
            if isinstance(exc, asyncio.TimeoutError):
                limit = deadline or self.deadline
                raise DeadlineExceededError(f"the query ran past its deadline of {limit:g} s") from None
            return Answer("error", message=f"worker failed: {exc}")
        self._idle.put_nowait(worker)
        return answer

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        replacement = _Worker(self._context, self.store_path)
        self._all = [w for w in self._all if w is not worker] + [replacement]
        assert self._idle is not None
        self._idle.put_nowait(replacement)
