"""Writing graphs: sorted N-Quads lines (byte-identical for identical inputs), and their shares of the TriG, Turtle
and JSON-LD dumps."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

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


#: The dump formats: Oxigraph's format of each, and whether it is written as triples (Turtle: no graph names).
DUMP_FORMATS = {"trig": (oxi.RdfFormat.TRIG, False), "turtle": (oxi.RdfFormat.TURTLE, True),
                "json-ld": (oxi.RdfFormat.JSON_LD, False)}

_PROBE = oxi.Quad(oxi.NamedNode("urn:x-govkg:probe"), oxi.NamedNode("urn:x-govkg:probe"),
                  oxi.NamedNode("urn:x-govkg:probe"), oxi.NamedNode("urn:x-govkg:probe"))


def _serialize(fmt: str, quads: Iterable[oxi.Quad]) -> bytes:
    rdf_format, as_triples = DUMP_FORMATS[fmt]
    items = [quad.triple for quad in quads] if as_triples else list(quads)
    if rdf_format == oxi.RdfFormat.JSON_LD:  # expanded (ontology/context.jsonld compacts it)
        return oxi.serialize(items, format=rdf_format)
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return oxi.serialize(items, format=rdf_format, prefixes=prefixes)


def _split_head(data: bytes) -> tuple[bytes, bytes]:
    """A TriG or Turtle serialisation as its prefix lines and the rest."""
    at = 0
    while data.startswith(b"@prefix ", at):
        at = data.index(b"\n", at) + 1
    return data[:at], data[at:]


def dump_fragments(graph_file: Path, formats: Sequence[str]) -> list[bytes]:
    """One graph file's share of each dump format (DUMP_FORMATS), reading the file once: its TriG or Turtle
    without the prefix lines the dump opens with once, or its expanded JSON-LD objects without the enclosing
    brackets. A dump is dump_head, then the fragments (joined by dump_separator), then dump_tail."""
    quads = list(_quads([graph_file]))
    out = []
    for fmt in formats:
        data = _serialize(fmt, quads)
        out.append(data.strip()[1:-1] if fmt == "json-ld" else _split_head(data)[1])
    return out


def dump_head(fmt: str) -> bytes:
    """What a dump opens with: the prefix lines (TriG, Turtle) or the bracket of the JSON-LD array."""
    return b"[" if fmt == "json-ld" else _split_head(_serialize(fmt, [_PROBE]))[0]


def dump_tail(fmt: str) -> bytes:
    """What a dump ends with."""
    return b"]\n" if fmt == "json-ld" else b""


def dump_separator(fmt: str) -> bytes:
    """What goes between two non-empty fragments of a dump."""
    return b"," if fmt == "json-ld" else b""
