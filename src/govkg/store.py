"""store: the embedded Oxigraph store a build loads and queries run against."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Store


def open_store(path: str | Path, *, read_only: bool = False) -> Store:
    """Open (or create) the Oxigraph store in a folder; read-only stores can be shared by readers."""
    path = Path(path)
    if read_only:
        if not path.is_dir():
            raise FileNotFoundError(f"{path}: no store here (run `govkg build` first)")
        return Store.read_only(str(path))
    path.mkdir(parents=True, exist_ok=True)
    return Store(str(path))


def count(store: Store, sparql_class: str) -> int:
    """How many distinct resources of a class (full IRI) the store holds."""
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{sparql_class}> }} }}"
    solution = next(iter(store.query(query)))
    return int(solution["n"].value)

