"""The SPARQL 1.1 Protocol for queries: reading a request, refusing what a read-only endpoint must not do.

Accepted: GET with `query=`, POST `application/x-www-form-urlencoded`, POST `application/sparql-query`, each
with `default-graph-uri` / `named-graph-uri`. Refused: updates (read-only), `SERVICE` (the server never makes
an outbound request), and datasets naming graphs the store does not hold (`FROM <remote>`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"

_TOKEN = re.compile(
    r'''(?P<comment>\#[^\n]*)
      | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\''(?:[^'\\]|\\.|'(?!''))*'\'\''
                   |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<var>[?$][A-Za-z0-9_\u00b7-\uffff]+)
      | (?P<pname>[A-Za-z_\u00c0-\uffff][\w.\u00b7-\uffff-]*:[\w.\u00b7-\uffff%\\-]*|:[\w.\u00b7-\uffff%\\-]*)
      | (?P<word>[A-Za-z]+)
      | (?P<other>\S)''', re.VERBOSE)


class ProtocolError(Exception):
    """A request the endpoint refuses: HTTP status and a message."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class QueryRequest:
    """A query as the protocol delivered it."""

    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


def _single(values: dict[str, list[str]], name: str) -> str | None:
    found = values.get(name, [])
    if len(found) > 1:
        raise ProtocolError(400, f"more than one {name} parameter")
    return found[0] if found else None


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, f"the {what} is not UTF-8") from None


def read_request(method: str, url_query: str, content_type: str | None, body: bytes) -> QueryRequest | None:
    """The query of a protocol request, or None when it asks for none (service description / query UI)."""
    params = parse_qs(url_query, keep_blank_values=True)
    if method in ("GET", "HEAD"):
        if "update" in params:
            raise ProtocolError(403, "this endpoint is read-only: updates are not accepted")
        query = _single(params, "query")
    elif method == "POST":
        media, _, options = (content_type or "").partition(";")
        media = media.strip().lower()
        charset = re.search(r"charset\s*=\s*\"?([\w-]+)", options, re.IGNORECASE)
        if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
            raise ProtocolError(400, f"only UTF-8 is accepted, not {charset.group(1)}")
        if media == FORM:
            params = parse_qs(_decode(body, "form"), keep_blank_values=True)
            if "update" in params:
                raise ProtocolError(403, "this endpoint is read-only: updates are not accepted")
            query = _single(params, "query")
            if query is None:
                raise ProtocolError(400, "the form has no query parameter")
        elif media == DIRECT:
            query = _decode(body, "query")
        elif media == UPDATE:
            raise ProtocolError(403, "this endpoint is read-only: updates are not accepted")
        elif not media:
            raise ProtocolError(400, f"a POST needs a Content-Type ({FORM} or {DIRECT})")
        else:
            raise ProtocolError(415, f"unsupported Content-Type {media} (use {FORM} or {DIRECT})")
    else:
        raise ProtocolError(405, f"method {method} is not allowed (GET or POST)")
    if query is None:
        return None
    if not query.strip():
        raise ProtocolError(400, "the query is empty")
    return QueryRequest(query, tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", [])))


def tokens(query: str) -> list[tuple[str, str]]:
    """The query's tokens (kind, text), comments and strings set apart so keywords are found reliably."""
    return [(match.lastgroup or "other", match.group()) for match in _TOKEN.finditer(query)]


def has_dataset(query: str) -> bool:
    """True when the query names its own dataset (FROM / FROM NAMED)."""
    return any(kind == "word" and text.upper() == "FROM" for kind, text in tokens(query))


_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}


def check_query(query: str, local_graphs: set[str], request: QueryRequest) -> None:
    """Refuse updates, SERVICE and datasets naming graphs that are not in the store."""
    words = [(kind, text) for kind, text in tokens(query) if kind != "comment"]
    first = next((text.upper() for kind, text in words if kind == "word" and text.upper() not in ("PREFIX", "BASE")),
                 "")
    if first in _UPDATE_WORDS:
        raise ProtocolError(403, "this endpoint is read-only: updates are not accepted")
    for index, (kind, text) in enumerate(words):
        if kind != "word":
            continue
        upper = text.upper()
        if upper == "SERVICE":
            raise ProtocolError(403, "SERVICE is not allowed: this endpoint never makes outbound requests")
        if upper == "FROM":
            rest = words[index + 1:index + 3]
            named = len(rest) > 1 and rest[0][1].upper() == "NAMED"
            target = rest[1] if named else (rest[0] if rest else None)
            if target and target[0] == "iri" and target[1][1:-1] not in local_graphs:
                raise ProtocolError(403, f"FROM {target[1]} names no graph of this store; remote data is "
                                         "never loaded")
    for graph in request.default_graphs + request.named_graphs:
        if graph not in local_graphs:
            raise ProtocolError(403, f"graph <{graph}> is not in this store; remote data is never loaded")
