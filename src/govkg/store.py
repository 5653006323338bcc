"""store: the embedded Oxigraph store a build loads and queries run against."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from .fileio import remove_tree

try:
    import fcntl
except ImportError:  # not on POSIX: stores are not held, a build removes an old store at once
    fcntl = None  # type: ignore[assignment]

#: Lines per call of Oxigraph's bulk loader, which holds all it is given in memory (about 0.6 KB a quad): a slice
#: keeps a national load within a few hundred megabytes. The 11.2 million quads of 5,000 documents took 145 s with
#: it (0.45 GB), 144 s in slices of 2 million lines (2.4 GB) and 138 s in one call (6.2 GB).
BULK_LOAD_LINES = 250_000
#: Slices loaded at once. Oxigraph's bulk loader parses a slice on the calling thread and used about 1.2 CPUs; two
#: slices at once on 2 CPUs loaded 2.6 million quads of the national build in 15.5–18.0 s instead of 25.0–30.8 s
#: (bench/store_load.py), for 0.25 GB more memory.
LOAD_THREADS = min(4, os.cpu_count() or 1)


def open_store(path: str | Path, *, read_only: bool = False) -> Store:
    """Open (or create) the Oxigraph store in a folder; read-only stores can be shared by readers."""
    path = Path(path)
    if read_only:
        if not path.is_dir():
            raise FileNotFoundError(f"{path}: no store here (run `govkg build` first)")
        return Store.read_only(str(path))
    path.mkdir(parents=True, exist_ok=True)
    return Store(str(path))


def hold_store(path: str | Path) -> int | None:
    """Hold a store folder for reading (a shared lock on it) so that no build removes it while it is read; the
    descriptor to pass to `release_store`. Raises BlockingIOError when a build is removing the folder, and
    FileNotFoundError when it is gone. None where the system has no locks."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    if fcntl is None:
        os.close(handle)
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        raise
    return handle


def release_store(handle: int | None) -> None:
    """Let go of a store held by `hold_store`."""
    if handle is not None:
        os.close(handle)


def remove_store_unless_held(path: str | Path) -> bool:
    """Remove a store folder no reader holds (True); one a reader holds (a server answering from it) is left for
    a later build to remove (False)."""
    path = Path(path)
    if path.is_symlink() or not path.is_dir() or fcntl is None:
        remove_tree(path)
        return True
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        remove_tree(path)  # with the lock held: a reader arriving now finds it being removed
        return True
    finally:
        os.close(handle)


def copy_store(old: Path, new: Path) -> None:
    """A copy of the store at `old` made at `new`: a checkpoint sharing its immutable files (hard links) where the
    store allows, else a plain copy."""
    try:
        Store.read_only(str(old)).backup(str(new))
        return
    except OSError:
        remove_tree(new)
    shutil.copytree(old, new)


def _lines(paths: Iterable[str | Path]) -> Iterator[bytes]:
    """The lines of the files one after another, each ended by a newline."""
    for path in paths:
        with Path(path).open("rb") as stream:
            for line in stream:
                yield line if line.endswith(b"\n") else line + b"\n"


def bulk_load_nquads(store: Store, paths: str | Path | Iterable[str | Path], lines: int = BULK_LOAD_LINES,
                     threads: int | None = None) -> None:
    """Load N-Quads files (one, or several one after another) with the bulk loader, `lines` lines at a time in
    `threads` threads (default LOAD_THREADS), so memory stays flat whatever their size, then compact the store.

    Each call gives blank nodes fresh names, so a slice boundary would split one; the graphs a build writes name
    every node with an IRI. The first error of any thread stops the others at their next slice and is raised."""
    stream = _lines([paths] if isinstance(paths, str | Path) else paths)
    taking = threading.Lock()
    slices: list[int] = []
    failed: list[BaseException] = []

    def load() -> None:
        try:
            while not failed:
                with taking:  # a generator is read by one thread at a time
                    chunk = b"".join(islice(stream, lines))
                if not chunk:
                    return
                store.bulk_load(chunk, format=RdfFormat.N_QUADS)  # Oxigraph releases the interpreter meanwhile
                slices.append(1)
        except BaseException as exc:  # raised again by the waiting thread
            failed.append(exc)

    workers = [threading.Thread(target=load, name=f"store-load-{n}")
               for n in range(max(1, threads or LOAD_THREADS))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failed:
        raise failed[0]
    if len(slices) > 1:
        # Each slice's files overlap the others' keys, so a lookup reads all of them; one compaction makes reads as
        # fast as after a single load (Q1 at 5,000 documents: 27 → 15 ms, for 27 s here).
        store.optimize()


#: Bytes of a store file each request to read ahead names: Linux reads at most the device's read-ahead window per
#: request (128 KB unless raised), so one request for a whole file leaves most of it unread. Asked 128 KB at a time,
#: the 9.5 GB store of 25,000 documents was all in memory 4.5 s later, for 2.2 s of CPU; reading its files through
#: took 19.4 s and 17.1 s of CPU.
WARM_CHUNK = 128 * 1024
#: The share of the memory the system has available that a store may fill when it is read ahead.
WARM_SHARE = 0.5


@dataclass(frozen=True)
class Warming:
    """A store's files to read into the system's page cache ahead of its first queries, or why not (`refused`)."""

    files: tuple[Path, ...]
    size: int
    refused: str | None = None


def available_memory() -> int | None:
    """The bytes the system can give without swapping (MemAvailable of /proc/meminfo); None where not known."""
    try:
        with open("/proc/meminfo", encoding="ascii") as stream:
            for line in stream:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def plan_warming(path: str | Path, available: int | None = None) -> Warming:
    """What reading the store at `path` ahead would take: refused when the system cannot be asked to read ahead, or
    the store is more than WARM_SHARE of the memory available (`available` bytes; default: available_memory())."""
    folder = Path(path)
    files = tuple(sorted(child for child in folder.iterdir() if child.is_file() and not child.is_symlink()))
    size = sum(child.stat().st_size for child in files)
    if not hasattr(os, "posix_fadvise"):
        return Warming(files, size, "this system cannot be asked to read files ahead")
    available = available if available is not None else available_memory()
    if available is None:
        return Warming(files, size, "the memory available is not known")
    if size > WARM_SHARE * available:
        return Warming(files, size, f"the store ({size / 2**30:.1f} GB) is more than {WARM_SHARE:.0%} of the memory "
                                    f"available ({available / 2**30:.1f} GB)")
    return Warming(files, size)


def warm(warming: Warming, stop: threading.Event | None = None) -> int:
    """Ask the system to read the planned files into its page cache (it reads in the background; each request
    returns at once), WARM_CHUNK bytes at a time; the bytes asked for. Stops when `stop` is set; a file that is gone
    (the store replaced meanwhile) is skipped."""
    if warming.refused is not None:
        return 0
    asked = 0
    for path in warming.files:
        try:
            handle = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            size = os.fstat(handle).st_size
            for offset in range(0, size, WARM_CHUNK):
                if stop is not None and stop.is_set():
                    return asked
                os.posix_fadvise(handle, offset, WARM_CHUNK, os.POSIX_FADV_WILLNEED)
                asked += min(WARM_CHUNK, size - offset)
        finally:
            os.close(handle)
    return asked
