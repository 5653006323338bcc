"""Following a build folder: which build is committed there, and a hold on its store while the server reads it.

A build commits by writing `manifest.json` over the old one, so the manifest's identity (inode, size, time) tells
one build from the next, and the manifest names the store that build made (`store`, or `.store@N` for a folder
updated in place). The server holds the store it answers from (`govkg.store.hold_store`): a build leaves a held
store in place, and a later build removes it once the server has moved on.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ..build import CLASS_COUNTS, graph_quads
from ..store import hold_store, release_store

MANIFEST = "manifest.json"
#: Tries to hold the committed store while builds keep committing (each try reads the manifest again).
ATTEMPTS = 20

Token = tuple[int, int, int]

#: The counts of a build's summary (its manifest's "result") that are distinct resources of a class in its store,
#: kept exact by incremental builds: the server takes them instead of counting (seconds at national scale).
COUNTED = tuple(CLASS_COUNTS)


@dataclass(frozen=True)
class Committed:
    """The build a folder holds: its manifest's identity (None: no manifest), its store folder, base IRI and
    the quads of each named graph of its store (None: not known from a manifest)."""

    token: Token | None
    store: Path
    base: str | None
    graph_quads: dict[str, int] | None = field(default=None, compare=False, repr=False)
    #: The resources of the classes the build counted (tasks, units, groups, people), from its manifest.
    counts: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


def manifest_token(build_dir: Path) -> Token | None:
    """The identity of the folder's manifest (inode, size, modification time); None without one."""
    try:
        status = os.stat(build_dir / MANIFEST)
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns


def committed(build_dir: Path) -> Committed:
    """The build committed in `build_dir`: the store its manifest names (resolved), its base IRI."""
    try:
        with open(build_dir / MANIFEST, "rb") as stream:
            status = os.fstat(stream.fileno())
            manifest = orjson.loads(stream.read())
    except FileNotFoundError:  # a store made by hand: served as it is
        return Committed(None, (build_dir / "store").resolve(), None)
    except orjson.JSONDecodeError as exc:
        raise FileNotFoundError(f"{build_dir}: {MANIFEST} is not a build's manifest ({exc})") from None
    store = build_dir / str(manifest.get("store", "store"))
    try:
        quads: dict[str, int] | None = graph_quads(manifest)
    except (KeyError, TypeError, AttributeError):  # a manifest of an older build: the store is asked instead
        quads = None
    result = manifest.get("result")
    counts = {name: value for name, value in result.items() if name in COUNTED and type(value) is int} if isinstance(
        result, dict) else {}
    return Committed((status.st_ino, status.st_size, status.st_mtime_ns), store.resolve(), manifest.get("base"),
                     quads, counts)


def hold_committed(build_dir: Path) -> tuple[Committed, int | None]:
    """The committed build with its store held (see `govkg.store.hold_store`), read again while builds commit
    meanwhile; FileNotFoundError when the folder has no store."""
    for attempt in range(ATTEMPTS):
        now = committed(build_dir)
        try:
            handle = hold_store(now.store)
        except FileNotFoundError:
            if now.token is None or attempt == ATTEMPTS - 1:
                raise FileNotFoundError(f"{build_dir}: no store/ here; run `govkg build … --out {build_dir}` "
                                        "first") from None
        except BlockingIOError:  # a build is removing it: it has committed another by now
            pass
        else:
            if manifest_token(build_dir) == now.token:
                return now, handle
            release_store(handle)
        time.sleep(0.05)
    raise FileNotFoundError(f"{build_dir}: the build folder kept changing while the server tried to open it")
