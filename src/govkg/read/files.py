"""Opening document and sidecar files safely: regular files only, a size cap, one-line errors naming the file."""

from __future__ import annotations

import errno
import os
import stat

from ..model import InputError
from .limits import MAX_FILE_BYTES, check_size


def display_name(path: str | bytes | os.PathLike) -> str:
    """A path as printable text: bytes that are not UTF-8 shown as \\xNN escapes (never lone surrogates)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "a special file")


def _os_error(shown: str, exc: OSError) -> InputError:
    """A one-line InputError for an OS error on a document file."""
    if exc.errno == errno.ENOENT:
        return InputError(shown, "no such file")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(shown, "permission denied")
    if exc.errno == errno.ELOOP:
        return InputError(shown, "symbolic link loop (too many levels of symbolic links)")
    if exc.errno == errno.EISDIR:
        return InputError(shown, "is a folder, not a document")
    reason = exc.strerror or type(exc).__name__
    return InputError(shown, f"cannot be read: {reason}")


def read_file(path: str | bytes | os.PathLike, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, at most `max_bytes`; anything else is a one-line InputError naming the file.

    FIFOs, devices, sockets and folders are refused before they are opened for reading (so a FIFO never blocks
    and /dev/zero is never read), and at most max_bytes + 1 bytes are read, so a huge file is never read whole.
    """
    shown = display_name(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _os_error(shown, exc) from None
    except ValueError as exc:  # an embedded NUL in the name
        raise InputError(shown, f"invalid file name ({exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(shown, "is a folder, not a document")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(shown, f"not a regular file ({_kind(info.st_mode)}): pass a document file")
    if info.st_size > max_bytes:
        check_size(b"", shown, max_bytes, size=info.st_size)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _os_error(shown, exc) from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # replaced between stat and open
            raise InputError(shown, f"not a regular file ({_kind(opened.st_mode)}): pass a document file")
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _os_error(shown, exc) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        check_size(data, shown, max_bytes, size=max(len(data), info.st_size))
    return data
