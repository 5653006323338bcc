"""The server's own small graphs (VoID, DCAT: govkg.web.site) as Oxigraph triples, and how they are written."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib.namespace as ns
from rdflib import Graph, Literal, URIRef

from govkg.web.app import triples_serialized
from govkg.web.site import Dataset, catalog_graph

ORIGIN = "http://127.0.0.1:8000"
PLAN = "https://w3id.org/govkg/id/plan/320404/2021"
GOV = "https://w3id.org/govkg/id/gov/320404"


def _catalog() -> list:
    data = Dataset(Path("/nonexistent"), "https://w3id.org/govkg/id/")
    data.plans = [{"plan": PLAN, "title": "钟楼区2021年政府工作报告目标任务分解", "issuer": GOV, "issued": "2021-03-05",
                   "year": "2021", "tasks": "98"},
                  {"plan": PLAN + "-report", "title": "", "tasks": "3"}]  # no issuer, date or year known
    return catalog_graph(data, ORIGIN)


def test_a_plan_is_a_dataset_with_what_is_known_of_it():
    graph = Graph().parse(data=triples_serialized(_catalog(), "text/turtle").decode("utf-8"), format="turtle")
    plan, service = URIRef(PLAN), URIRef(ORIGIN + "/catalog#sparql")
    assert set(graph.predicate_objects(plan)) == {
        (ns.RDF.type, ns.DCAT.Dataset), (ns.DCTERMS.title, Literal("钟楼区2021年政府工作报告目标任务分解", lang="zh")),
        (ns.DCTERMS.publisher, URIRef(GOV)), (ns.DCTERMS.issued, Literal("2021-03-05", datatype=ns.XSD.date)),
        (ns.DCTERMS.temporal, Literal("2021", datatype=ns.XSD.gYear)),
        (URIRef("https://w3id.org/govkg/ontology#taskCount"), Literal("98", datatype=ns.XSD.integer)),
        (ns.DCAT.accessService, service)}
    report = URIRef(PLAN + "-report")  # titled by its IRI, no publisher, date or year
    assert graph.value(report, ns.DCTERMS.title) == Literal(PLAN + "-report", lang="zh")
    assert graph.value(report, ns.DCTERMS.publisher) is None and graph.value(report, ns.DCTERMS.temporal) is None
    assert set(graph.objects(URIRef(ORIGIN + "/catalog#catalog"), ns.DCAT.dataset)) == {plan, report}


def test_every_format_writes_the_same_triples_and_turtle_states_each_subject_once():
    triples = _catalog()
    reference = Graph().parse(data=triples_serialized(triples, "application/n-triples").decode("utf-8"), format="nt")
    assert len(reference) == len(triples)
    for media, fmt in (("text/turtle", "turtle"), ("application/trig", "trig"), ("application/n-quads", "nquads"),
                       ("application/rdf+xml", "xml")):
        written = Graph().parse(data=triples_serialized(triples, media).decode("utf-8"), format=fmt)
        assert set(written) == set(reference), media
    document = json.loads(triples_serialized(triples, "application/ld+json"))
    assert "@context" in document and len(Graph().parse(data=json.dumps(document), format="json-ld")) == len(triples)
    # the triples come subject by subject, so the Turtle names each subject once (then `;` for its other triples)
    turtle = triples_serialized(triples, "text/turtle").decode("utf-8")
    statements = [line for line in turtle.splitlines() if line and not line.startswith((" ", "\t", "@", "PREFIX"))]
    assert len(statements) == len({str(t.subject) for t in triples}), statements


def test_the_page_of_a_national_catalogue_shows_its_first_resources_and_says_how_many_more():
    # 25,000 plans made a 58 MB page; now the catalogue first, then its first datasets, each property at most
    # SHOWN_VALUES values and a line saying how many more (linking to the Turtle)
    from govkg.web.pages import SHOWN_SUBJECTS, SHOWN_VALUES, described_rows

    data = Dataset(Path("/nonexistent"), "https://w3id.org/govkg/id/")
    data.plans = [{"plan": f"{PLAN}-{n:03d}", "title": f"计划{n}", "tasks": "1"} for n in range(130)]
    described = described_rows(catalog_graph(data, ORIGIN), data)
    assert len(described.rows) == SHOWN_SUBJECTS and described.hidden_subjects == 130 + 2 - SHOWN_SUBJECTS
    catalog = described.rows[0]
    assert catalog["subject"].iri == ORIGIN + "/catalog#catalog"
    datasets = [value for name, value in catalog["properties"] if name.iri == str(ns.DCAT.dataset)]
    assert len(datasets) == SHOWN_VALUES + 1 and datasets[-1].text == "… 另有 80 个 / 80 more (Turtle)"
    assert datasets[-1].href == "?format=ttl"
    shown_names = {name.iri for name, _ in catalog["properties"]}
    assert {str(ns.DCTERMS.title), str(ns.RDFS.comment), str(ns.DCAT.service)} <= shown_names  # not crowded out
    assert described.rows[1]["subject"].iri == ORIGIN + "/catalog#sparql"
