"""The fixed value lists of the shapes follow the model: layouts (recognisers) and file formats of originals."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from rdflib import Graph, Literal, Namespace
from rdflib.collection import Collection

from govkg.model import FormatName, LayoutName

CORE = Path(__file__).resolve().parents[2] / "shapes" / "core.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")
GWS = Namespace("https://w3id.org/govkg/shapes#")


def listed(shape) -> set[str]:
    graph = Graph().parse(CORE)
    return {str(value) for value in Collection(graph, graph.value(shape, SH["in"])) if isinstance(value, Literal)}


def test_layouts_are_the_recognisers_of_the_model():
    assert listed(GWS["SourceDocument-layout"]) == set(get_args(LayoutName))


def test_file_formats_are_the_originals_of_the_model():
    assert listed(GWS["SourceDocument-fileFormat"]) == set(get_args(FormatName)) - {"text"}
