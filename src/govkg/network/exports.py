"""Exports of a network for Gephi, Cytoscape and programs: GEXF, GraphML and node-link JSON, measures included.

The GEXF file also carries what Gephi draws with (viz:color by unit type as on the page, viz:size by workload,
viz:position from the Python layout), so it opens looking like the page."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from ..fileio import atomic_bytes, atomic_text
from .graphs import Network
from .layout import LAYOUT_SEED, spring_positions
from .options import EXPORT_FORMATS
from .page import TYPE_COLOURS, node_size

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


def _rgb(colour: str) -> dict[str, int | float]:
    """"#4c6ef5" as GEXF's viz:color attributes."""
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0}


def with_viz(graph: nx.Graph) -> nx.Graph:
    """A copy whose nodes carry GEXF's `viz` (colour by unit type, size by workload as on the page, position from
    the fixed-seed Python layout); the other formats have no place for it."""
    copy = graph.copy()
    positions = spring_positions(graph, seed=LAYOUT_SEED)
    most = max((workload for _, workload in graph.nodes(data="workload", default=1)), default=1) or 1
    for node, attributes in copy.nodes(data=True):
        colour = TYPE_COLOURS.get(str(attributes.get("unit_type", "other")), TYPE_COLOURS["other"])[0]
        x, y = positions[node]
        attributes["viz"] = {"color": _rgb(colour),
                             "size": node_size(attributes.get("workload", 1), most),
                             "position": {"x": float(x), "y": float(-y), "z": 0.0}}  # Gephi's y points up
    return copy


def write_gexf(graph: nx.Graph, path: Path) -> Path:
    """Write GEXF 1.2 (Gephi) with viz:color, viz:size and viz:position; GEXF has no graph attributes, so the
    graph's own (kind, filters …) are left out."""
    with atomic_bytes(path) as stream:
        nx.write_gexf(with_viz(graph), stream, encoding="utf-8", prettyprint=True)
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
    """Read back a file written by write_exports (by its suffix); GEXF's drawing hints (`viz`) are left out."""
    path = Path(path)
    if path.suffix == ".gexf":
        graph = nx.read_gexf(path)
        for _, attributes in graph.nodes(data=True):
            attributes.pop("viz", None)
        return graph
    if path.suffix == ".graphml":
        return nx.read_graphml(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    return nx.node_link_graph(data, edges="edges")
