"""Resolving printed names within one issuer: canonical unit and group names, unit types, people."""

from __future__ import annotations

from ..lexicon import Lexicon
from ..model import Issuer, Party, Printed
from ..names import base_name, normalise, strip_prefix


def canonical_unit(form: str, issuer_code: str | None, lex: Lexicon) -> str:
    """The canonical name of a unit within an issuer ("区住建局" → "住建局", "钟楼资规分局" → "资规分局")."""
    form = normalise(form)
    alias = lex.alias_for(form, issuer_code)
    if alias:
        return alias
    core = strip_prefix(form, lex.prefixes_for(issuer_code), lex)
    return lex.alias_for(core, issuer_code) or core


def canonical_group(form: str, issuer_code: str | None, lex: Lexicon) -> str:
    """The canonical name of a collective reference (区各有关部门 → 区有关部门)."""
    form = normalise(form)
    return lex.alias_for(form, issuer_code) or form


def unit_type(name: str, issuer_code: str | None, lex: Lexicon) -> str:
    """A unit's type from the lexicon: an exact entry, else the first matching suffix rule, else "other"."""
    base = base_name(name)
    tables = [lex.type_names_by_issuer.get(issuer_code or "", {}), lex.type_names]
    for table in tables:
        for key in (name, base):
            if key in table:
                return table[key]
    for suffix, kind in lex.suffix_rules:
        if base.endswith(suffix):
            return kind
    return "other"


def resolve_party(printed: Printed, issuer: Issuer | None, lex: Lexicon) -> Party:
    """Resolve one printed name within the document's issuer."""
    code = issuer.code if issuer else None
    if printed.kind == "unit":
        name = canonical_unit(printed.form, code, lex)
        return Party(printed.text, name, "unit", unit_type(name, code, lex))
    if printed.kind == "group":
        return Party(printed.text, canonical_group(printed.form, code, lex), "group")
    return Party(printed.text, printed.form, printed.kind)
