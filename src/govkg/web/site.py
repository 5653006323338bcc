"""Facts about the served dataset, read once per build (from its manifest and the store): graphs, counts, VoID and
DCAT."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as oxi
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from .. import __version__
from ..dumps import DUMPS, available_dumps
from ..query.catalog import NamedQuery
from ..rdf.vocab import GW

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


#: A small graph of the server's own (VoID, DCAT) as Oxigraph triples, each subject's together and in an order of
#: their own (written as they are: no sorting), made and written without rdflib, whose memory store took 3.4 s to
#: hold the 200,000 triples of a 25,000-plan catalogue.
Triples = list[oxi.Triple]


def _node(iri: object) -> oxi.NamedNode:
    return oxi.NamedNode(str(iri))


def _text(value: str, lang: str) -> oxi.Literal:
    return oxi.Literal(value, language=lang)


_INTEGER, _DATE, _YEAR = _node(XSD.integer), _node(XSD.date), _node(XSD.gYear)


def _integer(value: int) -> oxi.Literal:
    return oxi.Literal(str(value), datatype=_INTEGER)


_TYPE, _TITLE = _node(RDF.type), _node(DCTERMS.title)
_SD_NAME = "http://www.w3.org/ns/sparql-service-description#name"


def void_graph(data: Dataset, origin: str) -> Triples:
    """A VoID description of the dataset with counts computed from the data (its classes counted)."""
    classes = data.classes or {}
    dataset = _node(f"{origin}/void#dataset")
    facts: list[tuple[object, oxi.NamedNode | oxi.Literal]] = [
        (RDF.type, _node(VOID.Dataset)), (DCTERMS.title, _text("政府工作报告目标任务责任分解知识图谱", "zh")),
        (DCTERMS.title, _text("Government work report responsibility graph", "en")),
        (VOID.sparqlEndpoint, _node(f"{origin}/sparql")), (VOID.uriSpace, oxi.Literal(data.base)),
        (VOID.vocabulary, _node(str(GW).rstrip("#"))), (VOID.triples, _integer(data.counts.get("triples", 0)))]
    if "entities" in data.counts:  # not when counting them needed more memory than a query may use
        facts.append((VOID.entities, _integer(data.counts["entities"])))
    facts.append((VOID.classes, _integer(len(classes))))
    facts += [(VOID.dataDump, _node(f"{origin}/dumps/{name}.gz")) for name in available_dumps(data.build_dir)]
    parts = [(_node(f"{origin}/void#class-{index}"), cls, count)
             for index, (cls, count) in enumerate(sorted(classes.items()), start=1)]
    subsets = [(_node(f"{origin}/void#graph-{index}"), name, count)
               for index, (name, count) in enumerate(sorted(data.graph_triples.items()), start=1)]
    facts += [(VOID.classPartition, part) for part, _, _ in parts] + [(VOID.subset, node) for node, _, _ in subsets]
    triples = [oxi.Triple(dataset, _node(predicate), value) for predicate, value in facts]
    entities, klass = _node(VOID.entities), _node(VOID["class"])
    for part, cls, count in parts:
        triples += [oxi.Triple(part, klass, _node(cls)), oxi.Triple(part, entities, _integer(count))]
    dataset_type, name_of, size = _node(VOID.Dataset), _node(_SD_NAME), _node(VOID.triples)
    for node, name, count in subsets:
        triples += [oxi.Triple(node, _TYPE, dataset_type), oxi.Triple(node, name_of, _node(name)),
                    oxi.Triple(node, size, _integer(count))]
    return triples


def catalog_graph(data: Dataset, origin: str) -> Triples:
    """A DCAT catalogue: one dataset per work plan, with the dumps and the endpoint as distributions."""
    catalog, service = _node(f"{origin}/catalog#catalog"), _node(f"{origin}/catalog#sparql")
    dumps = [(_node(f"{origin}/dumps/{name}.gz"), DUMPS[name][0]) for name in available_dumps(data.build_dir)]
    facts: list[tuple[object, oxi.NamedNode | oxi.Literal]] = [
        (RDF.type, _node(DCAT.Catalog)), (DCTERMS.title, _text("政府工作报告目标任务责任分解表目录", "zh")),
        (DCTERMS.title, _text("Catalogue of government work report responsibility tables", "en")),
        (FOAF.homepage, _node(f"{origin}/")), (DCAT.service, service)]
    facts += [(DCAT.dataset, _node(plan["plan"])) for plan in data.plans]
    facts += [(DCAT.distribution, distribution) for distribution, _ in dumps]
    facts.append((RDFS.comment, _text(f"served by govkg {__version__}", "en")))
    triples = [oxi.Triple(catalog, _node(predicate), value) for predicate, value in facts]
    triples += [oxi.Triple(service, _TYPE, _node(DCAT.DataService)),
                oxi.Triple(service, _node(DCAT.endpointURL), _node(f"{origin}/sparql")),
                oxi.Triple(service, _TITLE, _text("SPARQL 1.1 endpoint", "en"))]
    dataset_type, publisher, issued, temporal = (_node(DCAT.Dataset), _node(DCTERMS.publisher),
                                                 _node(DCTERMS.issued), _node(DCTERMS.temporal))
    task_count, access = _node(str(GW) + "taskCount"), _node(DCAT.accessService)
    for plan in data.plans:
        node = _node(plan["plan"])
        triples += [oxi.Triple(node, _TYPE, dataset_type),
                    oxi.Triple(node, _TITLE, _text(plan.get("title") or plan["plan"], "zh"))]
        if plan.get("issuer"):
            triples.append(oxi.Triple(node, publisher, _node(plan["issuer"])))
        if plan.get("issued"):
            triples.append(oxi.Triple(node, issued, oxi.Literal(plan["issued"], datatype=_DATE)))
        if plan.get("year"):
            triples.append(oxi.Triple(node, temporal, oxi.Literal(str(plan["year"]), datatype=_YEAR)))
        triples += [oxi.Triple(node, task_count, _integer(int(plan.get("tasks", 0)))),
                    oxi.Triple(node, access, service)]
    media_type, compress, download = _node(DCAT.mediaType), _node(DCAT.compressFormat), _node(DCAT.downloadURL)
    for distribution, media in dumps:
        triples += [oxi.Triple(distribution, _TYPE, _node(DCAT.Distribution)),
                    oxi.Triple(distribution, download, distribution),
                    oxi.Triple(distribution, media_type, oxi.Literal(media)),
                    oxi.Triple(distribution, compress, oxi.Literal("application/gzip"))]
    return triples


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
