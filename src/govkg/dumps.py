"""A build folder's dumps: whole files (`govkg build --dumps whole`), or made from its graph files' shares as they
are read (`--dumps shares`), so that a rebuild never copies the whole dataset."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache, partial
from pathlib import Path
from typing import IO

import orjson

from .rdf.serialize import dump_head, dump_separator, dump_tail

#: The dumps, their media types and the formats of rdf.serialize.DUMP_FORMATS ("nquads": the graph files).
DUMPS = {"dataset.nq": ("application/n-quads", "nquads"), "dataset.trig": ("application/trig", "trig"),
         "dataset.ttl": ("text/turtle", "turtle"), "dataset.jsonld": ("application/ld+json", "json-ld")}
#: How a build keeps its dumps: each a whole file, or only the graph files' shares (made into a dump when read).
DUMP_MODES = ("whole", "shares")
_CHUNK = 1 << 20


class MissingDumpError(FileNotFoundError):
    """A dump, or a share of one, the build should hold is not there."""


def share_file(part: str, name: str) -> str:
    """Where a graph file (`part`, relative to the build folder) keeps its share of dump `name`: the graph file
    itself for N-Quads, else a file beside it (`graphs/X.trig-part` for dataset.trig)."""
    if name == "dataset.nq":
        return part
    return part.removesuffix(".nq") + "." + name.rsplit(".", 1)[1] + "-part"


def dump_pieces(name: str) -> tuple[bytes, bytes, bytes]:
    """What dump `name` opens with, puts between two non-empty shares and ends with."""
    fmt = DUMPS[name][1]
    if fmt == "nquads":
        return b"", b"", b""
    return dump_head(fmt), dump_separator(fmt), dump_tail(fmt)


def _share_parts(build_dir: Path) -> tuple[str, ...] | None:
    """The graph files, in order, of a build that keeps its dumps as shares; None for whole dumps or no build."""
    try:
        manifest = (build_dir / "manifest.json").stat()
    except OSError:
        return None
    return _parts_of(str(build_dir), manifest.st_ino, manifest.st_mtime_ns, manifest.st_size)


@lru_cache(maxsize=4)
def _parts_of(build_dir: str, inode: int, mtime_ns: int, size: int) -> tuple[str, ...] | None:
    """_share_parts read from the manifest (tens of megabytes for a national build), kept while the file is the same
    (inode, modification time, size): the server asks at each request for a dump."""
    try:
        manifest = orjson.loads(Path(build_dir, "manifest.json").read_bytes())
    except (OSError, ValueError):  # orjson.JSONDecodeError is a ValueError
        return None
    parts = manifest.get("parts")
    return tuple(parts) if manifest.get("dumps") == "shares" and isinstance(parts, list) else None


def dump_shares(build_dir: str | Path, name: str) -> list[Path] | None:
    """The files dump `name` of the build is made of, in order, when the build keeps it as shares; None when it is
    a whole file or the folder is no build."""
    build_dir = Path(build_dir)
    parts = _share_parts(build_dir) if name in DUMPS else None
    return None if parts is None else [build_dir / share_file(part, name) for part in parts]


def available_dumps(build_dir: str | Path) -> list[str]:
    """The dumps the build folder holds, whole or as shares, in DUMPS order (a store served alone has none)."""
    build_dir = Path(build_dir)
    if _share_parts(build_dir) is not None:
        return list(DUMPS)
    return [name for name in DUMPS if (build_dir / name).is_file()]


def dump_chunks(build_dir: str | Path, name: str) -> Iterator[bytes]:
    """The bytes of dump `name` of the build, a piece at a time: its whole file, else its opening, the shares
    (the separator between two non-empty ones) and its end. MissingDumpError names a missing file."""
    build_dir = Path(build_dir)
    shares = dump_shares(build_dir, name)
    if shares is None:
        whole = build_dir / name
        if not whole.is_file():
            raise MissingDumpError(f"{whole}: no such dump; run `govkg build` first")
        shares, (head, separator, tail) = [whole], (b"", b"", b"")
    else:
        head, separator, tail = dump_pieces(name)
    yield head
    first = True
    for path in shares:
        try:
            stream = path.open("rb")
        except FileNotFoundError:
            raise MissingDumpError(f"{path}: a share of {name} is missing; build again") from None
        with stream:
            chunk = stream.read(_CHUNK)
            if not chunk:
                continue
            if not first:
                yield separator
            first = False
            yield chunk
            yield from iter(partial(stream.read, _CHUNK), b"")
    yield tail


def write_dump(build_dir: str | Path, name: str, output: IO[bytes]) -> int:
    """Write dump `name` of the build to `output`; returns the bytes written."""
    written = 0
    for chunk in dump_chunks(build_dir, name):
        output.write(chunk)
        written += len(chunk)
    return written
