"""The dumps a server hands out gzipped (`/dumps/NAME.gz`): made once per build into the build folder's `dumps/`,
and streamed to the request that makes them as they are written.

A national dump takes minutes to gzip (and, kept lazily, to serialise): a client asking for it gets its first
bytes at once instead of waiting for the whole file. Each writer has a file name of its own, so two first
requests at the same time both stream whole and the last to finish puts its (identical) file in place; a stream
closed early (the client went away) leaves no file behind.
"""

from __future__ import annotations

import itertools
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..dumps import dump_chunks

#: The gzip level of the dumps served: gzip's own default. Python's (9) took 48.4 s for the national Turtle dump
#: against 18.3 s, for a file 4 % smaller (docs/scale.md).
DUMP_GZIP_LEVEL = 6
#: zlib's window bits asking for a gzip header and trailer.
_GZIP_WBITS = 31

_writers = itertools.count()


def gzip_pieces(build_dir: Path, name: str, target: Path) -> Iterator[bytes]:
    """Dump `name` of the build gzipped, a piece at a time, written meanwhile to a file of its own that replaces
    `target` once whole (none is left if the pieces stop being taken)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}-{next(_writers)}.tmp")
    whole = False
    try:
        with temp.open("wb") as file:
            packer = zlib.compressobj(DUMP_GZIP_LEVEL, zlib.DEFLATED, _GZIP_WBITS)
            for chunk in dump_chunks(build_dir, name):
                if not chunk:  # nothing to send before the first bytes of the dump (zlib would send its header)
                    continue
                piece = packer.compress(chunk)
                if piece:
                    file.write(piece)
                    yield piece
            piece = packer.flush()
            file.write(piece)
        temp.replace(target)
        whole = True
        yield piece
    finally:
        if not whole:
            temp.unlink(missing_ok=True)


def gzip_current(target: Path, source: Path) -> bool:
    """True when the gzipped dump `target` is there and as new as `source` (the dump, or the manifest of a build
    that makes its dumps when read)."""
    try:
        return target.stat().st_mtime >= source.stat().st_mtime
    except FileNotFoundError:
        return False
