"""A server's first read of a build's names: single-pattern scans joined in Python (ask.NAME_SCANS,
ask.names_from_scans) give the names the per-kind joined queries (ask.names_query) give."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from govkg.rdf.vocab import SPARQL_PROLOGUE
from govkg.web.ask import _NAMES, NAME_SCANS, names_from_scans, names_query
from govkg.web.tsv import tsv_rows

#: Edge cases the samples may lack: two preferred labels, alternative labels, a unit without an issuer, a person
#: of two classes, a goal in two schemes (one of a plan, one of a thing that is no plan), an issuer without label.
EDGES = """
@prefix gw: <https://w3id.org/govkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix : <https://example.org/> .
:g1 { :gov skos:prefLabel "甲县" .
      :unlabelled-gov a gw:Government .
      :u1 a gw:Unit ; skos:prefLabel "住建局", "住房和城乡建设局" ; skos:altLabel "县住建局" ; gw:issuer :gov .
      :u2 a gw:Unit ; skos:prefLabel "无主局" .
      :u3 a gw:Unit ; skos:prefLabel "孤局" ; gw:issuer :unlabelled-gov .
      :grp a gw:UnitGroup ; skos:prefLabel "各乡镇" ; gw:issuer :gov .
      :p1 a foaf:Person, gw:CollectiveLeadership ; rdfs:label "张三" ; gw:issuer :gov .
      :plan a gw:WorkPlan ; gw:issuer :gov .
      :scheme a skos:ConceptScheme ; dcterms:isPartOf :plan .
      :other-scheme a skos:ConceptScheme ; dcterms:isPartOf :not-a-plan .
      :goal a gw:Goal ; skos:prefLabel "稳增长" ; skos:inScheme :scheme, :other-scheme .
      :not-a-goal skos:prefLabel "别的" ; skos:inScheme :scheme . }
:g2 { :u1 skos:altLabel "住建" . :goal skos:inScheme :scheme . }
"""
YEARS = {"https://example.org/plan": "2022"}


def _rows(store: pyoxigraph.Store, query: str) -> list[list[str | None]]:
    """A SELECT's rows as the server reads them (TSV values), over the union of the store's graphs."""
    results = store.query(query, use_default_graph_as_union=True)
    return list(tsv_rows(results.serialize(format=pyoxigraph.QueryResultsFormat.TSV).decode("utf-8")))


def _joined(store: pyoxigraph.Store, years: dict[str, str]) -> dict[str, set[tuple[str, ...]]]:
    found: dict[str, set[tuple[str, ...]]] = {}
    for kind in _NAMES:
        found[kind] = {(label, name, issuer, iri, years.get(plan, "") if plan else "", gov or "")
                       for label, name, issuer, iri, plan, gov in _rows(store, names_query(kind))
                       if label and name and issuer and iri}
    return found


def _scanned(store: pyoxigraph.Store, years: dict[str, str]) -> dict[str, set[tuple[str, ...]]]:
    rows = {scan: _rows(store, SPARQL_PROLOGUE + query) for scan, query in NAME_SCANS.items()}
    names = names_from_scans(rows, years)
    assert list(names) == list(_NAMES)
    return {kind: {(n.label, n.name, n.issuer, n.iri, n.year, n.gov) for n in found} for kind, found in names.items()}


def test_the_scans_give_the_names_of_the_joined_queries_on_the_samples(built: Path):
    store = pyoxigraph.Store.read_only(str((built / "store").resolve()))
    plans = _rows(store, SPARQL_PROLOGUE + "SELECT ?p ?y WHERE { ?p a gw:WorkPlan ; gw:year ?y }")
    years = {plan: year for plan, year in plans if plan and year}
    joined = _joined(store, years)
    assert all(joined[kind] for kind in _NAMES)  # every kind has names in the samples: the comparison says something
    assert _scanned(store, years) == joined


def test_the_scans_give_the_names_of_the_joined_queries_on_edge_cases():
    store = pyoxigraph.Store()
    store.load(EDGES.encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG)
    joined = _joined(store, YEARS)
    scanned = _scanned(store, YEARS)
    assert scanned == joined
    ex = "https://example.org/"
    # read off EDGES by hand: every label of u1 under each of its two preferred names; u2 and u3 have no issuer
    # label; the goal once, from the plan's scheme, with the plan's year; the person once
    labels = ("住建局", "住房和城乡建设局", "县住建局", "住建")
    assert {(label, name) for label, name, *_ in scanned["unit"]} == {
        (label, name) for name in ("住建局", "住房和城乡建设局") for label in labels}
    assert scanned["group"] == {("各乡镇", "各乡镇", "甲县", ex + "grp", "", ex + "gov")}
    assert scanned["person"] == {("张三", "张三", "甲县", ex + "p1", "", ex + "gov")}
    assert scanned["goal"] == {("稳增长", "稳增长", "甲县", ex + "goal", "2022", ex + "gov")}
