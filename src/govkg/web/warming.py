"""Reading the store a server answers from into the system's page cache ahead of its first queries.

A national store is gigabytes; until its files are in memory, questions wait on the disk (Q17 of every plan took
27.3 s with the page cache emptied, 5.4–7.6 s with the store in it). The server asks the system to read each store
it comes to answer from, in a background thread, when the store takes at most half the memory available
(govkg.store.plan_warming); `govkg serve --no-warm` leaves it to the queries.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from pathlib import Path

from ..store import plan_warming, warm

LOG = logging.getLogger(__name__)


class Warmer:
    """Reads the stores a server answers from into memory, each in a background thread, until stopped."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._tasks: set[asyncio.Task[int]] = set()

    def start(self, store: Path) -> asyncio.Task[int]:
        """Begin reading the store at `store` ahead (from a running event loop); the task gives the bytes asked."""
        task = asyncio.create_task(asyncio.to_thread(self._warm, store))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _warm(self, store: Path) -> int:
        began = time.perf_counter()
        try:
            warming = plan_warming(store)
        except OSError as exc:  # the store replaced by a newer build meanwhile
            LOG.info("%s: not read ahead into memory: %s", store, exc.strerror or exc)
            return 0
        if warming.refused is not None:
            LOG.info("%s: not read ahead into memory: %s (queries read it as they need it)", store, warming.refused)
            return 0
        asked = warm(warming, self._stop)
        LOG.info("%s: %.2f GB in %d files asked into memory in %.1f s (the system reads them in the background)",
                 store, asked / 2**30, len(warming.files), time.perf_counter() - began)
        return asked

    async def stop(self) -> None:
        """Stop the reading under way and wait for its threads."""
        self._stop.set()
        await asyncio.gather(*self._tasks, return_exceptions=True)
