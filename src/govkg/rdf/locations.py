"""Places in an original file (.docx, .xlsx, .pdf, .html): the page, sheet, table, row and column of source lines.

An original's line numbers are virtual (one per paragraph or cell line, in reading order); the reader maps each to
a :class:`~govkg.model.Location`. A span of lines becomes the places it covers: one per cell, except that several
cells of one row are the row ("第3页 表1 第18行" rather than each of its columns).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from ..model import Location, Span
from .vocab import GW

Triple = tuple[URIRef, URIRef, Node]


def span_locations(locations: Mapping[int, Location], span: Span) -> list[Location]:
    """The places of a span's lines in reading order, a row's several cells merged into the row."""
    rows: dict[tuple[int | None, str | None, int | None, int | None], list[Location]] = {}
    for line in range(span.first, span.last + 1):
        location = locations.get(line)
        if location is not None and location.describe():
            rows.setdefault((location.page, location.sheet, location.table, location.row), []).append(location)
    return [cells[0] if len({cell.column for cell in cells}) == 1 else replace(cells[0], column=None)
            for cells in rows.values()]


def location_triples(node: URIRef, location: Location, source: URIRef) -> list[Triple]:
    """A gw:SourceLocation: its label as a reader says it ("第3页 表1 第18行"), its parts, and its file."""
    triples: list[Triple] = [
        (node, RDF.type, GW.SourceLocation),
        (node, RDF.type, PROV.Location),
        (node, RDFS.label, Literal(location.describe(), lang="zh")),
        (node, DCTERMS.isPartOf, source),
    ]
    if location.sheet is not None:
        triples.append((node, GW.sheetName, Literal(location.sheet)))
    for predicate, value in ((GW.pageNumber, location.page), (GW.tableIndex, location.table),
                             (GW.rowIndex, location.row), (GW.columnIndex, location.column)):
        if value is not None:
            triples.append((node, predicate, Literal(value, datatype=XSD.integer)))
    return triples
