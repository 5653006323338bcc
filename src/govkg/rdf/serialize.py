"""Writing graphs: sorted N-Quads lines (byte-identical for identical inputs), and their shares of the TriG, Turtle
and JSON-LD dumps."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as oxi
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .vocab import PREFIXES, bind_prefixes

#: One triple of a graph the build makes (as a set of them, not an rdflib graph).
Triple = tuple[Node, Node, Node]


class TripleSink(Protocol):
    """Where triples are added: a set of them, or an rdflib graph."""

    def add(self, triple: Triple, /) -> object:
        """Add one triple."""


def triples_graph(triples: Iterable[Triple]) -> Graph:
    """An rdflib graph of triples, with the project's prefixes (for callers that need a Graph)."""
    graph = Graph()
    bind_prefixes(graph)
    graph += triples
    return graph


def nt_term(term: Node) -> str:
    """A term as N-Triples writes it (as rdflib's N-Triples serialiser does: literals escape only backslash,
    double quote, line feed and carriage return)."""
    if not isinstance(term, Literal):
        return term.n3()
    text = '"' + term.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'
    if term.language:
        return f"{text}@{term.language}"
    return f"{text}^^<{term.datatype}>" if term.datatype else text


def nt_rows(triples: Iterable[Triple]) -> list[str]:
    """Triples as N-Triples lines without the closing " .", each term written once however often it comes."""
    written: dict[Node, str] = {}

    def nt(term: Node) -> str:
        found = written.get(term)
        if found is None:
            found = written[term] = nt_term(term)
        return found

    return [f"{nt(s)} {nt(p)} {nt(o)}" for s, p, o in triples]


def nt_text(triples: Iterable[Triple]) -> str:
    """Triples as N-Triples text, in no particular order."""
    return "".join(row + " .\n" for row in nt_rows(triples))


def graph_nquads(triples: Iterable[Triple], name: URIRef) -> list[str]:
    """Triples (an rdflib graph, or a document's set of them) as N-Quads lines in the named graph `name`, sorted."""
    suffix = f" <{name}> ."
    return sorted(row + suffix for row in nt_rows(triples))


def parse_nquads(nquads: str) -> list[oxi.Quad]:
    """N-Quads text as Oxigraph quads."""
    return list(oxi.parse(nquads.encode("utf-8"), format=oxi.RdfFormat.N_QUADS))


def _rdflib_term(term: oxi.NamedNode | oxi.BlankNode | oxi.Literal) -> Node:
    if isinstance(term, oxi.NamedNode):
        return URIRef(term.value)
    if isinstance(term, oxi.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == str(XSD.string) else Literal(term.value, datatype=URIRef(datatype))


def nquads_file_triples(path: str | Path) -> set[Triple]:
    """The triples of an N-Quads file (its graph names dropped) as rdflib terms, parsed by Oxigraph; SyntaxError
    (with the line and column) for a file that is not N-Quads."""
    made: dict[object, Node] = {}  # each term made once: a file names its nodes and predicates many times

    def term(found: oxi.NamedNode | oxi.BlankNode | oxi.Literal) -> Node:
        node = made.get(found)
        if node is None:
            node = made[found] = _rdflib_term(found)
        return node

    return {(term(quad.subject), term(quad.predicate), term(quad.object))
            for quad in oxi.parse(path=str(path), format=oxi.RdfFormat.N_QUADS)}


def serialize_quads(quads: list[oxi.Quad], fmt: str, extra: Mapping[str, str] | None = None) -> bytes:
    """Serialise quads as "trig", "turtle" (all graphs merged) with the usual prefixes (and `extra` ones), or
    "json-ld" (expanded: streamed by Oxigraph, so it costs the same per quad at any size; ontology/context.jsonld
    compacts it)."""
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()} | dict(extra or {})
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
