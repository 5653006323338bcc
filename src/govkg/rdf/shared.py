"""The graph of shared lexicon facts: governments, declared group members, renames between units seen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD

from ..lexicon import Lexicon
from ..model import Issuer
from ..resolve import unit_type
from .iris import Minter, issuer_key
from .vocab import GW, UNIT_TYPES, bind_prefixes


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _government(graph: Graph, minter: Minter, issuer: Issuer) -> None:
    node = minter.government(issuer_key(issuer.code, issuer.name))
    graph.add((node, RDF.type, GW.Government))
    graph.add((node, RDF.type, ORG.FormalOrganization))
    graph.add((node, RDFS.label, _zh(issuer.name)))
    graph.add((node, SKOS.prefLabel, _zh(issuer.name)))
    if issuer.name_en:
        graph.add((node, RDFS.label, Literal(issuer.name_en, lang="en")))
    if issuer.short != issuer.name:
        graph.add((node, SKOS.altLabel, _zh(issuer.short)))
    if issuer.code:
        graph.add((node, GW.divisionCode, Literal(issuer.code)))


def _unit(graph: Graph, minter: Minter, lex: Lexicon, issuer: Issuer, name: str) -> URIRef:
    key = issuer_key(issuer.code, issuer.name)
    node = minter.unit(key, name)
    gov = minter.government(key)
    graph.add((node, RDF.type, GW.Unit))
    graph.add((node, RDF.type, ORG.Organization))
    graph.add((node, RDFS.label, _zh(name)))
    graph.add((node, SKOS.prefLabel, _zh(name)))
    graph.add((node, ORG.classification, UNIT_TYPES[unit_type(name, issuer.code, lex)]))
    graph.add((node, ORG.subOrganizationOf, gov))
    graph.add((node, GW.issuer, gov))
    return node


def shared_graph(issuers: Iterable[Issuer], units: Mapping[str, set[str]], minter: Minter,
                 lex: Lexicon) -> Graph:
    """Lexicon facts for the issuers present; `units` maps an issuer key to the unit names in its documents."""
    graph = Graph()
    bind_prefixes(graph)
    for issuer in sorted(set(issuers), key=lambda i: issuer_key(i.code, i.name)):
        key = issuer_key(issuer.code, issuer.name)
        gov = minter.government(key)
        _government(graph, minter, issuer)
        for members in lex.members:
            if members.issuer != issuer.code:
                continue
            group = minter.group(key, members.group)
            graph.add((group, RDF.type, GW.UnitGroup))
            graph.add((group, RDFS.label, _zh(members.group)))
            graph.add((group, SKOS.prefLabel, _zh(members.group)))
            graph.add((group, GW.issuer, gov))
            graph.add((group, GW.membersComplete, Literal(members.complete, datatype=XSD.boolean)))
            if members.note:
                graph.add((group, RDFS.comment, _zh(members.note)))
            for name in members.units:
                graph.add((group, GW.hasMember, _unit(graph, minter, lex, issuer, name)))
        present = units.get(key, set())
        for rename in lex.renames:
            old = [name for name in rename.old if name in present]
            if not rename.applies_to(issuer.code) or rename.new not in present or not old:
                continue
            event = minter.change(key, rename.new)
            new = _unit(graph, minter, lex, issuer, rename.new)
            graph.add((event, RDF.type, ORG.ChangeEvent))
            graph.add((event, RDFS.label, _zh(f"{'、'.join(old)} → {rename.new}")))
            graph.add((event, ORG.resultingOrganization, new))
            graph.add((new, ORG.resultedFrom, event))
            if rename.year:
                graph.add((event, DCTERMS.date, Literal(str(rename.year), datatype=XSD.gYear)))
            for name in old:
                original = _unit(graph, minter, lex, issuer, name)
                graph.add((event, ORG.originalOrganization, original))
                graph.add((original, ORG.changedBy, event))
    return graph
