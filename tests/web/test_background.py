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


def test_the_build_counts_are_read_from_its_manifest_and_the_facts_may_outlast_a_request(built):
    # At 25,000 documents on a slow day, counting the tasks, units, groups and people took longer than the 10 s a
    # request may: the server did not start. The build has counted them (its manifest's result); the plans and
    # targets it has not are counted, with the facts' own deadline.
    import json

    from govkg.web.app import FACTS_DEADLINE, Server, ServerSettings

    server = Server(ServerSettings(build_dir=built, deadline=10.0))
    asked: list[tuple[str, float | None]] = []

    async def select(query: str, pool=None, deadline=None):
        asked.append((query, deadline))
        if "GROUP BY ?c" in query:
            return [{"c": {"type": "uri", "value": "https://w3id.org/govkg/ontology#WorkPlan"},
                     "n": {"type": "literal", "value": "5"}}]
        return []

    try:
        server.select = select
        run_coroutine(server.load_facts())
    finally:
        run_coroutine(server.close())
    result = json.loads((built / "manifest.json").read_text(encoding="utf-8"))["result"]
    assert server.data.counts["tasks"] == result["tasks"] == 516  # the samples' 516 tasks
    assert {key: server.data.counts[key] for key in ("units", "groups", "people")} == {
        key: result[key] for key in ("units", "groups", "people")}
    [count] = [query for query, _ in asked if "GROUP BY ?c" in query]
    assert "ontology#WorkPlan>" in count and "ontology#Target>" in count and "ontology#Task>" not in count
    assert server.data.counts["plans"] == 5 and server.data.counts["targets"] == 0
    assert all(deadline >= FACTS_DEADLINE for _, deadline in asked)
