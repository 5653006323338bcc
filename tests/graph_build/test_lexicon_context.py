"""Issue 14, part 2: a document graph is validated with only the lexicon facts it reaches, so its cost does not
grow with the other issuers of a build, and its findings are those it had with the whole lexicon."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from govkg.rdf import LexiconIndex
from govkg.rdf.vocab import GW
from govkg.validate import validate_graph, validate_triples, without

ID = "https://w3id.org/govkg/id/"


def _graph(path: Path) -> Graph:
    dataset = Dataset()
    dataset.parse(path, format="nquads")
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def _other_issuers(count: int) -> Graph:
    """Lexicon facts of made-up issuers none of the samples name."""
    graph = Graph()
    for index in range(count):
        gov = URIRef(f"{ID}gov/99{index:04d}")
        graph.add((gov, RDF.type, GW.Government))
        graph.add((gov, RDFS.label, Literal(f"某{index}县", lang="zh")))
        unit = URIRef(f"{gov}/unit/住建局")
        graph.add((unit, RDF.type, GW.Unit))
        graph.add((unit, SKOS.prefLabel, Literal("住建局", lang="zh")))
        graph.add((unit, GW.issuer, gov))
    return graph


def _joined(graph: Graph, triples: set) -> Graph:
    """A copy of a graph with more triples."""
    joined = Graph()
    joined += graph
    joined += triples
    return joined


def test_context_is_what_the_document_reaches_whatever_else_the_lexicon_holds(built):
    lexicon = _graph(built / "graphs" / "lexicon.nq")
    document = _graph(built / "graphs" / "320404_2022.nq")
    alone = LexiconIndex(lexicon).context(document)
    crowded = LexiconIndex(lexicon + _other_issuers(300)).context(document)
    assert set(alone) == set(crowded)
    # 钟楼区 (320404) facts only: nothing of 武进区 (320412), whose units this plan never names.
    subjects = {str(s) for s, _, _ in alone}
    assert f"{ID}gov/320404/unit/住建局" in subjects
    assert not any(s.startswith(f"{ID}gov/320412/") for s in subjects)
    assert len(alone) < len(lexicon)


def test_findings_are_those_of_the_whole_lexicon(built):
    lexicon = _graph(built / "graphs" / "lexicon.nq")
    document = _graph(built / "graphs" / "320404_2025.nq")
    known = validate_graph(lexicon)
    whole = without(validate_graph(document + lexicon), known)
    reached = without(validate_graph(_joined(document, LexiconIndex(lexicon).context(document))), known)
    key = lambda f: (f.severity, f.focus, f.path, f.shape, f.value)  # noqa: E731
    assert sorted(map(key, reached.findings)) == sorted(map(key, whole.findings))
    assert whole.findings  # the sample has warnings (weak records), so the comparison is not vacuous


def test_findings_from_triples_are_those_of_the_graph(built):
    """A build validates a document as a set of triples (N-Triples text to turbo, findings placed by an index of
    the triples): every finding, with its document, lines, label and places, is the one the rdflib path gives."""
    lexicon = _graph(built / "graphs" / "lexicon.nq")
    document = _graph(built / "graphs" / "320404_2025.nq")
    triples = set(document) | LexiconIndex(lexicon).context(document)
    by_graph = validate_graph(_joined(document, LexiconIndex(lexicon).context(document)), "g", engine="turbo")
    by_triples = validate_triples(triples, "g", engine="turbo")
    assert by_triples.findings == by_graph.findings
    placed = [f for f in by_triples.findings if f.document and f.first_line and f.label]
    assert placed  # weak records of the sample, placed at their rows: the comparison is not vacuous
    assert validate_triples(triples, "g", engine="pyshacl").findings == by_graph.findings
