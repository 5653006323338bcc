"""A short view of what a document's tasks came out as (imported by this folder's tests)."""

from __future__ import annotations

from govkg.model import Document


def roles(document: Document) -> list[tuple[str, list[str], list[str], list[str]]]:
    """(statement, leaders, lead units, cooperating units) of every task, names as printed."""
    return [(t.record.text, [p.text for p in t.leaders], [p.text for p in t.lead_units],
             [p.text for p in t.coop_units]) for t in document.tasks]
