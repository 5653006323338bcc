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

from ..build import CLASS_COUNTS, IssuerState, graph_quads, issuer_states
from ..rdf.vocab import GW
from ..store import hold_store, release_store
from ..typecounts import TypeCounts

MANIFEST = "manifest.json"
#: Tries to hold the committed store while builds keep committing (each try reads the manifest again).
ATTEMPTS = 20

Token = tuple[int, int, int]
#: A rebuild changing more issuers than this has what a server read of the previous build (names, statements,
#: plans) read again whole: reading the changed issuers' asks for all of them in one query, which grows with them.
MAX_CHANGED_ISSUERS = 200

#: The counts of a build's summary (its manifest's "result") that are distinct resources of a class in its store,
#: kept exact by incremental builds: the server takes them instead of counting (seconds at national scale).
COUNTED = tuple(CLASS_COUNTS)
#: The counts on the home page that are distinct resources of a class (name → class IRI): those of the summary,
#: the plans and the targets. A build's type counts (its manifest's "typed") hold them all.
HOME_COUNTS = {**CLASS_COUNTS, "plans": str(GW.WorkPlan), "targets": str(GW.Target)}


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
    #: What decides every graph of the build besides its inputs (its manifest's `fingerprint`), and what it made of
    #: each issuer (None: not known from a manifest); two builds' differences are told from them (`changed_issuers`).
    fingerprint: str | None = field(default=None, compare=False, repr=False)
    issuers: dict[str, IssuerState] | None = field(default=None, compare=False, repr=False)
    #: Each class's resources and the typed resources in all, as the build counted them (None: not recorded).
    typed: TypeCounts | None = field(default=None, compare=False, repr=False)


def changed_issuers(before: Committed, after: Committed,
                    limit: int = MAX_CHANGED_ISSUERS) -> dict[str, tuple[str, ...]] | None:
    """The issuers (by key) whose graphs differ between two builds of a folder, each with its documents' graphs in
    `after` (none: the issuer is gone); None when the builds cannot be compared issuer by issuer (another base or
    fingerprint, a manifest without issuers) or more than `limit` issuers differ, so that whatever was read of
    `before` is read again whole."""
    if (before.issuers is None or after.issuers is None or before.fingerprint is None or before.base is None
            or (before.fingerprint, before.base) != (after.fingerprint, after.base)):
        return None
    changed = {}
    for gov in before.issuers.keys() | after.issuers.keys():
        was, now = before.issuers.get(gov), after.issuers.get(gov)
        if was is None or now is None or was.digest != now.digest:
            changed[gov] = now.graphs if now is not None else ()
            if len(changed) > limit:
                return None
    return changed


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
        issuers: dict[str, IssuerState] | None = issuer_states(manifest)
    except (KeyError, TypeError, AttributeError):  # a manifest of an older build: the store is asked instead
        quads = issuers = None
    result = manifest.get("result")
    counts = {name: value for name, value in result.items() if name in COUNTED and type(value) is int} if isinstance(
        result, dict) else {}
    typed = TypeCounts.from_record(manifest.get("typed"))
    if typed is not None:
        counts = {name: typed.classes.get(cls, 0) for name, cls in HOME_COUNTS.items()}
    fingerprint = manifest.get("fingerprint")
    return Committed((status.st_ino, status.st_size, status.st_mtime_ns), store.resolve(), manifest.get("base"),
                     quads, counts, fingerprint if isinstance(fingerprint, str) else None, issuers, typed)


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
