"""Every IRI the build mints dereferences, with content negotiation; pages, VoID, DCAT, dumps, ontology."""

from __future__ import annotations

import gzip
from urllib.parse import quote

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from local_servers import stored_graph_sizes, void_graph_sizes

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ID = "https://w3id.org/govkg/id/"


def path(iri: str) -> str:
    return "/id/" + quote(iri[len(ID):], safe="/%")


@pytest.mark.parametrize("iri", [
    ID + "gov/320404/unit/住建局", ID + "gov/320404/group/各街道", ID + "gov/320404/person/曹雷",
    ID + "plan/320404/2022/main/18", ID + "plan/320404/2022/goal/main/3", ID + "plan/320404/2022",
    ID + "plan/320412/2023/main/24-1", ID + "plan/320404/2022/main/18/assignment/lead/1", ID + "gov/320404",
    ID + "plan/320404/2022/main", ID + "plan/320404/2022/goals",
])
def test_minted_iris_dereference(server, iri):
    page = httpx.get(server + path(iri), headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["vary"] == "Accept" and '<html lang="zh">' in page.text
    turtle = httpx.get(server + path(iri), headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert len(list(graph.predicate_objects(URIRef(iri)))) > 0


@pytest.mark.parametrize(("accept", "fmt", "media", "parser"), [
    ("application/ld+json", "jsonld", "application/ld+json", "json-ld"),
    ("application/n-triples", "nt", "application/n-triples", "nt"),
    ("application/rdf+xml", "rdfxml", "application/rdf+xml", "xml"),
])
def test_rdf_formats_and_format_override(server, accept, fmt, media, parser):
    iri = ID + "gov/320404/unit/住建局"
    for response in (httpx.get(server + path(iri), headers={"Accept": accept}),
                     httpx.get(server + path(iri) + f"?format={fmt}", headers={"Accept": BROWSER})):
        assert response.headers["content-type"].startswith(media)
        graph = Graph().parse(data=response.text, format=parser)
        labels = {str(o) for o in graph.objects(URIRef(iri), URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))}
        assert labels == {"区住建局"}


def test_unknown_iri_is_404(server):
    assert httpx.get(server + path(ID + "gov/320404/unit/没有这个局")).status_code == 404
    assert httpx.get(server + "/id/plan/999999/1900/main/1", headers={"Accept": "text/turtle"}).status_code == 404


def test_task_page_shows_text_and_provenance(server):
    html = httpx.get(server + path(ID + "plan/320404/2022/main/18")).text
    assert "做好基层“三整合”改革后半篇文章" in html
    assert "001_087f41aba7939677.txt" in html and "67–71" in html  # source lines of 001 (18)
    assert "编办" in html and "曹雷" in html and "split uncertain" in html


def test_unit_page_lists_its_tasks(server):
    html = httpx.get(server + path(ID + "gov/320404/unit/住建局")).text
    assert "任务 Tasks (21)" in html  # 14 led in 2021, 1 led and 3 cooperated in 2022, 3 led in 2025 ((9)–(11))
    assert "区住建局" in html


def test_home_search_and_summary(server):
    home = httpx.get(server + "/").text
    assert home.count("/id/plan/") >= 5 and "516" in home
    found = httpx.get(server + "/search", params={"q": "住建局"}).text
    assert "/id/gov/320404/unit/住建局" in found and "/id/gov/320412/unit/住建局" in found
    tasks = httpx.get(server + "/search", params={"q": "停车泊位"}).text
    assert tasks.count("<tr>") >= 5  # header + 4 tasks mentioning 停车泊位


def test_void_counts_come_from_the_data(server, built):
    void = Graph().parse(data=httpx.get(server + "/void", headers={"Accept": "text/turtle"}).text, format="turtle")
    triples = next(void.objects(None, URIRef("http://rdfs.org/ns/void#triples")))
    lines = (built / "dataset.nq").read_text(encoding="utf-8").count("\n")
    assert int(triples) == lines
    # classes counted on first need: 516 tasks, the samples' rows, and the graph sizes are the store's
    partitions = {str(void.value(part, VOID["class"])): int(void.value(part, VOID.entities))
                  for part in void.objects(None, VOID.classPartition)}
    assert partitions["https://w3id.org/govkg/ontology#Task"] == 516
    subsets = void_graph_sizes(void)
    assert subsets == stored_graph_sizes(built / "store")
    assert len(subsets) == 12  # 5 documents and their statistics, the lexicon and the links
    catalog = Graph().parse(data=httpx.get(server + "/catalog?format=ttl").text, format="turtle")
    datasets = set(catalog.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                    URIRef("http://www.w3.org/ns/dcat#Dataset")))
    assert len(datasets) == 5


def test_dumps_are_gzipped_copies(server, built):
    response = httpx.get(server + "/dumps/dataset.nq.gz")
    assert response.headers["content-type"] == "application/gzip"
    assert gzip.decompress(response.content) == (built / "dataset.nq").read_bytes()
    assert httpx.get(server + "/dumps/secret.txt.gz").status_code == 404


def test_ontology_page_and_rdf(server):
    html = httpx.get(server + "/ontology").text
    assert 'id="leadUnit"' in html and "牵头单位" in html
    graph = Graph().parse(data=httpx.get(server + "/ontology?format=ttl").text, format="turtle")
    assert len(graph) > 500


def test_named_queries_listed(server):
    names = [q["name"] for q in httpx.get(server + "/queries").json()]
    assert len(names) == 17 and names[0] == "q01-cooperating-tasks" and names[-1] == "q17-weak-record-counts"


def test_graph_page_is_the_offline_collaboration_network(server):
    response = httpx.get(server + "/graph")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="zh">' in html and "vis-network" in html
    assert "http://" not in html and "https://" not in html
    assert "住建局" in html
