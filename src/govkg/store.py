"""store: the embedded Oxigraph store a build loads and queries run against."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from pyoxigraph import RdfFormat, Store

#: Lines per call of Oxigraph's bulk loader, which holds all it is given in memory (about 0.6 KB a quad): a slice
#: keeps a national load within a few hundred megabytes, for about a third more time than one call.
BULK_LOAD_LINES = 250_000


def open_store(path: str | Path, *, read_only: bool = False) -> Store:
    """Open (or create) the Oxigraph store in a folder; read-only stores can be shared by readers."""
    path = Path(path)
    if read_only:
        if not path.is_dir():
            raise FileNotFoundError(f"{path}: no store here (run `govkg build` first)")
        return Store.read_only(str(path))
    path.mkdir(parents=True, exist_ok=True)
    return Store(str(path))


def _lines(paths: Iterable[str | Path]) -> Iterator[bytes]:
    """The lines of the files one after another, each ended by a newline."""
    for path in paths:
        with Path(path).open("rb") as stream:
            for line in stream:
                yield line if line.endswith(b"\n") else line + b"\n"


def count(store: Store, sparql_class: str) -> int:
    """How many distinct resources of a class (full IRI) the store holds."""
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{sparql_class}> }} }}"
    solution = next(iter(store.query(query)))
    return int(solution["n"].value)


def bulk_load_nquads(store: Store, paths: str | Path | Iterable[str | Path], lines: int = BULK_LOAD_LINES) -> None:
    """Load N-Quads files (one, or several one after another) with the bulk loader, `lines` lines at a time, so
    memory stays flat whatever their size, then compact the store.

    Each call gives blank nodes fresh names, so a slice boundary would split one; the graphs a build writes name
    every node with an IRI."""
    slices = 0
    stream = _lines([paths] if isinstance(paths, str | Path) else paths)
    while chunk := b"".join(islice(stream, lines)):
        store.bulk_load(chunk, format=RdfFormat.N_QUADS)
        slices += 1
    if slices > 1:
        # Each slice's files overlap the others' keys, so a lookup reads all of them; one compaction makes reads as
        # fast as after a single load (Q1 at 5,000 documents: 27 → 15 ms, for 27 s here).
        store.optimize()
