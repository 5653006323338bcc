"""Writing datasets: sorted N-Quads (byte-identical for identical inputs), TriG, Turtle, JSON-LD."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as oxi
from rdflib import Dataset, Graph, URIRef

from ..resources import resource_dir
from .vocab import PREFIXES, bind_prefixes


def graph_nquads(graph: Graph, name: URIRef) -> list[str]:
    """The triples of `graph` as N-Quads lines in the named graph `name`, sorted."""
    dataset = Dataset()
    target = dataset.graph(name)
    for triple in graph:
        target.add(triple)
    text = dataset.serialize(format="nquads")
    return sorted(line for line in text.splitlines() if line.strip())


def dataset_from_nquads(lines: Iterable[str]) -> Dataset:
    """An rdflib dataset from N-Quads lines."""
    dataset = Dataset()
    bind_prefixes(dataset)
    dataset.parse(data="\n".join(lines) + "\n", format="nquads")
    return dataset


def jsonld_context() -> dict:
    """The JSON-LD context of the data (ontology/context.jsonld)."""
    with (resource_dir("ontology") / "context.jsonld").open(encoding="utf-8") as handle:
        return json.load(handle)["@context"]


def serialize_dataset(dataset: Dataset, fmt: str) -> str:
    """Serialise a dataset: "trig", "turtle" (all graphs merged), "json-ld" (with the project context)."""
    if fmt == "turtle":
        union = Graph()
        bind_prefixes(union)
        for quad in dataset.quads((None, None, None, None)):
            union.add(quad[:3])
        return union.serialize(format="turtle")
    if fmt == "json-ld":
        return dataset.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    return dataset.serialize(format=fmt)


def serialize_nquads(nquads: str, fmt: str) -> bytes:
    """Serialise N-Quads text as "trig" or "turtle" (all graphs merged) with the usual prefixes (fast path)."""
    quads = list(oxi.parse(nquads.encode("utf-8"), format=oxi.RdfFormat.N_QUADS))
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    if fmt == "turtle":
        triples = sorted({quad.triple for quad in quads}, key=str)
        return oxi.serialize(triples, format=oxi.RdfFormat.TURTLE, prefixes=prefixes)
    return oxi.serialize(quads, format=oxi.RdfFormat.TRIG, prefixes=prefixes)
