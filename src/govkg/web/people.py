"""Pages for people: a task, a unit, a plan and the browse page as a reader wants them, not as triples.

Each page section is one SPARQL query bound to the page's IRI (so it starts from an index); this module shapes
the answers into view models for the templates task.html, unit.html, plan.html and browse.html.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

from rdflib import URIRef

from ..lexicon import load_lexicon
from ..query.bind import sparql_term
from ..rdf.vocab import GW
from ..resolve.issuers import issuer_from
from .pages import PREFIX, Select, Shown, bound_to, ontology_labels, shown
from .pages import row_value as _v
from .site import Dataset

#: Lines shown, dimmed, before and after a task's own lines in its source text.
CONTEXT_LINES = 3
#: Partners drawn in a unit's neighbourhood.
NEIGHBOURS = 10
#: Partners listed beside the drawing.
PARTNERS_LISTED = 15
_ROLE_KEYS = {str(GW.LeadRole): "lead", str(GW.CooperatingRole): "coop", str(GW.LeaderRole): "leader"}
_SHA16 = re.compile(r"[0-9a-f]{16}")
_ASSIGNMENT_ORDER = re.compile(r"/assignment/(lead|coop|leader)/(\d+)$")


def _q(query: str, iri: str | None = None) -> str:
    return PREFIX + (query.replace("$IRI", sparql_term(URIRef(iri))) if iri else query)


def _number(row: dict[str, Any]) -> str:
    """A task's number as its IRI writes it: "24", or "24-1" for a sub-item."""
    number, sub = _v(row, "number"), _v(row, "sub")
    return f"{number}-{sub}" if number and sub else number


def _int(text: str, default: int = 0) -> int:
    try:
        return int(text)
    except ValueError:
        return default


# --- the task page ------------------------------------------------------------------------------------------

TASK_HEAD = """SELECT ?statement ?parent ?number ?sub ?plan ?planLabel ?year ?issuer ?issuerName ?table ?tableLabel
    ?kind WHERE {
  $IRI gw:statement ?statement ; gw:inPlan ?plan ; gw:inTable ?table .
  OPTIONAL { $IRI gw:parentStatement ?parent } OPTIONAL { $IRI gw:taskNumber ?number }
  OPTIONAL { $IRI gw:subItemNumber ?sub }
  OPTIONAL { ?plan gw:year ?year }
  OPTIONAL { ?plan rdfs:label ?planLabel . FILTER(LANG(?planLabel) = "zh" || LANG(?planLabel) = "") }
  OPTIONAL { ?plan gw:issuer ?issuer . OPTIONAL { ?issuer rdfs:label ?issuerName . FILTER(LANG(?issuerName) = "zh") } }
  OPTIONAL { ?table rdfs:label ?tableLabel } OPTIONAL { ?table gw:tableKind ?kind }
} LIMIT 1"""

# The task's goal and every broader goal, each with the goal it is under (the path is chained in Python).
GOAL_PATH = """SELECT ?goal ?label ?notation ?up WHERE {
  $IRI gw:goal ?inner . ?inner skos:broader* ?goal .
  ?goal skos:prefLabel ?label . OPTIONAL { ?goal skos:notation ?notation } OPTIONAL { ?goal skos:broader ?up }
}"""

WHO = """SELECT ?a ?role ?agent ?label ?printed ?inherited ?merged WHERE {
  $IRI gw:assignment ?a . ?a gw:role ?role ; gw:agent ?agent .
  OPTIONAL { ?a gw:printedAs ?printed } OPTIONAL { ?a gw:inherited ?inherited } OPTIONAL { ?a gw:merged ?merged }
  OPTIONAL { ?agent rdfs:label ?label . FILTER(LANG(?label) = "zh") }
}"""

SOURCE = """SELECT ?doc ?file ?format ?sha ?first ?last WHERE {
  $IRI prov:wasDerivedFrom ?rows . ?rows gw:firstLine ?first ; gw:lastLine ?last ; dcterms:isPartOf ?doc .
  OPTIONAL { ?doc gw:fileName ?file } OPTIONAL { ?doc gw:fileFormat ?format } OPTIONAL { ?doc gw:sha256 ?sha }
} ORDER BY ?first LIMIT 10"""


def source_lines(build_dir: Path, sha16: str, first: int, last: int,
                 context: int = CONTEXT_LINES) -> list[dict[str, Any]] | None:
    """Lines first…last of a document's kept text (BUILD/sources/{sha16}.txt) with `context` lines either side,
    each {"n", "text", "own"}; None when the build kept no text for the document."""
    if not _SHA16.fullmatch(sha16):
        return None
    path = build_dir / "sources" / f"{sha16}.txt"
    if not path.is_file():
        return None
    start, end = max(1, first - context), last + context
    shown_lines = []
    with path.open(encoding="utf-8", errors="replace", newline=None) as text:
        for n, line in enumerate(text, start=1):
            if n > end:
                break
            if n >= start:
                shown_lines.append({"n": n, "text": line.rstrip("\r\n"), "own": first <= n <= last})
    return shown_lines


def _goal_path(rows: list[dict[str, Any]], data: Dataset) -> list[Shown]:
    """Goals from the outermost to the task's own, from (goal, broader goal) rows."""
    goals = {row["goal"]["value"]: row for row in rows}
    ups = {_v(row, "up") for row in rows}
    inner = next((g for g in goals if g not in ups), None)
    path: list[Shown] = []
    while inner in goals and len(path) < 20:
        row = goals[inner]
        path.append(shown(row["goal"], row.get("label"), data))
        inner = _v(row, "up") or None
    return path[::-1]


def _who(rows: list[dict[str, Any]], data: Dataset) -> dict[str, list[dict[str, Any]]]:
    """Assignments by role key, in printed order, each agent once."""
    def order(row: dict[str, Any]) -> int:
        match = _ASSIGNMENT_ORDER.search(row["a"]["value"])
        return int(match.group(2)) if match else 0

    out: dict[str, list[dict[str, Any]]] = {"leader": [], "lead": [], "coop": []}
    for row in sorted(rows, key=order):
        key = _ROLE_KEYS.get(_v(row, "role"))
        if key is None or any(e["agent"].iri == _v(row, "agent") for e in out[key]):
            continue
        out[key].append({"agent": shown(row["agent"], row.get("label"), data), "printed": _v(row, "printed"),
                         "inherited": _v(row, "inherited") == "true", "merged": _v(row, "merged") == "true"})
    return out


async def task_view(iri: str, select: Select, data: Dataset, locations: list[str]) -> dict[str, Any] | None:
    """The head of a task page: statement, where it stands, goal path, who is responsible, its printed lines."""
    head = await select(_q(TASK_HEAD, iri))
    if not head:
        return None
    row = head[0]
    view: dict[str, Any] = {
        "statement": _v(row, "statement"), "parent": _v(row, "parent"), "number": _number(row),
        "year": _v(row, "year"),
        "plan": shown(row["plan"], row.get("planLabel"), data),
        "issuer": shown(row.get("issuer"), row.get("issuerName"), data),
        "table": shown(row["table"], row.get("tableLabel"), data),
        "table_kind": "民生实事表 livelihood" if _v(row, "kind") == "livelihood" else "主表 main table",
    }
    view["goals"] = _goal_path(await select(_q(GOAL_PATH, iri)), data)
    view["who"] = _who(await select(_q(WHO, iri)), data)
    view["sources"] = []
    for src in await select(_q(SOURCE, iri)):
        sha16 = _v(src, "sha")[:16]  # the kept text of the version built (sources/{sha16}.txt)
        first, last = _int(_v(src, "first")), _int(_v(src, "last"))
        view["sources"].append({"file": _v(src, "file"), "format": _v(src, "format"), "first": first, "last": last,
                                "doc": Shown("来源记录 source record", data.local_path(_v(src, "doc")),
                                             _v(src, "doc")), "places": locations,
                                "lines": source_lines(data.build_dir, sha16, first, last)})
    return view


# --- the unit page ------------------------------------------------------------------------------------------

UNIT_HEAD = """SELECT ?label ?issuer ?issuerName ?type (GROUP_CONCAT(DISTINCT ?alt; separator="、") AS ?alts)
    WHERE {
  $IRI rdfs:label ?label . FILTER(LANG(?label) = "zh" || LANG(?label) = "")
  OPTIONAL { $IRI gw:issuer ?issuer . OPTIONAL { ?issuer rdfs:label ?issuerName . FILTER(LANG(?issuerName) = "zh") } }
  OPTIONAL { $IRI org:classification|gw:memberType ?type }
  OPTIONAL { $IRI skos:altLabel ?alt }
} GROUP BY ?label ?issuer ?issuerName ?type LIMIT 1"""

# The unit's tasks (a report row restating a plan task is left out).
UNIT_TASKS = """SELECT ?task ?role ?year ?plan ?number ?sub ?row ?text WHERE {
  { ?task gw:leadUnit $IRI . BIND("lead" AS ?role) } UNION { ?task gw:cooperatingUnit $IRI . BIND("coop" AS ?role) }
  FILTER NOT EXISTS { ?task gw:reportsOn ?planned }
  ?task gw:statement ?text ; gw:inPlan ?plan .
  OPTIONAL { ?plan gw:year ?year } OPTIONAL { ?task gw:taskNumber ?number } OPTIONAL { ?task gw:rowNumber ?row }
  OPTIONAL { ?task gw:subItemNumber ?sub }
} LIMIT 20000"""

# Every other unit named on those tasks (bound at `# @params` by pages.bound_to). Asked apart, from the tasks: as
# an OPTIONAL of the query above it was evaluated over every task of the store first (out of memory at 21,362
# documents). The roles as a UNION of fixed predicates: with a VALUES table of predicates the store read every
# task's lead and cooperating units before joining the few tasks (1.1 s at 21,362 documents, now 2 ms).
UNIT_PARTNERS = """SELECT ?task ?partner ?partnerLabel ?partnerRole WHERE {
  # @params
  { ?task gw:leadUnit ?partner . BIND("lead" AS ?partnerRole) }
  UNION { ?task gw:cooperatingUnit ?partner . BIND("coop" AS ?partnerRole) }
  FILTER(?partner != $IRI)
  OPTIONAL { ?partner rdfs:label ?partnerLabel . FILTER(LANG(?partnerLabel) = "zh") }
}"""

# The partners the unit shares most tasks with, summed over the plans' precomputed pair counts.
UNIT_NEIGHBOURS = """SELECT ?other ?label (SUM(?n) AS ?shared) WHERE {
  { ?pair gw:firstUnit $IRI ; gw:secondUnit ?other } UNION { ?pair gw:secondUnit $IRI ; gw:firstUnit ?other }
  ?pair gw:sharedTasks ?n .
  OPTIONAL { ?other rdfs:label ?label . FILTER(LANG(?label) = "zh") }
} GROUP BY ?other ?label ORDER BY DESC(?shared) ?label LIMIT 15"""


def neighbourhood(unit: str, partners: list[dict[str, Any]], size: int = 460) -> dict[str, Any]:
    """An inline-SVG layout: the unit in the middle, its partners on a circle, edges as wide as their counts."""
    centre = size / 2
    radius = size / 2 - 105  # room for a label of about eight characters beside each partner
    most = max((p["shared"] for p in partners), default=1) or 1
    nodes = []
    for i, partner in enumerate(partners):
        angle = 2 * math.pi * i / max(len(partners), 1) - math.pi / 2
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        nodes.append({**partner, "x": round(x, 1), "y": round(y, 1),
                      "width": round(1 + 5 * partner["shared"] / most, 1),
                      "anchor": "start" if math.cos(angle) > 0.3 else "end" if math.cos(angle) < -0.3 else "middle",
                      "lx": round(x + 9 * math.cos(angle), 1), "ly": round(y + 9 * math.sin(angle) + 4, 1)})
    return {"size": size, "centre": centre, "unit": unit, "nodes": nodes}


async def unit_view(iri: str, select: Select, data: Dataset) -> dict[str, Any] | None:
    """A unit (or group) page: name with issuer and type, tasks by year and role with partners, neighbourhood."""
    head = await select(_q(UNIT_HEAD, iri))
    if not head:
        return None
    row = head[0]
    type_iri = _v(row, "type")
    view: dict[str, Any] = {
        "name": _v(row, "label"), "issuer": shown(row.get("issuer"), row.get("issuerName"), data),
        "alts": [a for a in _v(row, "alts").split("、") if a],
        "type": Shown(ontology_labels().get(type_iri, type_iri.rsplit("#", 1)[-1]),
                      "/ontology#" + type_iri.rsplit("#", 1)[-1], type_iri) if type_iri else None,
    }
    tasks: dict[tuple[str, str], dict[str, Any]] = {}
    for r in await select(_q(UNIT_TASKS, iri)):
        key = (r["task"]["value"], _v(r, "role"))
        if key not in tasks:
            tasks[key] = {"task": shown(r["task"], None, data), "role": _v(r, "role"), "year": _v(r, "year"),
                          "plan": shown(r["plan"], None, data), "number": _number(r),
                          "row": _int(_v(r, "row")), "text": _v(r, "text"), "lead": [], "coop": []}
    by_task: dict[str, list[dict[str, Any]]] = {}
    for (task_iri, _), entry in tasks.items():
        by_task.setdefault(task_iri, []).append(entry)
    if by_task:
        for r in await select(_q(bound_to(UNIT_PARTNERS, "task", by_task), iri)):
            for entry in by_task[r["task"]["value"]]:
                if all(p.iri != _v(r, "partner") for p in entry[_v(r, "partnerRole")]):
                    entry[_v(r, "partnerRole")].append(shown(r["partner"], r.get("partnerLabel"), data))
    years: dict[str, dict[str, Any]] = {}
    for entry in sorted(tasks.values(), key=lambda e: (e["year"], e["plan"].iri or "", e["row"], e["task"].iri)):
        year = years.setdefault(entry["year"] or "年份不明", {"year": entry["year"] or "年份不明",
                                                            "lead": [], "coop": []})
        year[entry["role"]].append(entry)
    view["years"] = sorted(years.values(), key=lambda y: y["year"])
    view["counts"] = [{"year": y["year"], "lead": len(y["lead"]), "coop": len(y["coop"])} for y in view["years"]]
    partners = [{"unit": shown(r["other"], r.get("label"), data), "shared": _int(_v(r, "shared"))}
                for r in await select(_q(UNIT_NEIGHBOURS, iri))]
    if not partners:  # a group, or a build without statistics: count the partners on the tasks shown
        shared: Counter[str] = Counter()
        named: dict[str, Shown] = {}
        for entry in tasks.values():
            for partner in {p.iri: p for p in entry["lead"] + entry["coop"]}.values():
                shared[partner.iri or ""] += 1
                named[partner.iri or ""] = partner
        partners = [{"unit": named[k], "shared": n} for k, n in shared.most_common(PARTNERS_LISTED)]
    view["partners"] = partners
    view["graph"] = neighbourhood(view["name"], partners[:NEIGHBOURS])
    return view


# --- the plan page ------------------------------------------------------------------------------------------

# With the weak records the build counted for the plan (its gw:WeakRecordCount; Q17).
PLAN_HEAD = """SELECT ?label ?year ?issued ?issuer ?issuerName ?file ?noLead ?uncertain ?inherited WHERE {
  $IRI rdfs:label ?label .
  OPTIONAL { $IRI gw:year ?year } OPTIONAL { $IRI dcterms:issued ?issued }
  OPTIONAL { $IRI gw:issuer ?issuer . OPTIONAL { ?issuer rdfs:label ?issuerName . FILTER(LANG(?issuerName) = "zh") } }
  OPTIONAL { $IRI prov:wasDerivedFrom/gw:fileName ?file }
  OPTIONAL { $IRI gw:weakRecordCount ?weak . ?weak gw:tasksWithoutLeadUnit ?noLead ;
             gw:tasksRoleUncertain ?uncertain ; gw:assignmentsInherited ?inherited }
} LIMIT 1"""

PLAN_GOALS = """SELECT ?goal ?label ?notation ?up WHERE {
  $IRI gw:goalScheme ?scheme . ?goal skos:inScheme ?scheme ; skos:prefLabel ?label .
  OPTIONAL { ?goal skos:notation ?notation } OPTIONAL { ?goal skos:broader ?up }
}"""

PLAN_TASKS = """SELECT ?task ?table ?tableNumber ?tableLabel ?row ?number ?sub ?text ?goal WHERE {
  ?task gw:inPlan $IRI ; gw:statement ?text ; gw:inTable ?table .
  ?table gw:tableNumber ?tableNumber . OPTIONAL { ?table rdfs:label ?tableLabel }
  OPTIONAL { ?task gw:rowNumber ?row } OPTIONAL { ?task gw:taskNumber ?number } OPTIONAL { ?task gw:goal ?goal }
  OPTIONAL { ?task gw:subItemNumber ?sub }
} LIMIT 20000"""

# Every assignment of the plan's tasks: who, as printed, merged or inherited, and the line its value was printed on.
PLAN_ASSIGNMENTS = """SELECT ?task ?a ?role ?agent ?printed ?inherited ?merged ?first WHERE {
  ?task gw:inPlan $IRI ; gw:assignment ?a .
  ?a gw:role ?role ; gw:agent ?agent ; gw:printedAs ?printed ; prov:wasDerivedFrom/gw:firstLine ?first .
  OPTIONAL { ?a gw:inherited ?inherited } OPTIONAL { ?a gw:merged ?merged }
} LIMIT 100000"""

_COLUMNS = ("leader", "lead", "coop")


def goal_anchor(goal_iri: str) -> str:
    """The fragment of a goal's section on its plan page ("goal-main-3-1")."""
    return "goal-" + "-".join(goal_iri.rsplit("/goal/", 1)[-1].split("/"))


def _cells(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The three responsibility cells of a task row: names in printed order, and whether a merged cell spans them."""
    cells = {}
    for column in _COLUMNS:
        values = sorted(entry["assignments"].get(column, []), key=lambda a: a["order"])
        spanned = bool(values) and all(a["inherited"] or a["merged"] for a in values)
        cells[column] = {"values": [a["shown"] for a in values], "spanned": spanned,
                         "key": tuple((a["printed"], a["first"]) for a in values), "rowspan": 1, "hidden": False}
    return cells


def _merge_cells(rows: list[dict[str, Any]]) -> None:
    """Join a row's cell to the cell above when it repeats that cell's value from a merged (or inherited) cell."""
    for column in _COLUMNS:
        top: dict[str, Any] | None = None
        for row in rows:
            if row["kind"] != "task":
                top = None
                continue
            cell = row["cells"][column]
            if top is not None and cell["spanned"] and cell["key"] == top["key"]:
                top["rowspan"] += 1
                cell["hidden"] = True
            else:
                top = cell


async def plan_view(iri: str, select: Select, data: Dataset) -> dict[str, Any] | None:
    """A plan page: the table re-drawn as printed, goals as section rows, merged cells merged."""
    head = await select(_q(PLAN_HEAD, iri))
    if not head:
        return None
    row = head[0]
    view: dict[str, Any] = {"label": _v(row, "label"), "year": _v(row, "year"), "issued": _v(row, "issued"),
                            "issuer": shown(row.get("issuer"), row.get("issuerName"), data), "file": _v(row, "file")}
    if "noLead" in row:  # a build before the counts has none
        view["weak"] = {name: _int(_v(row, name)) for name in ("noLead", "uncertain", "inherited")}
    goals = {r["goal"]["value"]: {"label": _v(r, "label"), "notation": _v(r, "notation"), "up": _v(r, "up"),
                                  "anchor": goal_anchor(r["goal"]["value"]), "shown": shown(r["goal"], r.get("label"),
                                                                                            data)}
             for r in await select(_q(PLAN_GOALS, iri))}
    tasks = {r["task"]["value"]: {
        "task": shown(r["task"], None, data), "table": r["table"]["value"], "table_label": _v(r, "tableLabel"),
        "table_number": _int(_v(r, "tableNumber")), "row": _int(_v(r, "row")), "number": _number(r),
        "text": _v(r, "text"), "goal": _v(r, "goal"), "assignments": {}} for r in await select(_q(PLAN_TASKS, iri))}
    seen: set[str] = set()
    for r in await select(_q(PLAN_ASSIGNMENTS, iri)):
        entry = tasks.get(r["task"]["value"])
        column = _ROLE_KEYS.get(_v(r, "role"))
        if entry is None or column is None or r["a"]["value"] in seen:
            continue
        seen.add(r["a"]["value"])
        match = _ASSIGNMENT_ORDER.search(r["a"]["value"])
        entry["assignments"].setdefault(column, []).append({
            "shown": shown(r["agent"], {"type": "literal", "value": _v(r, "printed")}, data),
            "printed": _v(r, "printed"), "first": _v(r, "first"), "order": int(match.group(2)) if match else 0,
            "inherited": _v(r, "inherited") == "true", "merged": _v(r, "merged") == "true"})
    tables: list[dict[str, Any]] = []
    for entry in sorted(tasks.values(), key=lambda e: (e["table_number"], e["row"], e["task"].iri)):
        if not tables or tables[-1]["iri"] != entry["table"]:
            tables.append({"iri": entry["table"], "label": entry["table_label"], "rows": [], "open": []})
        table = tables[-1]
        path: list[str] = []
        goal = entry["goal"]
        while goal in goals and goal not in path and len(path) < 20:
            path.append(goal)
            goal = goals[goal]["up"]
        path.reverse()
        depth = next((i for i, (a, b) in enumerate(zip(table["open"], path, strict=False)) if a != b),
                     min(len(table["open"]), len(path)))
        for level, goal in enumerate(path[depth:], start=depth):
            table["rows"].append({"kind": "goal", "goal": goals[goal], "level": level})
        table["open"] = path
        table["rows"].append({"kind": "task", "task": entry["task"], "number": entry["number"], "text": entry["text"],
                              "cells": _cells(entry)})
    for table in tables:
        _merge_cells(table["rows"])
    view["tables"] = tables
    view["task_count"] = len(tasks)
    return view


# --- the browse page ----------------------------------------------------------------------------------------

#: The top goals of the plans given (bound at `# @params` by pages.bound_to) and their tasks, those of narrower
#: goals included.
BROWSE_GOALS = """SELECT ?plan ?goal ?label ?notation (COUNT(DISTINCT ?task) AS ?tasks) WHERE {
  # @params
  ?plan gw:goalScheme ?scheme . ?goal skos:topConceptOf ?scheme ; skos:prefLabel ?label .
  OPTIONAL { ?goal skos:notation ?notation }
  # from the goal down (12 plans: 9 ms at 5,000 documents; from the tasks up, 28 s)
  OPTIONAL { ?inner skos:broader* ?goal . ?task gw:goal ?inner . }
} GROUP BY ?plan ?goal ?label ?notation ORDER BY ?plan ?goal"""
#: Plans drawn with their goals on one browse page; a dataset (or an issuer) with more is browsed issuer by
#: issuer: counting every plan's goals reads every task (7 s at 5,000 documents).
BROWSE_PLANS = 60


def issuer_code(issuer_iri: str) -> str:
    """The last segment of an issuer's IRI (its division code: …/gov/320404 → 320404)."""
    return issuer_iri.rstrip("/").rsplit("/", 1)[-1]


def browse_issuers(data: Dataset) -> list[dict[str, Any]]:
    """Every issuer with how many plans and tasks it has and their years, in the order of their codes (so that
    a province's cities and counties follow it)."""
    issuers: dict[str, dict[str, Any]] = {}
    for plan in data.plans:
        issuer = issuers.setdefault(plan["issuer"], {
            "name": plan["issuerName"], "code": issuer_code(plan["issuer"]), "href": data.local_path(plan["issuer"]),
            "plans": 0, "tasks": 0, "years": set()})
        issuer["plans"] += 1
        issuer["tasks"] += _int(plan.get("tasks", "0"))
        if plan.get("year"):
            issuer["years"].add(plan["year"])
    for issuer in issuers.values():
        years = sorted(issuer.pop("years"))
        issuer["years"] = f"{years[0]}–{years[-1]}" if len(years) > 1 else "".join(years)
    return sorted(issuers.values(), key=lambda i: (i["code"], i["name"]))


def plans_of(data: Dataset, issuer: str | None) -> list[dict[str, str]] | None:
    """The plans of the issuer given by its division code, name or alias (钟楼区, 常州市钟楼区, 320404; every plan
    when None); None for an issuer the build has no plan of."""
    if issuer is None:
        return list(data.plans)
    resolved = issuer_from(issuer, load_lexicon())
    if resolved.code:
        found = [plan for plan in data.plans if issuer_code(plan["issuer"]) == resolved.code]
    else:  # not a division (or an ambiguous short name): its full name as the plans give it
        found = [plan for plan in data.plans if plan["issuerName"] == issuer]
    return found or None


async def browse_view(select: Select, data: Dataset, plans: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Issuers of `plans`, each with its plans by year, each plan with its top goals and their task counts."""
    goals: dict[str, list[dict[str, Any]]] = {}
    query = bound_to(BROWSE_GOALS, "plan", (plan["plan"] for plan in plans))
    for r in await select(_q(query)) if plans else []:
        goals.setdefault(r["plan"]["value"], []).append({
            "label": _v(r, "label"), "notation": _v(r, "notation"), "tasks": _int(_v(r, "tasks")),
            "href": f"{data.local_path(r['plan']['value'])}#{goal_anchor(r['goal']['value'])}",
            "order": _goal_order(r["goal"]["value"])})
    issuers: dict[str, dict[str, Any]] = {}
    for plan in plans:
        issuer = issuers.setdefault(plan["issuer"], {"name": plan["issuerName"],
                                                     "href": data.local_path(plan["issuer"]), "plans": []})
        issuer["plans"].append({"title": plan["title"], "year": plan.get("year", ""), "tasks": plan.get("tasks", "0"),
                                "href": data.local_path(plan["plan"]),
                                "goals": sorted(goals.get(plan["plan"], []), key=lambda g: g["order"])})
    for issuer in issuers.values():
        issuer["plans"].sort(key=lambda p: (p["year"], p["title"]))
    return sorted(issuers.values(), key=lambda i: i["name"])


def _goal_order(goal_iri: str) -> tuple[bool, int]:
    """Main-table goals first, then by their number ("…/goal/main/3" → (False, 3))."""
    kind, _, number = goal_iri.rsplit("/goal/", 1)[-1].partition("/")
    return kind != "main", _int(number.split("-")[0], 999)


# --- dispatch -----------------------------------------------------------------------------------------------

_UNIT_TYPES = (str(GW.Unit), str(GW.UnitGroup))


async def people_page(page: dict[str, Any], select: Select, data: Dataset) -> tuple[str, dict[str, Any]]:
    """The template for a resource page and what it adds to `page` (the generic resource page otherwise)."""
    types = {t.iri for t in page["types"]}
    iri = page["iri"]
    if str(GW.Task) in types:
        view = await task_view(iri, select, data, page.get("locations", []))
        if view:
            return "task.html", {"task": view}
    elif types & set(_UNIT_TYPES):
        view = await unit_view(iri, select, data)
        if view:
            return "unit.html", {"unit": view}
    elif str(GW.WorkPlan) in types:
        view = await plan_view(iri, select, data)
        if view:
            return "plan.html", {"plan": view}
    return "resource.html", {}
