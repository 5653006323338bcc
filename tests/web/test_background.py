"""What a server reads of a whole build in the background (govkg.web.background)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from govkg.web.background import read_classes
from govkg.web.site import Dataset, void_graph
from local_servers import run_coroutine

TASK = "https://w3id.org/govkg/ontology#Task"


def _server(entities_fail: bool) -> SimpleNamespace:
    async def select(query: str, pool=None, deadline=None):
        if "GROUP BY ?c" in query:
            return [{"c": {"type": "uri", "value": TASK}, "n": {"type": "literal", "value": "516"}}]
        if entities_fail:
            raise RuntimeError("the query needs more than the 2048 MB a query may use")
        return [{"n": {"type": "literal", "value": "2000"}}]

    return SimpleNamespace(select=select)


def test_void_goes_without_its_entity_count_when_counting_them_runs_out_of_memory():
    dataset = URIRef("http://127.0.0.1:8000/void#dataset")
    for fails, expected in ((False, 2000), (True, None)):
        classes, entities = run_coroutine(read_classes(_server(entities_fail=fails)))
        assert classes == {TASK: 516} and entities == expected
        data = Dataset(Path("."), "https://w3id.org/govkg/id/")
        data.classes = classes
        if entities is not None:
            data.counts["entities"] = entities
        triples = void_graph(data, "http://127.0.0.1:8000")
        void = Graph().parse(data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
        counted = void.value(dataset, VOID.entities)
        assert (int(counted) if counted is not None else None) == expected
        # the class partitions are there either way
        assert [int(void.value(part, VOID.entities)) for part in void.objects(dataset, VOID.classPartition)] == [516]
