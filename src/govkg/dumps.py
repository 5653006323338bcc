"""A build folder's dumps: whole files (`govkg build --dumps whole`); made from its graph files' shares as they are
read (`--dumps shares`), so that a rebuild never copies the whole dataset; or made from the graph files alone as
they are read (`--dumps lazy`), so that a build never serialises the dataset in the three other formats."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache, partial
from pathlib import Path
from typing import IO, NamedTuple

import orjson

from .executors import Runner, default_jobs
from .rdf.serialize import dump_fragments, dump_head, dump_separator, dump_tail

#: The dumps, their media types and the formats of rdf.serialize.DUMP_FORMATS ("nquads": the graph files).
DUMPS = {"dataset.nq": ("application/n-quads", "nquads"), "dataset.trig": ("application/trig", "trig"),
         "dataset.ttl": ("text/turtle", "turtle"), "dataset.jsonld": ("application/ld+json", "json-ld")}
#: How a build keeps its dumps: each a whole file; only the graph files' shares (made into a dump when read); or
#: nothing but the graph files ("lazy": dataset.nq is the graph files one after another, and each other dump is
#: serialised from them, graph file by graph file, when it is read).
DUMP_MODES = ("whole", "shares", "lazy")
#: The modes whose dumps are made from the graph files when read (whole files: none).
FROM_PARTS = ("shares", "lazy")
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


class _Parts(NamedTuple):
    """How a build that keeps no whole dumps keeps them (FROM_PARTS) and its graph files, in order."""

    mode: str
    parts: tuple[str, ...]
    #: When the build last changed what the dumps hold (nanoseconds since the epoch): a rebuild that only records
    #: new file statuses keeps it, so the dumps gzipped before stay current. For a manifest written before it was
    #: recorded, the manifest's modification time.
    content_ns: int


def _share_parts(build_dir: Path) -> _Parts | None:
    """The dump mode and graph files of a build that makes its dumps from them; None for whole dumps or no build."""
    try:
        manifest = (build_dir / "manifest.json").stat()
    except OSError:
        return None
    return _parts_of(str(build_dir), manifest.st_ino, manifest.st_mtime_ns, manifest.st_size)


def dumps_changed_ns(build_dir: str | Path, name: str) -> int | None:
    """When dump `name` of the build last changed (nanoseconds since the epoch): for a dump made when read, when the
    build last changed its graph files; for a whole file, its modification time. None when the build has none."""
    build_dir = Path(build_dir)
    if name not in DUMPS:
        return None
    kept = _share_parts(build_dir)
    if kept is not None:
        return kept.content_ns
    try:
        return (build_dir / name).stat().st_mtime_ns
    except OSError:
        return None


@lru_cache(maxsize=4)
def _parts_of(build_dir: str, inode: int, mtime_ns: int, size: int) -> _Parts | None:
    """_share_parts read from the manifest (tens of megabytes for a national build), kept while the file is the same
    (inode, modification time, size): the server asks at each request for a dump."""
    try:
        manifest = orjson.loads(Path(build_dir, "manifest.json").read_bytes())
    except (OSError, ValueError):  # orjson.JSONDecodeError is a ValueError
        return None
    parts, mode, changed = manifest.get("parts"), manifest.get("dumps"), manifest.get("content_ns")
    if mode not in FROM_PARTS or not isinstance(parts, list):
        return None
    return _Parts(mode, tuple(parts), changed if isinstance(changed, int) else mtime_ns)


def dump_shares(build_dir: str | Path, name: str) -> list[Path] | None:
    """The files dump `name` of the build is made of, in order, when the build keeps it as shares (with `--dumps
    lazy`, only dataset.nq: the graph files); None when it is a whole file, serialised when read, or the folder is
    no build."""
    build_dir = Path(build_dir)
    kept = _share_parts(build_dir) if name in DUMPS else None
    if kept is None or (kept.mode == "lazy" and name != "dataset.nq"):
        return None
    return [build_dir / share_file(part, name) for part in kept.parts]


def available_dumps(build_dir: str | Path) -> list[str]:
    """The dumps the build folder holds, whole, as shares or as graph files to serialise, in DUMPS order (a store
    served alone has none)."""
    build_dir = Path(build_dir)
    if _share_parts(build_dir) is not None:
        return list(DUMPS)
    return [name for name in DUMPS if (build_dir / name).is_file()]


#: Graph files from which a dump serialised when read is made by worker processes (one per CPU) rather than in
#: this process: below it, starting them costs more than they save.
_SERIALISED_IN_WORKERS = 64


def _fragment(path: Path, fmt: str) -> bytes:
    """A graph file's share of the dump in format `fmt`, as a build keeping shares writes it (worker-safe)."""
    try:
        return dump_fragments(path, (fmt,))[0]
    except FileNotFoundError:
        raise MissingDumpError(f"{path}: a graph file of the dump is missing; build again") from None


def _serialised(files: list[Path], name: str) -> Iterator[bytes]:
    """Each graph file's share of dump `name`, in order, serialised from the file (by a worker process per CPU
    when there are many)."""
    jobs = default_jobs() if len(files) >= _SERIALISED_IN_WORKERS else 1
    yield from Runner(jobs=jobs).imap(_fragment, files, DUMPS[name][1])


def _read(files: list[Path], name: str) -> Iterator[bytes]:
    """Each file's bytes, a piece at a time (an empty file: one empty piece)."""
    for path in files:
        try:
            stream = path.open("rb")
        except FileNotFoundError:
            raise MissingDumpError(f"{path}: a share of {name} is missing; build again") from None
        with stream:
            chunk = stream.read(_CHUNK)
            yield chunk
            if chunk:
                yield from iter(partial(stream.read, _CHUNK), b"")


def dump_chunks(build_dir: str | Path, name: str) -> Iterator[bytes]:
    """The bytes of dump `name` of the build, a piece at a time: its whole file, else its opening, the shares
    (the separator between two non-empty ones) and its end. MissingDumpError names a missing file."""
    build_dir = Path(build_dir)
    kept = _share_parts(build_dir) if name in DUMPS else None
    if kept is None:
        whole = build_dir / name
        if not whole.is_file():
            raise MissingDumpError(f"{whole}: no such dump; run `govkg build` first")
        yield from _read([whole], name)
        return
    head, separator, tail = dump_pieces(name)
    serialised = kept.mode == "lazy" and name != "dataset.nq"
    files = [build_dir / (part if serialised else share_file(part, name)) for part in kept.parts]
    # every file looked for before the first byte (a stat each: 0.2 s for a national build), so that a missing one
    # is an error before the output begins, not a dump cut off in the middle
    for path in files:
        if not path.is_file():
            raise MissingDumpError(f"{path}: a {'graph file' if serialised else 'share'} of {name} is missing; "
                                   "build again")
    if serialised:
        pieces: Iterator[Iterable[bytes]] = ((piece,) for piece in _serialised(files, name))
    else:
        pieces = (_read([path], name) for path in files)
    yield head
    first = True
    for share in pieces:
        for number, chunk in enumerate(share):
            if number == 0:
                if not chunk:
                    break
                if not first:
                    yield separator
                first = False
            yield chunk
    yield tail


def write_dump(build_dir: str | Path, name: str, output: IO[bytes]) -> int:
    """Write dump `name` of the build to `output`; returns the bytes written."""
    written = 0
    for chunk in dump_chunks(build_dir, name):
        output.write(chunk)
        written += len(chunk)
    return written
