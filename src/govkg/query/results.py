"""Results for people and programs: plain Python rows, and table / CSV / TSV / JSON text."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import Any

from ..rdf.vocab import PREFIXES
from ..textutil import display_width, fit
from .backends import Results, Value

FORMATS = ("table", "csv", "tsv", "json")
XSD = "http://www.w3.org/2001/XMLSchema#"
_LIST_SPLIT = re.compile(r"[、 ]+")
_MAX_COLUMN = 40


def _sorted_items(text: str) -> list[str]:
    items = [item for item in _LIST_SPLIT.split(text) if item]
    if all(item.isdigit() for item in items):
        return sorted(items, key=int)
    return sorted(items)


def normalise(results: Results, lists: Iterable[str] = ()) -> Results:
    """Sort the items of GROUP_CONCAT columns, whose order differs between stores, so answers compare equal."""
    lists = set(lists)
    for row in results.rows:
        for name in lists & set(row):
            value = row[name]
            separator = " " if all(item.isdigit() for item in _LIST_SPLIT.split(value.value) if item) else "、"
            row[name] = Value(value.kind, separator.join(_sorted_items(value.value)), value.datatype, value.lang)
    return results


def python_value(value: Value, as_list: bool = False) -> Any:
    """A result value as a Python value: IRI string, int, float, bool, or string (list for list columns)."""
    if as_list:
        return _sorted_items(value.value)
    if value.kind != "literal" or not value.datatype:
        return value.value
    kind = value.datatype.removeprefix(XSD)
    try:
        if kind in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
            return int(value.value)
        if kind in ("decimal", "double", "float"):
            return float(value.value)
    except ValueError:
        return value.value
    if kind == "boolean":
        return value.value in ("true", "1")
    return value.value


def as_dicts(results: Results, lists: Iterable[str] = ()) -> list[dict[str, Any]]:
    """SELECT rows as dicts of Python values (unbound variables are None)."""
    lists = set(lists)
    return [
        {name: python_value(row[name], name in lists) if name in row else None for name in results.variables}
        for row in results.rows
    ]


def _compact(value: Value, base: str | None) -> str:
    if value.kind != "iri":
        return value.value
    if base and value.value.startswith(base):
        return "id:" + value.value[len(base):]
    for prefix, namespace in PREFIXES.items():
        if value.value.startswith(str(namespace)):
            return f"{prefix}:{value.value[len(str(namespace)):]}"
    return f"<{value.value}>"


def render(results: Results, fmt: str, *, base: str | None = None) -> str:
    """The results as text in one of FORMATS (table compacts IRIs; csv/tsv/json keep them whole)."""
    if results.boolean is not None:
        return json.dumps({"head": {}, "boolean": results.boolean}) + "\n" if fmt == "json" else \
            f"{str(results.boolean).lower()}\n"
    if results.triples is not None:
        return results.triples
    if fmt == "json":
        data = {"head": {"vars": results.variables},
                "results": {"bindings": [{k: v.to_json() for k, v in row.items()} for row in results.rows]}}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(results.variables)
        for row in results.rows:
            writer.writerow([row[name].value if name in row else "" for name in results.variables])
        return buffer.getvalue()
    return _table(results, base)


def _table(results: Results, base: str | None) -> str:
    cells = [[_compact(row[name], base) if name in row else "" for name in results.variables]
             for row in results.rows]
    widths = [min(_MAX_COLUMN, max([display_width(name)] + [display_width(row[i]) for row in cells]))
              for i, name in enumerate(results.variables)]
    lines = [" ".join(fit(name, width) for name, width in zip(results.variables, widths, strict=True)).rstrip()]
    lines.append(" ".join("-" * width for width in widths))
    for row in cells:
        lines.append(" ".join(fit(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip())
    lines.append(f"({len(cells)} rows)")
    return "\n".join(lines) + "\n"
