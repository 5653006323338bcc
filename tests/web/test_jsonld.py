"""Compact JSON-LD written from Oxigraph triples with the project's context (govkg.web.jsonld), and the server's
JSON-LD made with it."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pyoxigraph as oxi
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from govkg.web.app import _jsonld, jsonld_context
from govkg.web.jsonld import compact_document, read_context

GW = "https://w3id.org/govkg/ontology#"
TASK = "http://ex.org/task/1"

MIXED = f"""
<{TASK}> a <{GW}Task>, <http://ex.org/Other> ;
    <{GW}statement> "推进老旧小区改造"@zh, "renovate old estates"@en ;
    <{GW}rowNumber> "3"^^<http://www.w3.org/2001/XMLSchema#integer>, "third"^^<http://ex.org/ordinal> ;
    <{GW}leadUnit> <http://ex.org/unit/住建局>, _:group ;
    <{GW}role> <{GW}LeadRole>, <http://ex.org/role/Other> ;
    <http://qudt.org/schema/qudt/hasUnit> <http://qudt.org/vocab/unit/PERCENT> ;
    <http://www.w3.org/2004/02/skos/core#prefLabel> "任务一"@zh, "task one"@en, "任务一（无语言）" ;
    <http://ex.org/p> "plain", <http://ex.org/o> ;
    <http://ex.org/count> 98, "098"^^<http://www.w3.org/2001/XMLSchema#integer>, true .
_:group <http://ex.org/p> "one"^^<http://ex.org/word> .
"""


def _triples(turtle: str) -> list[oxi.Triple]:
    return [quad.triple for quad in oxi.parse(turtle.encode("utf-8"), format=oxi.RdfFormat.TURTLE)]


def _read_back(document: dict) -> Graph:
    return Graph().parse(data=json.dumps(document, ensure_ascii=False), format="json-ld")


def test_each_value_goes_under_the_term_that_fits_it_or_under_its_predicate():
    document = compact_document(_triples(MIXED), jsonld_context())
    task = next(node for node in document["@graph"] if node["id"] == TASK)
    # checked by hand against ontology/context.jsonld: statement is @zh, rowNumber xsd:integer, leadUnit @id,
    # role @vocab, qudt:hasUnit @id (an IRI under the prefix unit:), skos:prefLabel @zh; a value a term does not
    # fit goes under the compact IRI
    assert task["type"] == ["Task", "http://ex.org/Other"]
    assert task["statement"] == "推进老旧小区改造"
    assert task["gw:statement"] == {"@language": "en", "@value": "renovate old estates"}
    assert task["rowNumber"] == "3"
    assert task["gw:rowNumber"] == {"type": "http://ex.org/ordinal", "@value": "third"}
    assert task["leadUnit"][0] == "http://ex.org/unit/住建局" and task["leadUnit"][1].startswith("_:")
    assert task["role"] == ["LeadRole", "http://ex.org/role/Other"]
    assert task["hasUnit"] == "unit:PERCENT"
    assert task["prefLabel"] == "任务一"
    assert task["skos:prefLabel"] == [{"@language": "en", "@value": "task one"}, "任务一（无语言）"]
    assert task["http://ex.org/p"] == ["plain", {"id": "http://ex.org/o"}]
    assert list(task) == sorted(task), "keys sorted, as rdflib writes them"
    group = next(node for node in document["@graph"] if node["id"] != TASK)
    # canonical integers and booleans as JSON's, as rdflib writes them; "098" would read back as 98
    assert task["http://ex.org/count"] == [98, {"type": "xsd:integer", "@value": "098"}, True]
    assert group["http://ex.org/p"] == {"type": "http://ex.org/word", "@value": "one"}
    assert isomorphic(_read_back(document), Graph().parse(data=MIXED, format="turtle"))


def test_one_node_stands_alone_and_a_named_graph_holds_its_nodes():
    one = compact_document(_triples(f'<{TASK}> <{GW}taskNumber> "1" .'), jsonld_context())
    assert one["id"] == TASK and one["taskNumber"] == "1" and "@graph" not in one
    named = compact_document(_triples(MIXED), jsonld_context(), graph_name="http://ex.org/g")
    assert named["@id"] == "http://ex.org/g" and len(named["@graph"]) == 2
    read = Dataset().parse(data=json.dumps(named, ensure_ascii=False), format="json-ld")
    assert isomorphic(read.graph("http://ex.org/g"), Graph().parse(data=MIXED, format="turtle"))


def test_an_iri_that_would_read_as_a_compact_iri_is_written_expanded():
    # `unit` is a prefix of the context: an IRI of scheme unit: would come back as http://qudt.org/vocab/unit/…
    # (rdflib's compaction writes it so); the server writes the expanded form instead, which has no context
    turtle = f'<unit:PERCENT> <{GW}statement> "百分比"@zh ; <{GW}leadUnit> <gw:elsewhere> .'
    with pytest.raises(ValueError, match="unit:PERCENT"):
        compact_document(_triples(turtle), jsonld_context())
    written = json.loads(_jsonld(_triples(turtle), None))
    assert "@context" not in json.dumps(written)
    assert set(Graph().parse(data=json.dumps(written), format="json-ld")) == set(Graph().parse(data=turtle,
                                                                                             format="turtle"))


def test_a_context_this_writer_cannot_follow_is_refused():
    with pytest.raises(ValueError, match="@vocab"):
        read_context({"@vocab": "http://ex.org/"})
    with pytest.raises(ValueError, match="@container"):
        read_context({"list": {"@id": "http://ex.org/list", "@container": "@list"}})


def test_every_graph_of_the_samples_reads_back_the_same_and_as_rdflib_compacts_it(built: Path):
    by_graph: dict[str, list[oxi.Triple]] = collections.defaultdict(list)
    for quad in oxi.parse((built / "dataset.nq").read_bytes(), format=oxi.RdfFormat.N_QUADS):
        by_graph[quad.graph_name.value].append(quad.triple)
    assert len(by_graph) >= 10

    def unordered(value):  # the order of a key's values is not the graph's
        if isinstance(value, dict):
            return {key: unordered(item) for key, item in value.items()}
        if isinstance(value, list):
            return sorted((unordered(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
        return value

    for name, triples in by_graph.items():
        ours = compact_document(triples, jsonld_context())
        ntriples = oxi.serialize(triples, format=oxi.RdfFormat.N_TRIPLES).decode("utf-8")
        reference = Graph().parse(data=ntriples, format="nt")
        assert isomorphic(_read_back(ours), reference), name
        theirs = json.loads(reference.serialize(format="json-ld", context=jsonld_context()))
        assert unordered(ours.get("@graph")) == unordered(theirs.get("@graph")), name
