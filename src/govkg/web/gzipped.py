"""The dumps a server hands out gzipped (`/dumps/NAME.gz`): made once per version of a dump into the build folder's
`dumps/`, and streamed to the request that makes them as they are written. A rebuild that changes no graph file
(a document touched or copied) keeps the version, so the gzipped files stay.

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

from ..dumps import dump_chunks, dumps_changed_ns

#: The gzip level of the dumps served: gzip's own default. Python's (9) took 48.4 s for the national Turtle dump
#: against 18.3 s, for a file 4 % smaller (docs/scale.md).
DUMP_GZIP_LEVEL = 6
#: zlib's window bits asking for a gzip header and trailer.
_GZIP_WBITS = 31

_writers = itertools.count()


def gzip_pieces(build_dir: Path, name: str, target: Path) -> Iterator[bytes]:
    """Dump `name` of the build gzipped, a piece at a time, written meanwhile to a file of its own that replaces
    `target` once whole (none is left if the pieces stop being taken). The file is dated with the dump's version
    read before its first byte (dumps_changed_ns): a build that changes the dump meanwhile gives a newer version, so
    the file is made again at the next request; never is a file dated newer than what it holds."""
    version = dumps_changed_ns(build_dir, name)
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
        if version is not None:
            os.utime(temp, ns=(version, version))
        temp.replace(target)
        whole = True
        yield piece
    finally:
        if not whole:
            temp.unlink(missing_ok=True)


def gzip_current(target: Path, version: int) -> bool:
    """True when the gzipped dump `target` is there and made from the dump's current `version`
    (govkg.dumps.dumps_changed_ns)."""
    try:
        return target.stat().st_mtime_ns == version
    except FileNotFoundError:
        return False
