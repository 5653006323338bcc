"""Binding parameter values as RDF terms: a VALUES block, never values pasted into the query's patterns.

Each value becomes an RDF term (a literal with its escapes, a typed year, a checked IRI) serialised by rdflib;
names are expanded to every spelling the lexicon knows (区住建局 → 住建局) within the issuer, if one is given.
Parameters left out are bound to UNDEF, which the queries test with BOUND().
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ..lexicon import Lexicon
from ..names import normalise, split_units
from ..resolve import canonical_group, canonical_unit, issuer_from
from ..textutil import no_space, squeeze
from .catalog import NamedQuery, Param, QueryError
from .template import MarkedGroup, marked_groups

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_YEARS = range(1949, 2101)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def iri_values(variable: str, iris: Iterable[str]) -> str:
    """A VALUES clause binding `?variable` to each IRI (sorted), each written by `sparql_term`."""
    return f"VALUES ?{variable} {{ " + " ".join(sparql_term(URIRef(iri)) for iri in sorted(iris)) + " }"


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


#: Oxigraph looks a query's OPTIONALs up from the rows found while its VALUES clause has at most this many rows;
#: from 10 it read each OPTIONAL's pattern over the whole store and joined by hashing (at 25,000 documents, Q1
#: about one issuer with 10 spellings of the unit took 17.8 s and 6 GB, with 9 spellings 6 ms; a clause of its own
#: for the unit's spellings was as slow). A longer clause is bound in parts of this many rows (`bind`).
VALUES_START_ROWS = 9


def part_rows(query: NamedQuery) -> int:
    """At most this many rows of the query's VALUES clause in one part: its own `# part-rows:` if lower, else
    VALUES_START_ROWS."""
    return min(query.part_rows or VALUES_START_ROWS, VALUES_START_ROWS)


def issuers_per_group(query: NamedQuery, params: Mapping[str, str | int | None], lex: Lexicon) -> int:
    """How many issuers a question may be asked of in one query (`values_block`'s `issuers`) while its VALUES clause
    keeps to `part_rows(query)` rows: the other parameters' terms counted as spelled for any issuer (at least 1)."""
    rows = 1
    for param in query.params:
        raw = params.get(param.name)
        if param.kind != "issuer" and raw is not None and raw != "":
            rows *= len(terms_for(param, str(raw), issuer=None, lex=lex))
    return max(1, part_rows(query) // rows)


def _clauses(query: NamedQuery, params: Mapping[str, str | int | None], lex: Lexicon,
             issuers: Sequence[str]) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """The parameters' variables and terms in SPARQL syntax: those bound together in one clause, and those past
    MAX_VALUES_ROWS bound apart."""
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
    return together, apart


def _clause_lines(variables: Sequence[str], rows: Sequence[Sequence[str]],
                  apart: Sequence[tuple[str, list[str]]]) -> list[str]:
    lines = []
    if variables:
        lines.append(f"VALUES ({' '.join(f'?{variable}' for variable in variables)}) {{")
        lines += [f"  ({' '.join(row)})" for row in rows]
        lines.append("}")
    lines += [f"VALUES ?{variable} {{ {' '.join(terms)} }}" for variable, terms in apart]
    return lines


def _parts(size: int, variables: Sequence[str], rows: Sequence[Sequence[str]],
           apart: Sequence[tuple[str, list[str]]] = ()) -> list[list[str]]:
    """The VALUES clause of these rows in parts of at most `size` rows (one part when it has no more)."""
    return [_clause_lines(variables, rows[start:start + size], apart) for start in range(0, max(len(rows), 1), size)]


def _rows(query: NamedQuery, params: Mapping[str, str | int | None], lex: Lexicon, issuers: Sequence[str],
          ) -> tuple[list[str], list[tuple[str, ...]], list[tuple[str, list[str]]]]:
    """The variables bound together, their rows (every combination of their terms), and the clauses apart."""
    together, apart = _clauses(query, params, lex, issuers)
    return [variable for variable, _ in together], list(itertools.product(*(terms for _, terms in together))), apart


def values_parts(query: NamedQuery, params: Mapping[str, str | int | None], lex: Lexicon,
                 issuers: Sequence[str] = ()) -> list[list[str]]:
    """The lines of `values_block` in parts of at most `part_rows(query)` rows each (one part when it has no more):
    `bind` asks a group pattern once per part, the parts' copies joined by UNION."""
    return _parts(part_rows(query), *_rows(query, params, lex, issuers))


def values_block(query: NamedQuery, params: Mapping[str, str | int | None], lex: Lexicon,
                 issuers: Sequence[str] = ()) -> str:
    """The VALUES clause binding every declared parameter together (UNDEF for the ones not given); `issuers`:
    the names of the issuers to ask of together (a group of a national answer's page), in place of an issuer
    parameter left out.

    One clause for all of them, its rows the combinations of their terms: Oxigraph then starts from every bound
    parameter at once. With a clause per parameter it joins the first one's pattern before the others are bound
    (Q1 with an issuer at 21,362 documents: every unit called 住建局 in the country, 90 ms, against 7 ms)."""
    return "\n".join(_clause_lines(*_rows(query, params, lex, issuers)))


def _render(text: str, low: int, high: int, groups: Sequence[MarkedGroup], parts: list[list[str]]) -> str:
    """text[low:high] with each marked group in it bound (a group inside another is bound with it)."""
    out = []
    index = low
    for group in groups:
        if group.open < index or group.close >= high:
            continue  # before the range, inside a group already bound, or after the range
        out.append(text[index:group.open])
        indent = text[group.marker_start:group.marker_end]
        indent = indent[: len(indent) - len(indent.lstrip())]
        copies = []
        for part in parts:
            inside = _render(text, group.open + 1, group.marker_start, groups, parts)
            inside += "".join(f"{indent}{line}\n" for line in part)
            inside += _render(text, group.marker_end, group.close, groups, parts)
            copies.append("{" + inside + "}")
        if len(copies) == 1:
            out.append(copies[0])
        else:
            out.append("{\n" + indent + f"\n{indent}UNION\n{indent}".join(copies) + "\n" + indent + "}")
        index = group.close + 1
    out.append(text[index:high])
    return "".join(out)


def bind(query: NamedQuery, params: Mapping[str, str | int | None], lex: Lexicon,
         issuers: Sequence[str] = ()) -> str:
    """The query text with its parameters bound at every `# @params` line (one per sub-select that needs them),
    indented as the line was; `issuers` as in `values_block`.

    A clause of more than VALUES_START_ROWS rows is bound in parts: the group pattern around the line is written
    once per part and the copies joined by UNION, which answers exactly as the one group with every row would (a
    group's solutions are the union of its solutions for each row), while Oxigraph plans each copy from its few
    rows (Q1 for one issuer with 10 spellings at 25,000 documents: 17.8 s in one clause, 0.08 s in two parts)."""
    parts = values_parts(query, params, lex, issuers)
    return _render(query.text, 0, len(query.text), marked_groups(query.text), parts)


def bind_rows(query: NamedQuery, variables: Sequence[str], rows: Sequence[Sequence[Node | None]]) -> str:
    """The query text with `variables` bound to `rows` of RDF terms (None: UNDEF) at every `# @params` line, in parts
    as `bind` does: for terms found by an earlier query (the IRIs of a unit's nodes, of tasks to detail)."""
    if any(len(row) != len(variables) for row in rows):
        raise QueryError(f"{query.name}: every row must have a term (or None) for each of {', '.join(variables)}")
    return bind_text_rows(query.text, variables, rows, size=part_rows(query))


def bind_text_rows(text: str, variables: Sequence[str], rows: Sequence[Sequence[Node | None]], *,
                   size: int = VALUES_START_ROWS) -> str:
    """A query text (with `# @params` lines, as a named query's) with `variables` bound to `rows` of RDF terms,
    `size` rows a part: for the queries of the server's pages about lists of resources found before (a search's
    tasks, an issuer's plans). A template with a marker outside every group raises TemplateError."""
    terms = [tuple("UNDEF" if term is None else sparql_term(term) for term in row) for row in rows]
    return _render(text, 0, len(text), marked_groups(text), _parts(size, variables, terms))
