"""The build's inputs: each document's resolved path, content hashes and file status, read cheaply at scale.

A national rebuild looks at tens of thousands of documents to find the few that changed. Reading and hashing
every one costs seconds, so a document whose file status (size, modification and change times, inode) is the one
the previous build recorded keeps its recorded hashes; any other is read and hashed. A file changed less than
RACY_NS before the previous build began reading is hashed again all the same: file times are kept in clock
ticks, so a change made in the same tick as the reading would leave the same status. Folders are listed once
instead of asking about each file on its own.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .read.files import read_file
from .read.sidecar import MAX_SIDECAR_BYTES, SIDECAR_SUFFIX

#: A file's status as recorded in the manifest: [size, modification ns, change ns, inode]. The change time moves
#: with any write, even one that puts the modification time back.
Status = list[int]

#: How long before a build began reading its inputs a file's change time must be for its status to vouch for
#: its content at the next build (file systems keep times in ticks of up to 2 s).
RACY_NS = 2_000_000_000


def _split(path: str) -> tuple[str, str]:
    """A path's folder ("/" or "." when the path names none) and its last name."""
    folder, _, name = path.rpartition("/")
    return folder or ("/" if path.startswith("/") else "."), name


class Listings:
    """The names in folders, each folder listed once (a listing costs less than a stat per file)."""

    def __init__(self) -> None:
        self._names: dict[str, frozenset[str]] = {}

    def names(self, folder: str) -> frozenset[str]:
        """The names in `folder` (none when it cannot be listed)."""
        names = self._names.get(folder)
        if names is None:
            try:
                names = frozenset(os.listdir(folder))
            except OSError:
                names = frozenset()
            self._names[folder] = names
        return names

    def has(self, path: str) -> bool:
        """True when `path` is named in its folder's listing."""
        folder, name = _split(path)
        return name in self.names(folder)


def _status(info: os.stat_result) -> Status | None:
    """The recorded status of a file's stat result; None unless it is a regular file."""
    if not stat.S_ISREG(info.st_mode):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def file_status(path: str) -> Status | None:
    """The status of a regular file ([size, mtime ns, ctime ns, inode]); None for anything else or on error."""
    try:
        return _status(os.stat(path))
    except (OSError, ValueError):
        return None


@dataclass
class InputFile:
    """One document given to a build: where it is, its sidecar, their hashes and their file status."""

    path: Path
    #: Its resolved path, which names it in the manifest.
    key: str
    #: Its sidecar's path (beside it), if it has one.
    sidecar: str | None
    sha256: str = ""
    sidecar_sha256: str | None = None
    status: Status | None = None
    sidecar_status: Status | None = None


class InputReader:
    """Resolves, finds the sidecars of and hashes the documents of a build, reusing what the previous build
    recorded (`previous`: resolved path → manifest record) for files whose status is unchanged and which had not
    changed for RACY_NS when that build began reading (`previous_start_ns`, time.time_ns())."""

    def __init__(self, previous: dict[str, Any], max_bytes: int, previous_start_ns: int) -> None:
        self.previous = previous
        self.max_bytes = max_bytes
        self.settled_before = previous_start_ns - RACY_NS
        self.listings = Listings()
        self._folders: dict[str, str] = {}

    def _key_and_status(self, text: str, folder: str, name: str) -> tuple[str, Status | None]:
        """The resolved path of the file at `text` (in `folder`, named `name`: the folder resolved once, the file
        itself only when it is a symbolic link) and the file's status, from one system call for a file that is not
        a link."""
        try:
            info = os.lstat(text)
        except (OSError, ValueError):
            return os.path.realpath(text), None
        if name in ("", ".", "..") or stat.S_ISLNK(info.st_mode):
            return os.path.realpath(text), file_status(text)
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder).rstrip("/")
        return f"{real}/{name}", _status(info)

    def _sidecar(self, text: str, folder: str, name: str) -> tuple[str | None, Status | None]:
        """The sidecar of the document at `text` (named `name`, in `folder`; read.sidecar.sidecar_path's
        candidates: X.meta.toml for X.txt, then X.txt.meta.toml, the first that is a regular file) and its status,
        from the folder's listing. Its path is the document's with the last name replaced."""
        names = self.listings.names(folder)
        stem, dot, suffix = name.rpartition(".")
        bare = stem if dot and stem and suffix else name  # Path.with_suffix replaces the last suffix, if any
        for candidate in (bare + SIDECAR_SUFFIX, name + SIDECAR_SUFFIX):
            if candidate in names:
                status = file_status(f"{folder}/{candidate}")
                if status is not None:
                    return text[:len(text) - len(name)] + candidate, status
        return None, None

    def _settled(self, status: Status | None) -> bool:
        """True when a file's status says it had not changed for a while when the previous build read it."""
        return status is not None and status[2] < self.settled_before

    def read(self, path: Path) -> InputFile:
        """The document at `path` with its hashes: the recorded ones when its file and sidecar have the recorded,
        settled status and fit `max_bytes`, else read (a file that is not regular or too large is an InputError)."""
        text = os.fspath(path)
        folder, name = _split(text)
        key, status = self._key_and_status(text, folder, name)
        sidecar, sidecar_status = self._sidecar(text, folder, name)
        item = InputFile(path, key, sidecar, status=status, sidecar_status=sidecar_status)
        known = self.previous.get(item.key)
        if (known and self._settled(item.status) and item.status[0] <= self.max_bytes
                and known.get("status") == item.status and known.get("sidecar_status") == item.sidecar_status
                and (item.sidecar is None) == (known.get("sidecar") is None)
                and (item.sidecar is None or self._settled(item.sidecar_status))):
            item.sha256, item.sidecar_sha256 = known["sha256"], known["sidecar"]
            return item
        item.sha256 = hashlib.sha256(read_file(path, max_bytes=self.max_bytes)).hexdigest()
        if item.sidecar is not None:
            item.sidecar_sha256 = hashlib.sha256(read_file(item.sidecar, max_bytes=MAX_SIDECAR_BYTES)).hexdigest()
        return item
