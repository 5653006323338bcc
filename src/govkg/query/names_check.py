"""Names a named query is asked about, checked against what the data knows before the query runs.

An unknown unit, group, person, goal, issuer or year would otherwise answer "0 rows", which reads as "this unit
has no such tasks". Each name parameter is looked up with the same RDF terms the query binds (every spelling the
lexicon expands it to, within the issuer if one is given), by one small SPARQL query that stops at the first match
and starts from the issuer when one is given (the names and the issuer bound in one VALUES clause, then the
issuer's things), else from the bound label, so a known name costs a few index lookups whatever the size of the
store. Only when a name is unknown are the names of its kind listed (within the issuer if given) to suggest the
most similar ones: by edit distance and shared characters, on the canonical names and on every spelling the
documents printed. There is no pinyin library among the project's dependencies, so pinyin initials are not
compared.

The lookups are plain SPARQL 1.1, so they run on the embedded store and on a remote endpoint alike; the caller
passes a function that runs a SELECT and returns its rows as strings (see :func:`backend_select`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import product
from typing import Any, Protocol

from rdflib import Literal
from rdflib.term import Node

from ..lexicon import Lexicon, load_lexicon
from ..names import normalise
from ..rdf.vocab import SPARQL_PROLOGUE
from ..resolve import canonical_unit, issuer_from
from .backends import Results
from .bind import sparql_term, terms_for
from .catalog import NamedQuery, Param, QueryError

__all__ = ["CHECKED_KINDS", "Select", "UnknownNameError", "backend_select", "check_issuer", "check_name",
           "check_names", "check_names_async", "check_year", "edit_distance", "similarity", "suggest"]

#: Parameter kinds that name something the data may or may not know.
CHECKED_KINDS = ("issuer", "year", "unit", "group", "person", "goal")
#: At most this many suggestions are offered.
MAX_SUGGESTIONS = 3
#: A candidate is suggested when it is at least this similar (0–1) to the name asked for.
MIN_SIMILARITY = 0.5
#: Candidates read when a name is unknown: every name of the kind within the issuer (a few hundred), or
#: without an issuer at most this many across the store, so a failing lookup stays bounded on a national store.
MAX_CANDIDATES = 50_000


#: Per kind: the pattern that finds a thing ?x by a label ?name (as the named queries do), reaching its issuer ?gov.
#: Each starts from ?gov: with an issuer given (its pattern written before), Oxigraph then walks the issuer's things
#: instead of every thing of that name (各街道 is a group of thousands of issuers: 71 ms against 0.6 ms at 25,000
#: documents); without one, it starts from the name all the same.
_FIND = {
    "unit": "?x gw:issuer ?gov ; skos:prefLabel|skos:altLabel ?name .",
    "group": "?x gw:issuer ?gov ; skos:prefLabel ?name ; a gw:UnitGroup .",
    "person": "?x gw:issuer ?gov ; rdfs:label ?name .",
    "goal": "?plan gw:issuer ?gov . ?scheme dcterms:isPartOf ?plan . ?x skos:inScheme ?scheme ; skos:prefLabel ?name .",
}
#: Per kind: the pattern that lists the candidates ?x of an issuer ?gov (already bound: it is written first, so
#: the store walks the issuer's things, not every thing of the kind), with their names ?pref and spellings ?alt.
_LIST = {
    "unit": "?x gw:issuer ?gov ; a gw:Unit ; skos:prefLabel ?pref . OPTIONAL { ?x skos:altLabel ?alt }",
    "group": "?x gw:issuer ?gov ; a gw:UnitGroup ; skos:prefLabel ?pref . OPTIONAL { ?x skos:altLabel ?alt }",
    "person": "?x gw:issuer ?gov ; a ?class ; rdfs:label ?pref . VALUES ?class { foaf:Person gw:CollectiveLeadership }",
    "goal": "?plan gw:issuer ?gov ; a gw:WorkPlan . ?scheme dcterms:isPartOf ?plan . "
            "?x skos:inScheme ?scheme ; a gw:Goal ; skos:prefLabel ?pref .",
}
#: The same across the store (no issuer given): every thing of the kind, read at most MAX_CANDIDATES at a time.
#: ({filter}: where the filter on ?pref goes, before the OPTIONAL, which the store then looks up only for the names
#: kept: 1.1 s against 1.6-2.5 s for the units of 25,000 documents.)
_LIST_ALL = {
    "unit": "?x a gw:Unit ; skos:prefLabel ?pref . {filter} OPTIONAL { ?x skos:altLabel ?alt }",
    "group": "?x a gw:UnitGroup ; skos:prefLabel ?pref . {filter} OPTIONAL { ?x skos:altLabel ?alt }",
    "person": "VALUES ?class { foaf:Person gw:CollectiveLeadership } ?x a ?class ; rdfs:label ?pref . {filter}",
    "goal": "?x a gw:Goal ; skos:prefLabel ?pref . {filter}",
}
_WORDS = {"unit": "unit", "group": "group", "person": "person", "goal": "goal"}

#: Runs a SELECT query and returns its rows, each a dict of variable name → the term's lexical value.
Select = Callable[[str], list[dict[str, str]]]


class _Runs(Protocol):
    def run(self, text: str) -> Results: ...


class UnknownNameError(QueryError):
    """A name parameter the data does not know; the message says so and suggests the nearest known names."""

    def __init__(self, message: str, *, param: str, value: str, suggestions: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message, self.param, self.value = message, param, value
        self.suggestions = list(suggestions)


@dataclass(frozen=True)
class _Candidate:
    name: str
    spellings: tuple[str, ...]


def backend_select(backend: _Runs) -> Select:
    """A Select over a backend (the embedded store or a remote endpoint): rows as lexical values."""
    def select(text: str) -> list[dict[str, str]]:
        return [{name: value.value for name, value in row.items()} for row in backend.run(text).rows]
    return select


def check_names(named: NamedQuery, params: Mapping[str, Any], select: Select, lex: Lexicon | None = None) -> None:
    """Raise UnknownNameError for the first name parameter the data does not know: issuer, then years, then names."""
    lex = lex or load_lexicon()
    given = {p.name: str(params[p.name]).strip() for p in named.params
             if p.kind in CHECKED_KINDS and params.get(p.name) not in (None, "") and str(params[p.name]).strip()}
    if not given:
        return
    issuer_param = next((p for p in named.params if p.kind == "issuer" and p.name in given), None)
    issuer = given[issuer_param.name] if issuer_param else None
    issuer_terms = terms_for(issuer_param, issuer, issuer=None, lex=lex) if issuer_param and issuer else []
    if issuer_param and issuer:
        check_issuer(issuer_param, issuer, select, lex)
    order = sorted((p for p in named.params if p.name in given and p.kind != "issuer"),
                   key=lambda p: p.kind != "year")
    for param in order:
        value = given[param.name]
        if param.kind == "year":
            check_year(param, value, select, issuer=issuer, issuer_terms=issuer_terms, lex=lex)
        else:
            check_name(param, value, select, issuer=issuer, issuer_terms=issuer_terms, lex=lex)


def check_issuer(param: Param, value: str, select: Select, lex: Lexicon) -> None:
    """Raise UnknownNameError unless the store holds a plan of the issuer `value` (name, alias or code)."""
    terms = terms_for(param, value, issuer=None, lex=lex)
    known = f"""SELECT ?gov WHERE {{
  {_issuer_head(terms)} ?plan gw:issuer ?gov ; a gw:WorkPlan .
}} LIMIT 1"""
    if select(SPARQL_PROLOGUE + known):
        return
    # the issuers of the plans, each once, then their names (the issuers filtered by a FILTER EXISTS on their plans
    # took 26 s at 25,000 documents, against 0.5-1.3 s)
    listing = """SELECT ?x ?pref ?alt WHERE {
  { SELECT DISTINCT ?x WHERE { ?plan a gw:WorkPlan ; gw:issuer ?x } }
  ?x skos:prefLabel ?pref .
  OPTIONAL { ?x skos:altLabel ?alt }
}"""
    candidates = _candidates(select(SPARQL_PROLOGUE + listing))
    asked = [value, *(str(term) for term in terms)]
    similar = suggest(asked, candidates)
    if similar:
        hint = f"did you mean {', '.join(similar)}?"
    elif candidates:
        names = sorted(c.name for c in candidates)
        more = ", …" if len(names) > 5 else ""
        hint = f"issuers with plans: {', '.join(names[:5])}{more}"
    else:
        hint = "the store holds no plan"
    raise UnknownNameError(f"no plan of issuer {value} in the store; {hint}", param=param.name, value=value,
                           suggestions=similar)


def check_year(param: Param, value: str, select: Select, *, issuer: str | None, issuer_terms: list[Node],
               lex: Lexicon) -> None:
    """Raise UnknownNameError unless the store holds a plan of year `value` (of the issuer, if given)."""
    terms = terms_for(param, value, issuer=issuer, lex=lex)
    plans = f"{_ISSUER} ?plan gw:issuer ?gov ; gw:year ?year ." if issuer_terms else "?plan gw:year ?year ."
    known = f"SELECT ?plan WHERE {{\n  {_values(year=terms, issuerName=issuer_terms)}\n  {plans}\n}} LIMIT 1"
    if select(SPARQL_PROLOGUE + known):
        return
    listing = f"SELECT DISTINCT ?year WHERE {{\n  {_values(issuerName=issuer_terms)} {plans}\n}}"
    years = sorted({row["year"] for row in select(SPARQL_PROLOGUE + listing) if "year" in row})
    if issuer:
        message = f"no plan of {issuer} for {value}; "
        message += f"its plans are for {', '.join(years)}" if years else "its plans state no year"
    else:
        message = f"no plan for {value} in the store; "
        message += f"plans are for {', '.join(years)}" if years else "no plan states a year"
    raise UnknownNameError(message, param=param.name, value=value, suggestions=years)


def check_name(param: Param, value: str, select: Select, *, issuer: str | None, issuer_terms: list[Node],
               lex: Lexicon) -> None:
    """Raise UnknownNameError unless the data knows the unit, group, person or goal `value` (within the issuer)."""
    kind = param.kind
    terms = terms_for(param, value, issuer=issuer, lex=lex)
    issuer_pattern = _ISSUER if issuer_terms else ""
    bound = _values(name=terms, issuerName=issuer_terms)
    known = f"SELECT ?x WHERE {{\n  {bound}\n  {issuer_pattern} {_FIND[kind]}\n}} LIMIT 1"
    if select(SPARQL_PROLOGUE + known):
        return
    asked = [value, *(str(term) for term in terms)]
    if kind in ("unit", "group"):
        code = issuer_from(issuer, lex).code if issuer else None
        asked.append(canonical_unit(value, code, lex))
    if issuer_terms:
        listing = f"SELECT ?x ?pref ?alt WHERE {{\n  {_issuer_head(issuer_terms)} {_LIST[kind]}\n}}"
    else:  # only names sharing a character with one asked for can be similar enough (see `similarity`)
        pattern = _LIST_ALL[kind].replace("{filter}", f"FILTER(REGEX(?pref, {_any_of(asked)}))")
        listing = f"SELECT ?x ?pref ?alt WHERE {{\n  {pattern}\n}} LIMIT {MAX_CANDIDATES}"
    candidates = _candidates(select(SPARQL_PROLOGUE + listing))
    similar = suggest(asked, candidates)
    where_text = f"in {issuer}" if issuer else "in the store"
    elsewhere = _issuers_naming(param, value, select, lex) if issuer else []
    if elsewhere:
        where_text += f" (it is named in {', '.join(elsewhere)})"
    hint = f"; did you mean {', '.join(similar)}?" if similar else "" if elsewhere else " (no similar name either)"
    raise UnknownNameError(f"no {_WORDS[kind]} {value} {where_text}{hint}", param=param.name, value=value,
                           suggestions=similar)


def _issuers_naming(param: Param, value: str, select: Select, lex: Lexicon) -> list[str]:
    """The issuers (at most three) in whose data the name is known, by the same indexed lookup without an issuer."""
    terms = terms_for(param, value, issuer=None, lex=lex)
    query = f"""SELECT DISTINCT ?issuerName WHERE {{
  {_values(name=terms)}
  {_FIND[param.kind]} {_ISSUER}
}} LIMIT 3"""
    return sorted(row["issuerName"] for row in select(SPARQL_PROLOGUE + query) if row.get("issuerName"))


def suggest(asked: Iterable[str], candidates: Iterable[_Candidate], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The candidates most similar to any spelling asked for, as "name (printed spelling)", best first."""
    spellings = [normalise(a) for a in dict.fromkeys(asked) if a]
    scored = []
    for candidate in candidates:
        best_score, best_spelling = 0.0, candidate.name
        for spelling in (candidate.name, *candidate.spellings):
            score = max((similarity(a, spelling) for a in spellings), default=0.0)
            if score > best_score + 1e-9:
                best_score, best_spelling = score, spelling
        if best_score >= MIN_SIMILARITY:
            scored.append((-best_score, len(candidate.name), candidate.name, best_spelling, candidate))
    out = []
    for _, _, name, spelling, candidate in sorted(scored, key=lambda s: s[:3]):
        others = sorted((s for s in candidate.spellings if s != name), key=lambda s: (len(s), s))
        shown = spelling if spelling != name else (others[0] if others else "")
        out.append(f"{name} ({shown})" if shown else name)
        if len(out) == limit:
            break
    return out


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0–1: the better of the edit-distance ratio and the share of common characters."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ratio = 1 - edit_distance(a, b) / max(len(a), len(b))
    pool = list(b)
    common = 0
    for char in a:
        if char in pool:
            pool.remove(char)
            common += 1
    return max(ratio, 2 * common / (len(a) + len(b)))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two strings (insertions, deletions and substitutions of characters)."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


#: The pattern reaching the issuer ?gov from its name ?issuerName (bound by a VALUES clause).
_ISSUER = "?gov skos:prefLabel ?issuerName ."


def _issuer_head(issuer_terms: list[Node]) -> str:
    """Patterns binding ?gov to the issuer first, so that what follows is looked up from it."""
    return f"{_values(issuerName=issuer_terms)} {_ISSUER}"


def _values(**bound: list[Node]) -> str:
    """One VALUES clause binding each variable given terms (every combination of them); variables without terms
    are left out. Bound together, the store starts from the clause and looks each pattern up from it; two clauses
    apart (a year and an issuer) made Oxigraph join the first with the store, every plan of the year at 25,000
    documents (270 ms against 1 ms)."""
    given = {name: terms for name, terms in bound.items() if terms}
    if not given:
        return ""
    rows = " ".join(f"({_terms(row)})" for row in product(*given.values()))
    return f"VALUES ({' '.join('?' + name for name in given)}) {{ {rows} }}"


def _any_of(spellings: Iterable[str]) -> str:
    """A SPARQL string literal holding a regular expression that matches any character of the spellings."""
    chars = sorted({char for spelling in spellings for char in normalise(spelling) if not char.isspace()})
    pattern = "[" + "".join("\\" + char if char in "\\]^-[" else char for char in chars) + "]"
    if not chars:
        pattern = "."
    return sparql_term(Literal(pattern))


def _terms(terms: Iterable[Node]) -> str:
    return " ".join(sparql_term(term) for term in terms)


def _candidates(rows: list[dict[str, str]]) -> list[_Candidate]:
    """Candidates from listing rows (?x ?pref ?alt), one per name: a name shared by several things (住建局 of
    several issuers, a goal of every year) is suggested once, with every spelling any of them has."""
    spellings: dict[str, dict[str, None]] = {}
    for row in rows:
        name = row.get("pref")
        if not name:
            continue
        alts = spellings.setdefault(name, {})
        if row.get("alt") and row["alt"] != name:
            alts[row["alt"]] = None
    return [_Candidate(name, tuple(sorted(alts, key=lambda s: (len(s), s)))) for name, alts in spellings.items()]




async def check_names_async(named: NamedQuery, params: Mapping[str, Any],
                            select: Callable[[str], Awaitable[list[dict[str, Any]]]],
                            lex: Lexicon | None = None) -> None:
    """check_names on an event loop: each lookup awaits `select` (rows of SPARQL JSON bindings), off the loop."""
    loop = asyncio.get_running_loop()

    def run(text: str) -> list[dict[str, str]]:
        bindings = asyncio.run_coroutine_threadsafe(select(text), loop).result()
        return [{name: term["value"] for name, term in row.items()} for row in bindings]

    await asyncio.to_thread(check_names, named, params, run, lex)
