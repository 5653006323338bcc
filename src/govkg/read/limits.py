"""Safety limits for original files: file size, ZIP members (zip bombs), encrypted ZIP members.

Every limit is a one-line :class:`~govkg.model.InputError` naming the file and the problem; nothing is unpacked
beyond what the limits allow (a member's declared size is checked before it is read, and Python's zipfile never
returns more than the declared size).
"""

from __future__ import annotations

import io
import zipfile

from ..model import InputError

#: Largest original file read (bytes).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Largest unpacked ZIP member, and largest unpacked total of all members (bytes).
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
#: A member that unpacks to more than MIN_BOMB_BYTES at a ratio above MAX_RATIO is taken for a zip bomb.
MAX_RATIO = 200
MIN_BOMB_BYTES = 8 * 1024 * 1024
#: Most members an OOXML package may hold.
MAX_MEMBERS = 10_000

_MIB = 1024 * 1024


def _amount(size: int) -> str:
    """A byte count for a message: "1.5 MiB", "64 MiB", "900 bytes"."""
    if size < _MIB:
        return f"{size} bytes" if size < 1024 else f"{size / 1024:.1f} KiB"
    return f"{size // _MIB} MiB" if size % _MIB == 0 else f"{size / _MIB:.1f} MiB"


def check_size(data: bytes, file: str, limit: int = MAX_FILE_BYTES, *, size: int | None = None) -> None:
    """Refuse a file larger than the cap (`size`, when given, is the file's size on disk)."""
    size = len(data) if size is None else size
    if size > limit:
        raise InputError(file, f"file too large ({_amount(size)}; the limit is {_amount(limit)}, see --max-bytes)")


def open_zip(data: bytes, file: str) -> zipfile.ZipFile:
    """Open a ZIP container after checking its members against the size, ratio and encryption limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(file, f"broken ZIP container ({exc}); the file is damaged or truncated") from None
    check_members(archive.infolist(), file)
    return archive


def check_members(members: list[zipfile.ZipInfo], file: str) -> None:
    """Refuse zip bombs (huge or extremely compressed members) and password-protected members."""
    if len(members) > MAX_MEMBERS:
        raise InputError(file, f"ZIP container with {len(members)} members (limit {MAX_MEMBERS}): not a document")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise InputError(file, f"password-protected ZIP member {member.filename!r}: remove the password first")
        size = member.file_size
        total += size
        if size > MAX_MEMBER_BYTES:
            raise InputError(
                file, f"ZIP member {member.filename!r} unpacks to {size / _MIB:.0f} MiB "
                      f"(limit {MAX_MEMBER_BYTES // _MIB} MiB): refused as a possible zip bomb")
        if size > MIN_BOMB_BYTES and size > MAX_RATIO * max(member.compress_size, 1):
            raise InputError(
                file, f"ZIP member {member.filename!r} is compressed {size // max(member.compress_size, 1)}:1 "
                      f"(limit {MAX_RATIO}:1): refused as a possible zip bomb")
    if total > MAX_TOTAL_BYTES:
        raise InputError(file, f"ZIP container unpacks to {total / _MIB:.0f} MiB "
                               f"(limit {MAX_TOTAL_BYTES // _MIB} MiB): refused as a possible zip bomb")
