"""Every class and predicate the built data uses is declared (in gw:, a closed reused vocabulary, or declared by the
ontology, as qudt:hasUnit is), and every gw: term is used by the data or a shape (directly, or as the class or range
of a used term), or marked reserved."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

ROOT = Path(__file__).resolve().parents[2]
GW = "https://w3id.org/govkg/ontology#"
VS_STATUS = URIRef("http://www.w3.org/2003/06/sw-vocab-status/ns#term_status")
QUDT = "http://qudt.org/schema/qudt/"
# rdflib's closed namespaces list every term of these vocabularies.
REUSED = (ORG, SKOS, PROV, DCTERMS, DCAT, FOAF, RDF, RDFS, OWL, VOID, XSD)
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual, OWL.AnnotationProperty)


def _declared_in_reused(term: URIRef) -> bool:
    for namespace in REUSED:
        base = str(namespace._NS)
        if str(term).startswith(base):
            return term in set(dir(namespace))
    return False


def _used_terms(built: Path) -> tuple[set[URIRef], set[URIRef], set[URIRef]]:
    dataset = Dataset()
    dataset.parse(built / "dataset.nq", format="nquads")
    predicates, classes, objects = set(), set(), set()
    for _, predicate, obj, _ in dataset.quads():
        predicates.add(predicate)
        if predicate == RDF.type:
            classes.add(obj)
        elif isinstance(obj, URIRef) and str(obj).startswith(GW):
            objects.add(obj)
    return predicates, classes, objects


def test_every_term_used_is_declared(built):
    ontology = Graph().parse(ROOT / "ontology" / "govwork.ttl")
    predicates, classes, objects = _used_terms(built)
    undeclared = []
    for term in sorted(predicates | classes | objects):
        declared_here = any((term, RDF.type, kind) in ontology for kind in DECLARATIONS)
        if str(term).startswith(GW):
            if not declared_here:
                undeclared.append(term)
        elif not (_declared_in_reused(term) or declared_here):
            undeclared.append(term)
    assert undeclared == []


def test_every_gw_term_is_used_or_reserved(built):
    ontology = Graph().parse(ROOT / "ontology" / "govwork.ttl")
    shapes = Graph()
    for path in (ROOT / "shapes").glob("*.ttl"):
        shapes.parse(path)
    in_shapes = {node for triple in shapes for node in triple if isinstance(node, URIRef)}
    predicates, classes, objects = _used_terms(built)
    used = predicates | classes | objects | in_shapes
    # Terms the used ones rest on count as used: the class of a used individual, the range of a used property.
    for term in list(used):
        for link in (RDF.type, RDFS.range, RDFS.domain, SKOS.inScheme):
            used.update(o for o in ontology.objects(term, link) if isinstance(o, URIRef))
    unused = []
    for term in sorted(set(ontology.subjects(RDF.type, None))):
        if not str(term).startswith(GW) or not any((term, RDF.type, kind) in ontology for kind in DECLARATIONS):
            continue
        if term in used or (term, VS_STATUS, Literal("reserved")) in ontology:
            continue
        unused.append(term)
    assert unused == []


def test_closed_namespace_check_works():
    assert _declared_in_reused(ORG.subOrganizationOf) and _declared_in_reused(SKOS.prefLabel)
    assert not _declared_in_reused(URIRef("http://www.w3.org/ns/org#subOrganisationOf"))  # British spelling
    assert not _declared_in_reused(URIRef(QUDT + "hasUnit"))  # not in a closed namespace: must be declared
