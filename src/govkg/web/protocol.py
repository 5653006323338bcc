"""The SPARQL 1.1 Protocol for queries: reading a request, refusing what a read-only endpoint must not do.

Accepted: GET with `query=`, POST `application/x-www-form-urlencoded`, POST `application/sparql-query`, each
with `default-graph-uri` / `named-graph-uri`. Refused: updates (read-only), `SERVICE` (the server never makes
an outbound request), and FROM / FROM NAMED naming graphs the store does not hold; the decision is taken on
the parsed query (see govkg.query.guard).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from ..query.guard import Checked, RefusedQueryError, check
from .conneg import FORMAT_ALIASES

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"

class ProtocolError(RefusedQueryError):
    """A request the endpoint refuses: HTTP status and a message."""


@dataclass(frozen=True)
class QueryRequest:
    """A query as the protocol delivered it."""

    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    #: The result format a form field chose (`format=` / `output=`), if any; the URL's own is read elsewhere.
    fmt: str | None = None
    #: A form's wish for a UTF-8 byte-order mark before CSV (for spreadsheets), `bom=1`.
    bom: bool = False


def _single(values: dict[str, list[str]], name: str) -> str | None:
    found = values.get(name, [])
    if len(found) > 1:
        raise ProtocolError(400, f"more than one {name} parameter")
    return found[0] if found else None


def _form_format(params: dict[str, list[str]]) -> str | None:
    """The result format a form asks for: its `format` / `output` fields (clients such as SPARQLWrapper send both,
    each as a name and as a media type: tsv, text/tab-separated-values), which must agree."""
    wanted = {FORMAT_ALIASES.get(value.lower(), value.lower()) for name in ("format", "output")
              for value in params.get(name, []) if value}
    if len(wanted) > 1:
        raise ProtocolError(400, f"the format parameters disagree: {', '.join(sorted(wanted))}")
    return wanted.pop() if wanted else None


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, f"the {what} is not UTF-8") from None


def read_request(method: str, url_query: str, content_type: str | None, body: bytes) -> QueryRequest | None:
    """The query of a protocol request, or None when it asks for none (service description / query UI)."""
    params = parse_qs(url_query, keep_blank_values=True)
    fmt: str | None = None
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
            fmt = _form_format(params)
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
    bom = (_single(params, "bom") or "").lower() in ("1", "true", "on", "yes")
    return QueryRequest(query, tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", [])),
                        fmt or None, bom)


def check_query(query: str, local_graphs: set[str], base: str | None = None) -> Checked:
    """Decide on the parsed query: refuse updates, SERVICE and FROM / FROM NAMED naming graphs not in the store.

    Graphs named by the protocol (`default-graph-uri` / `named-graph-uri`) are not refused: a graph the store
    lacks is simply empty, as the protocol expects. Returns the normalised text to run.
    """
    try:
        return check(query, base=base, local_graphs=local_graphs)
    except RefusedQueryError as exc:
        raise ProtocolError(exc.status, exc.message) from None
