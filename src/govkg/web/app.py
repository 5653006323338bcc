"""The linked-data server: SPARQL 1.1 Protocol endpoint, dereferenceable IRIs, pages, dumps and query UI.

Read-only over the embedded store of a build; queries run in a pool of worker processes with deadlines.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import json
import logging
import shlex
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as oxi
from fastapi import FastAPI, Request
from fastapi.concurrency import iterate_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Graph, URIRef

from .. import __version__
from ..dumps import DUMPS, MissingDumpError, available_dumps, dumps_changed_ns
from ..lexicon import load_lexicon
from ..query import QueryError, find_query, load_catalog
from ..query.bind import bind, iri_values, sparql_term
from ..query.catalog import NamedQuery
from ..query.names_check import UnknownNameError, check_names_async
from ..query.pages import GROUP, PAGE_ROWS
from ..rdf import DEFAULT_BASE, Minter
from ..rdf.serialize import serialize_quads
from ..rdf.vocab import PREFIXES
from ..resources import resource_dir
from ..store import release_store
from .ask import AnswerError, ask_router
from .background import Indexes
from .conneg import FORMAT_ALIASES, GRAPH_FORMATS, alternates, negotiate, prefers_html
from .follow import HOME_COUNTS, Committed, Token, changed_issuers, hold_committed, manifest_token
from .gzipped import gzip_current, gzip_pieces
from .jsonld import compact_document
from .kept import KeptPlans, keep_index, kept_index
from .pages import PREFIX, describe, described_rows, shown
from .people import BROWSE_PLANS, browse_issuers, browse_view, people_page, plans_of
from .protocol import ProtocolError, QueryRequest, check_query, read_request
from .serving import RequestContext, SecurityHeaders, csp_with_inline_scripts
from .site import Dataset, Triples, catalog_graph, service_description, void_graph
from .textsearch import SEARCH_WAIT, indexes_ready, search
from .warming import Warmer
from .workers import GRAPH_TYPES, SOLUTION_TYPES, BusyError, DeadlineExceededError, Job, QueryPool

HERE = Path(__file__).resolve().parent
LOG = logging.getLogger(__name__)
YASGUI_VERSION = "4.6.2"
RDF_TYPES = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
             "application/n-quads", "application/trig"]
_RDFLIB_FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
                   "application/rdf+xml": "xml", "application/n-quads": "nquads", "application/trig": "trig"}
#: Rendered pages kept (per page, origin and format).
_RENDERED_KEPT = 64
#: Triples of a small graph (VoID, DCAT) whose Turtle its page also shows; a larger one links to it.
TURTLE_SHOWN = 2000
#: Seconds the facts of a build (counts, the plans) may take to be read when the server starts or switches to a
#: build, if more than a request's deadline: they are needed to serve at all, and on a slow day the 25,000-document
#: build's counts took longer than the default 10 s, which stopped the server from starting.
FACTS_DEADLINE = 300.0
_STATUS = {"syntax": 400, "not-acceptable": 406, "too-large": 422, "memory": 503, "error": 500}


@dataclass
class ServerSettings:
    """How the server runs: the build folder, data base IRI, deadline and caps, worker processes, admission."""

    build_dir: Path
    base: str | None = None
    deadline: float = 10.0
    max_body: int = 1_000_000
    max_result: int = 50_000_000
    workers: int = 2
    #: Long queries running at once at low priority (None: as many as `workers`).
    long_queries: int | None = None
    #: Seconds a query runs in the fast lane before it counts as long.
    fast_budget: float = 0.25
    #: Queries one client (address) may have admitted at once; 0: no limit.
    per_client: int = 8
    #: Queries that may wait for a worker before new ones are refused with 503.
    queue: int = 64
    #: Address-space cap of each query worker in MB; 0: none.
    worker_memory: int = 2048
    #: Origins whose scripts may read the endpoint and the data (CORS): ("*",) any, () none.
    cors: tuple[str, ...] = ("*",)
    #: Seconds between looks for a newer build in the folder (the server switches to it); 0: never.
    follow: float = 1.0
    #: A question asked of every issuer is answered in pages (govkg.query.pages) when the data has more issuers
    #: than this; with fewer, in one answer.
    paged_above: int = GROUP
    #: Rows a page of such an answer holds at least (a page also ends when its time is spent).
    page_rows: int = PAGE_ROWS
    #: Read each store served into the system's page cache ahead of the queries, when it fits (govkg.web.warming).
    warm: bool = True


def plans_query(issuers: Iterable[str] | None = None) -> str:
    """The plans of the build (of the issuers `issuers`, IRIs, only, if given): each with its title, issuer, year,
    date and tasks counted."""
    only = "" if issuers is None else iri_values("issuer", issuers)
    return PREFIX + f"""SELECT ?plan ?title ?issuer ?issuerName ?year ?issued (COUNT(?task) AS ?tasks) WHERE {{
      {only} ?plan a gw:WorkPlan ; rdfs:label ?title ; gw:issuer ?issuer . ?issuer rdfs:label ?issuerName .
      FILTER(LANG(?issuerName) = "zh")
      OPTIONAL {{ ?plan gw:year ?year }} OPTIONAL {{ ?plan dcterms:issued ?issued }}
      OPTIONAL {{ ?task gw:inPlan ?plan }}
    }} GROUP BY ?plan ?title ?issuer ?issuerName ?year ?issued"""


def _plan_order(plan: Mapping[str, str]) -> tuple[str, bool, str, str]:
    """Plans by issuer's name, then year (those without one first; a gYear's four digits order as text)."""
    return plan.get("issuerName", ""), "year" in plan, plan.get("year", ""), plan["plan"]


def yasgui_dir() -> Path | None:
    """YASGUI's assets: in an installed wheel (govkg/_data/yasgui, added by hatch_build.py) or in the source
    tree's vendor/ (`make vendor`); None when neither has them."""
    for name in ("yasgui", "vendor/node_modules/@zazuko/yasgui/build"):
        with contextlib.suppress(FileNotFoundError):
            folder = resource_dir(name)
            if (folder / "yasgui.min.js").is_file() and (folder / "yasgui.min.css").is_file():
                return folder
    return None


class Server:
    """State shared by the request handlers: the build answered from, its query pool and what is known of it."""

    def __init__(self, settings: ServerSettings) -> None:
        self.committed, self._hold = hold_committed(settings.build_dir)
        #: The plans kept for the next server on the folder, as this server found or kept them; whether `start`
        #: read the plans served (a server never started keeps none).
        self._plans_kept: list[dict[str, str]] | None = None
        self._plans_read = False
        self._keeping_plans: asyncio.Task[None] | None = None
        try:
            base = settings.base or self.committed.base
            if not base:
                raise FileNotFoundError(f"{settings.build_dir}: no manifest.json; give --base")
        except BaseException:
            release_store(self._hold)
            raise
        self.settings = settings
        self.data = Dataset(settings.build_dir, base)
        self.pool = self._pool(self.committed)
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                     autoescape=select_autoescape(default=True, default_for_string=True))
        self.network_pages: dict[str, str] = {}  # colouring → the collaboration page, made on first request
        self.parser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sparql-parser")
        self._rendered: dict[tuple[str, ...], Response] = {}
        #: Called when the server switches to a newer build (caches of other modules emptied).
        self.on_switch: list[Callable[[], None]] = []
        self._refused: Token | None = None  # a build that could not be opened, not tried again
        self.indexes = Indexes(self)  # names, statements and class counts, read in the background
        self.warmer = Warmer()

    def _pool(self, committed: Committed) -> QueryPool:
        settings = self.settings
        return QueryPool(str(committed.store), size=settings.workers, deadline=settings.deadline,
                         heavy=settings.long_queries, budget=settings.fast_budget, per_client=settings.per_client,
                         queue=settings.queue, memory_mb=settings.worker_memory)

    async def rendered(self, key: tuple[str, ...], render: Callable[[], Response]) -> Response:
        """A response that depends only on the build (and `key`): rendered once, off the event loop. The key
        holds the request's origin (a client-chosen Host header), so only the most recent few are kept."""
        if key not in self._rendered:
            if len(self._rendered) >= _RENDERED_KEPT:
                del self._rendered[next(iter(self._rendered))]
            self._rendered[key] = await asyncio.to_thread(render)
        return self._rendered[key]

    async def select(self, query: str, pool: QueryPool | None = None,
                     deadline: float | None = None) -> list[dict[str, Any]]:
        """Run a SELECT through the pool (the server's, or `pool`; within `deadline` seconds, by default the
        server's) and return its JSON bindings (an error raises)."""
        answer = await (pool or self.pool).run(Job(query, "application/sparql-results+json", None,
                                                   max_bytes=self.settings.max_result), deadline)
        if answer.status != "ok":
            raise RuntimeError(answer.message)
        return json.loads(answer.body)["results"]["bindings"]

    async def load_facts(self, data: Dataset | None = None, pool: QueryPool | None = None,
                         committed: Committed | None = None,
                         previous: tuple[Committed, list[dict[str, str]]] | None = None) -> None:
        """Graph names and sizes, counts and plans of the build (of `data`, through `pool`), asked once. The
        graphs' sizes come from the build's manifest where it has them: counting them in the store reads every
        quad (seconds per million), which a server switching to each rebuild cannot afford at national scale; and
        of a build `previous` (its state and plans: the build served before a switch, or the plans the last server
        on the folder kept), only the plans of the issuers that differ are read (the plans of 25,000 documents
        took 2.5 s)."""
        began = time.perf_counter()
        data = data or self.data
        committed = committed or self.committed

        async def select(query: str) -> list[dict[str, Any]]:
            return await self.select(query, pool, max(self.settings.deadline, FACTS_DEADLINE))

        if committed.graph_quads is not None:
            data.graph_triples = dict(committed.graph_quads)
        else:
            for row in await select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
                data.graph_triples[row["g"]["value"]] = int(row["n"]["value"])
        data.graphs = set(data.graph_triples)
        data.counts["triples"] = sum(data.graph_triples.values())
        data.counts.update(committed.counts)  # those the build counted (its manifest): not counted again
        if committed.typed is not None:  # VoID's class partitions and entities too
            data.classes = dict(committed.typed.classes)
            data.counts["entities"] = committed.typed.entities
        asked = {key: cls for key, cls in HOME_COUNTS.items() if key not in committed.counts}
        if asked:  # each count read from its class's own quads (the type index), not from every typed resource
            values = " ".join(f"<{cls}>" for cls in asked.values())
            found = {row["c"]["value"]: int(row["n"]["value"]) for row in await select(
                f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?s a ?c }} GROUP BY ?c")}
            for key, cls in asked.items():
                data.counts[key] = found.get(str(cls), 0)
        async def plan_rows(issuers: set[str] | None = None) -> list[dict[str, str]]:
            return [{key: value["value"] for key, value in row.items()} for row in await select(plans_query(issuers))]

        changed = changed_issuers(previous[0], committed) if previous is not None else None
        if previous is not None and changed is not None and committed.base is not None:
            # a rebuild: the plans of the issuers it changed read again, the others' kept
            minter = Minter(committed.base)
            govs = {str(minter.government(gov)) for gov in changed}
            plans = [plan for plan in previous[1] if plan["issuer"] not in govs]
            plans += await plan_rows(govs) if govs else []
            how = f"updated: {len(changed)} issuer(s) read again"
        else:
            plans = await plan_rows()
            how = "read whole"
        data.plans = sorted(plans, key=_plan_order)
        LOG.info("the plans of the build whose store is %s: %s in %.2f s", committed.store, how,
                 time.perf_counter() - began)
        data.issuers = sorted({plan["issuerName"] for plan in data.plans if plan.get("issuerName")})
        reporting = {row["plan"]["value"] for row in await select(
            PREFIX + "SELECT ?plan WHERE { ?plan a gw:ProgressReport }")}
        data.report_issuers = sorted({plan["issuerName"] for plan in data.plans
                                      if plan["plan"] in reporting and plan.get("issuerName")})

    async def class_facts(self) -> Dataset:
        """The served dataset with its classes and typed resources counted (for the VoID description): those the
        build recorded, else read in the background once per build (govkg.web.background), since that reads every
        typed resource; RuntimeError when they could not be counted."""
        data = self.data
        if data.classes is None:
            counted = await self.indexes.classes()
            if counted is None:
                raise RuntimeError("the classes could not be counted")
            data.classes, entities = counted
            if entities is not None:
                data.counts["entities"] = entities
        return data

    async def follow(self) -> None:
        """Switch to each build committed in the folder (checked every `settings.follow` seconds), until
        cancelled."""
        build_dir = self.settings.build_dir
        while True:
            await asyncio.sleep(self.settings.follow)
            token = manifest_token(build_dir)
            if token is None or token in (self.committed.token, self._refused):
                continue
            try:
                await self.switch()
            except Exception as exc:  # the build answered so far stays served
                self._refused = token
                LOG.warning("%s: a new build could not be opened; still serving the previous one (%s)",
                            build_dir, exc)

    async def switch(self) -> None:
        """Answer from the build committed now: its store opened by a new pool and its facts read while the
        previous build answers; then the caches emptied, and the previous pool stopped once its queries end."""
        began = time.perf_counter()
        committed, hold = await asyncio.to_thread(hold_committed, self.settings.build_dir)
        pool = self._pool(committed)
        try:
            await pool.start()
            data = Dataset(self.settings.build_dir, self.settings.base or committed.base or self.data.base)
            await self.load_facts(data, pool, committed, previous=(self.committed, self.data.plans))
        except BaseException:
            await pool.stop()
            release_store(hold)
            raise
        previous, held = self.pool, self._hold
        self.committed, self._hold, self.pool, self.data = committed, hold, pool, data
        self._rendered.clear()
        self.network_pages.clear()
        for emptied in self.on_switch:
            emptied()
        self.indexes.warm(classes=False)
        if self.settings.warm:  # most of its files are the previous store's, already read
            self.warmer.start(committed.store)
        LOG.info("%s: now serving the build whose store is %s (opened in %.2f s)", self.settings.build_dir,
                 committed.store, time.perf_counter() - began)
        await previous.drain(self.settings.deadline)
        await previous.stop()
        release_store(held)

    async def start(self) -> None:
        """Start the query workers and read the facts of the build served: its plans updated from those the last
        server on the folder kept (govkg.web.kept), if it kept them, and kept for the next one once read whole."""
        if self.settings.warm:
            self.warmer.start(self.committed.store)
        await self.pool.start()
        kept = await asyncio.to_thread(kept_index, self.settings.build_dir, "plans")
        await self.load_facts(previous=(kept[0], kept[1].rows) if kept is not None else None)
        self._plans_read = True
        self._plans_kept = kept[1].rows if kept is not None else None
        if kept is None:  # kept while the server answers
            self._keeping_plans = asyncio.create_task(asyncio.to_thread(self._keep_plans))

    def _keep_plans(self) -> None:
        """Keep the plans served now for the next server on the folder (unless they are those kept already)."""
        plans = self.data.plans
        if self._plans_read and plans is not self._plans_kept and keep_index(
                self.settings.build_dir, "plans", self.committed, KeptPlans(plans)):
            self._plans_kept = plans

    async def close(self) -> None:
        """Keep the latest names and statements indexes and the plans for the next server, stop the query workers
        and let go of the store."""
        await self.warmer.stop()
        await self.indexes.keep()
        if self._keeping_plans is not None:
            with contextlib.suppress(Exception):
                await self._keeping_plans
        await asyncio.to_thread(self._keep_plans)
        await self.pool.stop()
        release_store(self._hold)
        self._hold = None

    def page(self, template: str, status: int = 200, headers: dict[str, str] | None = None,
             **context: Any) -> HTMLResponse:
        """Render an HTML page (autoescaped)."""
        html = self.templates.get_template(template).render(version=__version__, data=self.data, **context)
        return HTMLResponse(html, status_code=status, headers=headers or {"Vary": "Accept"})

    def example(self, named: NamedQuery) -> str:
        """A named query bound to the values of its `# example:` line, its parameters listed at the top."""
        values = example_params(named.example)
        for param in named.params:  # example IRIs are written with the default base: this server's data
            if param.kind == "iri" and param.name in values:
                values[param.name] = values[param.name].replace(DEFAULT_BASE, self.data.base, 1)
        try:
            body = bind(named, values, load_lexicon()).splitlines()
        except QueryError as error:  # an example value the parameter does not take: the query as written
            return f"# {named.title_zh} / {named.title_en}\n# 示例参数无效 example not bound: {error}\n{named.text}"
        while body and body[0].startswith("#"):  # the header comment, shown again below in short
            body.pop(0)
        top = [f"# {named.title_zh} / {named.title_en}"]
        if not named.params:
            return "\n".join([*top, "# 没有参数 No parameters", *body]) + "\n"
        width = max(len(param.name) for param in named.params)
        rows = [f"#   {param.name.ljust(width)} = {values.get(param.name) or 'UNDEF'}    {param.description}"
                for param in named.params]
        first = len(top) + 1 + len(rows) + 1  # the line number of body[0]
        runs: list[list[int]] = []  # the lines of the VALUES clauses (one block per `# @params` line)
        inside = False
        for number, line in enumerate(body):
            text = line.strip()
            if inside or text.startswith(("VALUES ?p_", "VALUES (?p_")):
                if runs and runs[-1][-1] == number - 1:
                    runs[-1].append(number)
                else:
                    runs.append([number])
                inside = (inside or text.startswith("VALUES (")) and text != "}"
        where = ", ".join(f"{first + run[0]}–{first + run[-1]}" if len(run) > 1 else str(first + run[0])
                          for run in runs)
        top.append(f"# 参数 Parameters (UNDEF = 任意 any), 在 VALUES 中修改 / set in the VALUES on line {where}:")
        return "\n".join(top + rows + body) + "\n"


def example_params(example: str) -> dict[str, str]:
    """The parameter values of an `# example:` command line (`--param name=value`, `--issuer X`, `--year Y`)."""
    words = shlex.split(example)
    values: dict[str, str] = {}
    for option, value in itertools.pairwise(words):
        if option == "--param" and "=" in value:
            name, _, text = value.partition("=")
            values[name] = text
        elif option in ("--issuer", "--year"):
            values[option[2:]] = value
    return values


# --- HTTP plumbing: HEAD for every GET route, CORS on the endpoint and the data ----------------------------------

#: Paths other sites' scripts may read (CORS): the endpoint and the data, exactly or as a path prefix.
CORS_EXACT = ("/sparql", "/void", "/catalog", "/ontology")
CORS_PREFIXES = ("/id/", "/dumps/")
CORS_ALLOWED_HEADERS = "Accept, Accept-Language, Content-Type"
CORS_EXPOSED_HEADERS = "Link, Content-Disposition, Retry-After"


def parse_cors(text: str) -> tuple[str, ...]:
    """`--cors` as origins: "*" (any), "none" (CORS off) or comma-separated origins such as https://a.example."""
    from urllib.parse import urlsplit

    text = text.strip()
    if text.lower() == "none":
        return ()
    origins = []
    for item in (part.strip() for part in text.split(",")):
        if item == "*":
            return ("*",)
        parts = urlsplit(item)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
                or parts.query or parts.fragment or parts.username or parts.password:
            raise ValueError(f"not an origin (scheme://host[:port]): {item!r}")
        origins.append(f"{parts.scheme}://{parts.netloc.lower()}")
    if not origins:
        raise ValueError("no origin given (use *, none, or scheme://host[:port],…)")
    return tuple(origins)


class HeadAsGet:
    """ASGI wrapper: HEAD is answered as the GET of the same URL would be — the same status and headers (with
    Content-Length), no body — on every route, so no route has to list HEAD."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Route a HEAD request as GET and drop the body of its answer."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Any) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class Cors:
    """ASGI wrapper: CORS (Fetch standard) for the endpoint and the data. A request from an allowed origin gets
    Access-Control-Allow-Origin; a preflight (OPTIONS with Access-Control-Request-Method) is answered here.
    Never with credentials: the data is public and read-only."""

    def __init__(self, app: Any, origins: tuple[str, ...] = ("*",)) -> None:
        self.app = app
        self.origins = origins

    def _allowed(self, origin: str) -> str | None:
        if "*" in self.origins:
            return "*"
        return origin if origin.lower() in self.origins else None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Answer a preflight, or pass the request on and add the CORS headers to its answer."""
        path = scope.get("path", "") if scope["type"] == "http" else ""
        applies = bool(self.origins) and (path in CORS_EXACT or path.startswith(CORS_PREFIXES))
        headers = {k.lower(): v for k, v in scope.get("headers", [])} if applies else {}
        origin = headers.get(b"origin", b"").decode("latin-1")
        allowed = self._allowed(origin) if origin else None
        if allowed is None:
            await self.app(scope, receive, send)
            return
        vary = [] if allowed == "*" else [(b"vary", b"Origin")]
        methods = "GET, HEAD, POST" if path == "/sparql" else "GET, HEAD"
        requested = headers.get(b"access-control-request-method", b"").decode("latin-1").strip().upper()
        if scope["method"] == "OPTIONS" and requested:
            if requested not in methods.split(", "):
                await self.app(scope, receive, send)  # not a method of this resource: the route's own answer
                return
            await send({"type": "http.response.start", "status": 204, "headers": [
                (b"access-control-allow-origin", allowed.encode("latin-1")),
                (b"access-control-allow-methods", methods.encode()),
                (b"access-control-allow-headers", CORS_ALLOWED_HEADERS.encode()),
                (b"access-control-max-age", b"86400"), *vary]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_cors(message: Any) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"access-control-allow-origin", allowed.encode("latin-1")),
                         (b"access-control-expose-headers", CORS_EXPOSED_HEADERS.encode())]
                message = {**message, "headers": [*message.get("headers", []), *extra, *vary]}
            await send(message)

        await self.app(scope, receive, with_cors)


def rdf_response(graph: Graph, media: str) -> Response:
    """Serialise an rdflib graph in a negotiated RDF media type."""
    return Response(serialized(graph, media), media_type=_with_charset(media), headers={"Vary": "Accept"})


#: The prefixes rdflib binds on every graph (brick:, wgs: …): not declared again in what the server writes.
_RDFLIB_PREFIXES = {prefix: str(namespace) for prefix, namespace in Graph().namespaces()}


def serialized(graph: Graph, media: str) -> bytes:
    """An rdflib graph (the service description, the ontology) in an RDF media type: Turtle, TriG and N-Quads
    written by Oxigraph from rdflib's N-Triples (rdflib's Turtle writer is slow on large graphs: 26 s for 200,000
    triples, this way 2.6 s). The server's VoID and DCAT are Oxigraph triples, written by `triples_serialized`."""
    if media in RESHAPED and media != "application/ld+json":  # with the prefixes the graph binds (sd: …) too
        bound = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
        return reshape(graph.serialize(format="nt", encoding="utf-8"), media,
                       prefixes={prefix: iri for prefix, iri in bound.items() if _RDFLIB_PREFIXES.get(prefix) != iri})
    body = graph.serialize(format=_RDFLIB_FORMATS[media])
    return body.encode("utf-8") if isinstance(body, str) else body


def _with_charset(media: str) -> str:
    # The SPARQL JSON results type defines no parameters (it is always UTF-8): the type alone, as clients compare.
    if media == "application/sparql-results+json":
        return media
    return f"{media}; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "n-triples")) else media


@functools.lru_cache(maxsize=1)
def jsonld_context() -> dict[str, Any]:
    """The project's JSON-LD context (ontology/context.jsonld), which compacts every resource's JSON-LD."""
    return json.loads((resource_dir("ontology") / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def reshape(ntriples: bytes, media: str, graph_name: str | None = None,
            prefixes: Mapping[str, str] | None = None) -> bytes:
    """N-Triples from the store in a friendlier form: Turtle and TriG with the usual prefixes (and `prefixes`),
    compact JSON-LD (the project's context), N-Quads / TriG in the named graph `graph_name`; other types are not
    handled here."""
    triples = [quad.triple for quad in oxi.parse(ntriples, format=oxi.RdfFormat.N_TRIPLES)]
    if media == "application/ld+json":
        return _jsonld(triples, graph_name)
    quads = _in_graph(triples, graph_name)
    if media == "text/turtle":
        return serialize_quads(quads, "turtle", prefixes)
    if media == "application/trig":
        return serialize_quads(quads, "trig", prefixes)
    if media == "application/n-quads":
        return oxi.serialize(sorted(quads, key=str), format=oxi.RdfFormat.N_QUADS)
    raise ValueError(f"not reshaped here: {media}")


#: The formats Oxigraph writes a small graph in as it is (site.Triples: already in order, subject by subject).
_TRIPLES_FORMATS = {"text/turtle": oxi.RdfFormat.TURTLE, "application/trig": oxi.RdfFormat.TRIG,
                    "application/n-triples": oxi.RdfFormat.N_TRIPLES, "application/n-quads": oxi.RdfFormat.N_QUADS,
                    "application/rdf+xml": oxi.RdfFormat.RDF_XML}


def triples_serialized(triples: list[oxi.Triple], media: str) -> bytes:
    """A small graph of the server's own (VoID, DCAT: site.Triples) in an RDF media type, written by Oxigraph in
    the triples' order with the usual prefixes (a 25,000-plan catalogue in Turtle: 0.1 s); JSON-LD compacted with
    the project's context."""
    if media == "application/ld+json":
        return _jsonld(triples, None)
    fmt = _TRIPLES_FORMATS[media]
    if fmt in (oxi.RdfFormat.N_TRIPLES, oxi.RdfFormat.N_QUADS):
        return oxi.serialize(triples, format=fmt)
    return oxi.serialize(triples, format=fmt, prefixes={prefix: str(iri) for prefix, iri in PREFIXES.items()})


def _jsonld(triples: list[oxi.Triple], graph_name: str | None) -> bytes:
    """Compact JSON-LD of the triples (in the named graph `graph_name`, if given) with the project's context; where
    an IRI would read as a compact IRI with it (`unit:x`), the expanded form Oxigraph writes, without a context."""
    try:
        document = compact_document(triples, jsonld_context(), graph_name)
    except ValueError:
        return oxi.serialize(_in_graph(triples, graph_name), format=oxi.RdfFormat.JSON_LD)
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _in_graph(triples: list[oxi.Triple], graph_name: str | None) -> list[oxi.Quad]:
    """The triples as quads of the named graph `graph_name` (None: the default graph)."""
    name = oxi.NamedNode(graph_name) if graph_name else oxi.DefaultGraph()
    return [oxi.Quad(t.subject, t.predicate, t.object, name) for t in triples]


#: Media types `reshape` makes from N-Triples (the others come from the store as they are).
RESHAPED = ("text/turtle", "application/trig", "application/n-quads", "application/ld+json")


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"request body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _wanted(request: Request, form_format: str | None = None) -> tuple[str | None, str | None]:
    """Media types for query results and for graphs: `format=` (of the URL, else of a posted form) first, else the
    Accept header."""
    fmt = request.query_params.get("format") or request.query_params.get("output") or form_format
    if fmt:
        media = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        solution = media if media in SOLUTION_TYPES else None
        graph = media if media in GRAPH_TYPES else None
        return solution or ("application/sparql-results+json" if graph else None), graph or (
            "text/turtle" if solution else None)
    accept = request.headers.get("accept")
    solution = negotiate(accept, [*SOLUTION_TYPES, "application/json"])
    if solution == "application/json":
        solution = "application/sparql-results+json"
    return solution, negotiate(accept, list(GRAPH_TYPES))


def create_app(settings: ServerSettings) -> FastAPI:
    """The FastAPI application serving one build folder."""
    server = Server(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await server.start()
        server.indexes.warm(classes=server.committed.typed is None)  # else the build counted them
        following = asyncio.create_task(server.follow()) if settings.follow > 0 else None
        yield
        if following is not None:
            following.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await following
        await server.close()

    app = FastAPI(title="govkg", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.server = server
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Cors, origins=settings.cors)
    app.add_middleware(HeadAsGet)
    app.add_middleware(RequestContext)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(ask_router(server))  # /ask, /api/q01…, /api/names, /openapi.json
    yasgui = yasgui_dir()
    if yasgui:
        app.mount("/vendor/yasgui", StaticFiles(directory=yasgui), name="yasgui")

    @app.exception_handler(DeadlineExceededError)
    async def deadline(request: Request, exc: DeadlineExceededError) -> Response:
        return PlainTextResponse(f"{exc}\n", status_code=503, headers={"Retry-After": "1"})

    @app.exception_handler(BusyError)
    async def busy(request: Request, exc: BusyError) -> Response:
        return PlainTextResponse(f"{exc.message}\n", status_code=exc.status, headers={"Retry-After": "1"})

    @app.exception_handler(ProtocolError)
    async def protocol_error(request: Request, exc: ProtocolError) -> Response:
        headers = {"Allow": "GET, POST"} if exc.status == 405 else {}
        return PlainTextResponse(exc.message + "\n", status_code=exc.status, headers=headers)

    @app.get("/", response_class=HTMLResponse)
    async def home(request: Request) -> Response:
        return server.page("home.html", queries=load_catalog().values(), home_plans=BROWSE_PLANS)

    @app.get("/search", response_class=HTMLResponse)
    async def find(request: Request, q: str = "") -> Response:
        text = q.strip()[:100]
        if text and not await indexes_ready(server, SEARCH_WAIT):
            return server.page("search.html", status=503, headers={"Retry-After": "5", "Vary": "Accept"}, q=text,
                               results=None, pending=True)
        results = await search(text, server) if text else None
        return server.page("search.html", q=text, results=results)

    @app.get("/browse", response_class=HTMLResponse)
    async def browse(request: Request, issuer: str = "") -> Response:
        """Every plan with its goals; for a large dataset, its issuers, each browsed on its own (`?issuer=`)."""
        named = issuer.strip()[:100] or None
        plans = plans_of(server.data, named)
        if plans is None:
            return server.page("error.html", status=404, message=f"No issuer called {named} in this build; "
                                                                  "see /browse for the issuers.")
        if named is None and len(plans) > BROWSE_PLANS:
            return server.page("browse.html", index=browse_issuers(server.data), issuers=[], named=None)
        return server.page("browse.html", issuers=await browse_view(server.select, server.data, plans), named=named)

    @app.api_route("/sparql", methods=["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"])
    async def sparql(request: Request) -> Response:
        body = await _body(request, settings.max_body) if request.method == "POST" else b""
        query = read_request(request.method, request.url.query, request.headers.get("content-type"), body)
        if query is None:
            return _describe_service(request)
        return await _run(request, query)

    def _describe_service(request: Request) -> Response:
        accept = request.headers.get("accept")
        if prefers_html(accept):
            examples = {named.name: {"title": f"{named.name} {named.title_zh}", "query": server.example(named)}
                        for named in load_catalog().values()}
            return server.page("sparql.html", yasgui=yasgui is not None, examples=examples)
        media = FORMAT_ALIASES.get(request.query_params.get("format", ""), "") or negotiate(accept, RDF_TYPES)
        if media not in _RDFLIB_FORMATS:
            raise ProtocolError(406, "no acceptable format for the service description")
        return rdf_response(service_description(_origin(request)), media)

    async def _run(request: Request, query: QueryRequest) -> Response:
        # The endpoint's URL is the base IRI of every query, so relative IRIs resolve (and the parser agrees).
        base = f"{_origin(request)}/sparql"
        # Parsing is CPU work (a large VALUES block takes a second): off the event loop, one at a time.
        checked = await asyncio.get_running_loop().run_in_executor(
            server.parser, check_query, query.query, server.data.graphs, base)
        solution, graph = _wanted(request, query.fmt)
        dataset_given = bool(query.default_graphs or query.named_graphs)
        # A protocol dataset naming graphs the store lacks is not refused: those graphs are empty.
        job = Job(checked.text, solution, graph, default_graphs=query.default_graphs,
                  named_graphs=query.named_graphs if dataset_given else None, max_bytes=settings.max_result,
                  union=not checked.has_dataset, base_iri=base)
        if dataset_given and not query.default_graphs:
            job = Job(checked.text, solution, graph, default_graphs=("urn:govkg:empty-default-graph",),
                      named_graphs=query.named_graphs, max_bytes=settings.max_result, base_iri=base)
        answer = await _unless_gone(request, server.pool.run(job))  # past its deadline: the handler's 503
        if answer is None:  # the client went away: its query was stopped, nobody reads this
            return Response(status_code=499)
        if answer.status != "ok":
            return PlainTextResponse(_public_message(answer) + "\n", status_code=_STATUS.get(answer.status, 500))
        body = answer.body
        if query.bom and answer.media_type == "text/csv":  # a person's download (bom=1): Excel reads it as UTF-8
            body = "\ufeff".encode() + body
        return Response(body, media_type=_with_charset(answer.media_type), headers={"Vary": "Accept"})

    def _negotiated(request: Request, offers: list[str]) -> str:
        """The media type of a page's answer: `format=` first, else the Accept header; 406 when none fits."""
        fmt = request.query_params.get("format")
        media = FORMAT_ALIASES.get(fmt, fmt) if fmt else negotiate(request.headers.get("accept"), offers)
        if media not in offers:
            raise ProtocolError(406, "no acceptable format: " + ", ".join(offers))
        return media

    async def _construct(query: str, media: str, graph_name: str | None = None) -> bytes:
        """A CONSTRUCT's triples in `media`: prefixed Turtle, compact JSON-LD and quad formats made here."""
        asked = "application/n-triples" if media in RESHAPED else media
        answer = await server.pool.run(Job(query, None, asked, max_bytes=settings.max_result))
        if answer.status != "ok":
            raise ProtocolError(_STATUS.get(answer.status, 500), _public_message(answer))
        if media not in RESHAPED:
            return answer.body
        return await asyncio.to_thread(reshape, answer.body, media, graph_name)

    @app.get("/id/{tail:path}")
    async def resource(request: Request, tail: str) -> Response:
        raw = request.scope.get("raw_path", b"").decode("latin-1")
        raw_tail = raw.split("/id/", 1)[1] if "/id/" in raw else tail
        iri = server.data.iri_for_raw_path(raw_tail)
        here = raw if "/id/" in raw else request.url.path
        if iri in server.data.graphs:
            return await _named_graph(request, iri, here)
        media = _negotiated(request, ["text/html", *RDF_TYPES])
        try:
            page = await describe(iri, server.select, server.data)
        except QueryError:  # not an IRI the store could hold
            page = None
        if page is None:
            return server.page("error.html", status=404, message=f"Nothing is known about <{iri}>.")
        headers = {"Vary": "Accept", "Link": alternates(here, media)}
        if media == "text/html":
            template, view = await people_page(page, server.select, server.data)
            return server.page(template, headers=headers, page=page, **view)
        term = sparql_term(URIRef(iri))
        body = await _construct(f"CONSTRUCT {{ {term} ?p ?o }} WHERE {{ {term} ?p ?o }}", media)
        return Response(body, media_type=_with_charset(media), headers=headers)

    async def _named_graph(request: Request, iri: str, here: str) -> Response:
        """A named graph of the store (a document's, the lexicon's, the links'): a summary page, or its triples."""
        media = _negotiated(request, ["text/html", *RDF_TYPES])
        headers = {"Vary": "Accept", "Link": alternates(here, media, GRAPH_FORMATS)}
        term = sparql_term(URIRef(iri))
        if media != "text/html":
            body = await _construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {term} {{ ?s ?p ?o }} }}", media, iri)
            return Response(body, media_type=_with_charset(media), headers=headers)
        rows = await server.select(f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH {term} {{ ?s a ?c }} }} "
                                   "GROUP BY ?c ORDER BY DESC(?n) ?c")
        classes = [(shown(row["c"], None, server.data), row["n"]["value"]) for row in rows]
        tail = iri[len(server.data.base):] if iri.startswith(server.data.base) else ""
        plan_iri = server.data.base + tail.removeprefix("graph/") if tail.startswith("graph/plan/") else None
        plan = next((p for p in server.data.plans if p["plan"] == plan_iri), None)
        return server.page("graph.html", headers=headers, iri=iri, kind=tail.removeprefix("graph/").split("/")[0],
                           triples=server.data.graph_triples.get(iri, 0), classes=classes, plan=plan,
                           plan_href=server.data.local_path(plan_iri) if plan else None,
                           formats=[f for f in GRAPH_FORMATS if f[1] != "text/html"])

    def _html_or_rdf(request: Request) -> str:
        return _negotiated(request, ["text/html", *RDF_TYPES])

    async def _graph_page(request: Request, name: str, make: Callable[[], Triples], title: str) -> Response:
        """A small graph of the build's own (VoID, DCAT): a page for a browser (or `format=html`), else RDF
        (Turtle when the client states no preference); rendered once per origin and format."""
        fmt = request.query_params.get("format")
        if fmt or not prefers_html(request.headers.get("accept")):
            media = _negotiated(request, RDF_TYPES) if fmt != "html" else "text/html"
        else:
            media = "text/html"
        link = alternates(request.url.path, media)

        def render() -> Response:
            triples = make()
            if media == "text/html":
                described = described_rows(triples, server.data)
                turtle = triples_serialized(triples, "text/turtle").decode("utf-8") if len(
                    triples) <= TURTLE_SHOWN else None
                return server.page("rdf.html", headers={"Vary": "Accept", "Link": link}, title=title,
                                   rows=described.rows, hidden=described.hidden_subjects, turtle=turtle)
            return Response(triples_serialized(triples, media), media_type=_with_charset(media),
                            headers={"Vary": "Accept", "Link": link})
        return await server.rendered((name, _origin(request), media), render)

    @app.get("/void")
    async def void(request: Request) -> Response:
        origin = _origin(request)
        try:
            data = await server.class_facts()
        except (RuntimeError, DeadlineExceededError, BusyError) as exc:
            return PlainTextResponse(f"the classes could not be counted now ({exc}); try again\n", status_code=503,
                                     headers={"Retry-After": "5"})
        return await _graph_page(request, "void", lambda: void_graph(data, origin), "VoID 数据集描述")

    @app.get("/catalog")
    async def catalog(request: Request) -> Response:
        origin = _origin(request)
        return await _graph_page(request, "catalog", lambda: catalog_graph(server.data, origin),
                                 "DCAT 目录 catalogue")

    @app.get("/ontology")
    async def ontology(request: Request) -> Response:
        media = _html_or_rdf(request)

        def render() -> Response:
            graph = Graph().parse(resource_dir("ontology") / "govwork.ttl")
            if media == "text/html":
                return server.page("ontology.html", terms=_ontology_terms(graph))
            return rdf_response(graph, media)
        return await server.rendered(("ontology", media), render)

    @app.get("/dumps/")
    async def dumps(request: Request) -> Response:
        return server.page("dumps.html", dumps=[(name, DUMPS[name][0])
                                                for name in available_dumps(settings.build_dir)])

    @app.get("/dumps/{name}")
    async def dump(name: str) -> Response:
        plain = name.removesuffix(".gz")
        if plain not in available_dumps(settings.build_dir) or not name.endswith(".gz"):
            return server.page("error.html", status=404, message=f"No dump called {name}.")
        # a dump made when read (from shares or graph files) is as new as the last build that changed its graph files
        changed = dumps_changed_ns(settings.build_dir, plain)
        target = settings.build_dir / "dumps" / name
        if changed is not None and gzip_current(target, changed):
            return FileResponse(target, media_type="application/gzip", filename=name)
        # made now and streamed as it is written (a national dump takes minutes): the first piece is taken here,
        # so that a share or graph file missing at the start is an error page, not a cut-off download
        pieces = gzip_pieces(settings.build_dir, plain, target)
        try:
            first = await asyncio.to_thread(next, pieces, b"")
        except MissingDumpError as exc:  # named within the build folder: the page does not show the server's paths
            where = str(exc).replace(f"{settings.build_dir}/", "")
            return server.page("error.html", status=500, message=f"The dump {name} cannot be made: {where}")
        return StreamingResponse(_prepended(first, pieces), media_type="application/gzip",
                                 headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/graph", response_class=HTMLResponse)
    async def graph_page(request: Request) -> Response:
        """The collaboration network, filtered by the URL (`?issuer=钟楼区&year=2022&role=both&min=2&hide_merged=1`;
        none of issuer, year, goal: the first issuer's latest plan); a bad value 400, nothing matching 404 (an
        unknown name with suggestions). Rendered pages are kept per filter set, the least recently used dropped."""
        from ..network.data import SelectionTooLargeError
        from ..network.served import PAGES_KEPT, GraphRequest
        from ..query import EmbeddedStore

        try:
            wanted = GraphRequest.from_params(request.query_params, server.data.plans)
        except QueryError as exc:
            return _name_error(server, request, 400, exc)
        key = wanted.key()
        page = server.network_pages.pop(key, None)
        if page is None:
            try:
                page = await asyncio.to_thread(wanted.render, EmbeddedStore(server.committed.store), server.data.base,
                                               server.data.plans)
            except SelectionTooLargeError as exc:  # every issuer of a national build: choose one
                return _name_error(server, request, 400, exc)
            except QueryError as exc:  # an unknown issuer, year or goal ("did you mean …"), or nothing to draw
                return _name_error(server, request, 404, exc)
            while len(server.network_pages) >= PAGES_KEPT:
                del server.network_pages[next(iter(server.network_pages))]
        server.network_pages[key] = page  # (re)inserted last: the most recently used
        # The collaboration page is self-contained (vis-network inline): its own scripts are allowed by hash.
        return HTMLResponse(page, headers={"Content-Security-Policy": csp_with_inline_scripts(page)})

    @app.get("/queries")
    async def queries() -> Response:
        return JSONResponse([{"name": q.name, "title_zh": q.title_zh, "title_en": q.title_en,
                              "params": [p.name for p in q.params], "example": q.example}
                             for q in load_catalog().values()])

    @app.exception_handler(AnswerError)
    async def answer_error(request: Request, exc: AnswerError) -> Response:  # raised by a route's dependency
        return exc.as_json()

    @app.exception_handler(UnknownNameError)
    async def unknown_name(request: Request, exc: UnknownNameError) -> Response:
        return _name_error(server, request, 404, exc)

    @app.get("/queries/{name}")
    async def named_query(request: Request, name: str) -> Response:
        """The query's text; with parameters (`?unit=住建局&issuer=钟楼区`), bound to them once every name is known
        to the data (an unknown name: 404 suggesting known ones; a bad value: 400)."""
        try:
            named = find_query(name)
        except QueryError:
            return PlainTextResponse("no such query\n", status_code=404)
        values = dict(request.query_params)
        if not values:
            return PlainTextResponse(named.text, media_type="application/sparql-query")
        try:
            lex = load_lexicon()
            await check_names_async(named, values, server.select, lex)
            text = bind(named, values, lex)
        except UnknownNameError as exc:
            return _name_error(server, request, 404, exc)
        except QueryError as exc:
            return _name_error(server, request, 400, exc)
        return PlainTextResponse(text, media_type="application/sparql-query")

    return app


def _name_error(server: Server, request: Request, status: int, exc: QueryError) -> Response:
    """A parameter the named query cannot take (an unknown name, with its suggestions): HTML for a browser, JSON
    when asked for, else one line of text; the same message in each."""
    accept = request.headers.get("accept")
    if prefers_html(accept):
        return server.page("error.html", status=status, message=str(exc))
    if "json" in (accept or ""):
        body: dict[str, Any] = {"error": str(exc)}
        if isinstance(exc, UnknownNameError):
            body.update(parameter=exc.param, value=exc.value, suggestions=exc.suggestions)
        return JSONResponse(body, status_code=status)
    return PlainTextResponse(f"{exc}\n", status_code=status)


async def _unless_gone(request: Request, running: Any) -> Any:
    """Await the query unless the client disconnects first; then cancel it (its worker is stopped) → None."""
    query = asyncio.ensure_future(running)
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({query, gone}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        query.cancel()
        raise
    finally:
        gone.cancel()
    if not query.done():
        query.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await query
        return None
    return query.result()


async def _disconnected(request: Request) -> None:
    """Returns when the client has closed the connection (the request body, if any, was read before)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


def _public_message(answer: Any) -> str:
    """What a client may read of a failed answer: a syntax error's first line, else a fixed short reason."""
    if answer.status == "syntax":
        return "the query is not valid SPARQL: " + (answer.message.strip().splitlines() or [""])[0][:200]
    if answer.status in ("not-acceptable", "too-large", "memory"):
        return answer.message
    return "the query failed in the store"


async def _prepended(first: bytes, rest: Iterator[bytes]) -> AsyncIterator[bytes]:
    """`first`, then the pieces of `rest`, each taken in a worker thread."""
    yield first
    async for piece in iterate_in_threadpool(rest):
        yield piece


def _origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def _ontology_terms(graph: Graph) -> list[dict[str, str]]:
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    gw = "https://w3id.org/govkg/ontology#"
    kinds = {OWL.Class: "class", OWL.ObjectProperty: "object property", OWL.DatatypeProperty: "datatype property",
             OWL.NamedIndividual: "individual"}
    terms = []
    for term in sorted({s for s in graph.subjects() if str(s).startswith(gw)}):
        kind = next((name for cls, name in kinds.items() if (term, RDF.type, cls) in graph), None)
        if kind is None:
            continue

        def text(prop: Any, lang: str, node: Any = term) -> str:
            return next((str(o) for o in graph.objects(node, prop) if getattr(o, "language", None) == lang), "")

        terms.append({"name": str(term)[len(gw):], "kind": kind, "zh": text(RDFS.label, "zh"),
                      "en": text(RDFS.label, "en"), "def_zh": text(SKOS.definition, "zh"),
                      "def_en": text(SKOS.definition, "en")})
    return terms
