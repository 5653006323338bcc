"""Where queries run: the embedded Oxigraph store of a build, or any SPARQL 1.1 endpoint (SPARQLWrapper).

Both give the same :class:`Results`, with the union of all named graphs as the default graph: the embedded
store by Oxigraph's union-default-graph option, a remote endpoint by listing its named graphs as
`default-graph-uri` (SPARQL 1.1 Protocol) unless told its default graph already is the union.
"""

from __future__ import annotations

import json
import urllib.error
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph
from SPARQLWrapper import JSON, N3, POST, SPARQLExceptions, SPARQLWrapper

from .catalog import QueryError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Value:
    """An RDF term in a result: kind ("iri", "literal", "bnode"), lexical value, datatype, language."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    def to_json(self) -> dict[str, str]:
        """The term as in SPARQL 1.1 Query Results JSON."""
        out = {"type": {"iri": "uri"}.get(self.kind, self.kind), "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype:
            out["datatype"] = self.datatype
        return out


@dataclass
class Results:
    """A query's answer: SELECT variables and rows, an ASK boolean, or CONSTRUCT/DESCRIBE triples (N-Triples)."""

    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Value]] = field(default_factory=list)
    boolean: bool | None = None
    triples: str | None = None


def _from_oxigraph(term: Any) -> Value:
    if isinstance(term, pyoxigraph.NamedNode):
        return Value("iri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return Value("bnode", term.value)
    datatype = term.datatype.value if term.datatype is not None else None
    if term.language:
        return Value("literal", term.value, None, term.language)
    return Value("literal", term.value, None if datatype == XSD_STRING else datatype)


def _from_json(term: dict[str, str]) -> Value:
    kind = {"uri": "iri", "typed-literal": "literal"}.get(term["type"], term["type"])
    datatype = term.get("datatype")
    return Value(kind, term["value"], None if datatype == XSD_STRING else datatype, term.get("xml:lang"))


def store_path(location: str | Path) -> Path:
    """The Oxigraph store of a build folder (DIR/store) or a store folder itself."""
    location = Path(location)
    if (location / "store").is_dir():
        return location / "store"
    if location.is_dir() and any(location.glob("CURRENT")):
        return location
    raise QueryError(f"{location}: no store here; run `govkg build … --out {location}` first, or use --endpoint")


class EmbeddedStore:
    """Queries against the embedded store of a build, opened read-only."""

    def __init__(self, location: str | Path) -> None:
        self.location = store_path(location)
        try:
            self.store = pyoxigraph.Store.read_only(str(self.location))
        except OSError as exc:
            raise QueryError(f"{self.location}: cannot open the store ({exc})") from None

    def run(self, text: str) -> Results:
        """Run a query (no updates); the default graph is the union of all graphs."""
        try:
            answer = self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"the query is not valid SPARQL: {exc}") from None
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return Results(boolean=bool(answer))
        if isinstance(answer, pyoxigraph.QueryTriples):
            data = pyoxigraph.serialize(answer, format=pyoxigraph.RdfFormat.N_TRIPLES)
            return Results(triples=data.decode("utf-8") if data else "")
        variables = [variable.value for variable in answer.variables]
        rows = []
        for solution in answer:
            rows.append({name: _from_oxigraph(solution[name]) for name in variables if solution[name] is not None})
        return Results(variables=variables, rows=rows)


class RemoteEndpoint:
    """Queries against a SPARQL 1.1 endpoint over HTTP, with timeouts, authentication and clear errors."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT, user: str | None = None,
                 password: str | None = None, token: str | None = None, union_default_graph: bool = False) -> None:
        self.url, self.timeout = url, timeout
        self.user, self.password, self.token = user, password, token
        self.union_default_graph = union_default_graph
        self._graphs: list[str] | None = None

    def _client(self, text: str, fmt: str, graphs: list[str]) -> SPARQLWrapper:
        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setTimeout(int(max(1, self.timeout)))
        client.setReturnFormat(fmt)
        if self.user:
            client.setCredentials(self.user, self.password or "")
        if self.token:
            client.addCustomHttpHeader("Authorization", f"Bearer {self.token}")
        for graph in graphs:
            client.addDefaultGraph(graph)
        # SPARQLWrapper guesses the query form from keywords anywhere in the text ("loaded" → LOAD, an update):
        # send the query without its comment lines and state the form.
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        client.setQuery(body)
        client.queryType = _query_form(body)
        return client

    def _call(self, text: str, fmt: str, graphs: list[str]) -> Any:
        try:
            return self._client(text, fmt, graphs).query()
        except SPARQLExceptions.QueryBadFormed as exc:
            raise QueryError(f"{self.url} rejected the query: {_first_line(exc)}") from None
        except SPARQLExceptions.Unauthorized:
            raise QueryError(f"{self.url} refused access (401/403): check --user/--password or --token") from None
        except SPARQLExceptions.EndPointNotFound:
            raise QueryError(f"{self.url}: not found (404); is this the SPARQL query URL?") from None
        except SPARQLExceptions.SPARQLWrapperException as exc:
            raise QueryError(f"{self.url} failed: {_first_line(exc)}") from None
        except TimeoutError:
            raise QueryError(f"{self.url}: no answer within {self.timeout:g} s") from None
        except urllib.error.HTTPError as exc:
            raise QueryError(f"{self.url} answered HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            raise QueryError(f"cannot reach {self.url}: {exc.reason}") from None
        except (ConnectionError, OSError) as exc:
            raise QueryError(f"cannot reach {self.url}: {exc}") from None

    def graphs(self) -> list[str]:
        """The endpoint's named graphs (asked once), used as the default graph of every query."""
        if self._graphs is None:
            answer = self._call("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", JSON, [])
            data = _json(answer, self.url)
            self._graphs = sorted(row["g"]["value"] for row in data["results"]["bindings"])
        return self._graphs

    def run(self, text: str) -> Results:
        """Run a query; the default graph is the union of the endpoint's named graphs."""
        graphs = [] if self.union_default_graph else self.graphs()
        if _query_form(text) in ("CONSTRUCT", "DESCRIBE"):
            answer = self._call(text, N3, graphs)
            return Results(triples=answer.response.read().decode("utf-8"))
        data = _json(self._call(text, JSON, graphs), self.url)
        if "boolean" in data:
            return Results(boolean=bool(data["boolean"]))
        variables = data["head"].get("vars", [])
        rows = [{name: _from_json(term) for name, term in row.items()} for row in data["results"]["bindings"]]
        return Results(variables=variables, rows=rows)


def _json(answer: Any, url: str) -> dict[str, Any]:
    try:
        return json.loads(answer.response.read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise QueryError(f"{url} did not answer with SPARQL JSON results") from None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return " ".join(line.strip() for line in text[:3] if line.strip())[:300]


def _query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, from the first keyword after the prologue."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for word in body.replace("{", " ").split():
        upper = word.upper()
        if upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return upper
    return "SELECT"
