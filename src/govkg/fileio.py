"""Writing output all-or-nothing: files through a temporary beside the target, folders built beside theirs
and switched in one step. An output file that is a device or a FIFO (`-o /dev/null`) is written into, never
replaced."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any


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


def switch_in(stage: str | Path, target: str | Path, *, retiring: Callable[[Path], None] | None = None) -> None:
    """Put the folder `stage` at `target` so that `target` is always either the old folder or the new one.

    With no `target` yet this is one rename; else the two are exchanged in one step and the old folder removed
    (`retiring` first sees it where it then is). Where the system has no exchange, the old folder is renamed aside
    first (`clean_leftovers` puts it back if the process dies between the two renames)."""
    stage, target = Path(stage), Path(target)
    if not target.exists():
        os.rename(stage, target)
        return
    if _exchange(stage, target):
        retired = stage
    else:
        retired = target.parent / f".{target.name}{_RETIRED}{os.getpid()}-{stage.name[-8:]}"
        os.rename(target, retired)
        os.rename(stage, target)
    if retiring is not None:
        retiring(retired)
    remove_tree(retired)


def link_or_copy(source: str | Path, destination: str | Path) -> None:
    """Hard-link a file (files are only ever replaced, never written in place), copying where links fail; also
    the copy function of shutil.copytree, which passes strings."""
    for attempt in range(2):
        try:
            os.link(source, destination)
            return
        except FileNotFoundError:  # its folder is not there yet (or the source is missing: the copy says so)
            if attempt:
                break
            Path(destination).parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            break
    shutil.copy2(source, destination)


#: How much of a file `concatenate` reads at a time.
_CHUNK = 1 << 20


def _copy_into(path: Path, output: IO[bytes], size: int) -> None:
    """Append a file's `size` bytes to `output` in the kernel where it can (no copy through this process)."""
    output.flush()
    done = 0
    with path.open("rb") as stream:
        try:
            while done < size:
                sent = os.copy_file_range(stream.fileno(), output.fileno(), size - done)
                if sent == 0:
                    break
                done += sent
        except (AttributeError, OSError, io.UnsupportedOperation):  # another system, or a stream without a file
            pass
        stream.seek(done)  # what the kernel did not copy, through this process
        shutil.copyfileobj(stream, output, _CHUNK)


def concatenate(paths: Iterable[Path], output: IO[bytes], *, head: bytes = b"", separator: bytes = b"",
                tail: bytes = b"") -> None:
    """Write `head`, the files one after another (`separator` between two non-empty ones) and `tail` to `output`,
    the files' bytes copied by the kernel where it can."""
    output.write(head)
    first = True
    for path in paths:
        size = path.stat().st_size
        if not size:
            continue
        if not first:
            output.write(separator)
        first = False
        _copy_into(path, output, size)
    output.write(tail)
