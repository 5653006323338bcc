"""watch: build a folder's graph, then build it again each time its documents change (`govkg build --watch`).

The process stays running, so a rebuild costs what changed and not the build's size: the modules are loaded, the
SHACL shapes compiled, and the build's own state (govkg.build.Resident: the manifest, the documents' hashes and
file status, the issuers' shards) is kept between builds. File events (inotify on Linux, through watchfiles; or
the folders looked at every few seconds, `poll`) say which documents were written; only those are looked at
again. An event that may change which documents there are (one came or went, a sidecar changed, an event was
lost) makes the next build look at every input, as `govkg build` does.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .build import BuildResult, InvalidGraphError, Resident, build, collector_paused
from .executors import Runner
from .extract import extract_document, is_document_name
from .inplace import FolderBusyError
from .model import InputError
from .read.files import display_name
from .read.sidecar import SIDECAR_SUFFIX
from .validate import resolve_engine

#: Rebuilds of at most this many changed documents run in the watching process: starting worker processes
#: costs more than they save.
IN_PROCESS_AT_MOST = 8
#: Builds between full garbage collections of the watching process (_set_aside_heap).
COLLECT_EVERY = 20
#: The shortest interval (ms) between two looks at the folders when polling.
MIN_POLL_MS = 100
#: How long (ms) the watcher waits for more events after one before building: a save is often several writes.
SETTLE_MS = 50


@dataclass
class Rebuild:
    """One build of a watch: what it found, or why it failed, and how long it took."""

    seconds: float
    #: The documents file events named (None: every input was looked at).
    touched: list[str] | None
    result: BuildResult | None = None
    error: str = ""
    #: The violations of a build refused for them (InvalidGraphError).
    refused: InvalidGraphError | None = field(default=None, repr=False)
    #: True when another process held the folder (a build, `govkg compact`): the watch tries again until it ends.
    busy: bool = False


def watched_folders(paths: Iterable[str | Path]) -> dict[str, frozenset[str] | None]:
    """The folders to watch for the build's inputs (absolute paths), each with the names that matter in it: None
    for a folder given whole (any document or sidecar), else the given files and their sidecars."""
    folders: dict[str, frozenset[str] | None] = {}
    for raw in paths:
        path = os.path.abspath(os.fsdecode(raw))
        if os.path.isdir(path):
            folders[path] = None
            continue
        folder, name = os.path.split(path)
        if folder in folders and folders[folder] is None:
            continue
        stem = os.path.splitext(name)[0]
        folders[folder] = (folders.get(folder) or frozenset()) | {name, stem + SIDECAR_SUFFIX,
                                                                    name + SIDECAR_SUFFIX}
    return folders


def documents_touched(changes: Iterable[tuple[Any, str]], folders: dict[str, frozenset[str] | None],
                      known: dict[str, Path]) -> set[Path] | None:
    """The known documents that file events (change, path) say were written or replaced (`known`: absolute path
    → the document's path as the build names it); None when an event may change which documents there are or
    what a sidecar says (every input is then looked at again); an empty set when no event concerns the inputs."""
    touched: set[Path] = set()
    for _, raw in changes:
        absolute = os.path.abspath(raw)
        folder, name = os.path.split(absolute)
        if folder not in folders:
            continue
        wanted = folders[folder]
        if not (name in wanted if wanted is not None else is_document_name(name) or name.endswith(SIDECAR_SUFFIX)):
            continue
        path = known.get(absolute)
        if path is None or name.endswith(SIDECAR_SUFFIX) or not os.path.isfile(absolute):
            return None  # came, went, or a sidecar: the next build lists every input
        touched.add(path)
    return touched


class _Known:
    """The absolute paths of a resident's documents, made again only when its list of documents changes."""

    def __init__(self) -> None:
        self._files: list[Path] | None = None
        self._by_path: dict[str, Path] = {}

    def of(self, resident: Resident) -> dict[str, Path]:
        """Absolute path → the document's path as the build names it."""
        if resident.files is not self._files:
            self._files = resident.files
            self._by_path = {os.path.abspath(path): path for path in resident.files}
        return self._by_path


def watch_build(paths: list[str | Path], out: str | Path, *, report: Callable[[Rebuild], None],
                runner: Runner | None = None, stop: threading.Event | None = None,
                ready: Callable[[], None] | None = None, progress: Callable[[str], None] | None = None,
                poll: float | None = None, **options: Any) -> None:
    """Build `paths` into `out` (govkg.build.build with `options`), then again whenever a document changes, until
    `stop` is set (or Ctrl-C). Each build, the first included, is given to `report`; a build that fails (an
    unreadable document, violations) is reported and the watch goes on. `ready` is called after the first build:
    the file events are followed from before it began, so no change made since is missed. `progress` follows the
    first build only (the later ones are reported when done). A build that finds the folder held by another
    process (a build, `govkg compact`), the first included, is reported once, as busy, and tried again every half
    second until it is done. `poll`: look at the folders' files every `poll` seconds instead of waiting for file
    events (network file systems, where changes made on another machine send none). A path that does not exist
    is an InputError."""
    import watchfiles  # only a watching process needs it

    for raw in paths:
        if not os.path.exists(raw):
            raise InputError(display_name(Path(os.fsdecode(raw))), "no such file or folder")
    runner = runner or Runner()
    resident = Resident()
    known = _Known()
    folders = watched_folders(paths)
    builds = 0
    # the documents of a rebuild another process's hold on the folder put off (None: every input), tried again at
    # each event or timeout tick until it is done
    put_off: list[set[Path] | None] = []
    for changes in watchfiles.watch(*folders, watch_filter=None, recursive=False, step=SETTLE_MS,
                                    rust_timeout=500, yield_on_timeout=True, stop_event=stop,
                                    raise_interrupt=False, force_polling=poll is not None,
                                    poll_delay_ms=max(MIN_POLL_MS, round(1000 * poll)) if poll else MIN_POLL_MS):
        if not builds:  # the first build reads everything, whatever changed before it
            first = _timed(paths, out, {**options, "progress": progress}, runner, resident=resident, touched=None)
            report(first)
            if first.busy:  # tried again at the next tick, as a put-off rebuild is
                put_off.append(None)
            resident.prepare()
            _warm_up(resident.files[:1], options)
            _set_aside_heap(builds := 1)
            if ready is not None:
                ready()
            continue
        touched = documents_touched(changes, folders, known.of(resident)) if changes else set()
        if touched == set() and not put_off:
            continue
        if touched != set():
            resident.touched(touched)
        was_put_off = bool(put_off)
        if put_off:
            before = put_off.pop()
            touched = None if before is None or touched is None else before | touched
        rebuild = _timed(paths, out, options, runner, resident=resident, touched=touched)
        if rebuild.busy:
            if not was_put_off:
                report(rebuild)  # once: the tries that follow are silent
            put_off.append(touched)
            continue
        report(rebuild)
        resident.prepare()
        _set_aside_heap(builds := builds + 1)


def _warm_up(documents: list[Path], options: dict[str, Any]) -> None:
    """Do once, before the first change, what a process does the first time it reads a document and validates a
    graph (modules loaded, patterns and SHACL shapes compiled), so that the first rebuild costs what the later
    ones do: one document read again, its result dropped."""
    resolve_engine()
    wanted = ("layout", "policy", "issuer", "year", "lex", "max_bytes")
    for path in documents:
        with suppress(InputError):  # the build reported it
            extract_document(path, **{name: options[name] for name in wanted if name in options})


def _set_aside_heap(builds: int) -> None:
    """Collect the garbage of the last build, then exempt what survives (the resident state: millions of objects at
    national scale) from later collections, which would otherwise walk it all during the next build (0.3 s at
    25,000 documents). What was set aside is collected again every COLLECT_EVERY builds."""
    if builds % COLLECT_EVERY == 1:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


def _timed(paths: list[str | Path], out: str | Path, options: dict[str, Any], runner: Runner, *,
           resident: Resident, touched: set[Path] | None) -> Rebuild:
    """One build of the watch, timed; its failure as a message. A rebuild of at most IN_PROCESS_AT_MOST documents
    runs in this process, without the cyclic garbage collector (it makes little garbage, and the collector's full
    passes would walk the build's new manifest; _set_aside_heap collects after it)."""
    start = time.perf_counter()
    names = sorted(path.name for path in touched) if touched is not None else None
    few = touched is not None and len(touched) <= IN_PROCESS_AT_MOST
    try:
        with collector_paused() if few else nullcontext():
            result = build(paths, out, runner=Runner() if few else runner, resident=resident, **options)
    except InvalidGraphError as refused:
        return Rebuild(time.perf_counter() - start, names, error=str(refused), refused=refused)
    except FolderBusyError as busy:
        return Rebuild(time.perf_counter() - start, names, busy=True,
                       error=str(FolderBusyError(busy.folder, "building when it has finished")))
    except InputError as failed:
        return Rebuild(time.perf_counter() - start, names, error=str(failed))
    return Rebuild(time.perf_counter() - start, names, result=result)
