"""store: the embedded Oxigraph store a build loads and queries run against."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from pyoxigraph import RdfFormat, Store, serialize

from .rdf.vocab import PREFIXES

#: The dump formats a store writes: TriG (named graphs), Turtle (all graphs merged), expanded JSON-LD.
DUMP_FORMATS = {"trig": RdfFormat.TRIG, "turtle": RdfFormat.TURTLE, "json-ld": RdfFormat.JSON_LD}
_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


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


def dump(store: Store, fmt: str, output: IO[bytes]) -> None:
    """Write the store as `fmt` (a DUMP_FORMATS key), streamed from its indexes: the cost is per quad and the
    memory does not grow with the store (Turtle merges the graphs; each triple is written once)."""
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    if fmt == "turtle":
        serialize(store.query(_UNION), output, format=RdfFormat.TURTLE, prefixes=prefixes)
    elif fmt == "json-ld":
        store.dump(output, format=RdfFormat.JSON_LD)
    else:
        store.dump(output, format=DUMP_FORMATS[fmt], prefixes=prefixes)
