"""Binding parameter values as RDF terms: a VALUES block, never values pasted into the query's patterns.

Each value becomes an RDF term (a literal with its escapes, a typed year, a checked IRI) serialised by rdflib;
names are expanded to every spelling the lexicon knows (区住建局 → 住建局) within the issuer, if one is given.
Parameters left out are bound to UNDEF, which the queries test with BOUND().
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ..lexicon import Lexicon
from ..names import normalise, split_units
from ..resolve import canonical_group, canonical_unit, issuer_from
from ..textutil import no_space, squeeze
from .catalog import PARAMS_MARKER, NamedQuery, Param, QueryError

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_YEARS = range(1949, 2101)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def sparql_term(term: Node) -> str:
    """An RDF term in SPARQL syntax: short-quoted literal with every special character escaped, or <IRI>."""
    if isinstance(term, URIRef):
        if not _IRI.match(str(term)):
            raise QueryError(f"not an absolute IRI: {str(term)!r}")
        return f"<{term}>"
    assert isinstance(term, Literal)
    quoted = '"' + "".join(_ESCAPES.get(char, char) for char in str(term)) + '"'
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype:
        return f"{quoted}^^<{term.datatype}>"
    return quoted


def _zh(values: list[str]) -> list[Node]:
    return [Literal(value, lang="zh") for value in dict.fromkeys(v for v in values if v)]


def _issuer_codes(issuer: str | Sequence[str] | None, lex: Lexicon) -> list[str | None]:
    if isinstance(issuer, str):
        return [issuer_from(issuer, lex).code]
    if issuer:
        return list(dict.fromkeys(issuer_from(name, lex).code for name in issuer))
    return [entry.code for entry in lex.issuers] + [None]


def terms_for(param: Param, value: str, *, issuer: str | Sequence[str] | None, lex: Lexicon) -> list[Node]:
    """The RDF terms a parameter value stands for (several for names with aliases), within the issuer or issuers
    given (None: any issuer)."""
    value = value.strip()
    if not value:
        raise QueryError(f"parameter {param.name} is empty")
    kind = param.kind
    if kind == "unit":
        spellings = [value, normalise(value)]
        spellings += [canonical_unit(value, code, lex) for code in _issuer_codes(issuer, lex)]
        return _zh(spellings)
    if kind == "group":
        spellings = []
        for part in split_units(value, lex):
            spellings += [part.form] + [canonical_group(part.form, code, lex) for code in _issuer_codes(issuer, lex)]
        return _zh(spellings or [normalise(value)])
    if kind == "person":
        return _zh([no_space(value)])
    if kind == "goal":
        return _zh([squeeze(value), no_space(value)])
    if kind == "issuer":
        return _zh([issuer_from(value, lex).name])
    if kind == "year":
        if not value.isdigit() or int(value) not in _YEARS:
            raise QueryError(f"parameter {param.name} must be a year such as 2022, not {value!r}")
        return [Literal(value, datatype=XSD.gYear)]
    if kind == "iri":
        if not _IRI.match(value):
            raise QueryError(f"parameter {param.name} must be an absolute IRI, not {value!r}")
        return [URIRef(value)]
    return [Literal(value)]


#: At most this many rows in the one VALUES clause binding the parameters together (the product of their terms);
#: parameters past it get a clause of their own.
MAX_VALUES_ROWS = 256


#: Oxigraph starts a query from its VALUES clause when the clause has at most this many rows; from 10 it started
#: from the store's patterns instead, reading every unit of the country (at 25,000 documents, Q1 about one issuer
#: with 10 spellings of the unit took 17 s and 6 GB, with 9 spellings 6 ms; a clause of its own for the unit's
#: spellings was as slow).
VALUES_START_ROWS = 9


def issuers_per_group(query: NamedQuery, params: Mapping[str, str | int | None], lex: Lexicon) -> int:
    """How many issuers a question may be asked of in one query (`values_block`'s `issuers`) while its VALUES clause
    keeps to VALUES_START_ROWS rows: the other parameters' terms counted as spelled for any issuer (at least 1)."""
    rows = 1
    for param in query.params:
        raw = params.get(param.name)
        if param.kind != "issuer" and raw is not None and raw != "":
            rows *= len(terms_for(param, str(raw), issuer=None, lex=lex))
    return max(1, VALUES_START_ROWS // rows)


def values_block(query: NamedQuery, params: Mapping[str, str | int | None], lex: Lexicon,
                 issuers: Sequence[str] = ()) -> str:
    """The VALUES clause binding every declared parameter together (UNDEF for the ones not given); `issuers`:
    the names of the issuers to ask of together (a group of a national answer's page), in place of an issuer
    parameter left out.

    One clause for all of them, its rows the combinations of their terms: Oxigraph then starts from every bound
    parameter at once. With a clause per parameter it joins the first one's pattern before the others are bound
    (Q1 with an issuer at 21,362 documents: every unit called 住建局 in the country, 90 ms, against 7 ms)."""
    unknown = sorted(set(k for k, v in params.items() if v is not None) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise QueryError(f"{query.name} has no parameter {', '.join(unknown)} (its parameters: {known})")
    issuer = params.get("issuer")
    within: str | Sequence[str] | None = str(issuer) if issuer else (issuers or None)
    together: list[tuple[str, list[str]]] = []
    apart: list[tuple[str, list[str]]] = []
    rows = 1
    for param in query.params:
        raw = params.get(param.name)
        if param.kind == "issuer" and issuers and not raw:
            terms = [sparql_term(Literal(name, lang="zh")) for name in issuers]
        elif raw is None or raw == "":
            if param.required:
                raise QueryError(f"{query.name} needs --param {param.name}=… ({param.description})")
            terms = ["UNDEF"]
        else:
            found = terms_for(param, str(raw), issuer=within, lex=lex)
            terms = [sparql_term(term) for term in found]
        if rows * len(terms) <= MAX_VALUES_ROWS:
            together.append((param.variable, terms))
            rows *= len(terms)
        else:
            apart.append((param.variable, terms))
    lines = []
    if together:
        variables = " ".join(f"?{variable}" for variable, _ in together)
        lines.append(f"VALUES ({variables}) {{")
        lines += [f"  ({' '.join(row)})" for row in itertools.product(*(terms for _, terms in together))]
        lines.append("}")
    lines += [f"VALUES ?{variable} {{ {' '.join(terms)} }}" for variable, terms in apart]
    return "\n".join(lines)


def bind(query: NamedQuery, params: Mapping[str, str | int | None], lex: Lexicon,
         issuers: Sequence[str] = ()) -> str:
    """The query text with its parameters bound at every `# @params` line (one per sub-select that needs them),
    indented as the line was; `issuers` as in `values_block`."""
    block = values_block(query, params, lex, issuers).splitlines()
    lines = []
    for line in query.text.splitlines(keepends=True):
        if line.strip() == PARAMS_MARKER:
            indent = line[: len(line) - len(line.lstrip())]
            lines += [indent + part + "\n" for part in block]
        else:
            lines.append(line)
    return "".join(lines)
