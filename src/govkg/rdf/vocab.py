"""Namespaces of the graph, and the ontology individuals the data points to (roles, unit types, comparators,
progress statuses)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

GW = Namespace("https://w3id.org/govkg/ontology#")
GWS = Namespace("https://w3id.org/govkg/shapes#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
VS = Namespace("http://www.w3.org/2003/06/sw-vocab-status/ns#")

PREFIXES = {
    "gw": GW, "org": ORG, "skos": SKOS, "prov": PROV, "dcterms": DCTERMS, "dcat": DCAT, "foaf": FOAF,
    "qudt": QUDT, "unit": UNIT, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "void": VOID,
}

#: The PREFIX lines of every namespace above, to open a SPARQL query with.
SPARQL_PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())

#: Lexicon unit-type keys (data/lexicon/unit_types.toml) → ontology individuals.
UNIT_TYPES = {
    "bureau": GW.Bureau, "office": GW.Office, "party": GW.PartyOrgan, "subdistrict": GW.SubDistrict,
    "town": GW.Town, "devzone": GW.DevelopmentZone, "soe": GW.StateOwnedEnterprise,
    "massorg": GW.MassOrganisation, "branch": GW.BranchOffice, "other": GW.OtherUnit,
}

#: Target comparators (govkg.model.Comparator) → ontology individuals.
COMPARATORS = {"about": GW.About, "at_least": GW.AtLeast, "at_most": GW.AtMost, "exactly": GW.Exactly}

#: Normalised progress statuses (govkg.resolve.status.StatusKey) → ontology individuals.
STATUSES = {
    "on_schedule": GW.OnSchedule, "behind": GW.BehindSchedule, "done": GW.Done, "not_started": GW.NotStarted,
    "unknown": GW.StatusUnknown,
}

#: Record fields → assignment roles and the direct property of the task.
ROLES = {
    "leaders": ("leader", GW.LeaderRole, GW.leaderInCharge),
    "lead_units": ("lead", GW.LeadRole, GW.leadUnit),
    "coop_units": ("coop", GW.CooperatingRole, GW.cooperatingUnit),
}


def bind_prefixes(graph) -> None:
    """Bind the usual prefixes on an rdflib graph or dataset."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
