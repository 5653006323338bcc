"""Issuer, year, title and date of a document: what it says, or what the user supplied."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ..lexicon import Lexicon
from ..model import Diagnostic, DocumentMeta, Issuer, MetaValue, Origin


@dataclass
class Supplied:
    """Metadata the user supplied: command-line options, and a sidecar file (with its path)."""

    options: dict[str, Any] = field(default_factory=dict)
    sidecar: dict[str, Any] = field(default_factory=dict)
    sidecar_path: str | None = None


@dataclass
class ResolvedMeta:
    """Final metadata values with their origins, and warnings about missing or conflicting values."""

    issuer: Issuer | None
    year: int | None
    title: str | None
    issued: str | None
    origin: dict[str, Origin]
    diagnostics: list[Diagnostic]


def issuer_from(text: str, lex: Lexicon) -> Issuer:
    """An issuer from a name, alias or division code; unknown names are kept as given."""
    entry = lex.issuer_entry(text)
    if entry:
        return Issuer(entry.name, entry.code, entry.short, entry.name_en)
    name = text.strip()
    if name.endswith("人民政府"):
        name = name[: -len("人民政府")]
    return Issuer(name, None, name)


def _pick(key: str, read: MetaValue, supplied: Supplied) -> tuple[Any, Origin]:
    if key in supplied.options and supplied.options[key] is not None:
        return supplied.options[key], "option"
    if key in supplied.sidecar:
        return supplied.sidecar[key], "sidecar"
    return read.value, read.origin


def resolve_meta(file: str, meta: DocumentMeta, supplied: Supplied, lex: Lexicon) -> ResolvedMeta:
    """Merge printed metadata with supplied values (options over sidecar over text), warning on conflicts."""
    diagnostics: list[Diagnostic] = []
    values: dict[str, Any] = {}
    origin: dict[str, Origin] = {}
    for key in ("issuer", "year", "title", "issued"):
        read = getattr(meta, key)
        value, source = _pick(key, read, supplied)
        values[key], origin[key] = value, source
        if source in ("option", "sidecar") and read.value is not None:
            same = str(read.value) == str(value)
            if key == "issuer":
                same = issuer_from(str(read.value), lex).key == issuer_from(str(value), lex).key
            if not same:
                diagnostics.append(Diagnostic(
                    file, read.line,
                    f"the document says {key} {read.value!r}, the {source} says {value!r}; using the {source}"))
    for key, hint in (("issuer", "--issuer"), ("year", "--year")):
        if values[key] is None:
            diagnostics.append(Diagnostic(
                file, None,
                f"{key} not stated in the document and not supplied "
                f"(use {hint} or a sidecar file {PurePath(file).stem}.meta.toml)"))
    issuer = issuer_from(str(values["issuer"]), lex) if values["issuer"] is not None else None
    year = int(values["year"]) if values["year"] is not None else None
    return ResolvedMeta(issuer, year, values["title"], values["issued"], origin, diagnostics)
