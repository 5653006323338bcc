"""Extraction results as JSON Lines, CSV, an Excel workbook or a terminal table, and a readable per-document summary."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .model import ASSIGNMENT_FIELDS, Document, Party, Target, Task
from .query.results import write_csv_rows, write_workbook
from .textutil import fit

FORMATS = ("jsonl", "csv", "xlsx", "table", "explain")
CSV_COLUMNS = (
    "doc", "table", "table_no", "row_no", "task_no", "sub_no", "group_no", "goal", "parent_text", "text",
    "leaders", "lead_units", "coop_units", "inherited", "role_certain", "first_line", "last_line",
    "issuer", "issuer_code", "year", "deadline", "progress", "status",
)
_LAYOUT_NAMES = {"tabcell": "tab-cell text", "tsv": "tab-separated rows", "pipe": "pipe-separated cells",
                 "cells": "one cell per paragraph", "lines": "one cell per line",
                 "spaced": "cells separated by spaces", "box": "box-drawing table",
                 "flat": "flat text", "list": "numbered list with role annotations",
                 "grid": "tables of the original file"}
_ORIGIN_NAMES = {"read": "read from the document", "sidecar": "supplied by the sidecar file",
                 "option": "supplied on the command line", "missing": "missing"}


def _party(party: Party) -> dict[str, Any]:
    out: dict[str, Any] = {"text": party.text, "name": party.name, "kind": party.kind}
    if party.unit_type:
        out["type"] = party.unit_type
    return out


def _target(target: Target) -> dict[str, Any]:
    return {"metric": target.metric, "value": target.value, "unit": target.unit_text,
            "comparator": target.comparator, "growth": target.growth, "text": target.text}


def task_to_dict(document: Document, task: Task) -> dict[str, Any]:
    """One task as the JSON object of `govkg extract --format jsonl`."""
    record = task.record
    return {
        "doc": record.doc,
        "table": record.table,
        "table_no": record.table_no,
        "row_no": record.row_no,
        "task_no": record.task_no,
        "sub_no": record.sub_no,
        "group_no": record.group_no,
        "goal": record.goal,
        "parent_text": record.parent_text,
        "text": record.text,
        "leaders": [_party(p) for p in task.leaders],
        "lead_units": [_party(p) for p in task.lead_units],
        "coop_units": [_party(p) for p in task.coop_units],
        "inherited": record.inherited,
        "role_certain": record.role_certain,
        "source": {"file": record.doc, "lines": [record.span.first, record.span.last]},
        "fields": {
            name: {"lines": [src.span.first, src.span.last] if src.span else None, "inherited": src.inherited,
                   **({"merged": True} if src.merged else {})}
            for name, src in record.sources.items()
        },
        "issuer": document.issuer.name if document.issuer else None,
        "issuer_code": document.issuer.code if document.issuer else None,
        "year": document.year,
        "deadline": record.deadline,
        "progress": record.progress,
        "status": record.status,
        "targets": [_target(target) for target in task.targets],
    }


def _rows(documents: Iterable[Document]) -> Iterator[dict[str, Any]]:
    for document in documents:
        for task in document.tasks:
            yield task_to_dict(document, task)


def write_jsonl(documents: Iterable[Document], out: IO[str]) -> int:
    """Write one JSON object per task; returns how many."""
    count = 0
    for row in _rows(documents):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def _names(parties: list[dict[str, Any]]) -> str:
    return "、".join(party["name"] for party in parties)


def _csv_records(documents: Iterable[Document]) -> Iterator[list[Any]]:
    """One flat row per task in CSV_COLUMNS order (lists of names joined with 、, goal levels with " > ")."""
    for row in _rows(documents):
        flat = {key: row.get(key) for key in CSV_COLUMNS}
        flat["goal"] = " > ".join(row["goal"])
        for key in ASSIGNMENT_FIELDS:
            flat[key] = _names(row[key])
        flat["inherited"] = "、".join(row["inherited"])
        flat["first_line"], flat["last_line"] = row["source"]["lines"]
        yield [flat[key] for key in CSV_COLUMNS]


def write_csv(documents: Iterable[Document], out: IO[str], *, bom: bool = False) -> int:
    """Write one CSV row per task (lists of names joined with 、, goal levels with " > "), after a UTF-8
    byte-order mark when `bom` (for Excel); returns how many."""
    return write_csv_rows(out, CSV_COLUMNS, _csv_records(documents), bom=bom)


def write_xlsx(documents: Iterable[Document], path: str | Path) -> int:
    """Write the CSV columns as an Excel workbook (one sheet "tasks", written all-or-nothing); returns the rows."""
    records = list(_csv_records(documents))
    write_workbook(path, CSV_COLUMNS, records, title="tasks", widths={"goal": 30, "parent_text": 40, "text": 60},
                   wrap=("text",))
    return len(records)


_EXPLAINED = ("text", "goal", "leaders", "lead_units", "coop_units")


def _lines(span) -> str:
    if span is None:
        return "-"
    return f"line {span.first}" if span.first == span.last else f"lines {span.first}-{span.last}"


def explain_task(document: Document, task: Task) -> list[str]:
    """How each field of a task was read: the rule that decided it, and its source lines."""
    record = task.record
    number = record.task_no or f"row {record.row_no}"
    head = f"  [{number}] {fit(record.text, 48).rstrip()}  ({_lines(record.span)})"
    out = [head]
    values = {"text": record.text, "goal": " > ".join(record.goal),
              **{name: "、".join(p.text for p in getattr(task, name)) for name in ASSIGNMENT_FIELDS}}
    for name in _EXPLAINED:
        source = record.sources.get(name)
        if source is None or not values[name]:
            continue
        how = source.rule or "printed"
        if source.merged:
            how = f"merged cell ({how})" if source.rule and "merged" not in source.rule else how
        elif source.inherited:
            how = f"inherited: {how}"
        out.append(f"      {name:<11} {fit(values[name], 30)}  {how}; {_lines(source.span)}")
    if not record.role_certain:
        out.append("      (the lead / cooperating split is uncertain)")
    return out


def write_explain(documents: Iterable[Document], out: IO[str]) -> int:
    """Write, per document and task, the recogniser and the rule that produced each field, with line numbers."""
    count = 0
    for document in documents:
        out.write(f"{document.file}: read as {_LAYOUT_NAMES.get(document.layout, document.layout)}\n")
        for task in document.tasks:
            out.write("\n".join(explain_task(document, task)) + "\n")
            count += 1
    return count


_TABLE_COLUMNS = (("doc", 10), ("no", 6), ("goal", 16), ("text", 36), ("leaders", 12), ("lead", 18),
                  ("coop", 24), ("flags", 6))


def write_table(documents: Iterable[Document], out: IO[str]) -> int:
    """Write an aligned terminal table (wide characters counted as two columns)."""
    out.write(" ".join(fit(name, width) for name, width in _TABLE_COLUMNS).rstrip() + "\n")
    count = 0
    for row in _rows(documents):
        number = row["task_no"] or f"r{row['row_no']}"
        if row["sub_no"]:
            number = f"{number}.{row['sub_no']}"
        flags = ("I" if set(row["inherited"]) & set(ASSIGNMENT_FIELDS) else "") + ("" if row["role_certain"] else "?")
        values = (row["doc"], ("L" if row["table"] == "livelihood" else "") + str(number),
                  row["goal"][-1] if row["goal"] else "", row["text"], _names(row["leaders"]),
                  _names(row["lead_units"]), _names(row["coop_units"]), flags)
        cells = (fit(str(value), width) for value, (_, width) in zip(values, _TABLE_COLUMNS, strict=True))
        out.write(" ".join(cells).rstrip() + "\n")
        count += 1
    return count


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "table": write_table, "explain": write_explain}


def _origin(document: Document, key: str) -> str:
    origin = _ORIGIN_NAMES[document.meta_origin.get(key, "missing")]
    how = document.meta_source.get(key)
    return f"{origin}: {how}" if how else origin


def summary(document: Document) -> list[str]:
    """Readable lines about one document: layout, metadata and where it came from, counts, warnings."""
    lines = [f"{document.file}  ({_LAYOUT_NAMES[document.layout]}, {document.encoding})"]
    issuer = document.issuer
    issuer_text = f"{issuer.name} ({issuer.code})" if issuer and issuer.code else (issuer.name if issuer else "—")
    lines.append(f"  issuer  {issuer_text}  [{_origin(document, 'issuer')}]")
    lines.append(f"  year    {document.year or '—'}  [{_origin(document, 'year')}]")
    if document.issued:
        lines.append(f"  issued  {document.issued}  [{_origin(document, 'issued')}]")
    if document.docno:
        lines.append(f"  文号    {document.docno}")
    if document.report_date:
        lines.append(f"  report  {document.report_date}  [{_origin(document, 'report_date')}]")
    counts = []
    for kind, label in (("main", "main tasks"), ("livelihood", "livelihood items")):
        if document.count(kind):
            counts.append(f"{document.count(kind)} {label}")
    lines.append("  rows    " + (", ".join(counts) or "none"))
    inherited = sum(1 for task in document.tasks if set(task.record.inherited) & set(ASSIGNMENT_FIELDS))
    uncertain = sum(1 for task in document.tasks if not task.record.role_certain)
    no_lead = sum(1 for task in document.tasks if not task.lead_units)
    lines.append(f"  flags   {inherited} with inherited leaders/units, {uncertain} with an uncertain "
                 f"lead/cooperating split, {no_lead} without a lead unit")
    lines.append(f"  warnings {len(document.diagnostics)}")
    lines.extend(f"    {diagnostic}" for diagnostic in document.diagnostics)
    return lines
