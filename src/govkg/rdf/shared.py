"""The graph of shared lexicon facts: governments, the entities documents name, group members, renames."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ..lexicon import Lexicon
from ..model import Issuer
from ..resolve import unit_type
from .iris import Minter, issuer_key
from .mentions import Mention, describe
from .serialize import Triple, TripleSink, triples_graph
from .vocab import GW


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _government(graph: TripleSink, minter: Minter, issuer: Issuer) -> None:
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


def _unit(graph: TripleSink, minter: Minter, lex: Lexicon, issuer: Issuer, name: str) -> URIRef:
    mention = Mention("unit", name, unit_type(name, issuer.code, lex))
    return describe(graph, minter, lex, issuer_key(issuer.code, issuer.name), mention)


def _members(graph: TripleSink, minter: Minter, lex: Lexicon, issuer: Issuer) -> None:
    """The groups whose members the lexicon declares, with their member units."""
    key = issuer_key(issuer.code, issuer.name)
    gov = minter.government(key)
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


def _renames(graph: TripleSink, minter: Minter, lex: Lexicon, issuer: Issuer, present: set[str]) -> None:
    """Change events for the lexicon's renames whose new name and an old name are both among `present` units."""
    key = issuer_key(issuer.code, issuer.name)
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


def shared_triples(issuers: Iterable[Issuer], mentioned: Mapping[str, Iterable[Mention]], minter: Minter,
                   lex: Lexicon) -> set[Triple]:
    """Lexicon facts for the issuers present; `mentioned` maps an issuer key to the entities its documents name."""
    graph: set[Triple] = set()
    for issuer in sorted(set(issuers), key=lambda i: issuer_key(i.code, i.name)):
        key = issuer_key(issuer.code, issuer.name)
        _government(graph, minter, issuer)
        found = list(mentioned.get(key, ()))
        for mention in found:
            describe(graph, minter, lex, key, mention)
        _members(graph, minter, lex, issuer)
        _renames(graph, minter, lex, issuer, {mention.name for mention in found if mention.kind == "unit"})
    return graph


def shared_graph(issuers: Iterable[Issuer], mentioned: Mapping[str, Iterable[Mention]], minter: Minter,
                 lex: Lexicon) -> Graph:
    """The lexicon facts of `shared_triples` as an rdflib graph."""
    return triples_graph(shared_triples(issuers, mentioned, minter, lex))


class LexiconIndex:
    """The lexicon graph by subject: what a document graph needs of it, so that validating one document costs
    the same whatever the number of issuers in the build."""

    def __init__(self, lexicon: Iterable[Triple]) -> None:
        self._about: dict[Node, list[Triple]] = defaultdict(list)
        for triple in lexicon:
            self._about[triple[0]].append(triple)

    def context(self, data: Iterable[Triple]) -> set[Triple]:
        """The lexicon facts about every node `data` (a graph or triples) names, and, transitively, about the nodes
        those name."""
        found: set[Triple] = set()
        pending = [node for triple in data for node in (triple[0], triple[2]) if node in self._about]
        seen: set[Node] = set()
        while pending:
            node = pending.pop()
            if node in seen:
                continue
            seen.add(node)
            for triple in self._about[node]:
                found.add(triple)
                target = triple[2]
                if isinstance(target, (URIRef, BNode)) and target in self._about and target not in seen:
                    pending.append(target)
        return found
