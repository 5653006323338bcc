"""What the HTML pages show: SPARQL that gathers a resource's neighbourhood, and values made ready to render."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as oxi
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from ..query.bind import bind_text_rows, sparql_term
from ..rdf.vocab import GW, PREFIXES, SPARQL_PROLOGUE
from ..resources import resource_dir
from .site import Dataset

Select = Callable[[str], Awaitable[list[dict[str, Any]]]]

PREFIX = SPARQL_PROLOGUE
_LIMIT = 500
_REUSED_LABELS = {
    str(RDFS.label): "标签 label", str(SKOS.prefLabel): "首选名称 preferred label",
    str(SKOS.altLabel): "其他写法 alternative label", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "类型 type",
    str(SKOS.broader): "上级目标 broader", str(SKOS.narrower): "下级目标 narrower",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "来源 derived from",
    "http://www.w3.org/ns/org#subOrganizationOf": "隶属 sub-organisation of",
    "http://www.w3.org/ns/org#classification": "单位类型 unit type",
}


@lru_cache(maxsize=1)
def ontology_labels() -> dict[str, str]:
    """Labels "中文 English" of the ontology's terms, from ontology/govwork.ttl."""
    graph = Graph().parse(resource_dir("ontology") / "govwork.ttl")
    labels: dict[str, dict[str, str]] = {}
    for term, label in graph.subject_objects(RDFS.label):
        if isinstance(label, Literal) and str(term).startswith(str(GW)):
            labels.setdefault(str(term), {})[label.language or ""] = str(label)
    out = {term: f"{names.get('zh', '')} {names.get('en', '')}".strip() for term, names in labels.items()}
    return {**out, **_REUSED_LABELS}


@dataclass(frozen=True)
class Shown:
    """A value ready to render: its text, a link on this server (or None), and its full IRI (or None)."""

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None


def compact(iri: str) -> str:
    """A prefixed name for IRIs of known vocabularies, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


def bound_to(query: str, variable: str, iris: Iterable[str]) -> str:
    """The query with `?variable` bound to each IRI at its `# @params` line: in parts of a few IRIs, the group
    around the line written once per part (query.bind.bind_text_rows). In one clause of more rows, Oxigraph
    joined an OPTIONAL by reading its pattern over the whole store: one issuer's browse page of 20 plans took
    10 s at 25,000 documents, of 16 plans 9 ms."""
    return bind_text_rows(query, [variable], [(URIRef(iri),) for iri in iris])


def shown(term: dict[str, str] | None, label: dict[str, str] | None, data: Dataset) -> Shown:
    """Render one SPARQL JSON term (with its label, if the query fetched one)."""
    if term is None:
        return Shown("")
    if term["type"] != "uri":
        return Shown(term["value"], lang=term.get("xml:lang"))
    iri = term["value"]
    href = data.local_path(iri)
    if iri.startswith(str(GW)):
        href = "/ontology#" + iri[len(str(GW)):]
    text = label["value"] if label else (ontology_labels().get(iri) or compact(iri))
    return Shown(text, href, iri)


def _term(node: oxi.NamedNode | oxi.Literal) -> dict[str, str]:
    if isinstance(node, oxi.NamedNode):
        return {"type": "uri", "value": node.value}
    return {"type": "literal", "value": node.value, **({"xml:lang": node.language} if node.language else {})}


#: What the page of a small graph (VoID, DCAT) shows at most: subjects, and values of one property of a subject.
#: A national catalogue has 25,000 datasets and VoID 56,000 graph subsets: shown whole, 58 and 80 MB of HTML.
SHOWN_SUBJECTS = 100
SHOWN_VALUES = 50


@dataclass
class Described:
    """A small graph ready to render: its first subjects, each with its properties and values, and how many
    subjects are left out."""

    rows: list[dict[str, Any]]
    hidden_subjects: int


def described_rows(triples: Iterable[oxi.Triple], data: Dataset) -> Described:
    """A small graph (VoID, DCAT: site.Triples) for a page: its first SHOWN_SUBJECTS subjects in the graph's own
    order (the described dataset or catalogue first), each with its properties in order and at most SHOWN_VALUES
    values of each (then a line saying how many more, linking to the whole graph in Turtle)."""
    by_subject: dict[str, list[oxi.Triple]] = {}
    for triple in triples:
        by_subject.setdefault(str(triple.subject), []).append(triple)
    rows = []
    for found in itertools.islice(by_subject.values(), SHOWN_SUBJECTS):
        values: list[tuple[Shown, Shown]] = []
        ordered = sorted(found, key=lambda t: (str(t.predicate), str(t.object)))
        for _, group in itertools.groupby(ordered, key=lambda t: str(t.predicate)):
            group_list = list(group)
            label = shown(_term(group_list[0].predicate), None, data)
            values += [(label, shown(_term(t.object), None, data)) for t in group_list[:SHOWN_VALUES]]
            if len(group_list) > SHOWN_VALUES:
                more = len(group_list) - SHOWN_VALUES
                values.append((label, Shown(f"… 另有 {more:,} 个 / {more:,} more (Turtle)", "?format=ttl")))
        rows.append({"subject": shown(_term(found[0].subject), None, data), "properties": values})
    return Described(rows, max(0, len(by_subject) - SHOWN_SUBJECTS))


def _bind(query: str, iri: str) -> str:
    return PREFIX + query.replace("$IRI", sparql_term(URIRef(iri)))


OUTGOING = """SELECT ?p ?o (SAMPLE(?l) AS ?label) WHERE {
  $IRI ?p ?o .
  OPTIONAL { ?o rdfs:label|skos:prefLabel ?l . FILTER(LANG(?l) = "zh" || LANG(?l) = "") }
} GROUP BY ?p ?o ORDER BY ?p ?o LIMIT 500"""

INCOMING = """SELECT ?s ?p (SAMPLE(?l) AS ?label) WHERE {
  ?s ?p $IRI .
  FILTER(?p NOT IN (gw:leadUnit, gw:cooperatingUnit, gw:leaderInCharge, gw:agent, gw:inPlan))
  OPTIONAL { ?s rdfs:label ?l . FILTER(LANG(?l) = "zh" || LANG(?l) = "") }
} GROUP BY ?s ?p ORDER BY ?p ?s LIMIT 300"""

# A report's row that gw:reportsOn a plan task restates it: the commitment is listed once, under its plan.
TASKS_OF_AGENT = """SELECT ?task ?role ?year ?number ?text WHERE {
  { ?task gw:leadUnit $IRI . BIND("牵头 lead" AS ?role) }
  UNION { ?task gw:cooperatingUnit $IRI . BIND("配合 cooperating" AS ?role) }
  UNION { ?task gw:leaderInCharge $IRI . BIND("分管 in charge" AS ?role) }
  FILTER NOT EXISTS { ?task gw:reportsOn ?planned }
  ?task gw:statement ?text ; gw:inPlan ?plan ; gw:rowNumber ?row .
  OPTIONAL { ?plan gw:year ?year } OPTIONAL { ?task gw:taskNumber ?number }
} ORDER BY ?year ?row ?role LIMIT 500"""

# From the goal down to its sub-goals and their tasks (written from the other end, the store read every task's goal).
TASKS_OF_GOAL = """SELECT ?task ?role ?year ?number ?text WHERE {
  $IRI ^skos:broader* ?goal . ?goal skos:prefLabel ?role ; ^gw:goal ?task .
  ?task gw:statement ?text ; gw:inPlan ?plan ; gw:rowNumber ?row .
  OPTIONAL { ?plan gw:year ?year } OPTIONAL { ?task gw:taskNumber ?number }
} ORDER BY ?row LIMIT 500"""

PROVENANCE = """SELECT ?file ?first ?last ?table ?sha WHERE {
  $IRI prov:wasDerivedFrom ?rows ; gw:inTable/gw:tableKind ?table .
  ?rows gw:firstLine ?first ; gw:lastLine ?last ; dcterms:isPartOf ?source .
  ?source gw:fileName ?file ; gw:sha256 ?sha .
}"""

# An original's places (第3页 表1 第18行), in reading order.
LOCATIONS = """SELECT DISTINCT ?label ?sheet ?page ?table ?row ?column WHERE {
  $IRI prov:wasDerivedFrom/prov:atLocation ?place . ?place rdfs:label ?label .
  OPTIONAL { ?place gw:sheetName ?sheet } OPTIONAL { ?place gw:pageNumber ?page }
  OPTIONAL { ?place gw:tableIndex ?table } OPTIONAL { ?place gw:rowIndex ?row }
  OPTIONAL { ?place gw:columnIndex ?column }
} ORDER BY ?sheet ?page ?table ?row ?column"""

ASSIGNMENTS = """SELECT ?role ?agent ?label ?printed ?inherited ?merged ?certain ?first ?last
    (GROUP_CONCAT(DISTINCT ?place; separator="；") AS ?places) WHERE {
  $IRI gw:assignment ?a .
  ?a gw:role ?role ; gw:agent ?agent ; gw:printedAs ?printed ; prov:wasDerivedFrom ?rows .
  ?rows gw:firstLine ?first ; gw:lastLine ?last .
  OPTIONAL { ?a gw:inherited ?inherited } OPTIONAL { ?a gw:roleCertain ?certain }
  OPTIONAL { ?a gw:merged ?merged }
  OPTIONAL { ?rows prov:atLocation/rdfs:label ?place }
  OPTIONAL { ?agent rdfs:label ?label . FILTER(LANG(?label) = "zh") }
} GROUP BY ?role ?agent ?label ?printed ?inherited ?merged ?certain ?first ?last ORDER BY ?role ?first ?printed"""

DEADLINE = """SELECT ?printed ?date WHERE {
  $IRI gw:deadline ?printed . OPTIONAL { $IRI gw:deadlineDate ?date }
}"""

PROGRESS = """SELECT ?status ?printed ?text ?date ?report ?reportLabel WHERE {
  $IRI gw:hasProgress ?o . ?o gw:progressStatus ?status ; gw:reportedIn ?report .
  OPTIONAL { ?o gw:statusText ?printed } OPTIONAL { ?o gw:progressText ?text } OPTIONAL { ?o gw:reportDate ?date }
  OPTIONAL { ?report rdfs:label ?reportLabel . FILTER(LANG(?reportLabel) = "zh") }
} ORDER BY ?date"""

TARGETS = """SELECT ?text ?metric ?value ?unit ?comparator ?growth WHERE {
  $IRI gw:target ?t . ?t gw:targetText ?text ; gw:metric ?metric ; gw:targetValue ?value ; gw:unitText ?unit ;
     gw:comparator ?comparator ; gw:growth ?growth .
} ORDER BY ?text"""

# --- following commitments: a unit's latest status, a task's timeline (docs/rdf-model.md, "Links graph") -------

#: The normalised progress statuses in words (gw:ProgressStatus individuals).
STATUS_WORDS = {"OnSchedule": "正常推进", "BehindSchedule": "滞后", "Done": "已完成", "NotStarted": "未开工",
                "StatusUnknown": "状态不明"}
MATCH_METHODS = {"number": "按序号 number", "statement": "按文本 statement"}
MATCH_KINDS = {str(GW.ReportsOn): "报告所述 reports on", str(GW.Continues): "接续 continues"}

# The observations of the unit's tasks (lead or cooperating; report rows restating a plan task left out, their
# observations being found from the plan task); the latest of each task is picked in Python.
# The report's label is looked up from a node always bound (<urn:govkg:none> without a report): an OPTIONAL on a
# variable that may be unbound is evaluated over the whole store first (every label: out of memory at 21,362
# documents).
UNIT_PROGRESS = """SELECT ?task ?role ?year ?number ?text ?row ?inReport ?o ?status ?printed ?date (?report0 AS ?report)
    ?reportLabel WHERE {
  { ?task gw:leadUnit $IRI . BIND("牵头 lead" AS ?role) }
  UNION { ?task gw:cooperatingUnit $IRI . BIND("配合 cooperating" AS ?role) }
  FILTER NOT EXISTS { ?task gw:reportsOn ?planned }
  ?task gw:hasProgress ?o ; gw:statement ?text ; gw:inPlan ?plan .
  ?o gw:progressStatus ?status .
  OPTIONAL { ?o gw:statusText ?printed } OPTIONAL { ?o gw:reportDate ?date } OPTIONAL { ?o gw:reportedIn ?report0 }
  BIND(COALESCE(?report0, <urn:govkg:none>) AS ?reportNode)
  OPTIONAL { ?reportNode rdfs:label ?reportLabel . FILTER(LANG(?reportLabel) = "zh") }
  OPTIONAL { ?plan gw:year ?year } OPTIONAL { ?task gw:taskNumber ?number } OPTIONAL { ?task gw:rowNumber ?row }
  BIND(EXISTS { ?plan a gw:ProgressReport } AS ?inReport)
} ORDER BY ?year ?inReport ?row ?task ?date ?o LIMIT 2000"""

# The task, the tasks it continues (backwards) and those continuing it, each with its targets and the match that
# links it to the task it continues. What belongs to the task it continues is looked up from nodes always bound
# (<urn:govkg:none> when there is none), one OPTIONAL each: a wider OPTIONAL was evaluated over every link of the
# store first (10 s at 21,362 documents). Whether a task is a report's row is asked of its plan node (a path from
# the task read every report of the store for each task).
CHAIN = """SELECT ?task ?place ?year ?number ?text ?row ?inReport (?prev0 AS ?prev) ?prevYear ?prevNumber
    (GROUP_CONCAT(DISTINCT ?target; separator="；") AS ?targets) (SAMPLE(?s) AS ?score) (SAMPLE(?how) AS ?method)
    WHERE {
  { BIND($IRI AS ?task) BIND(0 AS ?place) }
  UNION { $IRI gw:continues+ ?task . BIND(-1 AS ?place) }
  UNION { ?task gw:continues+ $IRI . BIND(1 AS ?place) }
  OPTIONAL { ?task gw:statement ?text } OPTIONAL { ?task gw:inPlan/gw:year ?year }
  OPTIONAL { ?task gw:taskNumber ?number } OPTIONAL { ?task gw:rowNumber ?row }
  OPTIONAL { ?task gw:target/gw:targetText ?target }
  OPTIONAL { ?task gw:inPlan ?taskPlan } BIND(EXISTS { ?taskPlan a gw:ProgressReport } AS ?inReport)
  OPTIONAL { ?task gw:continues ?prev0 } BIND(COALESCE(?prev0, <urn:govkg:none>) AS ?prevNode)
  OPTIONAL { ?prevNode gw:inPlan/gw:year ?prevYear } OPTIONAL { ?prevNode gw:taskNumber ?prevNumber }
  OPTIONAL { ?m0 gw:matchOf ?task ; gw:matchedTask ?prevNode ; gw:matchKind gw:Continues . }
  BIND(COALESCE(?m0, <urn:govkg:none>) AS ?match)
  OPTIONAL { ?match gw:matchScore ?s } OPTIONAL { ?match gw:matchMethod ?how }
} GROUP BY ?task ?place ?year ?number ?text ?row ?inReport ?prev0 ?prevYear ?prevNumber
ORDER BY ?place ?year ?row ?task ?prev0 LIMIT 200"""

REPORTS_ON = """SELECT ?planned ?year ?number ?text (SAMPLE(?s) AS ?score) (SAMPLE(?how) AS ?method) WHERE {
  $IRI gw:reportsOn ?planned .
  OPTIONAL { ?planned gw:statement ?text } OPTIONAL { ?planned gw:inPlan/gw:year ?year }
  OPTIONAL { ?planned gw:taskNumber ?number }
  OPTIONAL { ?m gw:matchOf $IRI ; gw:matchedTask ?planned ; gw:matchKind gw:ReportsOn .
             OPTIONAL { ?m gw:matchScore ?s } OPTIONAL { ?m gw:matchMethod ?how } }
} GROUP BY ?planned ?year ?number ?text ORDER BY ?planned"""

PENDING = """SELECT ?m ?kind ?score ?method ?candidate ?year ?number ?text WHERE {
  ?m gw:matchOf $IRI ; gw:matchStatus gw:Ambiguous ; gw:candidate ?candidate .
  OPTIONAL { ?m gw:matchKind ?kind } OPTIONAL { ?m gw:matchScore ?score } OPTIONAL { ?m gw:matchMethod ?method }
  OPTIONAL { ?candidate gw:statement ?text } OPTIONAL { ?candidate gw:inPlan/gw:year ?year }
  OPTIONAL { ?candidate gw:taskNumber ?number } OPTIONAL { ?candidate gw:rowNumber ?row }
} ORDER BY ?m ?year ?row ?candidate LIMIT 200"""

# A plan's page redraws its table (people.py), so the plan has no task list here.
TASK_LISTS = {
    str(GW.Unit): TASKS_OF_AGENT, str(GW.UnitGroup): TASKS_OF_AGENT, "http://xmlns.com/foaf/0.1/Person": TASKS_OF_AGENT,
    str(GW.CollectiveLeadership): TASKS_OF_AGENT, str(GW.Goal): TASKS_OF_GOAL,
}


async def describe(iri: str, select: Select, data: Dataset) -> dict[str, Any] | None:
    """Everything a resource page shows, or None when the store has nothing about the IRI."""
    outgoing = await select(_bind(OUTGOING, iri))
    if not outgoing:
        return None
    rows = [(shown(row.get("p"), None, data), shown(row.get("o"), row.get("label"), data)) for row in outgoing]
    types = [row["o"]["value"] for row in outgoing if row["p"]["value"].endswith("#type")]
    labels = [row["o"] for row in outgoing if row["p"]["value"] in (str(RDFS.label), str(SKOS.prefLabel))
              and row["o"]["type"] == "literal"]
    title = next((label["value"] for label in labels if label.get("xml:lang") == "zh"),
                 labels[0]["value"] if labels else compact(iri))
    page: dict[str, Any] = {"iri": iri, "title": title, "types": [shown({"type": "uri", "value": t}, None, data)
                                                                  for t in types], "outgoing": rows}
    incoming = await select(_bind(INCOMING, iri))
    page["incoming"] = [(shown(row.get("s"), row.get("label"), data), shown(row.get("p"), None, data))
                        for row in incoming]
    query = next((TASK_LISTS[t] for t in types if t in TASK_LISTS), None)
    if query:
        page["tasks"] = [{"task": shown(row.get("task"), None, data), "role": _v(row, "role"),
                          "year": _v(row, "year"), "number": _v(row, "number"), "text": _v(row, "text")}
                         for row in await select(_bind(query, iri))]
    if str(GW.Unit) in types:
        page["latest"] = await _latest_status(iri, select, data)
    if str(GW.Task) in types:
        await _task_sections(page, iri, select, data)
        page["timeline"] = await _timeline(page, iri, select, data)
    return page


async def _task_sections(page: dict[str, Any], iri: str, select: Select, data: Dataset) -> None:
    """What a task page adds: provenance (lines, an original's places), assignments, targets, deadline, progress."""
    provenance = await select(_bind(PROVENANCE, iri))
    page["provenance"] = {k: _v(provenance[0], k) for k in provenance[0]} if provenance else None
    page["locations"] = [_v(row, "label") for row in await select(_bind(LOCATIONS, iri))]
    page["assignments"] = [{"role": shown(row["role"], None, data), "agent": shown(row["agent"], row.get("label"),
                            data), "printed": _v(row, "printed"), "inherited": _v(row, "inherited") == "true",
                            "merged": _v(row, "merged") == "true", "certain": _v(row, "certain") != "false",
                            "lines": _lines(row), "places": _v(row, "places")}
                           for row in await select(_bind(ASSIGNMENTS, iri))]
    page["targets"] = [{k: _v(row, k) for k in row} for row in await select(_bind(TARGETS, iri))]
    deadline = await select(_bind(DEADLINE, iri))
    page["deadline"] = {k: _v(deadline[0], k) for k in ("printed", "date")} if deadline else None
    page["progress"] = [{"status": shown(row["status"], None, data), "printed": _v(row, "printed"),
                         "text": _v(row, "text"), "date": _v(row, "date"),
                         "report": shown(row["report"], row.get("reportLabel"), data)}
                        for row in await select(_bind(PROGRESS, iri))]


def status_shown(term: dict[str, str] | None) -> Shown:
    """A normalised progress status as a readable word (正常推进 …), linked to its ontology term."""
    if term is None:
        return Shown("")
    name = term["value"].rsplit("#", 1)[-1]
    return Shown(STATUS_WORDS.get(name, name), "/ontology#" + name, term["value"])


def _score(row: dict[str, Any]) -> str:
    """A match score with three decimals ("0.610"; the store gives decimals in canonical form, "0.61"), or ""."""
    score = _v(row, "score")
    try:
        return f"{float(score):.3f}"
    except ValueError:
        return score


def _method(row: dict[str, Any]) -> str:
    method = _v(row, "method")
    return MATCH_METHODS.get(method, method)


async def _latest_status(iri: str, select: Select, data: Dataset) -> dict[str, Any] | None:
    """The unit's observed tasks with the status of each one's latest observation (None when none is observed)."""
    tasks: dict[str, dict[str, Any]] = {}
    for row in await select(_bind(UNIT_PROGRESS, iri)):
        task = row["task"]["value"]
        entry = tasks.get(task)
        if entry is None:
            entry = tasks[task] = {"task": shown(row["task"], None, data), "roles": [], "year": _v(row, "year"),
                                   "number": _v(row, "number"), "text": _v(row, "text"),
                                   "in_report": _v(row, "inReport") == "true", "observed": {}}
        if _v(row, "role") not in entry["roles"]:
            entry["roles"].append(_v(row, "role"))
        entry["observed"][row["o"]["value"]] = row
    if not tasks:
        return None
    rows = []
    for entry in tasks.values():
        # the latest report date; an observation without a date counts as the earliest
        latest = max(entry.pop("observed").values(), key=lambda r: (_v(r, "date"), r["o"]["value"]))
        entry.update(role="、".join(entry.pop("roles")), status=status_shown(latest.get("status")),
                     printed=_v(latest, "printed"), date=_v(latest, "date"),
                     report=shown(latest.get("report"), latest.get("reportLabel"), data))
        rows.append(entry)
    counts: dict[str, int] = {}
    for entry in rows:
        counts[entry["status"].text] = counts.get(entry["status"].text, 0) + 1
    order = list(STATUS_WORDS.values())
    summary = [(word, counts[word]) for word in sorted(counts, key=lambda w: order.index(w) if w in order else 99)]
    return {"tasks": rows, "summary": summary}


def _chain_entry(row: dict[str, Any], data: Dataset) -> dict[str, Any]:
    entry = {"task": shown(row["task"], None, data), "year": _v(row, "year"), "number": _v(row, "number"),
             "text": _v(row, "text"), "targets": [t for t in _v(row, "targets").split("；") if t], "link": None,
             "in_report": _v(row, "inReport") == "true"}
    if "prev" in row:
        entry["link"] = {"task": shown(row["prev"], None, data), "year": _v(row, "prevYear"),
                         "number": _v(row, "prevNumber"), "score": _score(row), "method": _method(row)}
    return entry


async def _timeline(page: dict[str, Any], iri: str, select: Select, data: Dataset) -> dict[str, Any] | None:
    """Predecessors, the task with its observations, successors; what a report row reports on; open matches."""
    before: list[dict[str, Any]] = []
    after: list[dict[str, Any]] = []
    this: dict[str, Any] | None = None
    for row in await select(_bind(CHAIN, iri)):
        entry = _chain_entry(row, data)
        place = int(_v(row, "place") or 0)
        if place == 0:
            if this is None:
                this = entry
            elif entry["link"]:
                this.setdefault("more_links", []).append(entry["link"])
        else:
            target = before if place < 0 else after
            if not any(e["task"].iri == entry["task"].iri for e in target):
                target.append(entry)
    reports_on = [{"task": shown(row["planned"], None, data), "year": _v(row, "year"), "number": _v(row, "number"),
                   "text": _v(row, "text"), "score": _score(row), "method": _method(row)}
                  for row in await select(_bind(REPORTS_ON, iri))]
    pending: dict[str, dict[str, Any]] = {}
    for row in await select(_bind(PENDING, iri)):
        match = pending.setdefault(row["m"]["value"], {
            "match": shown(row["m"], None, data), "kind": MATCH_KINDS.get(_v(row, "kind"), _v(row, "kind")),
            "score": _score(row), "method": _method(row), "candidates": []})
        match["candidates"].append({"task": shown(row["candidate"], None, data), "year": _v(row, "year"),
                                    "number": _v(row, "number"), "text": _v(row, "text")})
    if not (before or after or reports_on or pending or page.get("progress") or (this and this["link"])):
        return None
    return {"before": before, "this": this, "after": after, "reports_on": reports_on,
            "pending": list(pending.values())}


def row_value(row: dict[str, Any], key: str) -> str:
    """The value of a SPARQL JSON row's binding ("" when unbound)."""
    return row[key]["value"] if key in row else ""


_v = row_value  # the short name the page builders use


def _lines(row: dict[str, Any]) -> str:
    first, last = _v(row, "first"), _v(row, "last")
    return first if first == last else f"{first}–{last}"


