"""rdf: extracted documents → RDF (one named graph per document, one for shared lexicon facts)."""

from __future__ import annotations

from .document import DocumentGraph, document_graph
from .iris import DEFAULT_BASE, Minter, issuer_key, normalise_base
from .links import links_triples, match_context, task_profiles
from .serialize import graph_nquads, parse_nquads, serialize_quads
from .shared import LexiconIndex, shared_graph
from .vocab import GW, PREFIXES, bind_prefixes

__all__ = [
    "DEFAULT_BASE",
    "GW",
    "PREFIXES",
    "DocumentGraph",
    "LexiconIndex",
    "Minter",
    "bind_prefixes",
    "document_graph",
    "graph_nquads",
    "issuer_key",
    "links_triples",
    "match_context",
    "normalise_base",
    "parse_nquads",
    "serialize_quads",
    "shared_graph",
    "task_profiles",
]
