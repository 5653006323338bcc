"""The gw: ontology (ontology/govwork.ttl) and JSON-LD context against the contract in docs/rdf-model.md."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_FILE = ROOT / "ontology" / "govwork.ttl"
CONTEXT_FILE = ROOT / "ontology" / "context.jsonld"
CONTRACT_FILE = ROOT / "docs" / "rdf-model.md"
UNIT_TYPES_FILE = ROOT / "data" / "lexicon" / "unit_types.toml"
STATUS_FILE = ROOT / "data" / "lexicon" / "status.toml"

GW = Namespace("https://w3id.org/govkg/ontology#")
# a plain Namespace: pytest probing rdflib's closed XSD namespace during collection makes it warn
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
VANN = Namespace("http://purl.org/vocab/vann/")
VS = Namespace("http://www.w3.org/2003/06/sw-vocab-status/ns#")
ONTOLOGY = URIRef("https://w3id.org/govkg/ontology")

OWL_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)

# The quantitative-target terms, reserved until targets were produced; now stable like every other term.
TARGET_TERMS = {GW[name] for name in (
    "Target", "Comparator", "AtLeast", "AtMost", "About", "Exactly", "target", "metric", "targetValue", "comparator",
    "unitText", "growth", "targetText",
)}

UNIT_TYPE_KEYS = {
    "Bureau": "bureau", "Office": "office", "PartyOrgan": "party", "SubDistrict": "subdistrict", "Town": "town",
    "DevelopmentZone": "devzone", "StateOwnedEnterprise": "soe", "MassOrganisation": "massorg",
    "BranchOffice": "branch", "OtherUnit": "other",
}

DATATYPE_RANGES = {
    XSD.string: ("taskNumber", "groupNumber", "tableKind", "layout", "encoding", "fileName", "sha256",
                 "divisionCode", "softwareVersion", "unitText", "fileFormat", "sheetName", "matchMethod",
                 "reportPeriod", "taskNumbers"),
    RDF.langString: ("statement", "parentStatement", "printedAs", "deadline", "metric", "targetText", "progressText",
                     "statusText"),
    XSD.integer: ("subItemNumber", "rowNumber", "tableNumber", "order", "firstLine", "lastLine", "pageNumber",
                  "tableIndex", "rowIndex", "columnIndex", "sharedTasks", "tasksLed", "tasksCooperated",
                  "tasksCounted", "tasksWithoutLeadUnit", "tasksRoleUncertain", "assignmentsInherited"),
    XSD.boolean: ("inherited", "merged", "roleCertain", "noLeadUnitPrinted", "membersComplete", "growth"),
    XSD.gYear: ("year",),
    XSD.decimal: ("targetValue", "matchScore"),
    XSD.date: ("deadlineDate", "reportDate"),
}
#: Datatype properties whose values are of one of several datatypes (an OWL 2 datatype union).
DATATYPE_UNIONS = {"deadlinePeriod": [XSD.date, XSD.gYearMonth, XSD.gYear]}

OBJECT_RANGES = {
    "leadUnit": GW.ResponsibleBody, "cooperatingUnit": GW.ResponsibleBody, "leaderInCharge": GW.LeaderInChargeAgent,
    "agent": FOAF.Agent, "issuer": GW.Government, "role": GW.AssignmentRole, "goal": GW.Goal,
    "inPlan": GW.WorkPlan, "inTable": GW.PlanTable, "hasTable": GW.PlanTable, "goalScheme": SKOS.ConceptScheme,
    "assignment": GW.Assignment, "memberType": GW.UnitType, "hasMember": GW.Unit, "target": GW.Target,
    "comparator": GW.Comparator, "hasProgress": GW.ProgressObservation, "reportedIn": GW.WorkPlan,
    "progressStatus": GW.ProgressStatus, "reportsOn": GW.Task, "reportsOnPlan": GW.WorkPlan, "continues": GW.Task,
    "matchOf": GW.Task, "matchedTask": GW.Task, "candidate": GW.Task, "matchKind": GW.MatchKind,
    "matchStatus": GW.MatchStatus, "statisticsOf": GW.WorkPlan, "firstUnit": GW.Unit, "secondUnit": GW.Unit,
    "loadOf": GW.Unit, "weakRecordCount": GW.WeakRecordCount,
}

UNIONS = {
    GW.ResponsibleBody: [GW.Unit, GW.UnitGroup],
    GW.LeaderInChargeAgent: [FOAF.Person, GW.CollectiveLeadership],
}


# --- helpers ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def contract_text() -> str:
    return CONTRACT_FILE.read_text(encoding="utf-8")


def contract_prefixes() -> dict[str, str]:
    return dict(re.findall(r"@prefix\s+(\w+):\s+<([^>]+)>", contract_text()))


def ontology_terms_section() -> str:
    """The "## Ontology terms" section of the contract, up to the next level-2 heading."""
    match = re.search(r"^## Ontology terms.*?$(.*?)(?=^## |\Z)", contract_text(), re.MULTILINE | re.DOTALL)
    assert match, "docs/rdf-model.md has no 'Ontology terms' section"
    return match.group(1)


def section_part(heading: str) -> str:
    """The part of the Ontology terms section that follows `heading` ("Classes", "Object properties", …)."""
    parts = re.split(r"^(Classes|Individuals|Object properties|Datatype properties):", ontology_terms_section(),
                     flags=re.MULTILINE)
    found = dict(zip(parts[1::2], parts[2::2], strict=True))
    assert heading in found, f"no {heading!r} in the Ontology terms section"
    return found[heading]


def backticked_terms(text: str) -> list[URIRef]:
    """Every name inside backticks, as IRIs; unprefixed names are gw: terms."""
    prefixes = contract_prefixes()
    terms = []
    for span in re.findall(r"`([^`]+)`", text):
        for prefix, local in re.findall(r"(?:(\w+):)?([A-Za-z]\w*)", span):
            terms.append(URIRef(prefixes[prefix] + local) if prefix else GW[local])
    return terms


def declared(graph: Graph) -> set[URIRef]:
    """gw: terms with an OWL type."""
    return {s for owl_type in OWL_TYPES for s in graph.subjects(RDF.type, owl_type)
            if isinstance(s, URIRef) and s.startswith(str(GW))}


def gw_terms_mentioned(graph: Graph) -> set[URIRef]:
    """Every gw: IRI in any position of any triple."""
    return {node for triple in graph for node in triple if isinstance(node, URIRef) and node.startswith(str(GW))}


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal) and str(o).strip()}


def expand(curie: str, context: dict) -> str:
    prefix, _, local = curie.partition(":")
    return context[prefix] + local if prefix in context and isinstance(context[prefix], str) else curie


# --- the ontology file ------------------------------------------------------------------------------------


def test_ontology_header(graph):
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph
    for predicate in (DCTERMS.title, DCTERMS.description):
        assert languages(graph, ONTOLOGY, predicate) == {"zh", "en"}, predicate
    assert graph.value(ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    assert graph.value(ONTOLOGY, DCTERMS.created) == Literal("2026-11-22", datatype=XSD.date)
    assert graph.value(ONTOLOGY, VANN.preferredNamespacePrefix) == Literal("gw")
    assert str(graph.value(ONTOLOGY, VANN.preferredNamespaceUri)) == str(GW)
    assert not list(graph.triples((None, OWL.imports, None))), "reused vocabularies are referenced, not imported"


def test_prefixes_agree_with_the_contract(graph):
    bound = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
    for prefix, iri in contract_prefixes().items():
        if prefix in bound:
            assert bound[prefix] == iri, prefix


def test_every_declared_term_has_labels_and_definitions_in_zh_and_en(graph):
    terms = declared(graph)
    assert len(terms) > 60
    missing = [f"{term} {predicate}" for term in sorted(terms) for predicate in (RDFS.label, SKOS.definition)
               if not {"zh", "en"} <= languages(graph, term, predicate)]
    assert not missing, "\n".join(missing)


def test_one_label_and_definition_per_language(graph):
    repeated = []
    for term in declared(graph):
        for predicate in (RDFS.label, SKOS.definition):
            tags = [o.language for o in graph.objects(term, predicate)]
            if len(tags) != len(set(tags)):
                repeated.append(f"{term} {predicate}")
    assert not repeated, "\n".join(repeated)


def test_every_gw_term_is_declared_defined_by_and_has_a_status(graph):
    mentioned = gw_terms_mentioned(graph)
    assert mentioned - declared(graph) == set(), "gw: IRIs used but not declared (typo?)"
    problems = []
    for term in sorted(mentioned):
        if (term, RDFS.isDefinedBy, ONTOLOGY) not in graph:
            problems.append(f"{term}: no rdfs:isDefinedBy <{ONTOLOGY}>")
        statuses = [str(o) for o in graph.objects(term, VS.term_status)]
        if len(statuses) != 1 or statuses[0] not in {"stable", "reserved"}:
            problems.append(f"{term}: vs:term_status {statuses}")
    assert not problems, "\n".join(problems)


def test_no_term_is_reserved_and_the_target_terms_are_stable(graph):
    assert set(graph.subjects(VS.term_status, Literal("reserved"))) == set()
    assert TARGET_TERMS - declared(graph) == set()
    for term in TARGET_TERMS:
        assert graph.value(term, VS.term_status) == Literal("stable"), term
    assert graph.value(GW.Target, RDFS.seeAlso) == URIRef("http://qudt.org/schema/qudt/hasUnit")


def test_every_term_of_the_contract_is_declared(graph):
    terms = backticked_terms(ontology_terms_section())
    gw_terms = {t for t in terms if t.startswith(str(GW))}
    assert len(gw_terms) >= 60, "the Ontology terms section was not parsed"
    assert gw_terms - declared(graph) == set()
    for term in set(terms) - gw_terms:  # reused terms named by the contract are referenced by the ontology
        assert any(term in triple for triple in graph), term


def test_contract_term_kinds(graph):
    expectations = {
        "Object properties": OWL.ObjectProperty,
        "Datatype properties": OWL.DatatypeProperty,
        "Individuals": OWL.NamedIndividual,
    }
    for heading, owl_type in expectations.items():
        paragraph = section_part(heading)
        # prefixed gw: names in the individuals paragraph are the classes / scheme they belong to
        names = re.findall(r"`([A-Za-z]\w*)`", paragraph)
        assert names, heading
        for name in names:
            assert (GW[name], RDF.type, owl_type) in graph, f"gw:{name} is not a {owl_type}"
    classes_part = section_part("Classes").split("reserved for")[0]
    class_names = re.findall(r"`([A-Za-z]\w*)`", classes_part)
    assert len(class_names) >= 15
    for name in class_names:
        assert (GW[name], RDF.type, OWL.Class) in graph, f"gw:{name} is not an owl:Class"


def test_terms_used_in_the_contract_examples_are_declared(graph):
    used = {GW[name] for name in re.findall(r"\bgw:(\w+)", contract_text())}
    assert {GW.statement, GW.printedAs, GW.UnitTypes, GW.memberType} <= used
    assert used - declared(graph) == set()


def test_subclass_links_follow_the_contract(graph):
    prefixes = contract_prefixes()
    links = re.findall(r"`(\w+)`\s*⊑\s*`(?:(\w+):)?(\w+)`", ontology_terms_section())
    assert len(links) >= 11
    for child, prefix, parent in links:
        parent_iri = URIRef(prefixes[prefix] + parent) if prefix else GW[parent]
        assert (GW[child], RDFS.subClassOf, parent_iri) in graph, f"gw:{child} ⊑ {parent_iri}"
    assert (GW.WorkPlan, RDFS.subClassOf, PROV.Entity) in graph


def test_every_property_has_a_domain_and_range(graph):
    object_properties = {p for p in graph.subjects(RDF.type, OWL.ObjectProperty) if p.startswith(str(GW))}
    datatype_properties = {p for p in graph.subjects(RDF.type, OWL.DatatypeProperty) if p.startswith(str(GW))}
    assert not object_properties & datatype_properties
    for prop in object_properties | datatype_properties:
        assert len(list(graph.objects(prop, RDFS.domain))) == 1, f"{prop} rdfs:domain"
        assert len(list(graph.objects(prop, RDFS.range))) == 1, f"{prop} rdfs:range"
    for prop in datatype_properties:
        rng = graph.value(prop, RDFS.range)
        if isinstance(rng, BNode):  # a union of datatypes
            assert (rng, RDF.type, RDFS.Datatype) in graph, f"{prop} range is not a datatype"
            assert all(member.startswith(str(XSD)) for member in Collection(graph, graph.value(rng, OWL.unionOf)))
            continue
        assert rng == RDF.langString or rng.startswith(str(XSD)), f"{prop} range {rng} is not a datatype"
    for prop in object_properties:
        rng = graph.value(prop, RDFS.range)
        assert (rng, RDF.type, OWL.Class) in graph, f"{prop} range {rng} is not a declared class"


def test_datatype_ranges(graph):
    named = {GW[name] for names in DATATYPE_RANGES.values() for name in names} | {GW[n] for n in DATATYPE_UNIONS}
    assert named == {p for p in graph.subjects(RDF.type, OWL.DatatypeProperty) if p.startswith(str(GW))}
    for datatype, names in DATATYPE_RANGES.items():
        for name in names:
            assert graph.value(GW[name], RDFS.range) == datatype, name
    for name, members in DATATYPE_UNIONS.items():
        union = graph.value(GW[name], RDFS.range)
        assert list(Collection(graph, graph.value(union, OWL.unionOf))) == members, name


def test_object_ranges(graph):
    assert {GW[name] for name in OBJECT_RANGES} == {
        p for p in graph.subjects(RDF.type, OWL.ObjectProperty) if p.startswith(str(GW))}
    for name, rng in OBJECT_RANGES.items():
        assert graph.value(GW[name], RDFS.range) == rng, name


def union_members(graph: Graph, node) -> list:
    assert (node, RDF.type, OWL.Class) in graph
    return list(Collection(graph, graph.value(node, OWL.unionOf)))


def test_named_union_classes(graph):
    for named, members in UNIONS.items():
        (equivalent,) = graph.objects(named, OWL.equivalentClass)
        assert isinstance(equivalent, BNode)
        assert union_members(graph, equivalent) == members


def test_every_union_is_a_well_formed_list_of_declared_classes(graph):
    unions = [node for node in graph.subjects(OWL.unionOf, None) if (node, RDF.type, RDFS.Datatype) not in graph]
    assert len(unions) >= len(UNIONS)
    for node in unions:
        members = union_members(graph, node)
        assert len(members) >= 2
        assert len(set(members)) == len(members)
        for member in members:
            assert isinstance(member, URIRef) and (member, RDF.type, OWL.Class) in graph, member
    # domains of properties used on several kinds of resource
    assert set(union_members(graph, graph.value(GW.roleCertain, RDFS.domain))) == {GW.Task, GW.Assignment}
    assert set(union_members(graph, graph.value(GW.year, RDFS.domain))) == {GW.WorkPlan, ORG.Post}
    assert set(union_members(graph, graph.value(GW.reportDate, RDFS.domain))) == {GW.WorkPlan,
                                                                                 GW.ProgressObservation}


def test_unit_types_match_the_lexicon(graph):
    with UNIT_TYPES_FILE.open("rb") as handle:
        lexicon_types = tomllib.load(handle)["types"]
    unit_types = set(graph.subjects(RDF.type, GW.UnitType))
    assert len(unit_types) == 10
    assert {str(graph.value(t, SKOS.notation)) for t in unit_types} == set(lexicon_types)
    for name, key in UNIT_TYPE_KEYS.items():
        term = GW[name]
        assert term in unit_types, name
        assert graph.value(term, SKOS.notation) == Literal(key), name
        assert (term, RDF.type, SKOS.Concept) in graph
        assert (term, RDF.type, OWL.NamedIndividual) in graph
        assert (term, SKOS.inScheme, GW.UnitTypes) in graph
        assert (term, SKOS.topConceptOf, GW.UnitTypes) in graph
        assert (GW.UnitTypes, SKOS.hasTopConcept, term) in graph
        labels = {o.language: str(o) for o in graph.objects(term, SKOS.prefLabel)}
        assert labels == {"zh": lexicon_types[key]["zh"], "en": lexicon_types[key]["en"]}, name
    assert (GW.UnitTypes, RDF.type, SKOS.ConceptScheme) in graph


def test_roles(graph):
    roles = set(graph.subjects(RDF.type, GW.AssignmentRole))
    assert roles == {GW.LeadRole, GW.CooperatingRole, GW.LeaderRole}
    for role in roles:
        assert (role, RDF.type, ORG.Role) in graph
        assert (role, RDF.type, OWL.NamedIndividual) in graph


def test_comparators(graph):
    assert set(graph.subjects(RDF.type, GW.Comparator)) == {GW.AtLeast, GW.AtMost, GW.About, GW.Exactly}


def test_progress_statuses_match_the_lexicon_and_the_builder(graph):
    from govkg.rdf.vocab import STATUSES
    from govkg.resolve.status import STATUS_KEYS

    with STATUS_FILE.open("rb") as handle:
        lexicon_keys = set(tomllib.load(handle)["status"])
    statuses = set(graph.subjects(RDF.type, GW.ProgressStatus))
    assert statuses == set(STATUSES.values())
    assert {str(graph.value(s, SKOS.notation)) for s in statuses} == set(STATUS_KEYS) == lexicon_keys | {"unknown"}
    for key, term in STATUSES.items():
        assert graph.value(term, SKOS.notation) == Literal(key), key
        assert (term, SKOS.inScheme, GW.ProgressStatuses) in graph
        assert (GW.ProgressStatuses, SKOS.hasTopConcept, term) in graph
        assert (term, RDF.type, SKOS.Concept) in graph and (term, RDF.type, OWL.NamedIndividual) in graph
        assert {o.language for o in graph.objects(term, SKOS.prefLabel)} == {"zh", "en"}


# --- the JSON-LD context ------------------------------------------------------------------------------------


def test_context_prefixes(context):
    for prefix in ("gw", "org", "skos", "prov", "dcterms", "dcat", "foaf", "qudt", "rdfs", "xsd", "void"):
        assert isinstance(context.get(prefix), str), prefix
    for prefix, iri in contract_prefixes().items():
        assert context[prefix] == iri, prefix


def context_terms(context: dict) -> dict[str, dict]:
    """Term name → definition (as a dict) for every term that maps to an IRI."""
    terms = {}
    for name, definition in context.items():
        if name.startswith("@"):
            continue
        entry = {"@id": definition} if isinstance(definition, str) else dict(definition)
        entry["@id"] = expand(entry["@id"], context)
        terms[name] = entry
    return terms


def test_context_has_a_term_for_every_gw_property_and_class(graph, context):
    by_iri = {entry["@id"]: (name, entry) for name, entry in context_terms(context).items()}
    for owl_type in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in graph.subjects(RDF.type, owl_type):
            if isinstance(term, URIRef) and term.startswith(str(GW)):
                assert str(term) in by_iri, f"no context term for {term}"
                assert by_iri[str(term)][0] == term.removeprefix(str(GW)), f"short name of {term}"


def test_context_coercions_follow_the_ontology_ranges(graph, context):
    by_iri = {entry["@id"]: entry for entry in context_terms(context).values()}
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        if prop.startswith(str(GW)):
            assert by_iri[str(prop)].get("@type") in {"@id", "@vocab"}, prop
    for prop in graph.subjects(RDF.type, OWL.DatatypeProperty):
        if not prop.startswith(str(GW)):
            continue
        entry, rng = by_iri[str(prop)], graph.value(prop, RDFS.range)
        if isinstance(rng, BNode):  # a datatype union: the values carry their own datatypes
            assert "@type" not in entry and "@language" not in entry, prop
        elif rng == RDF.langString:
            assert entry.get("@language") == "zh" and "@type" not in entry, prop
        elif rng == XSD.string:
            assert "@type" not in entry and "@language" not in entry, prop
        else:
            assert expand(entry["@type"], context) == str(rng), prop


# rdflib's JSON-LD parser itself still uses ConjunctiveGraph
JSONLD_PARSER_WARNING = "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"


@pytest.mark.filterwarnings(JSONLD_PARSER_WARNING)
def test_context_expands_a_task(context):
    task = "https://w3id.org/govkg/id/plan/320404/2022/main/18"
    unit = "https://w3id.org/govkg/id/gov/320404/unit/编办"
    document = {
        "@context": context,
        "@id": task,
        "@type": ["Task"],
        "statement": "做好基层“三整合”改革后半篇文章。",
        "leadUnit": unit,
        "cooperatingUnit": ["https://w3id.org/govkg/id/gov/320404/unit/司法局"],
        "taskNumber": "18",
        "rowNumber": 18,
        "roleCertain": False,
        "label": {"@value": "(18) 做好基层", "@language": "zh"},
        "assignment": {
            "@id": f"{task}/assignment/lead/1",
            "@type": "Assignment",
            "role": "LeadRole",
            "agent": unit,
            "printedAs": "区委编办",
        },
    }
    g = Graph().parse(data=json.dumps(document, ensure_ascii=False), format="json-ld")
    subject, lead = URIRef(task), URIRef(unit)
    assert (subject, RDF.type, GW.Task) in g
    assert (subject, GW.leadUnit, lead) in g
    assert (subject, GW.cooperatingUnit, URIRef("https://w3id.org/govkg/id/gov/320404/unit/司法局")) in g
    (statement,) = g.objects(subject, GW.statement)
    assert statement == Literal("做好基层“三整合”改革后半篇文章。", lang="zh")
    assert statement.language == "zh" and statement.datatype is None
    assert g.value(subject, GW.taskNumber) == Literal("18")
    assert g.value(subject, GW.rowNumber) == Literal(18, datatype=XSD.integer)
    assert g.value(subject, GW.roleCertain) == Literal(False, datatype=XSD.boolean)
    assert g.value(subject, RDFS.label) == Literal("(18) 做好基层", lang="zh")
    assignment = URIRef(f"{task}/assignment/lead/1")
    assert (subject, GW.assignment, assignment) in g
    assert (assignment, GW.role, GW.LeadRole) in g
    assert (assignment, GW.agent, lead) in g
    assert g.value(assignment, GW.printedAs) == Literal("区委编办", lang="zh")
    assert len(g) == 13


@pytest.mark.filterwarnings(JSONLD_PARSER_WARNING)
def test_context_expands_a_target(context):
    task = "https://w3id.org/govkg/id/plan/320404/2022/main/1"
    target = f"{task}/target/1"
    document = {
        "@context": context,
        "@id": task,
        "target": {
            "@id": target,
            "@type": "Target",
            "metric": "地区生产总值",
            "targetValue": "6.5",
            "unitText": "%",
            "hasUnit": "unit:PERCENT",
            "comparator": "About",
            "growth": True,
            "targetText": "地区生产总值增长6.5%左右",
        },
    }
    g = Graph().parse(data=json.dumps(document, ensure_ascii=False), format="json-ld")
    node = URIRef(target)
    assert (URIRef(task), GW.target, node) in g
    assert (node, RDF.type, GW.Target) in g
    assert g.value(node, GW.metric) == Literal("地区生产总值", lang="zh")
    assert g.value(node, GW.targetValue) == Literal("6.5", datatype=XSD.decimal)
    assert g.value(node, GW.unitText) == Literal("%")
    assert (node, URIRef("http://qudt.org/schema/qudt/hasUnit"), URIRef("http://qudt.org/vocab/unit/PERCENT")) in g
    assert (node, GW.comparator, GW.About) in g
    assert g.value(node, GW.growth) == Literal(True, datatype=XSD.boolean)
    assert g.value(node, GW.targetText) == Literal("地区生产总值增长6.5%左右", lang="zh")
    assert len(g) == 9


@pytest.mark.filterwarnings(JSONLD_PARSER_WARNING)
def test_context_expands_reused_terms(context):
    post = "https://w3id.org/govkg/id/gov/320404/post/2022/曹雷"
    unit = "https://w3id.org/govkg/id/gov/320404/unit/住建局"
    document = {
        "@context": context,
        "@graph": [
            {"@id": post, "@type": "Post", "orgRole": "LeaderRole", "year": "2022",
             "postIn": "https://w3id.org/govkg/id/gov/320404"},
            {"@id": unit, "@type": ["Unit", "Organization"], "prefLabel": "住建局", "altLabel": ["区住建局"],
             "classification": "gw:Bureau", "subOrganizationOf": "https://w3id.org/govkg/id/gov/320404"},
            {"@id": "https://w3id.org/govkg/id/plan/320404/2022", "issued": "2022-02-10"},
        ],
    }
    g = Graph().parse(data=json.dumps(document, ensure_ascii=False), format="json-ld")
    assert (URIRef(post), ORG.role, GW.LeaderRole) in g
    assert (URIRef(post), GW.role, None) not in g
    assert g.value(URIRef(post), GW.year) == Literal("2022", datatype=XSD.gYear)
    assert (URIRef(unit), ORG.classification, GW.Bureau) in g
    assert g.value(URIRef(unit), SKOS.prefLabel) == Literal("住建局", lang="zh")
    assert g.value(URIRef(unit), SKOS.altLabel) == Literal("区住建局", lang="zh")
    assert (URIRef(unit), ORG.subOrganizationOf, URIRef("https://w3id.org/govkg/id/gov/320404")) in g
    assert g.value(URIRef("https://w3id.org/govkg/id/plan/320404/2022"), DCTERMS.issued) == Literal(
        "2022-02-10", datatype=XSD.date)


@pytest.mark.filterwarnings(JSONLD_PARSER_WARNING)
def test_context_round_trips_through_compaction(context):
    task = URIRef("https://w3id.org/govkg/id/plan/320404/2022/main/18")
    assignment = URIRef(f"{task}/assignment/coop/1")
    unit = URIRef("https://w3id.org/govkg/id/gov/320404/unit/司法局")
    original = Graph()
    for triple in [
        (task, RDF.type, GW.Task),
        (task, GW.statement, Literal("理清人、财、物、权关系。", lang="zh")),
        (task, GW.cooperatingUnit, unit),
        (task, GW.rowNumber, Literal(18, datatype=XSD.integer)),
        (task, GW.roleCertain, Literal(False, datatype=XSD.boolean)),
        (task, RDFS.label, Literal("(18) 理清", lang="zh")),
        (assignment, GW.role, GW.CooperatingRole),
        (assignment, GW.agent, unit),
        (assignment, GW.printedAs, Literal("司法局", lang="zh")),
        (unit, ORG.classification, GW.Bureau),
        (unit, RDFS.label, Literal("Justice Bureau", lang="en")),
    ]:
        original.add(triple)
    compacted = original.serialize(format="json-ld", context=context, auto_compact=True)
    assert '"statement": "理清人、财、物、权关系。"' in compacted  # the zh default language was used
    assert set(Graph().parse(data=compacted, format="json-ld")) == set(original)
