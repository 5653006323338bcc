"""Writing output all-or-nothing: files through a temporary beside the target, folders built beside theirs
and switched in one step. An output file that is a device or a FIFO (`-o /dev/null`) is written into, never
replaced."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import heapq
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TextIO


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def is_device(path: str | Path) -> bool:
    """True when `path` exists and is neither a regular file nor a folder (a device such as /dev/null, a FIFO)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextlib.contextmanager
def _atomic(path: str | Path, mode: str, encoding: str | None) -> Iterator[IO[Any]]:
    """Open `path` for writing: through a temporary renamed over it at the end of a block without error; straight
    into it when it is a device or a FIFO (renaming over /dev/null would replace the device); never a folder."""
    target = Path(path)
    newline = "" if encoding else None
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(target))
    if is_device(target):
        with open(target, mode, encoding=encoding, newline=newline) as stream:
            yield stream
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.chmod(temp, 0o666 & ~_umask())
    try:
        with os.fdopen(handle, mode, encoding=encoding, newline=newline) as stream:
            yield stream
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


@contextlib.contextmanager
def atomic_text(path: str | Path, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Open a text file for writing that appears at `path` only if the block ends without error (a device or a
    FIFO at `path` is written into; a folder is refused with IsADirectoryError)."""
    with _atomic(path, "w", encoding) as stream:
        yield stream


@contextlib.contextmanager
def atomic_bytes(path: str | Path) -> Iterator[IO[bytes]]:
    """Open a binary file for writing, all-or-nothing like `atomic_text` (devices and FIFOs written into)."""
    with _atomic(path, "wb", None) as stream:
        yield stream


# Building a folder beside its final place and switching in one step.

_STAGE = ".building-"
_RETIRED = ".retired-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(target: Path) -> Iterator[tuple[Path, str, int]]:
    """The temporary folders a run for `target` may leave beside it: (path, kind, process id)."""
    prefix = f".{target.name}"
    for path in target.parent.glob(f"{prefix}.*"):
        rest = path.name[len(prefix):]
        for kind in (_STAGE, _RETIRED):
            if rest.startswith("." + kind[1:]) and rest[len(kind):].split("-")[0].isdigit():
                yield path, kind, int(rest[len(kind):].split("-")[0])


def clean_leftovers(target: str | Path) -> list[Path]:
    """Remove what killed runs left beside `target` (staging and retired folders of dead processes).

    A retired folder with no `target` is put back first: it is the previous build, caught between the two
    renames of the fallback switch."""
    target = Path(target)
    removed = []
    for path, kind, pid in sorted(_leftovers(target)):
        if pid != os.getpid() and _alive(pid):
            continue
        if kind == _RETIRED and not target.exists():
            os.rename(path, target)
            continue
        remove_tree(path)
        removed.append(path)
    return removed


def staging_dir(target: str | Path) -> Path:
    """A fresh, empty folder beside `target` (same file system) to build into."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}{_STAGE}{os.getpid()}-", dir=target.parent))
    os.chmod(stage, 0o777 & ~_umask())
    return stage


def remove_tree(path: Path) -> None:
    """Remove a file or a folder tree if present."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(error, os.strerror(error), str(first))


def switch_in(stage: str | Path, target: str | Path) -> None:
    """Put the folder `stage` at `target` so that `target` is always either the old folder or the new one.

    With no `target` yet this is one rename; else the two are exchanged in one step and the old folder removed.
    Where the system has no exchange, the old folder is renamed aside first (`clean_leftovers` puts it back
    if the process dies between the two renames)."""
    stage, target = Path(stage), Path(target)
    if not target.exists():
        os.rename(stage, target)
        return
    if _exchange(stage, target):
        remove_tree(stage)
        return
    retired = target.parent / f".{target.name}{_RETIRED}{os.getpid()}-{stage.name[-8:]}"
    os.rename(target, retired)
    os.rename(stage, target)
    remove_tree(retired)


def link_or_copy(source: str | Path, destination: str | Path) -> None:
    """Hard-link a file (files are only ever replaced, never written in place), copying where links fail; also
    the copy function of shutil.copytree, which passes strings."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


#: How many sorted files one merge pass reads at once (each is an open file).
MERGE_FAN_IN = 200


def _merge_into(paths: list[Path], stream: TextIO, digest: Any | None = None) -> int:
    """Merge sorted text files into `stream`, each distinct line once, empty lines left out; the lines written."""
    written, last = 0, None
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(path.open(encoding="utf-8", newline="\n")) for path in paths]
        for read in heapq.merge(*files):
            line = read if read.endswith("\n") else read + "\n"
            if line == last or not line.strip():
                continue
            stream.write(line)
            if digest is not None:
                digest.update(line.encode("utf-8"))
            written, last = written + 1, line
    return written


def merge_sorted(paths: list[Path], target: Path, scratch: Path) -> tuple[int, str]:
    """Merge sorted line files (N-Quads graphs) into the sorted file `target` without holding them in memory:
    at most MERGE_FAN_IN files at a time, through runs in `scratch` (removed after). Returns the lines written and
    the SHA-256 of the result."""
    runs, level = list(paths), 0
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        while len(runs) > MERGE_FAN_IN:
            merged = []
            for start in range(0, len(runs), MERGE_FAN_IN):
                run = scratch / f"{level}-{start}.txt"
                with run.open("w", encoding="utf-8", newline="\n") as stream:
                    _merge_into(runs[start:start + MERGE_FAN_IN], stream)
                merged.append(run)
            runs, level = merged, level + 1
        digest = hashlib.sha256()
        with atomic_text(target) as stream:
            lines = _merge_into(runs, stream, digest)
        return lines, digest.hexdigest()
    finally:
        remove_tree(scratch)


#: How much of a file `concatenate` reads at a time.
_CHUNK = 1 << 20


def concatenate(paths: Iterable[Path], output: IO[bytes], *, head: bytes = b"", separator: bytes = b"",
                tail: bytes = b"") -> int:
    """Write `head`, the files one after another (`separator` between two non-empty ones) and `tail` to `output`,
    a megabyte at a time; returns the newlines the files held (their lines, for N-Quads)."""
    output.write(head)
    lines, first = 0, True
    for path in paths:
        with path.open("rb") as stream:
            chunk = stream.read(_CHUNK)
            if chunk and not first:
                output.write(separator)
            first = first and not chunk
            while chunk:
                output.write(chunk)
                lines += chunk.count(b"\n")
                chunk = stream.read(_CHUNK)
    output.write(tail)
    return lines
