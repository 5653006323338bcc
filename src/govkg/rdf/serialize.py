"""Writing datasets: sorted N-Quads (byte-identical for identical inputs), TriG, Turtle, JSON-LD."""

from __future__ import annotations

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
