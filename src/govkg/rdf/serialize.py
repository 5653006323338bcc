"""Writing datasets: sorted N-Quads (byte-identical for identical inputs), TriG, Turtle, JSON-LD."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as oxi
from rdflib import Graph, URIRef

from .vocab import PREFIXES


def graph_nquads(graph: Graph, name: URIRef) -> list[str]:
    """The triples of `graph` as N-Quads lines in the named graph `name`, sorted."""
    # The N-Triples lines of the graph with the graph name added: no copy of the graph into a dataset.
    suffix = f" <{name}> ."
    text = graph.serialize(format="nt")
    return sorted(line[:-2].rstrip() + suffix for line in text.splitlines() if line.strip())


def parse_nquads(nquads: str) -> list[oxi.Quad]:
    """N-Quads text as Oxigraph quads."""
    return list(oxi.parse(nquads.encode("utf-8"), format=oxi.RdfFormat.N_QUADS))


def serialize_quads(quads: list[oxi.Quad], fmt: str) -> bytes:
    """Serialise quads as "trig", "turtle" (all graphs merged) with the usual prefixes, or "json-ld" (expanded:
    streamed by Oxigraph, so it costs the same per quad at any size; ontology/context.jsonld compacts it)."""
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    if fmt == "turtle":
        triples = sorted({quad.triple for quad in quads}, key=str)
        return oxi.serialize(triples, format=oxi.RdfFormat.TURTLE, prefixes=prefixes)
    if fmt == "json-ld":
        return oxi.serialize(quads, format=oxi.RdfFormat.JSON_LD)
    return oxi.serialize(quads, format=oxi.RdfFormat.TRIG, prefixes=prefixes)


def _quads(paths: Sequence[Path]) -> Iterator[oxi.Quad]:
    for path in paths:
        yield from oxi.parse(path=str(path), format=oxi.RdfFormat.N_QUADS)


def _distinct_triples(sorted_nquads: Path) -> Iterator[oxi.Triple]:
    # In sorted N-Quads the quads of one triple (in several graphs) are next to each other: a line is its triple,
    # a space and its graph, and no other triple's line starts with that triple and a space.
    last = None
    for quad in oxi.parse(path=str(sorted_nquads), format=oxi.RdfFormat.N_QUADS):
        triple = quad.triple
        if triple != last:
            yield triple
        last = triple


def write_dump(fmt: str, graph_files: Sequence[Path], sorted_nquads: Path, output: IO[bytes]) -> None:
    """Write a dataset dump streamed from its files, in memory that does not grow with the dataset: "trig" and
    "json-ld" (expanded) from the graph files, graph after graph; "turtle" (all graphs merged, each triple once)
    from the sorted N-Quads of the whole dataset."""
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    if fmt == "turtle":
        oxi.serialize(_distinct_triples(sorted_nquads), output, format=oxi.RdfFormat.TURTLE, prefixes=prefixes)
    elif fmt == "json-ld":
        oxi.serialize(_quads(graph_files), output, format=oxi.RdfFormat.JSON_LD)
    else:
        oxi.serialize(_quads(graph_files), output, format=oxi.RdfFormat.TRIG, prefixes=prefixes)
