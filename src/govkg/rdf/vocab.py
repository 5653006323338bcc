"""Namespaces of the graph, and the ontology individuals the data points to (roles, unit types, comparators,
progress statuses)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

_TERMS: dict[tuple[str, str], URIRef] = {}


class KeptNamespace(Namespace):
    """A namespace whose terms are made once: rdflib's makes and checks a new IRI on every `GW.Task`, which was a
    tenth of the time a document graph took."""

    def term(self, name: str) -> URIRef:
        """The IRI of `name` in this namespace."""
        if not isinstance(name, str):
            return super().term(name)
        key = (str(self), name)
        found = _TERMS.get(key)
        if found is None:
            found = _TERMS[key] = super().term(name)
        return found


GW = KeptNamespace("https://w3id.org/govkg/ontology#")
GWS = KeptNamespace("https://w3id.org/govkg/shapes#")
QUDT = KeptNamespace("http://qudt.org/schema/qudt/")
UNIT = KeptNamespace("http://qudt.org/vocab/unit/")
VS = KeptNamespace("http://www.w3.org/2003/06/sw-vocab-status/ns#")

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
