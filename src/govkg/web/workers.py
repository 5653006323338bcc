"""A pool of worker processes that run SPARQL queries on the read-only store, with admission control.

Queries run in separate processes so that they never block the event loop, run in parallel on every core,
and can be stopped: a query past its deadline, or whose client went away, is ended by ending its process,
which is then replaced. Results are serialised in the worker (by Oxigraph) and capped in size; each worker's
address space is capped, and a query that exhausts it ends its worker, not the server.

Scheduling, so that cheap questions stay fast while expensive ones run:
- every query starts in the *fast lane* (`size` warm workers at normal priority);
- one still running after `budget` seconds is *demoted*: its worker is lowered to nice 10 and keeps running it
  as one of at most `heavy` long queries, and a fresh fast worker takes its place; when the long-query slots
  are all taken, the query is stopped and waits for a slot, where it runs again at low priority;
- the server's own long reads (its indexes, read whole at start) run in a *background lane*: on low-priority
  workers of their own, at most `background` at once, never in the fast lane nor in a long-query slot, so that
  clients' questions do not wait behind them; a worker that answered waits BACKGROUND_LINGER seconds for the
  next such read (a read is several queries in a row) before it ends;
- the lanes serve waiting clients in turn (round robin by client address), not first come first served;
- the deadline counts from the request's arrival, waiting included; a client may have at most `per_client`
  queries admitted at once (429), and at most `queue` may wait in all (503 with Retry-After).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import multiprocessing
import os
import resource
import signal
from collections import OrderedDict, defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from ..sandbox import forbid_network, isolate_network

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
    """A worker's reply: status ("ok", "syntax", "not-acceptable", "too-large", "memory", "error"), body, type."""

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



#: The first message of a worker: its store is open and it takes jobs.
READY = "ready"
#: The priority of a worker running a long query (normal is 0; higher is lower).
HEAVY_NICE = 10
#: Seconds a background worker that answered waits for the next background query before it ends.
BACKGROUND_LINGER = 2.0
#: Who sent the request being served, and when it arrived (loop time); set per request by the web layer.
CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("govkg_client", default="local")
ARRIVAL: contextvars.ContextVar[float | None] = contextvars.ContextVar("govkg_arrival", default=None)
#: True in the server's own background work, whose queries run in the background lane.
BACKGROUND: contextvars.ContextVar[bool] = contextvars.ContextVar("govkg_background", default=False)


def as_server_client(name: str, *, background: bool) -> None:
    """Make the current task the server's own client `name`, with no request's arrival; its queries in the
    background lane if `background` (a read of a whole build), else in the fast lane like a client's (a few issuers'
    update, which a fresh background worker would only slow down). Call it first in a task of its own: it sets
    the task's context."""
    CLIENT.set(name)
    ARRIVAL.set(None)
    BACKGROUND.set(background)


def _worker(store_path: str, connection: Connection, nice: int, memory: int) -> None:
    """Worker process: cut off from the network, capped in memory, open the store read-only and answer jobs."""
    isolate_network()
    forbid_network()
    import pyoxigraph as oxi

    if nice:
        os.nice(nice)
    store = oxi.Store.read_only(store_path)
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    connection.send(READY)
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            answer = _execute(store, job)
        except MemoryError:
            answer = Answer("memory", message="the query needs more memory than a query may use")
        except Exception as exc:
            answer = Answer("error", message=f"{type(exc).__name__}: {exc}")
        connection.send(answer)


class _Worker:
    def __init__(self, context: Any, store_path: str, *, nice: int = 0, memory: int = 0) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(store_path, child, nice, memory), daemon=True)
        self.process.start()
        child.close()
        #: When an idle background worker ends, unless a read takes it first.
        self.linger: asyncio.TimerHandle | None = None

    def lower_priority(self) -> None:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.process.pid, HEAVY_NICE)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class DeadlineExceededError(Exception):
    """A query ran past its deadline (counted from the request's arrival) and was stopped."""


def _past_deadline(limit: float) -> DeadlineExceededError:
    return DeadlineExceededError(f"the query ran past its deadline of {limit:g} s")


class BusyError(Exception):
    """A query not admitted: the client has too many running (429) or too many are waiting (503)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class _Turns:
    """Waiting clients served in turn: one waiter of each client, round robin, each client's own in order."""

    def __init__(self, returned: Callable[[Any], None]) -> None:
        self._waiting: OrderedDict[str, deque[asyncio.Future[Any]]] = OrderedDict()
        self._returned = returned  # what to do with an item handed to a waiter that was cancelled meanwhile

    def __len__(self) -> int:
        return sum(len(waiters) for waiters in self._waiting.values())

    async def wait(self, client: str) -> Any:
        """Wait for an item handed over by `give`."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(client, deque()).append(future)
        try:
            return await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._returned(future.result())
            else:
                waiters = self._waiting.get(client)
                if waiters is not None and future in waiters:
                    waiters.remove(future)
                    if not waiters:
                        del self._waiting[client]
            raise

    def give(self, item: Any) -> bool:
        """Hand the item to the next client's oldest waiter; False when nobody waits."""
        while self._waiting:
            client, waiters = next(iter(self._waiting.items()))
            future = waiters.popleft()
            if waiters:
                self._waiting.move_to_end(client)
            else:
                del self._waiting[client]
            if not future.done():
                future.set_result(item)
                return True
        return False


class _Slots:
    """A number of slots, which waiting clients take in turn."""

    def __init__(self, count: int) -> None:
        self.free = count
        self.turns = _Turns(lambda _slot: self.release())

    def take_now(self) -> bool:
        """Take a slot if one is free and nobody waits for one."""
        if self.free and not self.turns:
            self.free -= 1
            return True
        return False

    async def take(self, client: str) -> None:
        """Take a slot, waiting for one in turn."""
        if not self.take_now():
            await self.turns.wait(client)

    def release(self) -> None:
        """Give the slot to the next waiting client, or free it."""
        if not self.turns.give(True):
            self.free += 1


class QueryPool:
    """Runs jobs on worker processes: a fast lane of `size` workers, at most `heavy` demoted long queries, and at
    most `background` of the server's own reads (module docstring)."""

    def __init__(self, store_path: str, *, size: int = 2, deadline: float = 10.0, heavy: int | None = None,
                 budget: float = 0.25, per_client: int = 8, queue: int = 64, memory_mb: int = 2048,
                 background: int = 1) -> None:
        self.store_path, self.size, self.deadline = store_path, max(1, size), deadline
        self.heavy, self.budget = max(1, heavy if heavy is not None else self.size), budget
        self.per_client, self.queue, self.memory = per_client, queue, max(0, memory_mb) * 2**20
        # Workers are forked from a fork server that has imported this module and Oxigraph once: a replacement
        # worker starts in milliseconds, not the second a fresh interpreter needs (the fork server is a fresh,
        # single-threaded process, so forking it is safe, and a child can enter its own namespaces).
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([__name__, "pyoxigraph"])
        self._idle: list[_Worker] = []
        self._fast_turns = _Turns(self._put_fast)
        self._heavy = _Slots(self.heavy)
        self._background = _Slots(max(1, background))
        self._all: set[_Worker] = set()
        self._active: defaultdict[str, int] = defaultdict(int)
        self._warming: set[asyncio.Task[None]] = set()
        self._background_idle: list[_Worker] = []

    async def start(self) -> None:
        """Start the fast workers and wait until each has its store open (call from the running event loop)."""
        workers = [self._spawn() for _ in range(self.size)]
        for worker in workers:
            message = await self._receive(worker, asyncio.get_running_loop().time() + 120, warm=False)
            if message != READY:
                raise RuntimeError(f"a query worker did not start: {message}")
            self._put_fast(worker)

    async def stop(self) -> None:
        """Stop every worker."""
        for task in self._warming:
            task.cancel()
        for worker in list(self._all):
            with contextlib.suppress(OSError, BrokenPipeError):
                worker.connection.send(None)
            worker.stop()
        self._all.clear()
        self._idle.clear()
        for worker in self._background_idle:
            if worker.linger is not None:
                worker.linger.cancel()
        self._background_idle.clear()

    async def drain(self, timeout: float) -> None:
        """Wait until no admitted query is left, at most `timeout` seconds (a query is past its deadline then)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while self._active and loop.time() < end:
            await asyncio.sleep(0.05)

    def waiting(self) -> int:
        """How many admitted queries wait for a worker or a long-query slot."""
        return len(self._fast_turns) + len(self._heavy.turns)

    async def run(self, job: Job, deadline: float | None = None) -> Answer:
        """Run a job for the current request's client; raises DeadlineExceededError or BusyError."""
        loop = asyncio.get_running_loop()
        client = CLIENT.get()
        end = (ARRIVAL.get() or loop.time()) + (deadline or self.deadline)
        if BACKGROUND.get():
            return await self._run_background(job, client, end, deadline or self.deadline)
        if self.per_client and self._active[client] >= self.per_client:
            raise BusyError(429, f"at most {self.per_client} queries at once per client; wait for one to end")
        if len(self._fast_turns) >= self.queue:
            raise BusyError(503, "the server is busy: too many queries are waiting; retry shortly")
        self._active[client] += 1
        try:
            return await self._run(job, client, end, deadline or self.deadline)
        finally:
            self._active[client] -= 1
            if not self._active[client]:
                del self._active[client]

    async def _run(self, job: Job, client: str, end: float, limit: float) -> Answer:
        loop = asyncio.get_running_loop()
        worker = await self._within(self._get_fast(client), end, limit)
        try:
            worker.connection.send(job)
            answer = await self._receive(worker, min(end, loop.time() + self.budget))
        except BaseException:
            self._retire(worker, fast=True)
            raise
        if answer is not None:
            self._put_fast(worker)
            return answer
        if loop.time() >= end:
            self._retire(worker, fast=True)
            raise _past_deadline(limit)
        if self._heavy.take_now():
            return await self._run_long(worker, end, limit)
        # Every long-query slot is taken: stop it here, and run it again at low priority when a slot is free.
        self._retire(worker, fast=True)
        if self.waiting() >= self.queue:
            raise BusyError(503, "the server is busy: too many long queries are waiting; retry later")
        await self._within(self._heavy.take(client), end, limit)
        return await self._run_long(self._spawn(nice=HEAVY_NICE), end, limit, job)

    async def _run_long(self, worker: _Worker, end: float, limit: float, job: Job | None = None) -> Answer:
        """Finish a long query in a slot already taken: `job` sent to a fresh low-priority worker, or (None) the
        fast worker running it lowered in priority and replaced in the fast lane. The slot is freed after."""
        try:
            if job is None:
                worker.lower_priority()
                self._replace(worker, stop=False)
            else:
                worker.connection.send(job)
            answer = await self._receive(worker, end)
            if answer is None:
                raise _past_deadline(limit)
            return answer
        finally:
            self._retire(worker, fast=False)
            self._heavy.release()

    async def _run_background(self, job: Job, client: str, end: float, limit: float) -> Answer:
        """Run one of the server's own reads on a low-priority worker (an idle one of the lane's, else a fresh one)
        once a background slot is free."""
        await self._within(self._background.take(client), end, limit)
        worker = self._background_idle.pop() if self._background_idle else self._spawn(nice=HEAVY_NICE)
        if worker.linger is not None:
            worker.linger.cancel()
        try:
            worker.connection.send(job)
            answer = await self._receive(worker, end)
        except BaseException:
            self._retire(worker, fast=False)
            raise
        finally:
            self._background.release()
        if answer is None:
            self._retire(worker, fast=False)
            raise _past_deadline(limit)
        if worker.process.is_alive():
            self._background_idle.append(worker)
            worker.linger = asyncio.get_running_loop().call_later(BACKGROUND_LINGER, self._end_lingering, worker)
        else:
            self._retire(worker, fast=False)
        return answer

    def _end_lingering(self, worker: _Worker) -> None:
        """End a background worker still idle since it answered (not taken by another read meanwhile)."""
        if worker in self._background_idle:
            self._background_idle.remove(worker)
            self._retire(worker, fast=False)

    async def _within(self, waiting: Awaitable[Any], end: float, limit: float) -> Any:
        remaining = end - asyncio.get_running_loop().time()
        try:
            return await asyncio.wait_for(waiting, max(0.0, remaining))
        except asyncio.TimeoutError:
            raise DeadlineExceededError(f"the query waited past its deadline of {limit:g} s") from None

    async def _receive(self, worker: _Worker, until: float, *, warm: bool = True) -> Any:
        """The worker's next answer (skipping its READY), None when `until` passes first; a dead worker's
        end is turned into an answer."""
        loop = asyncio.get_running_loop()
        fd = worker.connection.fileno()
        while True:
            ready: asyncio.Future[None] = loop.create_future()
            loop.add_reader(fd, lambda ready=ready: ready.done() or ready.set_result(None))  # type: ignore[misc]
            try:
                await asyncio.wait_for(ready, max(0.0, until - loop.time()))
            except asyncio.TimeoutError:
                return None
            finally:
                loop.remove_reader(fd)
                # uvloop's add_reader leaves the descriptor non-blocking; a large answer then reads as EAGAIN.
                os.set_blocking(fd, True)
            try:
                message = await loop.run_in_executor(None, worker.connection.recv)
            except (EOFError, OSError):
                return self._death(worker)
            if message == READY and warm:
                continue
            return message

    def _death(self, worker: _Worker) -> Answer:
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        if self.memory and code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
            return Answer("memory", message=f"the query needs more than the {self.memory >> 20} MB a query may use")
        return Answer("error", message=f"the query worker ended (exit {code})")

    def _spawn(self, nice: int = 0) -> _Worker:
        worker = _Worker(self._context, self.store_path, nice=nice, memory=self.memory)
        self._all.add(worker)
        return worker

    async def _get_fast(self, client: str) -> _Worker:
        if self._idle and not self._fast_turns:
            return self._idle.pop()
        return await self._fast_turns.wait(client)  # type: ignore[no-any-return]

    def _put_fast(self, worker: _Worker) -> None:
        if not worker.process.is_alive():  # it ended (out of memory, crashed) while answering
            self._replace(worker, stop=True)
            return
        if not self._fast_turns.give(worker):
            self._idle.append(worker)

    def _retire(self, worker: _Worker, *, fast: bool) -> None:
        """Stop a worker (its query is over or abandoned); a fast one is replaced."""
        if fast:
            self._replace(worker, stop=True)
        else:
            worker.stop()
            self._all.discard(worker)

    def _replace(self, worker: _Worker, *, stop: bool) -> None:
        """Start a fast worker in place of this one; it joins the lane once its store is open."""
        if stop:
            worker.stop()
            self._all.discard(worker)
        fresh = self._spawn()
        task = asyncio.get_running_loop().create_task(self._warm(fresh))
        self._warming.add(task)
        task.add_done_callback(self._warming.discard)

    async def _warm(self, worker: _Worker) -> None:
        loop = asyncio.get_running_loop()
        message = await self._receive(worker, loop.time() + 120, warm=False)
        if message == READY:
            self._put_fast(worker)
        else:  # it could not open the store: try once more later rather than shrink the lane
            worker.stop()
            self._all.discard(worker)
            await asyncio.sleep(1)
            self._replace(worker, stop=False)
