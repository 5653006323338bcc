"""query: the named questions (queries/*.rq) and ad-hoc SPARQL, on the embedded store or a remote endpoint."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..lexicon import Lexicon, load_lexicon
from .backends import EmbeddedStore, RemoteEndpoint, Results, Value
from .bind import bind, issuers_per_group, sparql_term, terms_for
from .catalog import NamedQuery, Param, QueryError, find_query, load_catalog
from .names_check import UnknownNameError, backend_select, check_names
from .pages import Page, national_pages
from .results import FORMATS, as_dicts, normalise, render

__all__ = [
    "FORMATS",
    "EmbeddedStore",
    "NamedQuery",
    "Param",
    "QueryError",
    "RemoteEndpoint",
    "Results",
    "UnknownNameError",
    "Value",
    "as_dicts",
    "backend_select",
    "bind",
    "check_names",
    "find_query",
    "load_catalog",
    "national_answer",
    "open_backend",
    "query",
    "render",
    "run_named",
    "sparql_term",
    "terms_for",
]

DEFAULT_STORE = "out"


def open_backend(store: str | Path | None = None, endpoint: str | None = None,
                 **endpoint_options: Any) -> EmbeddedStore | RemoteEndpoint:
    """A remote endpoint when `endpoint` is given, else the embedded store of a build folder (default out/)."""
    if endpoint:
        return RemoteEndpoint(endpoint, **endpoint_options)
    return EmbeddedStore(store or DEFAULT_STORE)


def run_named(name: str, backend: EmbeddedStore | RemoteEndpoint, params: dict[str, Any],
              lex: Lexicon | None = None, *, check: bool = False) -> tuple[NamedQuery, Results]:
    """Run a named query with its parameters bound; list columns come back sorted.

    With `check`, every unit, group, person, goal, issuer and year is first looked up in the data, and an unknown
    one raises UnknownNameError (a QueryError) suggesting the nearest known names, instead of answering no rows.
    """
    named = find_query(name)
    lex = lex or load_lexicon()
    if check:
        check_names(named, params, backend_select(backend), lex)
    text = bind(named, params, lex)
    return named, normalise(backend.run(text), named.lists)


def national_answer(named: NamedQuery, backend: EmbeddedStore | RemoteEndpoint, params: dict[str, Any],
                    issuers: Sequence[str], lex: Lexicon | None = None, *, jobs: int = 1) -> Iterator[Page]:
    """The pages of a question asked of every one of `issuers` (their names, sorted: pages.national_issuers), as the
    server pages it: issuer by issuer in groups, each page's rows issuer after issuer, list columns sorted; after
    the first page, `jobs` blocks of issuers asked side by side (pages.national_pages). Every name given is looked
    up first, as `run_named(check=True)` does (UnknownNameError before any page)."""
    lex = lex or load_lexicon()
    check_names(named, params, backend_select(backend), lex)
    pages = national_pages(lambda group: backend.run(bind(named, params, lex, group)), issuers,
                           group=issuers_per_group(named, params, lex), jobs=jobs)
    for page in pages:
        page.results = normalise(page.results, named.lists)
        yield page


def query(name: str, store: str | Path | None = None, endpoint: str | None = None,
          **params: Any) -> list[dict[str, Any]]:
    """Run a named query and return its rows as dicts of Python values.

    >>> rows = query("q01", store="out", unit="住建局")          # doctest: +SKIP
    >>> [(row["year"], row["number"]) for row in rows]          # doctest: +SKIP
    [('2022', '2'), ('2022', '3'), ('2022', '4')]
    """
    named, results = run_named(name, open_backend(store, endpoint), params)
    return as_dicts(results, named.lists)
