"""Which graph holds what: units, groups, people and collective leaderships are described once, in the lexicon
graph; document graphs only point to them. Incremental rebuilds give the same lexicon graph as full builds."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pyoxigraph
from rdflib import RDF, RDFS, SKOS, Dataset, URIRef

import govkg

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
BASE = "https://w3id.org/govkg/id/"
LEXICON = URIRef(BASE + "graph/lexicon")
ENTITY = re.compile(re.escape(BASE) + r"gov/[^/]+/(unit|group|person|collective)/[^/]+$")
DESCRIBING = {RDF.type, RDFS.label, SKOS.prefLabel, URIRef("https://w3id.org/govkg/ontology#issuer")}


def _graphs_of_entity_descriptions(built: Path) -> dict[tuple, set[URIRef]]:
    """(subject, predicate, object) → the graphs holding it, for the describing triples of entities."""
    dataset = Dataset()
    dataset.parse(built / "dataset.nq", format="nquads")
    graphs: dict[tuple, set[URIRef]] = defaultdict(set)
    for subject, predicate, obj, graph in dataset.quads():
        if predicate in DESCRIBING and ENTITY.match(str(subject)):
            graphs[(subject, predicate, obj)].add(graph)
    return graphs


def test_entities_are_described_only_in_the_lexicon_graph(built):
    graphs = _graphs_of_entity_descriptions(built)
    subjects = {subject for subject, _, _ in graphs}
    assert len(subjects) >= 127 + 16 + 32
    assert {triple: names for triple, names in graphs.items() if names != {LEXICON}} == {}


def test_a_group_matches_once_in_the_union_default_graph(built):
    store = pyoxigraph.Store.read_only(str(built / "store"))
    query = """PREFIX gw: <https://w3id.org/govkg/ontology#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?group ?gov WHERE { ?group skos:prefLabel "各街道"@zh ; a gw:UnitGroup ; gw:issuer ?gov }"""
    rows = list(store.query(query, use_default_graph_as_union=True))
    assert len(rows) == 2  # one group per issuer, however many documents name it


def test_rebuild_reusing_every_document_gives_the_same_dataset(built, tmp_path):
    again = tmp_path / "again"
    shutil.copytree(built, again)
    result = govkg.build([SAMPLES], again)
    assert result.rebuilt == [] and len(result.reused) == 5
    assert (again / "dataset.nq").read_bytes() == (built / "dataset.nq").read_bytes()
    assert (again / "graphs" / "lexicon.nq").read_bytes() == (built / "graphs" / "lexicon.nq").read_bytes()
    assert (result.violations, result.warnings) == (0, 600)


def test_documents_whose_parties_are_not_recorded_are_extracted_again(built, tmp_path):
    again = tmp_path / "again"
    shutil.copytree(built, again)
    recorded = sorted((again / "graphs").glob("*.parties.json"))
    assert len(recorded) == 5 and '"name":"住建局"' in "".join(
        path.read_text(encoding="utf-8").replace(" ", "") for path in recorded)
    for path in recorded:
        path.unlink()
    result = govkg.build([SAMPLES], again)
    assert len(result.rebuilt) == 5 and result.reused == []
    assert (again / "dataset.nq").read_bytes() == (built / "dataset.nq").read_bytes()
