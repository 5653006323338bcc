"""What a server reads of a whole build in the background: the names, the task statements and the class counts.

Each is a scan of the store (seconds to tens of seconds at national scale), so it is read once per build, as the
server's own client, within INDEX_DEADLINE rather than a request's deadline, and started as soon as the server
starts or switches to a build; a request needing one before it is read waits for it. A read that fails is tried
again by the next request that needs it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from .ask import INDEX_DEADLINE, NameIndex, read_names
from .textsearch import TaskTexts, read_task_texts
from .workers import ARRIVAL, CLIENT, BusyError, DeadlineExceededError

if TYPE_CHECKING:
    from .app import Server

LOG = logging.getLogger(__name__)
T = TypeVar("T")


async def read_classes(server: Server) -> tuple[dict[str, int], int | None]:
    """Each class's count of distinct typed resources, and the distinct typed resources in all (for VoID); the
    latter None when counting them needs more memory than a query may use (7.5 million at 25,000 documents, over
    the 2 GB of a worker now and then), so that VoID still answers, without void:entities."""
    CLIENT.set("govkg:classes")
    ARRIVAL.set(None)
    classes = {row["c"]["value"]: int(row["n"]["value"]) for row in await server.select(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c", deadline=INDEX_DEADLINE)}
    try:
        entities = await server.select("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c }",
                                       deadline=INDEX_DEADLINE)
    except RuntimeError as exc:
        LOG.warning("the typed resources could not be counted (VoID goes without void:entities): %s", exc)
        return classes, None
    return classes, int(entities[0]["n"]["value"])


class Indexes:
    """What the server reads of the whole served build: names (for completion and search), task statements (for
    search) and class counts (for VoID), each once, in a task of its own (not bound to a request's deadline):
    started when the server starts or switches to a newer build (`warm`), or else on first use."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self._loading: dict[str, asyncio.Task[Any]] = {}
        server.on_switch.append(self._loading.clear)

    def _start(self, kind: str, read: Callable[[Server], Coroutine[Any, Any, T]]) -> asyncio.Task[T]:
        if kind not in self._loading:
            task = self._loading[kind] = asyncio.create_task(read(self.server))
            task.add_done_callback(lambda done: self._failed(kind, done))
        return self._loading[kind]

    def _failed(self, kind: str, task: asyncio.Task[Any]) -> None:
        """Forget a read that failed (tried again on the next request), so that no failure is kept."""
        error = None if task.cancelled() else task.exception()
        if (task.cancelled() or error is not None) and self._loading.get(kind) is task:
            del self._loading[kind]
        if error is not None:
            LOG.warning("the %s index could not be read (tried again on the next request): %s", kind, error)

    def warm(self) -> None:
        """Start every read (in the event loop), so that the first request needing one need not wait for it."""
        self._start("names", read_names)
        self._start("tasks", read_task_texts)
        self._start("classes", read_classes)

    async def _get(self, kind: str, read: Callable[[Server], Coroutine[Any, Any, T]]) -> T | None:
        try:
            return await asyncio.shield(self._start(kind, read))
        except (DeadlineExceededError, BusyError, RuntimeError):  # the pages work on without the index
            return None

    async def names(self) -> NameIndex | None:
        """The names index; None when it could not be read."""
        return await self._get("names", read_names)

    async def tasks(self) -> TaskTexts | None:
        """The statements index; None when it could not be read or is too large."""
        return await self._get("tasks", read_task_texts)

    async def classes(self) -> tuple[dict[str, int], int | None] | None:
        """Each class's count of typed resources, and the typed resources in all (None: too many to count);
        None when the classes were not counted."""
        return await self._get("classes", read_classes)
