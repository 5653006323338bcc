"""Facts about the served dataset, read once per build (from its manifest and the store): graphs, counts, VoID and
DCAT."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from .. import __version__
from ..dumps import DUMPS, available_dumps
from ..query.catalog import NamedQuery
from ..rdf.vocab import GW, bind_prefixes

_NON_ASCII_ESCAPES = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")
_ASCII_ESCAPE = re.compile(r"%[0-7][0-9A-Fa-f]")


@dataclass
class Dataset:
    """What the server knows about its data without asking the store again."""

    build_dir: Path
    base: str
    graphs: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)
    plans: list[dict[str, str]] = field(default_factory=list)
    #: The issuers' names (rdfs:label@zh) of the plans, sorted: the order a national answer is paged in.
    issuers: list[str] = field(default_factory=list)
    #: Those of them with a progress report, sorted: what a question answered from reports is paged over.
    report_issuers: list[str] = field(default_factory=list)
    #: Resources per class (None: not counted yet; read in the background, govkg.web.background).
    classes: dict[str, int] | None = None
    graph_triples: dict[str, int] = field(default_factory=dict)

    def local_path(self, iri: str) -> str | None:
        """The server path that serves an IRI of the data ("/id/…"), if it is one."""
        return "/id/" + iri[len(self.base):] if iri.startswith(self.base) else None

    def iri_for_raw_path(self, raw: str) -> str:
        """The data IRI a raw request path tail (still percent-encoded) stands for.

        Minted IRIs keep Chinese as characters and percent-encode ASCII specials, so only escapes of
        non-ASCII bytes are decoded; ASCII escapes keep their (upper-case) form.
        """

        def decode(match: re.Match[str]) -> str:
            try:
                return bytes.fromhex(match.group().replace("%", "")).decode("utf-8")
            except UnicodeDecodeError:
                return match.group().upper()

        tail = _NON_ASCII_ESCAPES.sub(decode, raw)
        tail = _ASCII_ESCAPE.sub(lambda m: m.group().upper(), tail)
        return self.base + tail


def void_graph(data: Dataset, origin: str) -> Graph:
    """A VoID description of the dataset with counts computed from the data (its classes counted)."""
    classes = data.classes or {}
    graph = Graph()
    bind_prefixes(graph)
    dataset = URIRef(f"{origin}/void#dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("政府工作报告目标任务责任分解知识图谱", lang="zh")))
    graph.add((dataset, DCTERMS.title, Literal("Government work report responsibility graph", lang="en")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(f"{origin}/sparql")))
    graph.add((dataset, VOID.uriSpace, Literal(data.base)))
    graph.add((dataset, VOID.vocabulary, URIRef(str(GW).rstrip("#"))))
    graph.add((dataset, VOID.triples, Literal(data.counts.get("triples", 0), datatype=XSD.integer)))
    if "entities" in data.counts:  # not when counting them needed more memory than a query may use
        graph.add((dataset, VOID.entities, Literal(data.counts["entities"], datatype=XSD.integer)))
    graph.add((dataset, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    for name in available_dumps(data.build_dir):
        graph.add((dataset, VOID.dataDump, URIRef(f"{origin}/dumps/{name}.gz")))
    for index, (cls, count) in enumerate(sorted(classes.items()), start=1):
        part = URIRef(f"{origin}/void#class-{index}")
        graph.add((dataset, VOID.classPartition, part))
        graph.add((part, VOID["class"], URIRef(cls)))
        graph.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for index, (name, triples) in enumerate(sorted(data.graph_triples.items()), start=1):
        subset = URIRef(f"{origin}/void#graph-{index}")
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, URIRef("http://www.w3.org/ns/sparql-service-description#name"), URIRef(name)))
        graph.add((subset, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return graph


def catalog_graph(data: Dataset, origin: str) -> Graph:
    """A DCAT catalogue: one dataset per work plan, with the dumps and the endpoint as distributions."""
    graph = Graph()
    bind_prefixes(graph)
    catalog = URIRef(f"{origin}/catalog#catalog")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal("政府工作报告目标任务责任分解表目录", lang="zh")))
    graph.add((catalog, DCTERMS.title, Literal("Catalogue of government work report responsibility tables", lang="en")))
    graph.add((catalog, FOAF.homepage, URIRef(f"{origin}/")))
    service = URIRef(f"{origin}/catalog#sparql")
    graph.add((catalog, DCAT.service, service))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCAT.endpointURL, URIRef(f"{origin}/sparql")))
    graph.add((service, DCTERMS.title, Literal("SPARQL 1.1 endpoint", lang="en")))
    for plan in data.plans:
        node = URIRef(plan["plan"])
        graph.add((catalog, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        graph.add((node, DCTERMS.title, Literal(plan.get("title") or plan["plan"], lang="zh")))
        if plan.get("issuer"):
            graph.add((node, DCTERMS.publisher, URIRef(plan["issuer"])))
        if plan.get("issued"):
            graph.add((node, DCTERMS.issued, Literal(plan["issued"], datatype=XSD.date)))
        if plan.get("year"):
            graph.add((node, DCTERMS.temporal, Literal(plan["year"], datatype=XSD.gYear)))
        graph.add((node, URIRef(str(GW) + "taskCount"), Literal(int(plan.get("tasks", 0)), datatype=XSD.integer)))
        graph.add((node, DCAT.accessService, service))
    for name in available_dumps(data.build_dir):
        media = DUMPS[name][0]
        distribution = URIRef(f"{origin}/dumps/{name}.gz")
        graph.add((catalog, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.downloadURL, distribution))
        graph.add((distribution, DCAT.mediaType, Literal(media)))
        graph.add((distribution, DCAT.compressFormat, Literal("application/gzip")))
    graph.add((catalog, RDFS.comment, Literal(f"served by govkg {__version__}", lang="en")))
    return graph


def service_description(origin: str) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    graph = Graph()
    graph.bind("sd", sd)
    node = URIRef(f"{origin}/sparql")
    graph.add((node, RDF.type, URIRef(sd + "Service")))
    graph.add((node, URIRef(sd + "endpoint"), node))
    graph.add((node, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")))
    graph.add((node, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N-Quads", "TriG"):
        graph.add((node, URIRef(sd + "resultFormat"), URIRef(f"http://www.w3.org/ns/formats/{fmt}")))
    return graph


def to_str(value: Any) -> str:
    """A SPARQL JSON term's value."""
    return value["value"] if isinstance(value, dict) else str(value)


def paged_issuers(data: Dataset, named: NamedQuery) -> list[str]:
    """The issuers a national answer of `named` is paged over (its `# paged-over:` header)."""
    return data.report_issuers if named.paged_over == "reports" else data.issuers
