"""Updating a build folder in place: new files under generation names, one commit, then the old ones removed.

A build that rebuilds a few documents of a national build cannot afford to rebuild the folder beside it (a hard
link for each of hundreds of thousands of unchanged files, then the old folder removed). Instead it updates the
folder where it is:

1. it writes a journal (`.update.json`, the generation it makes);
2. every file it writes carries the generation in its name (`graphs/X@7.nq`, `graphs/lexicon/320404@7.nq`), so
   no file of the current build is touched, and the new store is made in `.store@7/` from a checkpoint of the
   current one;
3. it writes the new manifest, naming those files and that store, over the old one: the commit;
4. it points `store` (a symbolic link) at the new store, puts the report in place, removes the files and the
   store only the old manifest named, and removes the journal.

A build killed before step 3 leaves the folder as the previous build plus files no manifest names; one killed
after it leaves the new build with some old files. Either way the next build finds the journal and removes every
file the manifest does not name (`recover`). Builds of one folder are serialised by a lock on it.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .fileio import atomic_text, switch_in
from .model import InputError
from .store import remove_store_unless_held

try:
    import fcntl
except ImportError:  # not on POSIX: builds of one folder are not serialised
    fcntl = None  # type: ignore[assignment]

JOURNAL = ".update.json"
#: Where a build folder's store is: a folder, or a symbolic link to the generation's `.store@N`.
STORE = "store"
#: The folders whose files the manifest names, one by one.
FILE_FOLDERS = ("graphs", "graphs/lexicon", "graphs/links", "graphs/validation", "sources")


def mark(generation: int) -> str:
    """What the names of the files a generation writes carry ("@7"): "@" is never in a name segment (rdf.iris
    percent-encodes it), so no other file's name holds it."""
    return f"@{generation}"


def store_name(generation: int) -> str:
    """The folder of a generation's store."""
    return f".store{mark(generation)}"


def report_name(generation: int) -> str:
    """Where a generation's validation report waits for its commit."""
    return f".validation{mark(generation)}.txt"


class FolderBusyError(InputError):
    """A build folder whose lock another process holds (a build, or a compaction of its store); `then` says what
    happens next."""

    def __init__(self, folder: str, then: str = "run again when it has finished") -> None:
        self.folder, self.then = folder, then
        super().__init__("--out", f"{folder} is being written by another build (or `govkg compact`); {then}")

    def __reduce__(self) -> tuple[type[FolderBusyError], tuple[str, str]]:
        return FolderBusyError, (self.folder, self.then)


@contextlib.contextmanager
def build_lock(out: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of the build folder `out` (the folder itself, when it exists): one build writes a folder at a
    time. A folder a build switches in is a new one, so a later build may start while the earlier one is removing
    the folder it replaced; a first build makes its folder beside and switches it in, which needs no lock.
    When another process holds it: FolderBusyError, or, given `on_wait`, that is told and the lock waited for."""
    try:
        handle = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except FileNotFoundError:
        yield
        return
    if fcntl is None:
        os.close(handle)
        yield
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is None:
                raise FolderBusyError(str(out)) from None
            on_wait(f"waiting for the build (or compaction) writing {out} to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def begin(out: Path, generation: int) -> None:
    """Journal the start of generation `generation`'s update of `out` (before any file of it is written)."""
    with atomic_text(out / JOURNAL) as stream:
        json.dump({"generation": generation}, stream)


def point_store(out: Path, name: str) -> None:
    """Make `out/store` name the store folder `name` (a relative symbolic link, replaced in one step); a store
    folder in its place (from a build made beside the folder) is exchanged for the link and removed."""
    target = out / STORE
    if target.is_symlink() and os.readlink(target) == name:
        return
    link = out / f".store-link{mark(os.getpid())}"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(name, link)
    if target.is_symlink() or not target.exists():
        os.replace(link, target)
    else:
        switch_in(link, target, retiring=lambda retired: _retire_store(retired, out))


def finish(out: Path, generation: int, obsolete: list[str]) -> None:
    """After the commit of `generation`: the store link and the report in place, then the files only the previous
    generation used and every other generation's store removed (also a copy a plain `cp -r` of the folder made of
    the store the link named; a store a server still reads is left to a later build), then the journal."""
    point_store(out, store_name(generation))
    report = out / report_name(generation)
    if report.exists():
        os.replace(report, out / "validation.txt")
    for name in obsolete:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(out / name)
    remove_stores(out, keep=store_name(generation))
    with contextlib.suppress(FileNotFoundError):
        os.unlink(out / JOURNAL)


def remove_stores(out: Path, keep: str) -> None:
    """Remove every generation store of `out` but `keep`, except those a reader (a server) still holds: a later
    build removes them once it has moved on."""
    for path in out.glob(".store@*"):
        if path.name != keep:
            remove_store_unless_held(path)


def keep_held_stores(retired: Path, out: Path) -> None:
    """Before the folder a build replaced (now at `retired`) is removed: its stores a reader still holds are moved
    into the new folder `out`, which a later build removes once they are free."""
    for path in [retired / STORE, *retired.glob(".store@*")]:
        _retire_store(path, out)


def _retire_store(path: Path, out: Path) -> None:
    """Remove a store folder a build no longer names, or, while a reader holds it, move it into `out` as a
    generation store that a later build removes once it is free."""
    if path.is_symlink() or not path.is_dir() or remove_store_unless_held(path):
        return
    # A generation store keeps its name (generations only grow, so no later build makes it again).
    name = path.name if path.name.startswith(".store@") else f".store@held-{os.getpid()}"
    if path.parent != out or not path.name.startswith(".store@"):
        while (out / name).exists():
            name += "+"
        os.rename(path, out / name)


def recover(out: Path, manifest: dict[str, Any], named: Callable[[dict[str, Any]], set[str]]) -> bool:
    """Finish or undo an update a killed build left in `out` (True when there was one): every file of
    FILE_FOLDERS the manifest (`named` lists its files) does not name is removed, and every generation store but
    the manifest's; the manifest's store and report are put in place."""
    journal = out / JOURNAL
    if not journal.exists():
        return False
    keep = named(manifest) if manifest else set()
    for folder in FILE_FOLDERS:
        with contextlib.suppress(FileNotFoundError), os.scandir(out / folder) as listing:
            for entry in listing:
                if entry.is_file(follow_symlinks=False) and f"{folder}/{entry.name}" not in keep:
                    os.unlink(entry.path)
    store = manifest.get("store", STORE) if manifest else STORE
    if store != STORE and (out / store).is_dir():
        point_store(out, store)
        generation = int(manifest.get("generation", 0))
        if (out / report_name(generation)).exists():
            os.replace(out / report_name(generation), out / "validation.txt")
    remove_stores(out, keep=store)
    for path in out.glob(".store-link@*"):  # a link not yet in place, or the store it replaced (killed between)
        if path.is_symlink():
            path.unlink()
        else:
            _retire_store(path, out)
    for path in out.glob(".validation@*.txt"):
        path.unlink()
    journal.unlink()
    return True
