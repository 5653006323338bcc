"""Running one function over many documents: in this process, in local worker processes (`--jobs`), or on a
Dask cluster (`--dask ADDRESS`). Results come back in the order of the items, whatever order they finish in.

The function takes an item and a shared value (the options, the lexicon …); the shared value is sent once per
worker. Results are handed over in the items' order; a failing item stops the round with its error, raised as it
was raised in the worker (the items before it have been handed over, the ones after it are cancelled).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from .model import InputError

Item = TypeVar("Item")
Shared = TypeVar("Shared")
Result = TypeVar("Result")

#: How long to wait for a Dask scheduler to answer, in seconds.
CONNECT_SECONDS = 10

#: Called as each item is done: (items done, items in all, the item's index).
Done = Callable[[int, int, int], None]

#: Items handed to each local worker ahead of the results taken: enough to keep it busy, few enough that a round
#: holds a handful of items and results at a time, not all of them (the items may be made as they are drawn).
AHEAD_PER_WORKER = 4
#: Items on a Dask cluster at a time.
AHEAD_ON_DASK = 256


def default_jobs() -> int:
    """The CPUs this process may use (its affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Runner:
    """Where a build's per-document work runs: `jobs` local processes (1: in this process), or the Dask
    scheduler at `dask` (an address such as tcp://10.0.0.5:8786, or a distributed.Client)."""

    jobs: int = 1
    dask: Any = None

    def describe(self, count: int | None = None) -> str:
        """How the work on `count` items (default: many) runs, for progress messages."""
        if self.dask is not None:
            return f"on the Dask cluster {self.dask}"
        if self.jobs <= 1 or count == 1:  # as imap runs one item
            return "in this process"
        return f"in {min(self.jobs, count or self.jobs)} worker processes"

    def map(self, function: Callable[[Item, Shared], Result], items: Sequence[Item], shared: Shared,
            done: Done | None = None) -> list[Result]:
        """`function(item, shared)` for every item, in the items' order."""
        return list(self.imap(function, items, shared, done))

    def imap(self, function: Callable[[Item, Shared], Result], items: Iterable[Item], shared: Shared,
             done: Done | None = None, total: int | None = None) -> Iterator[Result]:
        """`function(item, shared)` for every item, yielded in the items' order as soon as each is ready (so the
        caller can write and drop a result before the others end). `items` may be a generator (with `total`, the
        number it yields): it is drawn only a few items ahead of the results."""
        tick = done or (lambda finished, total, index: None)
        count = total if total is not None else len(items)  # type: ignore[arg-type]
        if not count:
            return iter(())
        if self.dask is not None:
            return _on_dask(self.dask, function, items, count, shared=shared, tick=tick)
        if self.jobs <= 1 or count == 1:
            return _here(function, items, count, shared, tick)
        return _in_processes(min(self.jobs, count), function, items, count, shared=shared, tick=tick)


def _here(function: Callable[[Item, Shared], Result], items: Iterable[Item], count: int, shared: Shared,
          tick: Done) -> Iterator[Result]:
    for index, item in enumerate(items):
        result = function(item, shared)
        tick(index + 1, count, index)
        yield result


#: In a worker process: the value every item of the round shares, set once when the worker starts.
_WORKER: dict[str, Any] = {}


def _keep_shared(shared: Any) -> None:
    _WORKER["shared"] = shared


def _call(function: Callable[[Any, Any], Any], item: Any) -> Any:
    return function(item, _WORKER["shared"])


def _in_processes(jobs: int, function: Callable[[Item, Shared], Result], items: Iterable[Item], count: int, *,
                  shared: Shared, tick: Done) -> Iterator[Result]:
    # forkserver, not fork: the caller may have threads (a server, a test runner) that fork would copy half-way
    context = multiprocessing.get_context("forkserver")
    source = iter(items)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_keep_shared, initargs=(shared,)) as pool:
        pending: deque[Future[Result]] = deque()
        index = 0
        try:
            while True:
                pending.extend(pool.submit(_call, function, item)
                               for item in islice(source, AHEAD_PER_WORKER * jobs - len(pending)))
                if not pending:
                    break
                result = pending.popleft().result()  # raises the worker's exception: the first failing item's
                tick(index + 1, count, index)
                index += 1
                yield result
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def _on_dask(client_or_address: Any, function: Callable[[Item, Shared], Result], items: Iterable[Item], count: int, *,
             shared: Shared, tick: Done) -> Iterator[Result]:
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--dask", "needs the distributed package: pip install 'govkg[scale]'") from None
    own = not isinstance(client_or_address, Client)
    try:
        client = Client(client_or_address, timeout=CONNECT_SECONDS) if own else client_or_address
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError("--dask", f"no Dask scheduler answers at {client_or_address}: {exc}") from None
    source = iter(items)
    try:
        [shared_future] = client.scatter([shared], broadcast=True)
        pending: deque[Any] = deque()
        index = 0
        try:
            while True:
                pending.extend(client.submit(function, item, shared_future, pure=False)
                               for item in islice(source, AHEAD_ON_DASK - len(pending)))
                if not pending:
                    break
                future = pending.popleft()
                result = future.result()  # raises the worker's exception
                future.release()
                tick(index + 1, count, index)
                index += 1
                yield result
        except BaseException:
            client.cancel(list(pending))
            raise
    finally:
        if own:
            client.close()
