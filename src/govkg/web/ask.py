"""The Ask page and the JSON API of the named questions (queries/*.rq), for people who do not write SPARQL.

- `/ask` lists every named question as a plain GET form; `/ask/{name}?unit=…` answers it as a table whose data
  IRIs link to the local pages, with downloads (`format=csv` with a UTF-8 byte-order mark, `xlsx`, `json`) and a
  link that opens the bound query on `/sparql`.
- `/api/{q01…}` answers a named question as JSON; the routes are generated from the catalogue, so each query's
  parameters appear with their descriptions in `/openapi.json` (no `/docs`: Swagger UI would load from a CDN).
- `/api/names?kind=unit&issuer=…&prefix=…` completes names. The labels of each kind (units and groups with every
  printed spelling, people, goals) are read once per build, when the server starts or switches to it
  (govkg.web.background.Indexes, shared with search), at most MAX_NAMES per kind, into lists sorted by label (one per
  kind, one per kind and issuer): a completion is a binary search for the prefix, never a scan of the store; within one
  issuer, names that merely contain the text follow.

Every query runs through the server's query pool (`server.pool`, as `/sparql` queries do), so the request's
deadline, the per-client limit and the queue apply; names are checked first (`check_names_async`), so an unknown
unit answers 404 with the nearest known names instead of an empty table.
"""

from __future__ import annotations

import asyncio
import bisect
import inspect
import json
import logging
import tempfile
from collections import deque
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from .. import __version__
from ..lexicon import load_lexicon
from ..query import QueryError, Results, Value, find_query, load_catalog
from ..query.bind import bind, iri_values, issuers_per_group
from ..query.catalog import NamedQuery, Param
from ..query.names_check import UnknownNameError, check_names_async
from ..query.pages import BLOCK, Page, blocks_of, issuer_param, national_page, pageable, start_index
from ..query.results import as_dicts, csv_text, normalise, sheet_rows, write_workbook
from ..rdf.vocab import SPARQL_PROLOGUE
from ..resolve import issuer_from
from .pages import shown
from .site import paged_issuers
from .tsv import select_rows
from .workers import ARRIVAL, BusyError, DeadlineExceededError, Job, as_server_client

if TYPE_CHECKING:
    from .app import Server

LOG = logging.getLogger(__name__)
#: Name kinds with completion.
NAME_KINDS = ("unit", "group", "person", "goal")
#: Labels read per kind at most (a national store is cut here; completion then covers the first ones by label).
MAX_NAMES = 200_000
#: Seconds the server's own reads of a whole build (names, statements) may take: more than a request's deadline,
#: since they run in the background (demoted to the long-query lane like any query past the fast budget).
INDEX_DEADLINE = 600.0
#: The largest answer (TSV bytes) such a read may come in: about 8 million task statements.
INDEX_MAX_BYTES = 1_000_000_000
#: Seconds a page or a completion waits for the names index being read (a first server on a national build reads
#: it for most of a minute): then the page goes without its prefilled lists, and completion answers 503.
NAMES_WAIT = 1.0
#: Completions a request may ask for at most, and how many the page's lists hold before any typing.
MAX_COMPLETIONS = 50
PREFILLED = 60
#: Rows the Ask page shows of an answer (the downloads and the API give every row): a national listing has
#: hundreds of thousands, which no page can show.
ROWS_SHOWN = 1000
DOWNLOADS = ("csv", "xlsx", "json")
#: Rows an Excel download may hold (openpyxl builds the workbook in memory); longer answers download as CSV.
MAX_XLSX_ROWS = 100_000
#: The request parameter naming the issuer a page of a national answer starts at.
START = "start"
#: A national answer downloaded whole is asked in pages this many times as long as the pages shown (fewer groups).
DOWNLOAD_PAGES = 20
#: Blocks of issuers (query.pages.BLOCK) a download asks at once, at most one per query worker: Oxigraph answers
#: queries side by side, one per CPU.
DOWNLOAD_BLOCKS = 2
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Column headings for the result variables the named queries share.
COLUMN_LABELS = {
    "issuer": "发文政府", "year": "年份", "task": "任务", "number": "序号", "text": "工作内容", "goal": "目标",
    "leadUnits": "牵头单位", "cooperatingUnits": "配合单位", "leaders": "分管领导", "unit": "单位",
    "unitA": "单位甲", "unitB": "单位乙", "tasks": "任务数", "taskNumbers": "任务序号", "tasksLed": "牵头任务",
    "tasksCooperated": "配合任务", "total": "合计", "status": "状态", "role": "角色", "metric": "指标",
    "value": "数值", "targetText": "目标原文", "targets": "量化目标", "document": "文件", "issue": "问题",
    "detail": "说明", "group": "集合称谓", "member": "成员单位", "how": "依据", "progress": "进展",
    "reportDate": "通报日期", "deadline": "完成时限", "report": "通报", "fate": "去向", "kind": "类别",
    "date": "日期", "firstLine": "起始行", "lastLine": "结束行",
}

#: Per kind: every label ?label of a thing with its preferred name ?name and its issuer's name ?issuer.
_NAMES = {
    "unit": "?x a gw:Unit ; skos:prefLabel ?name ; gw:issuer ?gov . ?gov skos:prefLabel ?issuer . "
            "{ ?x skos:prefLabel ?label } UNION { ?x skos:altLabel ?label }",
    "group": "?x a gw:UnitGroup ; skos:prefLabel ?name ; gw:issuer ?gov . ?gov skos:prefLabel ?issuer . "
             "{ ?x skos:prefLabel ?label } UNION { ?x skos:altLabel ?label }",
    "person": "VALUES ?class { foaf:Person gw:CollectiveLeadership } ?x a ?class ; rdfs:label ?name ; "
              "gw:issuer ?gov . ?gov skos:prefLabel ?issuer . BIND(?name AS ?label)",
    # from the plans (few) to their goals: Oxigraph would otherwise walk the scheme path for every goal label
    "goal": "?plan a gw:WorkPlan ; gw:issuer ?gov . ?scheme dcterms:isPartOf ?plan . "
            "?x skos:inScheme ?scheme ; a gw:Goal ; skos:prefLabel ?name . ?gov skos:prefLabel ?issuer . "
            "BIND(?name AS ?label)",
}
#: Every pattern binds ?gov's label as ?issuer before any BIND: a pattern after a BIND is joined with what came
#: before it, and Oxigraph then read every label of the store once per goal (over 2 minutes at 5,000 documents).

#: The names of a whole build, read as these scans of one pattern each and joined by `names_from_scans` as _NAMES
#: joins them: the store looks up each thing's label, issuer and issuer's label one at a time (about 20 µs each),
#: while a scan reads its index in order (10.8 s in all at 25,000 documents, against 29.2 s for the four joins).
NAME_SCANS = {
    "Unit": "SELECT ?x WHERE { ?x a gw:Unit }",
    "UnitGroup": "SELECT ?x WHERE { ?x a gw:UnitGroup }",
    "Goal": "SELECT ?x WHERE { ?x a gw:Goal }",
    "WorkPlan": "SELECT ?x WHERE { ?x a gw:WorkPlan }",
    "prefLabel": "SELECT ?x ?l WHERE { ?x skos:prefLabel ?l }",
    "altLabel": "SELECT ?x ?l WHERE { ?x skos:altLabel ?l }",
    "issuer": "SELECT ?x ?gov WHERE { ?x gw:issuer ?gov }",
    "person": "SELECT ?x ?l WHERE { VALUES ?c { foaf:Person gw:CollectiveLeadership } ?x a ?c ; rdfs:label ?l }",
    "scheme": "SELECT ?s ?plan WHERE { ?s a skos:ConceptScheme ; dcterms:isPartOf ?plan }",
    "inScheme": "SELECT ?x ?s WHERE { ?x skos:inScheme ?s }",
}


def names_from_scans(rows: Mapping[str, Iterable[Sequence[str | None]]],
                     years: Mapping[str, str]) -> dict[str, list[Name]]:
    """Every name of each kind (_NAMES, in its order) from the rows of NAME_SCANS: the rows _NAMES's queries read
    (distinct), each goal with its plan's year (`years`: plan IRI → year)."""
    def values(scan: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for subject, value in rows[scan]:
            if subject and value:
                found.setdefault(subject, []).append(value)
        return found

    pref, alt, issuers, in_scheme = values("prefLabel"), values("altLabel"), values("issuer"), values("inScheme")
    plans = {plan for plan, in rows["WorkPlan"]}
    plans_of: dict[str, list[str]] = {}
    for scheme, plan in rows["scheme"]:
        if scheme and plan in plans:
            plans_of.setdefault(scheme, []).append(plan)  # type: ignore[arg-type]

    def of_issuers(thing: str) -> list[tuple[str, str]]:  # (issuer IRI, its label) pairs
        return [(gov, label) for gov in issuers.get(thing, ()) for label in pref.get(gov, ())]

    found: dict[str, set[tuple[str, str, str, str, str, str]]] = {kind: set() for kind in _NAMES}
    for kind, cls in (("unit", "Unit"), ("group", "UnitGroup")):
        for thing, in rows[cls]:
            if not thing:
                continue
            labels = pref.get(thing, []) + alt.get(thing, [])
            found[kind].update((label, name, issuer, thing, "", gov) for name in pref.get(thing, ())
                               for gov, issuer in of_issuers(thing) for label in labels)
    for thing, name in rows["person"]:
        if thing and name:
            found["person"].update((name, name, issuer, thing, "", gov) for gov, issuer in of_issuers(thing))
    goals = {goal for goal, in rows["Goal"]}
    for thing, schemes in in_scheme.items():
        if thing in goals:
            found["goal"].update((name, name, issuer, thing, years.get(plan, ""), gov)
                                 for scheme in schemes for plan in plans_of.get(scheme, ())
                                 for gov, issuer in of_issuers(plan) for name in pref.get(thing, ()))
    return {kind: [Name(*row) for row in rows_of] for kind, rows_of in found.items()}


# --- completion: labels sorted once, looked up by prefix ------------------------------------------------------

@dataclass(frozen=True, order=True, slots=True)
class Name:
    """A label the data knows: the spelling, the thing's preferred name, and its issuer's name; the thing's IRI
    and, for a goal, its plan's year (for search)."""

    label: str
    name: str
    issuer: str
    iri: str = field(default="", compare=False)
    year: str = field(default="", compare=False)
    #: Its issuer's IRI (which tells whose names a rebuild changed).
    gov: str = field(default="", compare=False)


@dataclass
class _Sorted:
    names: list[Name] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    def prefixed(self, prefix: str) -> Iterable[Name]:
        start = bisect.bisect_left(self.keys, prefix)
        for index in range(start, len(self.keys)):
            if not self.keys[index].startswith(prefix):
                break
            yield self.names[index]


class NameIndex:
    """Labels per kind (and per kind and issuer), sorted for prefix completion by binary search; `cut`: the kinds
    read only in part (MAX_NAMES)."""

    def __init__(self, names: Mapping[str, Iterable[Name]], cut: Iterable[str] = ()) -> None:
        self.cut = frozenset(cut)
        self.kinds = tuple(names)
        self._all: dict[str, _Sorted] = {}
        self._by_issuer: dict[tuple[str, str], _Sorted] = {}
        for kind, found in names.items():
            ordered = sorted(set(found))
            self._all[kind] = _Sorted(ordered, [name.label for name in ordered])
            self._group(kind, ordered)

    def _group(self, kind: str, ordered: Iterable[Name], issuers: set[str] | None = None) -> None:
        """File the names of a kind (sorted) under their issuers (those in `issuers` only, if given)."""
        for name in ordered:
            if issuers is None or name.issuer in issuers:
                part = self._by_issuer.setdefault((kind, name.issuer), _Sorted())
                part.names.append(name)
                part.keys.append(name.label)

    def of_kind(self, kind: str) -> list[Name]:
        """Every name of a kind, sorted."""
        table = self._all.get(kind)
        return list(table.names) if table else []

    def as_json(self) -> dict[str, Any]:
        """The index as JSON (NameIndex.from_json reads it back)."""
        return {"cut": sorted(self.cut), "names": {kind: [[n.label, n.name, n.issuer, n.iri, n.year, n.gov]
                                                          for n in self.of_kind(kind)] for kind in self.kinds}}

    @classmethod
    def from_json(cls, document: Any) -> NameIndex | None:
        """The index `as_json` wrote; None when `document` is not one."""
        try:
            names = {kind: [Name(*(str(value) for value in row)) for row in rows if len(row) == 6]
                     for kind, rows in document["names"].items() if isinstance(kind, str) and isinstance(rows, list)}
            return cls(names, [kind for kind in document["cut"] if isinstance(kind, str)])
        except (KeyError, TypeError, AttributeError):
            return None

    def replaced(self, govs: Iterable[str], names: Mapping[str, Iterable[Name]]) -> NameIndex:
        """This index with the names of the issuers `govs` (IRIs) replaced by `names` (per kind; of those issuers):
        a copy sharing the lists of the issuers unchanged, the fresh names put in place by binary search."""
        gone = set(govs)
        index = NameIndex({}, self.cut)
        index.kinds = tuple(dict.fromkeys((*self.kinds, *names)))
        index._by_issuer = dict(self._by_issuer)
        for kind in index.kinds:
            table = self._all.get(kind, _Sorted())
            fresh = sorted(set(names.get(kind, ())))
            dropped = [name for name in table.names if name.gov in gone]
            if not dropped and not fresh:
                index._all[kind] = table
                continue
            ordered = [name for name in table.names if name.gov not in gone] if dropped else list(table.names)
            for name in fresh:
                at = bisect.bisect_left(ordered, name)
                if at == len(ordered) or ordered[at] != name:  # a label already known (of a namesake issuer) once
                    ordered.insert(at, name)
            index._all[kind] = _Sorted(ordered, [name.label for name in ordered])
            issuers = {name.issuer for name in dropped} | {name.issuer for name in fresh}
            for issuer in issuers:
                index._by_issuer.pop((kind, issuer), None)
            index._group(kind, ordered, issuers)
        return index

    def complete(self, kind: str, prefix: str = "", issuer: str | None = None,
                 limit: int = MAX_COMPLETIONS) -> list[Name]:
        """Up to `limit` labels of the kind starting with `prefix` (of the issuer, if given; then, within the
        issuer, labels containing it), each label once per issuer."""
        table = self._by_issuer.get((kind, issuer)) if issuer else self._all.get(kind)
        if table is None or limit <= 0:
            return []
        prefix = "".join(prefix.split())
        found: dict[tuple[str, str], Name] = {}
        for name in table.prefixed(prefix):
            found.setdefault((name.label, name.issuer), name)
            if len(found) == limit:
                return list(found.values())
        if issuer and prefix:  # one issuer's names: a few hundred, read through for the text anywhere in a label
            for name in table.names:
                if prefix in name.label:
                    found.setdefault((name.label, name.issuer), name)
                    if len(found) == limit:
                        break
        return list(found.values())

    def containing(self, text: str, limit: int) -> list[tuple[str, Name]]:
        """Up to `limit` (kind, name) whose thing has a label containing `text`, kinds in NAME_KINDS order, each
        kind's by preferred name and issuer; each thing once."""
        found: dict[str, tuple[str, Name]] = {}
        for kind in NAME_KINDS:
            table = self._all.get(kind)
            hits = sorted((name for name in table.names if text in name.label),
                          key=lambda name: (name.name, name.issuer, name.iri)) if table else []
            for name in hits:
                found.setdefault(name.iri, (kind, name))
                if len(found) == limit:
                    return list(found.values())
        return list(found.values())


def names_query(kind: str, govs: Iterable[str] | None = None) -> str:
    """The query reading the labels of a kind of name (`NAME_KINDS`) for completion and search; of the issuers
    `govs` (IRIs) only, if given."""
    only = "" if govs is None else iri_values("gov", govs) + " "
    return (f"{SPARQL_PROLOGUE}SELECT DISTINCT ?label ?name ?issuer ?x ?plan ?gov WHERE {{ {only}{_NAMES[kind]} }} "
            f"LIMIT {MAX_NAMES}")


async def _read_names(server: Server, govs: Iterable[str] | None = None) -> tuple[dict[str, list[Name]], list[str]]:
    """The labels of every name kind (of the issuers `govs` (IRIs) only, if given), within INDEX_DEADLINE, from the
    build served when called; and the kinds cut at MAX_NAMES."""
    as_server_client("govkg:names", background=govs is None)
    pool, plans = server.pool, server.data.plans  # one build's, should the server switch meanwhile
    years = {plan["plan"]: plan.get("year", "") for plan in plans}

    async def rows_of(query: str) -> list[list[str | None]]:  # as TSV: a national build's names are tens of MB
        return await select_rows(pool, query, deadline=INDEX_DEADLINE, max_bytes=INDEX_MAX_BYTES)

    if govs is None:
        scanned = {scan: await rows_of(SPARQL_PROLOGUE + query) for scan, query in NAME_SCANS.items()}
        every = await asyncio.to_thread(names_from_scans, scanned, years)
        return ({kind: found[:MAX_NAMES] for kind, found in every.items()},
                [kind for kind, found in every.items() if len(found) > MAX_NAMES])
    names: dict[str, list[Name]] = {}
    cut: list[str] = []
    for kind in _NAMES:
        rows = await rows_of(names_query(kind, govs))
        if len(rows) >= MAX_NAMES:
            cut.append(kind)
        names[kind] = [Name(label, name, issuer, iri, years.get(plan, "") if plan else "", gov or "")
                       for label, name, issuer, iri, plan, gov in rows if label and name and issuer and iri]
    return names, cut


async def read_names(server: Server) -> NameIndex:
    """The labels of every name kind, read through the query pool (at most MAX_NAMES per kind) as the server's own
    client (run it as a task: it sets the task's request context)."""
    names, cut = await _read_names(server)
    return await asyncio.to_thread(NameIndex, names, cut)


async def update_names(server: Server, index: NameIndex, govs: Iterable[str]) -> NameIndex | None:
    """`index` with the names of the issuers `govs` (IRIs) read again from the build served now; None when it
    cannot be updated so (a kind cut at MAX_NAMES), so that it is read whole."""
    if index.cut:
        return None
    names, cut = await _read_names(server, govs)
    if cut:
        return None
    return await asyncio.to_thread(index.replaced, govs, names)


# --- answering a named query ------------------------------------------------------------------------------------

class AnswerError(Exception):
    """A named query that could not be answered: an HTTP status, a message, and for unknown names suggestions."""

    def __init__(self, status: int, message: str, *, param: str | None = None,
                 suggestions: Iterable[str] = (), headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.param = status, message, param
        self.suggestions = list(suggestions)
        self.headers = dict(headers or {})

    def as_json(self) -> JSONResponse:
        """The error as a JSON answer of its status."""
        body: dict[str, Any] = {"error": self.message}
        if self.param:
            body.update(parameter=self.param, suggestions=self.suggestions)
        return JSONResponse(body, status_code=self.status, headers=self.headers)


@dataclass
class Answer:
    """A named query's answer: the query as bound, the parameters given, the normalised results, and for a question
    asked of every issuer of a national build, the page they are (govkg.query.pages)."""

    named: NamedQuery
    params: dict[str, str]
    text: str
    results: Results
    page: Page | None = None


class NamedAnswer(BaseModel):
    """A named question's answer as JSON: plain values (list columns as lists), unbound values as null; asked of
    every issuer of a national build, one page: the issuers it covers and the link to the next page (null on the
    last)."""

    query: str
    params: dict[str, str]
    columns: list[str]
    rows: list[dict[str, Any]]
    issuers: list[str] | None = None
    next: str | None = None


def given_params(named: NamedQuery, query: Mapping[str, str], base: str) -> dict[str, str]:
    """The declared parameters a request gives a value (trimmed; a local `/id/…` path as the data IRI)."""
    values = {}
    for param in named.params:
        value = (query.get(param.name) or "").strip()
        if value and param.kind == "iri" and value.startswith("/id/"):
            value = base + value.removeprefix("/id/")
        if value:
            values[param.name] = value
    return values


#: Parameters that narrow a question to part of the data, in the order a hint names them.
NARROWING_KINDS = ("issuer", "year")


def narrowing_hint(named: NamedQuery, params: Mapping[str, str]) -> str:
    """What to add to a question asked of the whole country that ran too long or answered too much: its issuer and
    year parameters left empty ("" when none is)."""
    empty = [param for kind in NARROWING_KINDS for param in named.params
             if param.kind == kind and param.name not in params]
    if not empty:
        return ""
    names = "、".join(param.description.split(" / ")[0] for param in empty)
    return (f"; it was asked of every {' and '.join(param.name for param in empty)} in the data — "
            f"请填写{names}以缩小范围 (give {' or '.join(param.name for param in empty)} to narrow it)")


async def answer(server: Server, named: NamedQuery, params: dict[str, str], start: str | None = None,
                 rows: int | None = None) -> Answer:
    """Check the names, bind the parameters and run the query in the server's pool; raises AnswerError. Asked of
    every issuer of a build with more than `paged_above` issuers, the answer is the page starting at issuer
    `start` (at least `rows` rows, by default the server's `page_rows`, unless the issuers run out or the page's
    time is spent)."""
    lex = load_lexicon()
    try:
        await check_names_async(named, params, server.select, lex)
        text = bind(named, params, lex)
    except UnknownNameError as exc:
        raise AnswerError(404, str(exc), param=exc.param, suggestions=exc.suggestions) from None
    except QueryError as exc:
        raise AnswerError(400, str(exc)) from None
    except DeadlineExceededError as exc:
        raise AnswerError(503, str(exc), headers={"Retry-After": "1"}) from None
    except BusyError as exc:
        raise AnswerError(exc.status, exc.message, headers={"Retry-After": "1"}) from None
    except RuntimeError:  # a lookup the store could not answer
        raise AnswerError(500, "the names could not be checked in the store") from None
    if pageable(named, params) and len(server.data.issuers) > server.settings.paged_above:
        return await _page(server, Answer(named, params, text, Results()), start, rows or server.settings.page_rows)
    return Answer(named, params, text, normalise(await _results(server, named, params, text), named.lists))


async def _page(server: Server, asked: Answer, start: str | None, rows: int,
                issuers: Sequence[str] | None = None) -> Answer:
    """The page of the national question `asked` (names checked, text bound) starting at issuer `start` (after the
    page `asked` holds, if any: its groups' sizes and rows tell this page's) of `issuers` (by default every issuer
    the question spans)."""
    named, params, lex = asked.named, asked.params, load_lexicon()

    async def ask(group: Sequence[str]) -> Results:
        return await _results(server, named, params, bind(named, params, lex, group))

    spanned = paged_issuers(server.data, named) if issuers is None else issuers
    page = await national_page(ask, spanned, start, rows=rows, before=asked.page,
                               group=issuers_per_group(named, params, lex))
    return Answer(named, params, asked.text, normalise(page.results, named.lists), page)


async def _block_pages(server: Server, first: Answer, issuers: Sequence[str]) -> list[Answer]:
    """The pages of a download holding the rows of `issuers` (a block of those after the first page), each asked
    within a deadline of its own (the request's counts from when it arrived, which a download outlasts)."""
    pages: list[Answer] = []
    while not pages or (pages[-1].page is not None and pages[-1].page.next is not None):
        ARRIVAL.set(asyncio.get_running_loop().time())
        before = pages[-1] if pages else first
        start = before.page.next if pages and before.page is not None else None
        pages.append(await _page(server, before, start, DOWNLOAD_PAGES * server.settings.page_rows, issuers))
    return pages


async def every_page(server: Server, first: Answer) -> AsyncIterator[Answer]:
    """The pages of a national answer from `first` on, in order: the issuers after the first page asked in blocks
    of BLOCK, up to DOWNLOAD_BLOCKS blocks at once (at most one per query worker), each block's pages in turn."""
    yield first
    if first.page is None or first.page.next is None:
        return
    spanned = paged_issuers(server.data, first.named)
    rest = spanned[start_index(spanned, first.page.next):]
    blocks = iter(blocks_of(rest, BLOCK))
    running: deque[tuple[str, asyncio.Task[list[Answer]]]] = deque()

    def start_next() -> None:
        block = next(blocks, None)
        if block:
            running.append((block[0], asyncio.create_task(_block_pages(server, first, block))))

    try:
        for _ in range(max(1, min(DOWNLOAD_BLOCKS, server.settings.workers))):
            start_next()
        while running:
            begins, task = running.popleft()
            try:
                pages = await task
            except AnswerError as error:  # the transfer is cut short: the client sees it incomplete
                LOG.warning("download of %s cut short in the block of issuers from %s: %s", first.named.name, begins,
                            error)
                raise
            start_next()
            for page in pages:
                yield page
    finally:  # an error, or the client gone: the blocks still asked are dropped
        for _, task in running:
            task.cancel()


async def _results(server: Server, named: NamedQuery, params: Mapping[str, str], text: str) -> Results:
    """The SELECT results of the bound query `text`, run in the server's pool; raises AnswerError."""
    try:
        reply = await server.pool.run(Job(text, "application/sparql-results+json", None,
                                          max_bytes=server.settings.max_result))
    except DeadlineExceededError as exc:
        hint = narrowing_hint(named, params)  # the same question again would run as long: no Retry-After then
        raise AnswerError(503, f"{exc}{hint}", headers={} if hint else {"Retry-After": "1"}) from None
    except BusyError as exc:
        raise AnswerError(exc.status, exc.message, headers={"Retry-After": "1"}) from None
    if reply.status != "ok":
        message = reply.message if reply.status in ("too-large", "memory") else "the query failed in the store"
        hint = narrowing_hint(named, params) if reply.status in ("too-large", "memory") else ""
        raise AnswerError(503 if reply.status == "memory" else 500, message + hint)
    document = json.loads(reply.body)
    rows = [{column: _value(term) for column, term in row.items()} for row in document["results"]["bindings"]]
    return Results(variables=list(document["head"]["vars"]), rows=rows)


def _value(term: Mapping[str, str]) -> Value:
    kind = {"uri": "iri", "typed-literal": "literal"}.get(term["type"], term["type"])
    datatype = term.get("datatype")
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        datatype = None
    return Value(kind, term["value"], datatype, term.get("xml:lang"))


def as_json(found: Answer, next_url: str | None = None) -> dict[str, Any]:
    """The answer as the API's JSON document (NamedAnswer); a page's also with its issuers and `next_url`."""
    document = {"query": found.named.name, "params": found.params, "columns": found.results.variables,
                "rows": as_dicts(found.results, found.named.lists)}
    if found.page is not None:
        document.update(issuers=found.page.issuers, next=next_url)
    return document


async def download(server: Server, found: Answer, fmt: str) -> Response:
    """The answer as a file: CSV (UTF-8 with a byte-order mark, for Excel), an Excel workbook, or JSON; every page
    of a national answer (CSV and JSON sent as the pages come; a page that fails cuts the transfer short)."""
    name = found.named.name
    disposition = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    pages = every_page(server, found)
    if fmt == "xlsx":
        sheet: list[list[Any]] = []
        async for page in pages:
            sheet += sheet_rows(page.results)
            if len(sheet) > MAX_XLSX_ROWS:  # a workbook is made whole in memory: a CSV is sent as it comes
                raise AnswerError(400, f"an Excel workbook holds at most {MAX_XLSX_ROWS:,} rows here and this answer "
                                       f"has more: download it as CSV{narrowing_hint(found.named, found.params)}")
        with tempfile.TemporaryDirectory(prefix="govkg-ask-") as folder:
            path = Path(folder) / f"{name}.xlsx"
            await asyncio.to_thread(write_workbook, path, found.results.variables, sheet)
            body = path.read_bytes()
        return Response(body, media_type=XLSX, headers=disposition)
    if fmt == "csv":
        return StreamingResponse(_csv_chunks(pages), media_type="text/csv; charset=utf-8", headers=disposition)
    return StreamingResponse(_json_chunks(found, pages), media_type="application/json", headers=disposition)


async def _csv_chunks(pages: AsyncIterator[Answer]) -> AsyncIterator[bytes]:
    header = True
    async for page in pages:
        results = page.results
        rows = ([row[column].value if column in row else "" for column in results.variables] for row in results.rows)
        text = csv_text(results.variables, rows, bom=header)
        if not header:  # the header row (variable names: one line) once, before the first page's rows
            text = text.split("\n", 1)[1]
        header = False
        yield text.encode("utf-8")


async def _json_chunks(first: Answer, pages: AsyncIterator[Answer]) -> AsyncIterator[bytes]:
    head = {"query": first.named.name, "params": first.params, "columns": first.results.variables}
    yield json.dumps(head, ensure_ascii=False)[:-1].encode("utf-8") + b', "rows": ['
    separator = ""
    async for page in pages:
        for row in as_dicts(page.results, page.named.lists):
            yield (separator + json.dumps(row, ensure_ascii=False)).encode("utf-8")
            separator = ", "
    yield b"]}"


# --- the page ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """A value in the answer table: plain text, and a link to a local page for IRIs of the data."""

    text: str
    href: str | None = None


def cells(server: Server, found: Answer, limit: int | None = None) -> list[list[Cell]]:
    """The answer's rows (the first `limit`, if given) ready to render: literals as their text, data IRIs linked to
    their local pages."""
    base = server.data.base
    table = []
    for row in found.results.rows[:limit]:
        line = []
        for column in found.results.variables:
            value = row.get(column)
            if value is None:
                line.append(Cell(""))
            elif value.kind == "iri":
                seen = shown({"type": "uri", "value": value.value}, None, server.data)
                text = value.value[len(base):] if value.value.startswith(base) else seen.text
                line.append(Cell(text, seen.href))
            else:
                line.append(Cell(value.value))
        table.append(line)
    return table


def next_link(request: Request, found: Answer) -> str | None:
    """The address of the page after `found` (the request's with the next issuer as `start`); None on the last page
    and for whole answers."""
    if found.page is None or found.page.next is None:
        return None
    query = {key: value for key, value in request.query_params.items() if key != START}
    return f"{request.url.path}?{urlencode({**query, START: found.page.next})}"


def _without_header(text: str) -> str:
    """The query without its leading comment header (the link to /sparql stays short)."""
    lines = text.splitlines()
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines) + "\n"


def short_name(named: NamedQuery) -> str:
    """The query's short name ("q01"), used in URLs."""
    return named.name.split("-")[0]


def _declared(dependant: Dependant) -> set[str]:
    """The query-string names a route's function and its dependencies declare."""
    return {field.alias for field in dependant.query_params} | {
        name for sub in dependant.dependencies for name in _declared(sub)}


async def declared_parameters_only(request: Request) -> None:
    """Refuse (400) a query-string parameter the API route does not declare: a misspelt one (`?q=` for `prefix`,
    `?units=` for `unit`) would otherwise be ignored, and the answer read as if it had been applied."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = _declared(route.dependant)
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        raise AnswerError(400, f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                               f"{route.path} takes {', '.join(sorted(declared))}", param=unknown[0])


def ask_router(server: Server) -> APIRouter:
    """The Ask pages, the named questions' JSON API and the names completion, as routes on `server`."""
    router = APIRouter()
    state: dict[str, Any] = {"openapi": None}
    issuer_params = {p.name for q in load_catalog().values() for p in q.params if p.kind == "issuer"}

    def years() -> list[str]:
        return sorted({plan["year"][:4] for plan in server.data.plans if plan.get("year")})

    def issuer_name(value: str | None) -> str | None:
        if not value:
            return None
        try:
            return issuer_from(value, load_lexicon()).name
        except (QueryError, ValueError):
            return value

    def suggestion_links(request: Request, error: AnswerError) -> list[tuple[str, str]]:
        if not error.param:
            return []
        links = []
        for suggestion in error.suggestions:
            query = dict(request.query_params)
            query[error.param] = suggestion.split(" (")[0]
            query.pop("format", None)
            links.append((suggestion, f"{request.url.path}?{urlencode(query)}"))
        return links

    async def render(request: Request, named: NamedQuery | None, status: int = 200, **context: Any) -> HTMLResponse:
        # the completion index (read once per build), unless it is still being read after NAMES_WAIT
        ready = await server.indexes.ready_within("names", NAMES_WAIT)
        index = await server.indexes.names() if ready else None
        values = dict(request.query_params)
        for key in issuer_params & set(values):  # 钟楼区 or 320404 given: the select shows 常州市钟楼区
            values[key] = issuer_name(values[key]) or ""
        chosen = values.get("issuer")
        prefilled = {kind: index.complete(kind, "", chosen if chosen in server.data.issuers else None, PREFILLED)
                     if index else [] for kind in NAME_KINDS}
        return server.page("ask.html", status=status, queries=list(load_catalog().values()), named=named,
                           values=values, issuers=server.data.issuers, years=years(),
                           prefilled=prefilled, short_name=short_name, labels=COLUMN_LABELS,
                           names_pending=not ready, **context)

    @router.get("/ask", response_class=HTMLResponse, include_in_schema=False)
    async def ask_index(request: Request) -> Response:
        return await render(request, None)

    @router.get("/ask/{name}", response_class=HTMLResponse, include_in_schema=False)
    async def ask_query(request: Request, name: str) -> Response:
        try:
            named = find_query(name)
        except QueryError as exc:
            return await render(request, None, status=404, error=str(exc))
        fmt = request.query_params.get("format", "")
        asked = any(p.name in request.query_params for p in named.params) or "run" in request.query_params or fmt
        if not asked:
            return await render(request, named)
        params = given_params(named, request.query_params, server.data.base)
        start = None if fmt in DOWNLOADS else request.query_params.get(START)  # a download has every page
        try:
            found = await answer(server, named, params, start)
            if fmt in DOWNLOADS:
                return await download(server, found, fmt)
        except AnswerError as error:
            if fmt in DOWNLOADS:
                return error.as_json()
            return await render(request, named, status=error.status, error=error.message,
                                suggestions=suggestion_links(request, error))
        here = {key: value for key, value in request.query_params.items() if key not in ("format", START)}
        return await render(request, named, found=found, rows=cells(server, found, ROWS_SHOWN),
                            total=len(found.results.rows), next_page=next_link(request, found),
                            downloads=[(kind, f"{request.url.path}?{urlencode({**here, 'format': kind})}")
                                       for kind in DOWNLOADS],
                            sparql=f"/sparql?{urlencode({'query': _without_header(found.text)})}",
                            api=f"/api/{short_name(named)}?{urlencode(params)}")

    strict = [Depends(declared_parameters_only)]

    @router.get("/api/names", tags=["names"], summary="名称补全 / complete names the data knows",
                dependencies=strict)
    async def api_names(
        kind: Annotated[str, Query(description="unit, group, person or goal")] = "unit",
        prefix: Annotated[str, Query(description="the first characters of the name", max_length=50)] = "",
        issuer: Annotated[str | None, Query(description="发文政府 / issuing government, e.g. 钟楼区")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_COMPLETIONS, description="at most this many")] = 20,
    ) -> Response:
        """Labels of units, groups, people or goals starting with `prefix` (within the issuer, if given)."""
        if kind not in NAME_KINDS:
            return JSONResponse({"error": f"kind must be one of {', '.join(NAME_KINDS)}"}, status_code=400)
        if not await server.indexes.ready_within("names", NAMES_WAIT):
            return JSONResponse({"error": "the names of this build are still being read; try again shortly"},
                                status_code=503, headers={"Retry-After": "5"})
        index = await server.indexes.names()
        found = index.complete(kind, prefix, issuer_name(issuer), limit) if index else []
        return JSONResponse([{"label": n.label, "name": n.name, "issuer": n.issuer} for n in found])

    for named in load_catalog().values():
        router.add_api_route(f"/api/{short_name(named)}", _api_endpoint(server, named), methods=["GET"],
                             response_model=NamedAnswer, tags=["named questions"], operation_id=short_name(named),
                             dependencies=strict,
                             summary=f"{named.title_zh} / {named.title_en}", description=named.description,
                             responses={400: {"description": "a value the parameter cannot take"},
                                        404: {"description": "an unknown name; the nearest known names suggested"},
                                        503: {"description": "the query's deadline passed; try again"}})

    @router.get("/openapi.json", include_in_schema=False)
    async def openapi() -> Response:
        if state["openapi"] is None:
            state["openapi"] = get_openapi(
                title="govkg", version=__version__, routes=router.routes,
                description="The named questions (queries/*.rq) as JSON, and name completion. "
                            "SPARQL 1.1 Protocol endpoint: /sparql.")
        return JSONResponse(state["openapi"])

    return router


def _api_endpoint(server: Server, named: NamedQuery) -> Any:
    """A route function answering `named` as JSON, whose signature declares the query's parameters (for OpenAPI
    and validation: a required parameter left out is a 422)."""

    async def endpoint(request: Request, **_: Any) -> Response:
        try:
            found = await answer(server, named, given_params(named, request.query_params, server.data.base),
                                 request.query_params.get(START))
        except AnswerError as error:
            return error.as_json()
        return JSONResponse(as_json(found, next_link(request, found)))

    start = ([inspect.Parameter("start", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
        str | None, Query(alias=START, description="asked of every issuer of a national build: the issuer the page "
                                                   "starts at (the `next` link of the page before gives it)")])]
             if issuer_param(named) else [])
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
         *(_query_parameter(index, param) for index, param in enumerate(named.params)), *start])
    endpoint.__name__ = f"api_{short_name(named)}"
    endpoint.__doc__ = named.description
    return endpoint


def _query_parameter(index: int, param: Param) -> inspect.Parameter:
    """One declared parameter as a FastAPI query parameter (named by alias: the Python name is positional)."""
    if param.required:
        annotation: Any = Annotated[str, Query(alias=param.name, description=param.description)]
        return inspect.Parameter(f"p{index}", inspect.Parameter.KEYWORD_ONLY, annotation=annotation)
    annotation = Annotated[str | None, Query(alias=param.name, description=param.description)]
    return inspect.Parameter(f"p{index}", inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=None)
