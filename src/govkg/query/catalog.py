"""The named queries of queries/*.rq and the parameters their comment headers declare."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..resources import resource_dir
from .template import PARAMS_MARKER, TemplateError, marked_groups

PAGED_OVER = ("issuers", "reports")
PARAM_KINDS = ("unit", "group", "person", "goal", "issuer", "year", "text", "iri")
_HEADER = re.compile(r"^#\s*(?P<key>[a-z@-]+(?:@[a-z]+)?):\s*(?P<value>.*)$")


class QueryError(Exception):
    """A query that cannot be run: unknown name, bad parameter, unreachable or failing endpoint."""


@dataclass(frozen=True)
class Param:
    """A declared parameter: its name, kind (how values are bound), whether required, and what it means."""

    name: str
    kind: str
    required: bool
    description: str

    @property
    def variable(self) -> str:
        """The SPARQL variable the parameter binds."""
        return f"p_{self.name}"


@dataclass(frozen=True)
class NamedQuery:
    """A query file: name, titles, description, parameters, list-valued result columns, example, text."""

    name: str
    title_zh: str
    title_en: str
    description: str
    params: tuple[Param, ...]
    lists: tuple[str, ...]
    example: str
    text: str
    path: Path
    #: At most this many rows of its VALUES clause in one part (`bind`), when fewer than the binder's default: the
    #: query's `# part-rows:` header line, for a query Oxigraph plans well only from fewer rows.
    part_rows: int | None = None
    #: The issuers a national answer is paged over: "issuers" (every issuer) or "reports" (those with a progress
    #: report: a question answered from reports has no row for the others); the `# paged-over:` header line.
    paged_over: str = "issuers"

    def param(self, name: str) -> Param | None:
        """The declared parameter of this name, if any."""
        return next((p for p in self.params if p.name == name), None)


def _first_word(fields: dict[str, list[str]], key: str) -> str | None:
    """The first word of a header line's value (the rest explains it); None when the header has no such line."""
    if key not in fields:
        return None
    words = fields[key][0].split()
    return words[0] if words else ""


def parse_query(path: Path) -> NamedQuery:
    """Read one .rq file and its comment header; raises QueryError for a malformed header."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {}
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            last = match.group("key")
            fields.setdefault(last, []).append(match.group("value").strip())
        elif last and line.startswith("#   "):
            fields[last][-1] += " " + line[1:].strip()
    params = []
    for spec in fields.get("param", []):
        parts = [part.strip() for part in spec.split("|")]
        if len(parts) != 4 or parts[1] not in PARAM_KINDS or parts[2] not in ("required", "optional"):
            raise QueryError(f"{path.name}: bad parameter declaration {spec!r} (name | kind | required | text)")
        params.append(Param(parts[0], parts[1], parts[2] == "required", parts[3]))
    if PARAMS_MARKER not in text:
        raise QueryError(f"{path.name}: no '{PARAMS_MARKER}' line inside the WHERE clause")
    try:
        marked_groups(text)
    except TemplateError as error:
        raise QueryError(f"{path.name}: {error}") from None
    for key in ("title@zh", "title@en", "description", "example"):
        if key not in fields:
            raise QueryError(f"{path.name}: header has no '{key}:' line")
    rows = _first_word(fields, "part-rows")
    if rows is not None and (not rows.isdigit() or int(rows) < 1):
        raise QueryError(f"{path.name}: 'part-rows:' must be a count of rows such as 1, not {rows!r}")
    part_rows = int(rows) if rows is not None else None
    paged_over = _first_word(fields, "paged-over")
    paged_over = "issuers" if paged_over is None else paged_over
    if paged_over not in PAGED_OVER:
        raise QueryError(f"{path.name}: 'paged-over:' must be one of {', '.join(PAGED_OVER)}, not {paged_over!r}")
    return NamedQuery(
        name=path.stem,
        title_zh=fields["title@zh"][0],
        title_en=fields["title@en"][0],
        description=fields["description"][0],
        params=tuple(params),
        lists=tuple(" ".join(fields.get("list", [])).split()),
        example=fields["example"][0],
        text=text,
        path=path,
        part_rows=part_rows,
        paged_over=paged_over,
    )


@lru_cache(maxsize=4)
def load_catalog(folder: Path | None = None) -> dict[str, NamedQuery]:
    """All named queries of a folder (default: the project's queries/), by name."""
    folder = folder or resource_dir("queries")
    return {query.name: query for query in (parse_query(path) for path in sorted(folder.glob("*.rq")))}


def find_query(name: str, folder: Path | None = None) -> NamedQuery:
    """A query by full name ("q01-cooperating-tasks"), short name ("q01") or question id ("Q1")."""
    catalog = load_catalog(folder)
    if name in catalog:
        return catalog[name]
    key = name.lower()
    if re.fullmatch(r"q\d{1,2}", key):
        key = f"q{int(key[1:]):02d}"
    matches = [query for query_name, query in catalog.items() if query_name.split("-")[0] == key]
    if len(matches) == 1:
        return matches[0]
    raise QueryError(f"no named query {name!r}; `govkg query --list` shows them")
