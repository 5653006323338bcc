"""Exports of a network for Gephi, Cytoscape and programs: GEXF, GraphML and node-link JSON, measures included."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from ..fileio import atomic_bytes, atomic_text
from .graphs import Network

EXPORT_FORMATS = ("gexf", "graphml", "json")
SUFFIX = {"gexf": ".gexf", "graphml": ".graphml", "json": ".json"}


def _scalar(value: object) -> str | int | float | bool | None:
    """An attribute value every format can hold: lists become space-separated text, NaN and None are left out."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return " ".join(str(item) for item in value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _clean(attributes: dict) -> dict:
    out = {}
    for key, value in attributes.items():
        scalar = _scalar(value)
        if scalar is not None:
            out[key] = scalar
    return out


def export_graph(network: Network | nx.Graph) -> nx.Graph:
    """A copy with every attribute a string, int, float or bool (what GEXF/GraphML store); edges get an id."""
    graph = network.graph if isinstance(network, Network) else network
    copy = graph.__class__()
    copy.graph.update(_clean(dict(graph.graph)))
    for node, attributes in graph.nodes(data=True):
        copy.add_node(node, **_clean(attributes))
    for number, (a, b, attributes) in enumerate(graph.edges(data=True)):
        copy.add_edge(a, b, **_clean(attributes), id=f"e{number}")  # GEXF edge ids, kept by every format
    return copy


def node_link(graph: nx.Graph) -> dict:
    """The node-link data of a graph (networkx's layout: directed, multigraph, graph, nodes, edges)."""
    return nx.node_link_data(graph, edges="edges")


def write_gexf(graph: nx.Graph, path: Path) -> Path:
    """Write GEXF 1.2 (Gephi); GEXF has no graph attributes, so the graph's own (kind, filters …) are left out."""
    with atomic_bytes(path) as stream:
        nx.write_gexf(graph, stream, encoding="utf-8", prettyprint=True)
    return path


def write_graphml(graph: nx.Graph, path: Path) -> Path:
    """Write GraphML (Cytoscape, yEd, Gephi)."""
    with atomic_bytes(path) as stream:
        nx.write_graphml(graph, stream, encoding="utf-8", prettyprint=True)
    return path


def write_json(graph: nx.Graph, path: Path) -> Path:
    """Write node-link JSON (UTF-8, Chinese text as is)."""
    with atomic_text(path) as stream:
        json.dump(node_link(graph), stream, ensure_ascii=False, indent=1, sort_keys=True)
        stream.write("\n")
    return path


WRITERS = {"gexf": write_gexf, "graphml": write_graphml, "json": write_json}


def write_exports(network: Network, out: str | Path, formats: Iterable[str] = EXPORT_FORMATS,
                  stem: str | None = None) -> list[Path]:
    """Write the network in the given formats into folder `out` as STEM.gexf / .graphml / .json."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    graph = export_graph(network)
    stem = stem or network.kind
    return [WRITERS[fmt](graph, folder / f"{stem}{SUFFIX[fmt]}") for fmt in formats]


def read_export(path: str | Path) -> nx.Graph:
    """Read back a file written by write_exports (by its suffix)."""
    path = Path(path)
    if path.suffix == ".gexf":
        return nx.read_gexf(path)
    if path.suffix == ".graphml":
        return nx.read_graphml(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    return nx.node_link_graph(data, edges="edges")
