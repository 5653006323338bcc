"""A build folder's dumps: whole files (`govkg build --dumps whole`), or made from its graph files' shares as they
are read (`--dumps shares`), so that a rebuild never copies the whole dataset."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import IO

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


def _manifest(build_dir: Path) -> dict:
    try:
        return json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def dump_mode(build_dir: str | Path) -> str:
    """How the build in `build_dir` keeps its dumps ("whole" for builds that do not say)."""
    return _manifest(Path(build_dir)).get("dumps", "whole")


def dump_shares(build_dir: str | Path, name: str) -> list[Path] | None:
    """The files dump `name` of the build is made of, in order, when the build keeps it as shares; None when it is
    a whole file or the folder is no build."""
    build_dir = Path(build_dir)
    manifest = _manifest(build_dir)
    if name not in DUMPS or manifest.get("dumps") != "shares" or not isinstance(manifest.get("parts"), list):
        return None
    return [build_dir / share_file(part, name) for part in manifest["parts"]]


def available_dumps(build_dir: str | Path) -> list[str]:
    """The dumps the build folder holds, whole or as shares, in DUMPS order (a store served alone has none)."""
    build_dir = Path(build_dir)
    shared = dump_mode(build_dir) == "shares"
    return [name for name in DUMPS if (build_dir / name).is_file() or (shared and dump_shares(build_dir, name))]


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
