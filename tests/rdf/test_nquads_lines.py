"""Issue 14: a document graph is written as N-Quads lines straight from its triples (no rdflib graph), one line a
triple whatever its literals hold, and read back to the same terms."""

from __future__ import annotations

import pyoxigraph
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, XSD

from govkg.rdf import graph_nquads
from govkg.rdf.serialize import nt_text
from govkg.rdf.vocab import GW, KeptNamespace

NAME = URIRef("https://w3id.org/govkg/id/graph/plan/x/2024")
TASK = URIRef("https://w3id.org/govkg/id/task/x/1")
TEXTS = ["推进\u2028老旧小区改造", '“引号” "quoted" \\ back', "line\nfeed\rreturn", "tab\there", "\u0085next"]


def test_every_triple_is_one_line_that_reads_back_to_its_terms():
    triples = {(TASK, RDFS.label, Literal(text, lang="zh")) for text in TEXTS}
    triples.add((TASK, GW.year, Literal("2024", datatype=XSD.gYear)))
    triples.add((TASK, GW.note, Literal("plain")))
    lines = graph_nquads(triples, NAME)
    assert len(lines) == len(triples) and lines == sorted(lines)
    quads = list(pyoxigraph.parse("".join(line + "\n" for line in lines).encode(), format=pyoxigraph.RdfFormat.N_QUADS))
    assert {quad.graph_name.value for quad in quads} == {str(NAME)}
    labels = {quad.object.value for quad in quads if quad.predicate.value == str(RDFS.label)}
    assert labels == set(TEXTS)
    year = next(quad.object for quad in quads if quad.predicate.value == str(GW.year))
    assert (year.value, year.datatype.value) == ("2024", str(XSD.gYear))
    plain = next(quad.object for quad in quads if quad.predicate.value == str(GW.note))
    assert plain.datatype.value == str(XSD.string) and plain.language is None


def test_text_holds_the_same_triples_as_the_lines():
    triples = {(TASK, RDFS.label, Literal(text, lang="zh")) for text in TEXTS}
    from_text = list(pyoxigraph.parse(nt_text(triples).encode(), format=pyoxigraph.RdfFormat.N_TRIPLES))
    from_lines = list(pyoxigraph.parse("".join(line + "\n" for line in graph_nquads(triples, NAME)).encode(),
                                  format=pyoxigraph.RdfFormat.N_QUADS))
    assert {str(triple) for triple in from_text} == {str(quad.triple) for quad in from_lines}
    assert len({str(quad.triple) for quad in from_lines}) == len(TEXTS)


def test_kept_namespace_makes_each_term_once():
    space = KeptNamespace("https://example.org/ns#")
    assert space.Thing is space.Thing and space["Thing"] is space.Thing
    assert space.Thing == URIRef("https://example.org/ns#Thing")
