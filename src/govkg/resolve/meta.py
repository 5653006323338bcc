"""Issuer, year, title, dates and document number of a document: what it says, or what the user supplied."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ..layout.dates import find_periods
from ..layout.metalines import docno
from ..lexicon import Lexicon
from ..model import Diagnostic, DocumentMeta, Issuer, MetaValue, Origin
from .issuers import IssuerMatch, docno_hint, issuer_from, resolve_issuer

__all__ = ["RULES_REVISION", "ResolvedMeta", "Supplied", "issuer_from", "resolve_meta"]

_SUPPLIABLE = ("issuer", "year", "title", "issued")


@dataclass
class Supplied:
    """Metadata the user supplied: command-line options, and a sidecar file (with its path)."""

    options: dict[str, Any] = field(default_factory=dict)
    sidecar: dict[str, Any] = field(default_factory=dict)
    sidecar_path: str | None = None


@dataclass
class ResolvedMeta:
    """Final metadata values with their origins, how the read ones were read, and warnings."""

    issuer: Issuer | None
    year: int | None
    title: str | None
    issued: str | None
    origin: dict[str, Origin]
    diagnostics: list[Diagnostic]
    report_date: str | None = None
    docno: str | None = None
    #: For values read from the document: what they were read from and where ("文号 锡政发〔2011〕48号, line 5").
    source: dict[str, str] = field(default_factory=dict)


#: Revision of the rules deciding between sidecar, text and options; a build keys reuse on it (2: options only
#: fill what a document leaves unstated, where revision 1 let them override it).
RULES_REVISION = 2


def _pick(key: str, read: MetaValue, supplied: Supplied) -> tuple[Any, Origin]:
    """The document's own value (its sidecar over its text), else the command line's, with where it came from."""
    if key in supplied.sidecar:
        return supplied.sidecar[key], "sidecar"
    if read.value is not None:
        return read.value, read.origin
    if supplied.options.get(key) is not None:
        return supplied.options[key], "option"
    return read.value, read.origin


def _option_conflict(file: str, key: str, own: Any, source: Origin, option: Any, *, line: int | None,
                     sidecar: str | None) -> Diagnostic:
    """The warning for a command-line value that a document's own value overrules."""
    rule = f"--{key} applies only to documents that state no {key}"
    if source == "sidecar":
        who, whose = f"its sidecar {PurePath(sidecar).name if sidecar else ''}".rstrip(), "the sidecar's"
    else:
        who, whose = "the document", "the document's"
        rule += f"; a sidecar {PurePath(file).stem}.meta.toml overrides what it prints"
    return Diagnostic(file, line, f"{who} says {key} {own!r}, --{key} says {option!r}; using {whose} ({rule})")


def _describe(value: MetaValue) -> str:
    words = [value.rule or "text"]
    if value.text and value.text != str(value.value):
        words.append(value.text)
    where = f", line {value.line}" if value.line else ""
    return " ".join(words) + where


def _same_issuer(read: IssuerMatch, chosen: IssuerMatch) -> bool:
    if read.issuer.key == chosen.issuer.key:
        return True
    return chosen.issuer.code is not None and chosen.issuer.code in read.codes


def _report_date(meta: DocumentMeta, year: int | None) -> str | None:
    report = meta.report_date
    if report.value is not None or not report.text or year is None:
        return str(report.value) if report.value is not None else None
    periods = find_periods(report.text, year)
    return periods[0].value if periods else None


def _missing_issuer_hint(meta: DocumentMeta, lex: Lexicon) -> str:
    if meta.docno.value is None:
        return ""
    number = docno(str(meta.docno.value))
    return docno_hint(number[1], lex) if number else ""


def resolve_meta(file: str, meta: DocumentMeta, supplied: Supplied, lex: Lexicon) -> ResolvedMeta:
    """Merge printed metadata with supplied values: a sidecar over the text, and options only where both say
    nothing; each overruled value is a warning naming the document and both values."""
    diagnostics: list[Diagnostic] = []
    values: dict[str, Any] = {}
    origin: dict[str, Origin] = {}
    for key in _SUPPLIABLE:
        values[key], origin[key] = _pick(key, getattr(meta, key), supplied)
    year = int(values["year"]) if values["year"] is not None else None

    chosen: IssuerMatch | None = None
    if values["issuer"] is not None:
        chosen = resolve_issuer(str(values["issuer"]), lex, meta.places, year)
        option = supplied.options.get("issuer")
        if origin["issuer"] != "option" and option is not None:
            offered = resolve_issuer(str(option), lex, meta.places, year)
            if not _same_issuer(chosen, offered):
                line = meta.issuer.line if origin["issuer"] == "read" else None
                diagnostics.append(_option_conflict(file, "issuer", values["issuer"], origin["issuer"], option,
                                                    line=line, sidecar=supplied.sidecar_path))
            elif chosen.issuer.code is None and offered.issuer.code is not None:
                chosen, origin["issuer"] = offered, "option"  # names the division the document's name is ambiguous for
        if chosen.warning:
            line = meta.issuer.line if origin["issuer"] == "read" else None
            diagnostics.append(Diagnostic(file, line, chosen.warning))

    for key in _SUPPLIABLE:
        read, source, value = getattr(meta, key), origin[key], values[key]
        option = supplied.options.get(key)
        if key != "issuer" and option is not None and source in ("read", "sidecar") and str(option) != str(value):
            line = read.line if source == "read" else None
            diagnostics.append(_option_conflict(file, key, value, source, option, line=line,
                                                sidecar=supplied.sidecar_path))
        if source != "sidecar" or read.value is None:
            continue
        if key == "issuer" and chosen is not None:
            same = _same_issuer(resolve_issuer(str(read.value), lex, meta.places, year), chosen)
        else:
            same = str(read.value) == str(value)
        if not same:
            diagnostics.append(Diagnostic(
                file, read.line,
                f"the document says {key} {read.value!r}, the {source} says {value!r}; using the {source}"))

    for key, hint in (("issuer", "--issuer"), ("year", "--year")):
        if values[key] is None:
            extra = _missing_issuer_hint(meta, lex) if key == "issuer" else ""
            diagnostics.append(Diagnostic(
                file, None,
                f"{key} not stated in the document and not supplied "
                f"(use {hint} or a sidecar file {PurePath(file).stem}.meta.toml){extra}"))

    report_date = _report_date(meta, year)
    origin["report_date"] = "read" if report_date else "missing"
    origin["docno"] = meta.docno.origin
    source_of = {key: _describe(getattr(meta, key)) for key in (*_SUPPLIABLE, "report_date", "docno")
                 if origin[key] == "read" and (getattr(meta, key).value is not None or key == "report_date")}
    return ResolvedMeta(
        issuer=chosen.issuer if chosen else None,
        year=year,
        title=values["title"],
        issued=values["issued"],
        origin=origin,
        diagnostics=diagnostics,
        report_date=report_date,
        docno=str(meta.docno.value) if meta.docno.value is not None else None,
        source=source_of,
    )
