"""GEXF, GraphML and node-link JSON round-trip through networkx with the same nodes, edges and attributes."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from govkg.network import analyse, build_network, export_graph, read_export, write_exports
from govkg.network.exports import EXPORT_FORMATS

MEASURES = {"strength", "degree", "betweenness", "constraint", "effective_size", "community", "workload", "label",
            "issuer", "unit_type"}


def assert_same(original: nx.Graph, back: nx.Graph, graph_attributes: bool) -> None:
    assert back.is_directed() == original.is_directed()
    assert set(back.nodes) == set(original.nodes)
    assert set(back.edges) == set(original.edges)
    for node, attributes in original.nodes(data=True):
        assert back.nodes[node] == attributes, node
    for a, b, attributes in original.edges(data=True):
        assert back.edges[a, b] == attributes, (a, b)
    if graph_attributes:
        assert {k: v for k, v in back.graph.items() if k not in ("node_default", "edge_default")} == original.graph


@pytest.mark.parametrize("kind", ["coparticipation", "cooperation", "leader", "bipartite"])
def test_round_trip_hand_made(hand, tmp_path, kind):
    network = build_network(hand(), kind)
    analyse(network)
    original = export_graph(network)
    paths = write_exports(network, tmp_path, EXPORT_FORMATS)
    assert [path.name for path in paths] == [f"{kind}.gexf", f"{kind}.graphml", f"{kind}.json"]
    for path in paths:
        # GEXF has no graph-level attributes; GraphML and JSON keep them.
        assert_same(original, read_export(path), graph_attributes=path.suffix != ".gexf")
    unit = original.nodes["C"]
    assert set(unit) >= MEASURES and isinstance(unit["betweenness"], float) and isinstance(unit["community"], int)


def test_round_trip_samples(sample_page_network, tmp_path):
    network, _ = sample_page_network
    original = export_graph(network)
    for path in write_exports(network, tmp_path):
        assert_same(original, read_export(path), graph_attributes=path.suffix != ".gexf")
    some = next(node for node, kind in original.nodes(data="kind") if kind == "unit")
    assert set(original.nodes[some]) >= MEASURES
    assert original.graph["kind"] == "coparticipation" and "modularity" in original.graph


def test_files_are_what_gephi_and_cytoscape_read(hand, tmp_path):
    network = build_network(hand(), "cooperation")
    analyse(network)
    gexf, graphml, data = write_exports(network, tmp_path)
    text = gexf.read_text(encoding="utf-8")
    assert 'defaultedgetype="directed"' in text and 'title="betweenness"' in text
    assert 'attr.name="constraint"' in graphml.read_text(encoding="utf-8")
    loaded = json.loads(data.read_text(encoding="utf-8"))
    assert loaded["directed"] is True and {node["id"] for node in loaded["nodes"]} == set("ABCDE")
    assert all(" " not in str(edge["id"]) for edge in loaded["edges"])
    assert next(edge for edge in loaded["edges"] if edge["source"] == "A" and edge["target"] == "B")["task_list"] \
        == "t1 t2"
