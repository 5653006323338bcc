"""The search page's indexes: names and task statements held in memory, so a search never scans the store.

A search asks for every name (unit, group, person, goal) and task statement containing a text. As SPARQL
(`CONTAINS` over every label and statement) that reads the whole store each time: 8.7 s at 21,362 documents.
The server instead reads, once per build, when it starts or switches to the build (in the background; a search
arriving earlier waits for them; govkg.web.background), the names the Ask page completes from
(govkg.web.ask.NameIndex, which keeps each name's IRI) and every task statement with its task's IRI (`TaskTexts`,
one query answered as TSV by a worker). A search is then a substring scan in memory, and only the tasks shown (at
most SEARCH_LIMIT) are looked up in the store for their year and number.

Statements are kept packed (`Packed`: one string and an array of positions; the 457,390 statements of 21,362
documents with their IRIs take 74 MB, against 129 MB as a list of pairs) and in IRI order, so that the tasks
listed for a frequent word are those of the first issuers by division code, by year and number. A build too large
for the indexes (a names kind cut at MAX_NAMES, statements above INDEX_MAX_BYTES) is searched with the SPARQL scan
as before.
"""

from __future__ import annotations

import asyncio
import bisect
import logging
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import Literal

from ..network.data import task_key
from ..query.bind import iri_values, sparql_term
from ..rdf.vocab import SPARQL_PROLOGUE
from .ask import INDEX_DEADLINE, INDEX_MAX_BYTES, NameIndex
from .pages import PREFIX, bound_to, row_value, shown
from .tsv import AnswerTooLargeError, select_rows
from .workers import as_server_client

if TYPE_CHECKING:
    from .app import Server

LOG = logging.getLogger(__name__)
#: Seconds a search waits for the indexes being read (a rebuild's update takes a second or two; a first server's
#: whole read of a national build most of a minute, during which search says so).
SEARCH_WAIT = 2.0
#: Names and tasks a search lists at most (each).
SEARCH_LIMIT = 200
#: Ends each packed string; a text holding it is found nowhere (the data's literals never hold it).
_END = "\x00"
#: Sorts after every character an IRI holds: the IRIs starting with a prefix P lie between P and P + _LAST.
_LAST = "\U0010ffff"
TASK_PATTERN = "?task gw:statement ?text"
TASK_TEXTS = f"SELECT ?task ?text WHERE {{ {TASK_PATTERN} }}"


class Packed:
    """Strings one after another in one string, each found by its index and by the text it contains."""

    def __init__(self, items: Iterable[str]) -> None:
        parts = list(items)
        self._text = _END.join(parts) + _END if parts else ""
        self._starts = array("q", [0])
        for part in parts:
            self._starts.append(self._starts[-1] + len(part) + 1)

    @classmethod
    def _of(cls, text: str, starts: array[int]) -> Packed:
        """Strings already packed: `text` and their positions in it."""
        packed = cls(())
        packed._text, packed._starts = text, starts
        return packed

    def __len__(self) -> int:
        return len(self._starts) - 1

    def as_json(self) -> list[Any]:
        """The strings as JSON: the packed text and the positions (Packed.from_json reads them back)."""
        return [self._text, self._starts.tolist()]

    @classmethod
    def from_json(cls, document: Any) -> Packed | None:
        """The strings `as_json` wrote; None when `document` is not such strings."""
        try:
            text, positions = document
            starts = array("q", positions)
        except (TypeError, ValueError, OverflowError):
            return None
        ends = starts[1:]
        if (not isinstance(text, str) or not starts or starts[0] != 0 or starts[-1] != len(text)
                or any(end <= start or text[end - 1] != _END for start, end in zip(starts, ends, strict=False))):
            return None
        return cls._of(text, starts)

    def spliced(self, cuts: Iterable[tuple[int, int, Sequence[str]]]) -> Packed:
        """A copy with the strings at each range of indexes [start, end) replaced by the strings given (the ranges
        in order, none overlapping the next)."""
        pieces: list[str] = []
        starts = array("q", [0])
        at = 0
        for start, end, items in (*cuts, (len(self), len(self), ())):
            shift = starts[-1] - self._starts[at]
            pieces.append(self._text[self._starts[at]:self._starts[start]])
            starts.extend(position + shift for position in self._starts[at + 1:start + 1])
            for item in items:
                pieces.append(item + _END)
                starts.append(starts[-1] + len(item) + 1)
            at = end
        return Packed._of("".join(pieces), starts)

    def __getitem__(self, index: int) -> str:
        return self._text[self._starts[index]:self._starts[index + 1] - 1]

    def containing(self, text: str) -> Iterator[int]:
        """The indexes of the strings containing `text`, in order, each once."""
        if not text or _END in text:
            return
        at = self._text.find(text)
        while at >= 0:
            index = bisect.bisect_right(self._starts, at) - 1
            yield index
            at = self._text.find(text, self._starts[index + 1])


@dataclass(frozen=True)
class TaskTexts:
    """Every task statement of a build with its task's IRI, in IRI order."""

    iris: Packed
    statements: Packed

    def as_json(self) -> dict[str, Any]:
        """The index as JSON (TaskTexts.from_json reads it back)."""
        return {"iris": self.iris.as_json(), "statements": self.statements.as_json()}

    @classmethod
    def from_json(cls, document: Any) -> TaskTexts | None:
        """The index `as_json` wrote; None when `document` is not one."""
        if not isinstance(document, dict):
            return None
        iris, statements = Packed.from_json(document.get("iris")), Packed.from_json(document.get("statements"))
        if iris is None or statements is None or len(iris) != len(statements):
            return None
        return cls(iris, statements)

    def containing(self, text: str, limit: int = SEARCH_LIMIT) -> list[tuple[str, str]]:
        """The first `limit` (task IRI, statement) pairs whose statement contains `text`."""
        found: list[tuple[str, str]] = []
        for index in self.statements.containing(text):
            found.append((self.iris[index], self.statements[index]))
            if len(found) == limit:
                break
        return found


def task_texts(rows: Iterable[list[str | None]]) -> TaskTexts:
    """The statements index from the rows of TASK_TEXTS (rows without both values left out)."""
    pairs = sorted((iri, text) for iri, text in rows if iri and text is not None)
    return TaskTexts(Packed(iri for iri, _ in pairs), Packed(text for _, text in pairs))


def replaced_texts(texts: TaskTexts, prefixes: Iterable[str], rows: Iterable[list[str | None]]) -> TaskTexts | None:
    """`texts` with the tasks whose IRIs start with one of `prefixes` replaced by the tasks of `rows`
    (TASK_TEXTS's rows, each under one of the prefixes), the IRIs kept in order; None when a row is under none of
    them, or the prefixes overlap (such an index is read whole)."""
    fresh: dict[str, list[tuple[str, str]]] = {prefix: [] for prefix in prefixes}
    ordered = sorted(fresh)
    for iri, text in rows:
        if not iri or text is None:
            continue
        at = bisect.bisect_right(ordered, iri) - 1  # the greatest prefix not after the IRI: the only one it may have
        if at < 0 or not iri.startswith(ordered[at]):
            return None
        fresh[ordered[at]].append((iri, text))
    iris, statements = texts.iris, texts.statements
    cuts: list[tuple[int, int, list[tuple[str, str]]]] = []
    for prefix in ordered:
        start, end = bisect.bisect_left(iris, prefix), bisect.bisect_left(iris, prefix + _LAST)
        if cuts and start < cuts[-1][1]:
            return None
        cuts.append((start, end, sorted(fresh[prefix])))
    return TaskTexts(iris.spliced((start, end, [iri for iri, _ in pairs]) for start, end, pairs in cuts),
                     statements.spliced((start, end, [text for _, text in pairs]) for start, end, pairs in cuts))


def _texts_query(graphs: Iterable[str]) -> str:
    """TASK_TEXTS in the named graphs `graphs` only."""
    return f"{SPARQL_PROLOGUE}SELECT ?task ?text WHERE {{ {iri_values('g', graphs)} GRAPH ?g {{ {TASK_PATTERN} }} }}"


async def update_task_texts(server: Server, texts: TaskTexts, prefixes: Iterable[str],
                            graphs: Iterable[str]) -> TaskTexts | None:
    """`texts` with the tasks under the IRI `prefixes` (every task of some issuers) read again from `graphs` of
    the build served now (those issuers' documents); None when a task read is under none of the prefixes (the
    index could not be kept exact so: it is read whole)."""
    as_server_client("govkg:search", background=False)
    wanted = set(graphs)
    rows = await select_rows(server.pool, _texts_query(wanted), deadline=INDEX_DEADLINE,
                             max_bytes=INDEX_MAX_BYTES) if wanted else []
    return await asyncio.to_thread(replaced_texts, texts, prefixes, rows)


async def read_task_texts(server: Server) -> TaskTexts | None:
    """Every task statement of the served build, read through the query pool as the server's own client within
    INDEX_DEADLINE (run it as a task: it sets the task's request context); None when the answer is too large."""
    as_server_client("govkg:search", background=True)
    try:
        rows = await select_rows(server.pool, SPARQL_PROLOGUE + TASK_TEXTS, deadline=INDEX_DEADLINE,
                                 max_bytes=INDEX_MAX_BYTES)
    except AnswerTooLargeError:
        LOG.warning("the task statements exceed %d bytes: search scans the store", INDEX_MAX_BYTES)
        return None
    return await asyncio.to_thread(task_texts, rows)


# --- the search ---------------------------------------------------------------------------------------------------

#: The SPARQL scans, for a build the indexes could not hold (each reads every label or statement of the store).
SEARCH_NAMES = """SELECT ?s (SAMPLE(?label) AS ?name) (SAMPLE(?kind) AS ?what) (SAMPLE(?issuerName) AS ?issuer)
    (SAMPLE(?planYear) AS ?year) WHERE {
  { ?s a gw:Unit . BIND("单位 unit" AS ?kind) } UNION { ?s a gw:UnitGroup . BIND("集合 group" AS ?kind) }
  UNION { ?s a foaf:Person . BIND("人员 person" AS ?kind) } UNION { ?s a gw:Goal . BIND("目标 goal" AS ?kind) }
  ?s rdfs:label|skos:altLabel ?l .
  FILTER(CONTAINS(STR(?l), $TEXT))
  ?s rdfs:label ?label .
  OPTIONAL { ?s gw:issuer ?gov . ?gov rdfs:label ?issuerName . FILTER(LANG(?issuerName) = "zh") }
  OPTIONAL { ?s skos:inScheme/dcterms:isPartOf ?plan . ?plan gw:issuer/rdfs:label ?issuerName .
             FILTER(LANG(?issuerName) = "zh") OPTIONAL { ?plan gw:year ?planYear } }
} GROUP BY ?s ORDER BY ?what ?name ?issuer LIMIT $LIMIT"""
SEARCH_TASKS = """SELECT ?s ?text WHERE { ?s gw:statement ?text . FILTER(CONTAINS(STR(?text), $TEXT)) }
ORDER BY ?s LIMIT $LIMIT"""
#: The year and number of the tasks found.
TASK_DETAILS = """SELECT ?s ?year ?number WHERE {
  # @params
  ?s gw:inPlan ?plan . OPTIONAL { ?plan gw:year ?year } OPTIONAL { ?s gw:taskNumber ?number }
}"""
KIND_LABELS = {"unit": "单位 unit", "group": "集合 group", "person": "人员 person", "goal": "目标 goal"}


def _scan(query: str, text: str) -> str:
    return PREFIX + query.replace("$TEXT", sparql_term(Literal(text))).replace("$LIMIT", str(SEARCH_LIMIT))


async def _names(text: str, index: NameIndex | None, server: Server) -> list[dict[str, Any]]:
    data = server.data
    if index is None or index.cut:
        return [{"item": shown(r["s"], r.get("name"), data), "kind": row_value(r, "what"),
                 "issuer": row_value(r, "issuer"), "year": row_value(r, "year")}
                for r in await server.select(_scan(SEARCH_NAMES, text))]
    return [{"item": shown({"type": "uri", "value": name.iri}, {"value": name.name}, data),
             "kind": KIND_LABELS[kind], "issuer": name.issuer, "year": name.year}
            for kind, name in index.containing(text, SEARCH_LIMIT)]


async def _tasks(text: str, index: TaskTexts | None, server: Server) -> list[dict[str, Any]]:
    found = (index.containing(text) if index is not None else
             [(r["s"]["value"], r["text"]["value"]) for r in await server.select(_scan(SEARCH_TASKS, text))])
    if not found:
        return []
    details = {r["s"]["value"]: r for r in await server.select(
        PREFIX + bound_to(TASK_DETAILS, "s", (iri for iri, _ in found)))}
    rows = [{"item": shown({"type": "uri", "value": iri}, None, server.data), "text": statement,
             "year": row_value(details.get(iri, {}), "year"), "number": row_value(details.get(iri, {}), "number")}
            for iri, statement in found]
    return sorted(rows, key=lambda row: (row["year"], task_key(row["item"].iri or "")))


async def indexes_ready(server: Server, seconds: float) -> bool:
    """True when the names and statements indexes search reads are there, or come within `seconds` (a first
    server on a national build reads them for most of a minute; scanning the store instead would take as long)."""
    end = asyncio.get_running_loop().time() + seconds
    for kind in ("names", "tasks"):
        if not await server.indexes.ready_within(kind, max(0.0, end - asyncio.get_running_loop().time())):
            return False
    return True


async def search(text: str, server: Server) -> dict[str, list[dict[str, Any]]]:
    """Units, groups, people, goals whose names, and tasks whose statements, contain the text (each at most
    SEARCH_LIMIT), from the indexes (read when the server starts) or, without them, by scanning the store."""
    names, tasks = await asyncio.gather(server.indexes.names(), server.indexes.tasks())
    found_names, found_tasks = await asyncio.gather(_names(text, names, server), _tasks(text, tasks, server))
    return {"names": found_names, "tasks": found_tasks}
