"""The names and statements indexes (and the plans) a server keeps for its next start, in the per-user cache
(govkg.cache).

Read whole, they take tens of seconds at national scale (govkg.web.background). A server keeps each, with the
state of the build it is of (its fingerprint, base and issuers' digests: govkg.web.follow.Committed), as a cache
entry per build folder: when it has read one whole, and when it stops. The next server on the folder reads the
entry back and updates it to the build it serves the way a switch does, reading again only the issuers that
differ. An entry that is missing, malformed or of another version is ignored (the index is read whole); one of
another build is only a starting point, since the issuers' digests tell what differs.

Each folder's entries come with a small one naming the folder (written first). Whenever a server keeps an index,
the entries of folders that are no longer build folders are removed (`prune_kept`), and so are entries that no
such record names (those of an older version): a national build's entries take about 100 MB.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..build import MANIFEST, IssuerState
from ..cache import entry_names, load_entry, remove_entry, store_entry
from .ask import NameIndex
from .follow import Committed
from .textsearch import TaskTexts

#: Changes whenever what an entry holds does.
VERSION = 2
#: The start of every entry this module writes, and of the entries naming their folder.
PREFIX = "server-"
_FOLDER = "folder"
@dataclass(frozen=True)
class KeptPlans:
    """A build's plans as a server lists them (one row of plain values per plan: Server.load_facts)."""

    rows: list[dict[str, str]]

    def as_json(self) -> list[dict[str, str]]:
        """The plans as JSON (KeptPlans.from_json reads them back)."""
        return self.rows

    @classmethod
    def from_json(cls, document: Any) -> KeptPlans | None:
        """The plans `as_json` gave; None for anything else."""
        if isinstance(document, list) and all(
                isinstance(row, dict) and all(isinstance(key, str) and isinstance(value, str)
                                              for key, value in row.items()) for row in document):
            return cls(document)
        return None


#: The kinds of index kept, and how each is read back from JSON (None: not such an index).
READERS: dict[str, Callable[[Any], Any]] = {"names": NameIndex.from_json, "tasks": TaskTexts.from_json,
                                            "plans": KeptPlans.from_json}


def entry_name(build_dir: Path, kind: str) -> str:
    """The cache entry keeping a kind of index for the builds of `build_dir` (kind "folder": the entry naming it)."""
    folder = hashlib.sha256(os.fsencode(build_dir.resolve())).hexdigest()[:16]
    return f"{PREFIX}{kind}-{folder}"


def kept_index(build_dir: Path, kind: str) -> tuple[Committed, Any] | None:
    """The index of a kind kept for `build_dir` and the build it is of (its state only: no token, no store);
    None when none is kept, or what is kept is not such an index."""
    entry = load_entry(entry_name(build_dir, kind))
    if not isinstance(entry, dict) or entry.get("version") != VERSION or kind not in READERS:
        return None
    base, fingerprint, digests = entry.get("base"), entry.get("fingerprint"), entry.get("issuers")
    if not isinstance(base, str) or not isinstance(fingerprint, str) or not isinstance(digests, dict):
        return None
    try:
        issuers = {str(gov): IssuerState(bytes.fromhex(digest), ()) for gov, digest in digests.items()}
    except (TypeError, ValueError):
        return None
    value = READERS[kind](entry.get("value"))
    if value is None:
        return None
    return Committed(None, Path(), base, fingerprint=fingerprint, issuers=issuers), value


def keep_index(build_dir: Path, kind: str, committed: Committed, value: Any) -> bool:
    """Keep an index of the build `committed` of `build_dir` for the next server (replacing the one kept); False
    when it cannot be kept (an index not of READERS' kinds, a build whose state its manifest does not give)."""
    if (kind not in READERS or value is None or committed.issuers is None or committed.fingerprint is None
            or committed.base is None):
        return False
    prune_kept()
    store_entry(entry_name(build_dir, _FOLDER), {"version": VERSION, "folder": os.fsdecode(build_dir.resolve())})
    store_entry(entry_name(build_dir, kind), {
        "version": VERSION, "base": committed.base, "fingerprint": committed.fingerprint,
        "issuers": {gov: state.digest.hex() for gov, state in committed.issuers.items()}, "value": value.as_json()})
    return True


def prune_kept() -> list[str]:
    """Remove the kept indexes of folders that are no longer build folders (no manifest), and the entries no record
    names (an older version's); the names of the entries removed."""
    records = set(entry_names(f"{PREFIX}{_FOLDER}-"))
    named = {_folder_key(name) for name in records if _names_a_build(load_entry(name))}
    removed = [name for name in entry_names(PREFIX) if _folder_key(name) not in named]
    removed.sort(key=lambda name: name in records)  # the records last, so that an entry is never left unnamed
    for name in removed:
        remove_entry(name)
    return removed


def _folder_key(name: str) -> str:
    """The part of an entry's name that tells its build folder."""
    return name.rsplit("-", 1)[1]


def _names_a_build(record: Any) -> bool:
    """True when a folder record of this version names a folder that holds a build's manifest."""
    folder = record.get("folder") if isinstance(record, dict) and record.get("version") == VERSION else None
    return isinstance(folder, str) and os.path.isfile(os.path.join(folder, MANIFEST))
