"""The entities documents name (units, groups, people, collective leaderships), described once in the lexicon graph.

A document graph only points to these entities; what describes an entity itself (types, labels, the spellings
printed for it, its issuer) is stated in the lexicon graph, from the mentions of every document of the build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, ORG, RDF, RDFS, SKOS
from rdflib.term import Node

from ..lexicon import Lexicon
from ..model import Document, NameKind, Party
from ..names import group_type_word, normalise
from .iris import Minter
from .serialize import TripleSink
from .vocab import GW, ROLES, UNIT_TYPES


@dataclass(frozen=True)
class Mention:
    """An entity named in a document: kind, canonical name, unit type, and the spellings printed for it."""

    kind: NameKind
    name: str
    unit_type: str | None = None
    spellings: tuple[str, ...] = ()

    def record(self) -> dict[str, Any]:
        """The form kept in the build manifest."""
        return {"kind": self.kind, "name": self.name, "type": self.unit_type, "spellings": list(self.spellings)}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Mention:
        """A mention read back from the build manifest."""
        return cls(record["kind"], record["name"], record.get("type"), tuple(record.get("spellings", ())))


def entity_iri(minter: Minter, gov: str, kind: str, name: str) -> URIRef:
    """The IRI of a unit, group, person or collective leadership of an issuer."""
    mint = {"unit": minter.unit, "group": minter.group, "person": minter.person}.get(kind, minter.collective)
    return mint(gov, name)


def _spelling(party: Party, lex: Lexicon) -> str | None:
    """The printed form kept as an alternative label: units always, groups unless printed as a bare type word."""
    if party.kind == "unit" or (party.kind == "group" and normalise(party.text) not in lex.type_words):
        return party.text
    return None


def _parties(document: Document) -> Iterable[Party]:
    for task in document.tasks:
        for field in ROLES:
            yield from getattr(task, field)


def mentions(document: Document, lex: Lexicon) -> list[Mention]:
    """The entities the document's tasks name, each once, sorted by kind and name."""
    found: dict[tuple[NameKind, str], tuple[str | None, set[str]]] = {}
    for party in _parties(document):
        unit_type = (party.unit_type or "other") if party.kind == "unit" else None
        _, spellings = found.setdefault((party.kind, party.name), (unit_type, set()))
        spelling = _spelling(party, lex)
        if spelling:
            spellings.add(spelling)
    return [Mention(kind, name, unit_type, tuple(sorted(spellings)))
            for (kind, name), (unit_type, spellings) in sorted(found.items())]


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _own_facts(mention: Mention, issuer: URIRef, lex: Lexicon) -> list[tuple[URIRef, Node]]:
    """The facts that depend on the kind of entity."""
    if mention.kind == "unit":
        return [(RDF.type, GW.Unit), (RDF.type, ORG.Organization), (ORG.subOrganizationOf, issuer),
                (ORG.classification, UNIT_TYPES[mention.unit_type or "other"])]
    if mention.kind == "group":
        word = group_type_word(mention.name, lex) or ""
        return [(RDF.type, GW.UnitGroup)] + [(GW.memberType, UNIT_TYPES[k]) for k in lex.member_types.get(word, ())]
    if mention.kind == "person":
        return [(RDF.type, FOAF.Person), (FOAF.name, _zh(mention.name))]
    return [(RDF.type, GW.CollectiveLeadership)]


def _labels(mention: Mention) -> list[tuple[URIRef, Node]]:
    """rdfs:label; for units and groups also skos:prefLabel and the other spellings as skos:altLabel."""
    labels: list[tuple[URIRef, Node]] = [(RDFS.label, _zh(mention.name))]
    if mention.kind in ("unit", "group"):
        labels.append((SKOS.prefLabel, _zh(mention.name)))
        labels += [(SKOS.altLabel, _zh(s)) for s in mention.spellings if s != mention.name]
    return labels


def describe(graph: TripleSink, minter: Minter, lex: Lexicon, gov: str, mention: Mention) -> URIRef:
    """Add what describes the entity itself to `graph`: types, labels, spellings, issuer."""
    node = entity_iri(minter, gov, mention.kind, mention.name)
    issuer = minter.government(gov)
    for predicate, obj in [*_own_facts(mention, issuer, lex), *_labels(mention), (GW.issuer, issuer)]:
        graph.add((node, predicate, obj))
    return node

