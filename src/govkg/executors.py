"""Running one function over many documents: in this process, in local worker processes (`--jobs`), or on a
Dask cluster (`--dask ADDRESS`). Results come back in the order of the items, whatever order they finish in.

The function takes an item and a shared value (the options, the lexicon …); the shared value is sent once per
worker. A failing item stops the round, and the error of the first failing item (in the items' order, among
those that ran) is raised as it was raised in the worker.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, TypeVar

from .model import InputError

Item = TypeVar("Item")
Shared = TypeVar("Shared")
Result = TypeVar("Result")

#: How long to wait for a Dask scheduler to answer, in seconds.
CONNECT_SECONDS = 10

#: Called as each item is done: (items done, items in all, the item's index).
Done = Callable[[int, int, int], None]


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

    def describe(self) -> str:
        """How the work runs, for progress messages."""
        if self.dask is not None:
            return f"on the Dask cluster {self.dask}"
        return "in this process" if self.jobs <= 1 else f"in {self.jobs} worker processes"

    def map(self, function: Callable[[Item, Shared], Result], items: Sequence[Item], shared: Shared,
            done: Done | None = None) -> list[Result]:
        """`function(item, shared)` for every item, in the items' order."""
        tick = done or (lambda finished, total, index: None)
        if not items:
            return []
        if self.dask is not None:
            return _on_dask(self.dask, function, items, shared, tick)
        if self.jobs <= 1 or len(items) == 1:
            results = []
            for index, item in enumerate(items):
                results.append(function(item, shared))
                tick(index + 1, len(items), index)
            return results
        return _in_processes(min(self.jobs, len(items)), function, items, shared, tick)


#: In a worker process: the value every item of the round shares, set once when the worker starts.
_WORKER: dict[str, Any] = {}


def _keep_shared(shared: Any) -> None:
    _WORKER["shared"] = shared


def _call(function: Callable[[Any, Any], Any], item: Any) -> Any:
    return function(item, _WORKER["shared"])


def _first_error(futures: Sequence[Future[Any]]) -> BaseException | None:
    for future in futures:
        if future.done() and not future.cancelled() and future.exception() is not None:
            return future.exception()
    return None


def _in_processes(jobs: int, function: Callable[[Item, Shared], Result], items: Sequence[Item], shared: Shared,
                  tick: Done) -> list[Result]:
    # forkserver, not fork: the caller may have threads (a server, a test runner) that fork would copy half-way
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_keep_shared, initargs=(shared,)) as pool:
        futures = [pool.submit(_call, function, item) for item in items]
        index_of = {future: index for index, future in enumerate(futures)}
        pending: set[Future[Any]] = set(futures)
        finished = 0
        try:
            while pending:
                ready, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in sorted(ready, key=index_of.__getitem__):
                    if future.exception() is None:
                        finished += 1
                        tick(finished, len(items), index_of[future])
                error = _first_error(futures)
                if error is not None:
                    raise error
        except BaseException:
            for future in pending:
                future.cancel()
            raise
        return [future.result() for future in futures]


def _on_dask(client_or_address: Any, function: Callable[[Item, Shared], Result], items: Sequence[Item],
             shared: Shared, tick: Done) -> list[Result]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise InputError("--dask", "needs the distributed package: pip install 'govkg[scale]'") from None
    own = not isinstance(client_or_address, Client)
    try:
        client = Client(client_or_address, timeout=CONNECT_SECONDS) if own else client_or_address
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError("--dask", f"no Dask scheduler answers at {client_or_address}: {exc}") from None
    try:
        [shared_future] = client.scatter([shared], broadcast=True)
        futures = client.map(function, list(items), [shared_future] * len(items), pure=False)
        index_of = {future.key: index for index, future in enumerate(futures)}
        for finished, future in enumerate(as_completed(futures), start=1):
            if future.status == "error":
                error = future.exception()
                for other in futures:
                    other.cancel()
                raise error
            tick(finished, len(items), index_of[future.key])
        return client.gather(futures)
    finally:
        if own:
            client.close()
