"""A task's deadline and progress: the deadline as printed and the period it ends with, and the progress
observation of a progress report (progress text, status as printed and normalised, report date, source rows)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD
from rdflib.term import Node

from ..layout.dates import period_end
from ..model import Document, Record
from ..resolve.deadlines import read_deadline
from ..resolve.status import read_status
from .vocab import GW, STATUSES

Triple = tuple[URIRef, URIRef, Node]


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def deadline_triples(task: URIRef, printed: str, plan_year: int | None) -> list[Triple]:
    """gw:deadline as printed; where a period can be read, gw:deadlinePeriod (typed) and gw:deadlineDate (its end)."""
    triples: list[Triple] = [(task, GW.deadline, _zh(printed))]
    deadline = read_deadline(printed, plan_year)
    if deadline is not None:
        triples.append((task, GW.deadlinePeriod, Literal(deadline.lexical, datatype=XSD[deadline.kind])))
        triples.append((task, GW.deadlineDate, Literal(deadline.end.isoformat(), datatype=XSD.date)))
    return triples


def _day(text: str | None) -> Literal | None:
    """A printed date that names a day ("2024-11-15", "2024年11月15日") as xsd:date, else None."""
    found = read_deadline(text, None)
    return Literal(found.lexical, datatype=XSD.date) if found is not None and found.kind == "date" else None


def printed_report_date(document: Document) -> Literal | None:
    """The report date the document prints (a progress report's 截至 date, or the last day of the period it
    reports on: 三季度 → 09-30, 1-9月 → 09-30), when one is printed."""
    end = period_end(document.report_date)
    return Literal(end.isoformat(), datatype=XSD.date) if end is not None else _day(document.report_date)


def report_period(document: Document) -> Literal | None:
    """The period a progress report reports on, normalised as printed ("2022-09-30", "2022-Q3", "2022-01/2022-09")."""
    return Literal(document.report_date) if document.report_date else None


def report_date(document: Document) -> Literal | None:
    """The date progress is reported at: the printed report date, else the document's issue date."""
    return printed_report_date(document) or _day(document.issued)


def progress_triples(task: URIRef, record: Record, plan: URIRef, date: Literal | None,
                     sources: list[URIRef]) -> list[Triple]:
    """The gw:ProgressObservation {task}/progress of a record with a progress text or status."""
    node = URIRef(f"{task}/progress")
    prefix = f"({record.task_no}) " if record.task_no else ""
    when = f"（{date}）" if date is not None else ""
    triples: list[Triple] = [
        (task, GW.hasProgress, node),
        (node, RDF.type, GW.ProgressObservation),
        (node, RDF.type, PROV.Entity),
        (node, RDFS.label, _zh(f"{prefix}进展情况{when}")),
        (node, GW.reportedIn, plan),
        (node, GW.progressStatus, STATUSES[read_status(record.status, record.progress)]),
    ]
    if (record.progress or "").strip():
        triples.append((node, GW.progressText, _zh(record.progress.strip())))
    if (record.status or "").strip():
        triples.append((node, GW.statusText, _zh(record.status.strip())))
    if date is not None:
        triples.append((node, GW.reportDate, date))
    triples += [(node, PROV.wasDerivedFrom, rows) for rows in sources]
    return triples
