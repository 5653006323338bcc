"""resolve: records with printed names → tasks with names resolved per issuer and targets read from statements."""

from __future__ import annotations

from ..lexicon import Lexicon, load_lexicon
from ..model import Issuer, Record, Task
from .meta import ResolvedMeta, Supplied, issuer_from, resolve_meta
from .names import canonical_group, canonical_unit, resolve_party, unit_type
from .targets import extract_targets

__all__ = [
    "ResolvedMeta",
    "Supplied",
    "canonical_group",
    "canonical_unit",
    "extract_targets",
    "issuer_from",
    "resolve_meta",
    "resolve_party",
    "resolve_records",
    "unit_type",
]


def resolve_records(records: list[Record], issuer: Issuer | None, lex: Lexicon | None = None) -> list[Task]:
    """Resolve every name of every record within the issuer (aliases, prefixes, unit types); read its targets."""
    lex = lex or load_lexicon()
    return [
        Task(
            record=record,
            leaders=[resolve_party(p, issuer, lex) for p in record.leaders],
            lead_units=[resolve_party(p, issuer, lex) for p in record.lead_units],
            coop_units=[resolve_party(p, issuer, lex) for p in record.coop_units],
            targets=extract_targets(record.text, lex),
            progress_targets=extract_targets(record.progress, lex) if (record.progress or "").strip() else [],
        )
        for record in records
    ]
