"""Issuing governments: a name, alias or division code (printed or supplied) → an :class:`Issuer` with its code.

The lexicon's issuers (data/lexicon/issuers.toml) keep their names, aliases and unit prefixes; every other
province, city, county or district is resolved through the official division code lists (see divisions.py) and
gets unit prefixes derived from its name and level. A name that is no division is kept, without a code, and said.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..divisions import DivisionIndex, Resolution, load_divisions
from ..lexicon import IssuerEntry, Lexicon
from ..model import Issuer
from ..textutil import no_space


@dataclass(frozen=True)
class IssuerMatch:
    """An issuer, the division codes it may stand for, and a warning when it could not be pinned down."""

    issuer: Issuer
    codes: tuple[str, ...] = ()
    warning: str | None = None


def _from_entry(entry: IssuerEntry) -> Issuer:
    return Issuer(entry.name, entry.code, entry.short, entry.name_en)


def _from_resolution(resolution: Resolution, index: DivisionIndex, lex: Lexicon) -> IssuerMatch:
    division = resolution.division
    if division is None:
        name, _ = index.strip_organ(resolution.text)
        codes = tuple(d.code for d in resolution.candidates)
        return IssuerMatch(Issuer(name, None, name), codes, resolution.message)
    entry = lex.issuer_entry(division.code)
    issuer = _from_entry(entry) if entry else Issuer(index.qualified(division), division.code, division.name)
    return IssuerMatch(issuer, (division.code,))


def resolve_issuer(text: str, lex: Lexicon, places: Iterable[str] = (), year: int | None = None) -> IssuerMatch:
    """Resolve an issuer's name, alias or code nationwide; `places` (names printed in the document) disambiguate."""
    entry = lex.issuer_entry(text)
    if entry:
        return IssuerMatch(_from_entry(entry), (entry.code,))
    index = load_divisions(lex.folder)
    match = _from_resolution(index.resolve(text, places, year), index, lex)
    if match.warning and not match.codes:
        name = match.issuer.name or no_space(text)
        return IssuerMatch(match.issuer, (), f"issuer {name!r} is not a province, city, county or district "
                                             "of the division code lists: kept without a division code")
    if match.warning:
        return IssuerMatch(match.issuer, match.codes, f"issuer {match.warning}")
    return match


def issuer_from(text: str, lex: Lexicon, places: Iterable[str] = (), year: int | None = None) -> Issuer:
    """An issuer from a name, alias or division code; names that are no division are kept as given."""
    return resolve_issuer(text, lex, places, year).issuer


def docno_hint(prefix: str, lex: Lexicon) -> str:
    """What a document number's prefix suggests about an unstated issuer ("许政办" → 许昌市?)."""
    index = load_divisions(lex.folder)
    candidates = index.docno_candidates(prefix[:1]) if prefix else []
    if not candidates or len(candidates) > 3:
        return ""
    names = "、".join(f"{d.name} ({d.code})" for d in candidates)
    return f"; its 文号 prefix {prefix} may stand for {names}"
