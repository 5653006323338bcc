"""What a server reads of a whole build in the background: the names, the task statements and the class counts.

Each is a scan of the store (seconds to tens of seconds at national scale), so it is read once per build, as the
server's own client, within INDEX_DEADLINE rather than a request's deadline, and started as soon as the server
starts or switches to a build. A request needing one before it is read waits for it, or, where it can do
without (a page's prefilled lists, completion, search), waits a moment (`Indexes.ready_within`) and says that it
is still being read. A read that fails is tried again by the next request that needs it.

On a switch to a rebuild of the same folder, the names and statements are not read whole again: the two builds'
manifests tell which issuers' graphs differ (govkg.web.follow.changed_issuers), and only those issuers' names and
statements are read and put in place of theirs in the previous build's indexes (a one-document rebuild: one
issuer). A rebuild with other options, or changing more than follow.MAX_CHANGED_ISSUERS issuers, is read whole.
A server starting on a folder updates in the same way the indexes the last server on it kept (govkg.web.kept).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from ..rdf.iris import Minter
from .ask import INDEX_DEADLINE, NameIndex, read_names, update_names
from .follow import Committed, changed_issuers
from .kept import READERS, keep_index, kept_index
from .textsearch import TaskTexts, read_task_texts, update_task_texts
from .workers import BusyError, DeadlineExceededError, as_server_client

if TYPE_CHECKING:
    from .app import Server

LOG = logging.getLogger(__name__)
T = TypeVar("T")
#: Reads a kind of index whole from the served build.
Read = Callable[["Server"], Coroutine[Any, Any, T]]
#: Updates an index of a build to the served build, given the issuers that differ (`changed_issuers`) and the IRIs
#: minted for them; None when it cannot.
Update = Callable[["Server", T, Mapping[str, tuple[str, ...]], Minter], Coroutine[Any, Any, T | None]]


async def read_classes(server: Server) -> tuple[dict[str, int], int | None]:
    """Each class's count of distinct typed resources, and the distinct typed resources in all (for VoID); the
    latter None when counting them needs more memory than a query may use (7.5 million at 25,000 documents, over
    the 2 GB of a worker now and then), so that VoID still answers, without void:entities."""
    as_server_client("govkg:classes", background=True)
    classes = {row["c"]["value"]: int(row["n"]["value"]) for row in await server.select(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c", deadline=INDEX_DEADLINE)}
    try:
        entities = await server.select("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c }",
                                       deadline=INDEX_DEADLINE)
    except RuntimeError as exc:
        LOG.warning("the typed resources could not be counted (VoID goes without void:entities): %s", exc)
        return classes, None
    return classes, int(entities[0]["n"]["value"])


async def _update_names(server: Server, index: NameIndex, changed: Mapping[str, tuple[str, ...]],
                        minter: Minter) -> NameIndex | None:
    return await update_names(server, index, {str(minter.government(gov)) for gov in changed})


async def _update_texts(server: Server, texts: TaskTexts, changed: Mapping[str, tuple[str, ...]],
                        minter: Minter) -> TaskTexts | None:
    return await update_task_texts(server, texts, [minter.plans_prefix(gov) for gov in changed],
                                   {graph for graphs in changed.values() for graph in graphs})


#: Each kind of index: how it is read whole, and how it is updated (None: it cannot be).
_READS: dict[str, tuple[Read[Any], Update[Any] | None]] = {
    "names": (read_names, _update_names),
    "tasks": (read_task_texts, _update_texts),
    "classes": (read_classes, None),
}


class Indexes:
    """What the server reads of the whole served build: names (for completion and search), task statements (for
    search) and class counts (for VoID), each once, in a task of its own (not bound to a request's deadline):
    started when the server starts or switches to a newer build (`warm`; the class counts at the start only), or
    else on first use; names and statements updated from the previous build's where they can be."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self._loading: dict[str, asyncio.Task[Any]] = {}
        #: Each kind's latest index and the build it is of (kept across switches, for updates).
        self._latest: dict[str, tuple[Committed, Any]] = {}
        #: The kinds whose index the last server kept was looked for; each kind's index kept last by this one.
        self._looked: set[str] = set()
        self._kept: dict[str, Any] = {}
        self._keeping: set[asyncio.Task[None]] = set()
        server.on_switch.append(self._loading.clear)

    def _start(self, kind: str) -> asyncio.Task[Any]:
        if kind not in self._loading:
            task = self._loading[kind] = asyncio.create_task(self._index(kind, *_READS[kind]))
            task.add_done_callback(lambda done: self._failed(kind, done))
        return self._loading[kind]

    async def _index(self, kind: str, read: Read[T], update: Update[T] | None) -> T:
        """The index of a kind for the build served now: the latest one updated, or else read whole."""
        began, committed = time.perf_counter(), self.server.committed
        value: T | None = None
        how = "read whole"
        latest, kept = self._latest.get(kind), False
        if latest is None and kind in READERS and kind not in self._looked:  # a server just started
            self._looked.add(kind)
            latest = await asyncio.to_thread(kept_index, self.server.settings.build_dir, kind)
            kept = latest is not None
            if latest is not None:  # kept already, unless updated
                self._kept[kind] = latest[1]
        if update is not None and latest is not None and latest[1] is not None:
            changed = changed_issuers(latest[0], committed)
            if changed is not None and committed.base is not None:
                value = await update(self.server, latest[1], changed, Minter(committed.base)) if changed else latest[1]
                how = f"updated{' from the index kept' if kept else ''}: {len(changed)} issuer(s) read again"
        if value is None:
            value = await read(self.server)
            how = "read whole"
            if kind in READERS:  # for the next server, once this one has it
                task = asyncio.create_task(asyncio.to_thread(self._keep, kind, committed, value))
                self._keeping.add(task)
                task.add_done_callback(self._keeping.discard)
        self._latest[kind] = (committed, value)
        LOG.info("the %s index of the build whose store is %s: %s in %.2f s", kind, committed.store, how,
                 time.perf_counter() - began)
        return value

    def _keep(self, kind: str, committed: Committed, value: Any) -> None:
        if keep_index(self.server.settings.build_dir, kind, committed, value):
            self._kept[kind] = value

    async def keep(self) -> None:
        """Keep the latest indexes for the next server on the folder (those not kept yet: when the server stops)."""
        for task in list(self._keeping):
            with contextlib.suppress(Exception):
                await task
        for kind, (committed, value) in list(self._latest.items()):
            if kind in READERS and self._kept.get(kind) is not value:
                await asyncio.to_thread(self._keep, kind, committed, value)

    def _failed(self, kind: str, task: asyncio.Task[Any]) -> None:
        """Forget a read that failed (tried again on the next request), so that no failure is kept."""
        error = None if task.cancelled() else task.exception()
        if (task.cancelled() or error is not None) and self._loading.get(kind) is task:
            del self._loading[kind]
        if error is not None:
            LOG.warning("the %s index could not be read (tried again on the next request): %s", kind, error)

    def warm(self, *, classes: bool = True) -> None:
        """Start the reads (in the event loop), so that the first request needing one need not wait for it; the
        class counts only if `classes` (a switch leaves them to the first VoID request: they cannot be updated,
        and counting them again on every rebuild would keep the workers busy)."""
        # One after the other, the names first: the Ask pages and completion need them alone, search needs the
        # statements too, VoID the class counts; read at once, each would be ready only when all are. A request
        # needing a later one starts it at once.
        later = ("tasks", "classes") if classes else ("tasks",)

        def next_read(_: asyncio.Task[Any], kinds: tuple[str, ...] = later) -> None:
            if kinds:
                task = self._start(kinds[0])
                task.add_done_callback(partial(next_read, kinds=kinds[1:]))

        self._start("names").add_done_callback(next_read)

    async def _get(self, kind: str) -> Any:
        try:
            return await asyncio.shield(self._start(kind))
        except (DeadlineExceededError, BusyError, RuntimeError):  # the pages work on without the index
            return None

    async def ready_within(self, kind: str, seconds: float) -> bool:
        """True when the index of a kind ("names", "tasks", "classes") is there, or comes within `seconds` (its
        read started if it was not, and going on either way); a read that failed counts as there."""
        task = self._start(kind)
        if not task.done():
            await asyncio.wait({task}, timeout=seconds)
        return task.done()

    async def names(self) -> NameIndex | None:
        """The names index; None when it could not be read."""
        return await self._get("names")  # type: ignore[no-any-return]

    async def tasks(self) -> TaskTexts | None:
        """The statements index; None when it could not be read or is too large."""
        return await self._get("tasks")  # type: ignore[no-any-return]

    async def classes(self) -> tuple[dict[str, int], int | None] | None:
        """Each class's count of typed resources, and the typed resources in all (None: too many to count);
        None when the classes were not counted."""
        return await self._get("classes")  # type: ignore[no-any-return]
