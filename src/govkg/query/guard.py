"""What a user's SPARQL query may do, decided on the parsed query (rdflib's SPARQL 1.1 parser), not its text.

Refused: updates of any kind (LOAD, INSERT DATA, DROP, several operations, …), `SERVICE` anywhere (nested groups,
subqueries, OPTIONAL, MINUS, EXISTS …), and — where the caller gives the store's graphs — a dataset
(FROM / FROM NAMED, IRIs or prefixed names) naming graphs the store does not hold. A query the parser cannot
read is refused with the parser's position and a short reason, never a backend's message.

The text is first normalised as SPARQL 1.1 §19.2 says (`\\uXXXX` / `\\UXXXXXXXX` escapes replaced before
parsing) and every carriage return made a line feed (SPARQL ends a `#` comment at either), and the normalised
text is what the store then runs, so the parser that decides and the engine that runs read the same text.
As a second line, a tokeniser that knows comments, strings and IRIs refuses any remaining SERVICE keyword.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r'''(?P<comment>\#[^\r\n]*)
      | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\''(?:[^'\\]|\\.|'(?!''))*'\'\''
                   |"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<var>[?$][A-Za-z0-9_\u00b7-\uffff]+)
      | (?P<pname>[A-Za-z_\u00c0-\uffff][\w.\u00b7-\uffff-]*:[\w.\u00b7-\uffff%\\-]*|:[\w.\u00b7-\uffff%\\-]*)
      | (?P<word>[A-Za-z]+)
      | (?P<other>\S)''', re.VERBOSE | re.DOTALL)

READ_ONLY = "this endpoint is read-only: updates are not accepted"
NO_SERVICE = "SERVICE is not allowed: queries never make outbound requests"


class RefusedQueryError(Exception):
    """A query that is refused: HTTP-like status (400 unreadable, 403 not allowed) and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Checked:
    """A query that may run: the normalised text to run, its form and the dataset it names (resolved IRIs)."""

    text: str
    form: str
    from_default: tuple[str, ...]
    from_named: tuple[str, ...]

    @property
    def has_dataset(self) -> bool:
        """True when the query names its own dataset (FROM / FROM NAMED)."""
        return bool(self.from_default or self.from_named)


def normalise(text: str) -> str:
    """The query text as the parser must read it: code point escapes replaced, CR made LF."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise RefusedQueryError(400, f"the query is not valid SPARQL: bad code point escape {match.group()}")
        return chr(code)

    return _ESCAPE.sub(replace, text).replace("\r\n", "\n").replace("\r", "\n")


def _walk(node: Any) -> Iterable[Any]:
    """Every node of a parse tree / algebra (CompValues, lists, …)."""
    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif hasattr(item, "asList") and not isinstance(item, str):  # pyparsing ParseResults
            stack.extend(item.asList())


def _name(node: Any) -> str:
    return str(getattr(node, "name", "") or "")


def _position(exc: Exception, text: str) -> str:
    line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    reason = str(getattr(exc, "msg", "") or type(exc).__name__).splitlines()[0][:120]
    return f"{reason} (line {line}, column {col})" if line else reason


@lru_cache(maxsize=512)
def _decide(text: str, base: str | None) -> Checked | RefusedQueryError:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        normal = normalise(text)
    except RefusedQueryError as exc:
        return exc
    try:
        tree = parseQuery(normal)
    except ParseException as exc:
        try:
            parseUpdate(normal)
        except Exception:
            return RefusedQueryError(400, f"the query is not valid SPARQL: {_position(exc, normal)}")
        return RefusedQueryError(403, READ_ONLY)
    except Exception as exc:
        return RefusedQueryError(400, f"the query is not valid SPARQL: {type(exc).__name__}")
    if any(_name(node) == "ServiceGraphPattern" for node in _walk(tree)):
        return RefusedQueryError(403, NO_SERVICE)
    try:
        translated = translateQuery(tree, base=base)
    except Exception as exc:
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        return RefusedQueryError(400, f"the query is not valid SPARQL: {reason}")
    if any(_name(node) in ("ServiceGraphPattern", "Service") for node in _walk(translated.algebra)):
        return RefusedQueryError(403, NO_SERVICE)
    words = [match.group().upper() for match in _TOKEN.finditer(normal) if match.lastgroup == "word"]
    if "SERVICE" in words:
        return RefusedQueryError(403, NO_SERVICE)
    default, named = [], []
    for clause in translated.algebra.get("datasetClause") or []:
        values = dict(clause)  # CompValue.get answers a missing key with the key's name
        if values.get("default") is not None:
            default.append(str(values["default"]))
        if values.get("named") is not None:
            named.append(str(values["named"]))
    form = _name(translated.algebra).replace("Query", "").upper() or "SELECT"
    return Checked(normal, form, tuple(default), tuple(named))


def check(text: str, *, base: str | None = None, local_graphs: set[str] | None = None) -> Checked:
    """Decide a query: the normalised text to run, or RefusedQueryError (400 / 403) with a one-line reason."""
    decision = _decide(text, base)
    if isinstance(decision, RefusedQueryError):
        raise RefusedQueryError(decision.status, decision.message)
    if local_graphs is not None:
        for graph in decision.from_default + decision.from_named:
            if graph not in local_graphs:
                raise RefusedQueryError(403, f"FROM <{graph}> names no graph of this store; remote data is "
                                             "never loaded")
    return decision


_NETWORK_EVENTS = frozenset({"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
                             "socket.sendto", "socket.sendmsg", "socket.bind"})
