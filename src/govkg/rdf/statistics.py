"""Statistics precomputed per plan, so that the aggregating questions (Q4 unit pairs, Q5 unit load, Q17 weak
records counted) read a few rows per plan instead of joining every task with every other.

Each plan gets its own named graph `B graph/plan/{gov}/{key}/statistics`:

    <{plan}/statistics/pair/{unit A}/{unit B}> a gw:UnitPairCount ; gw:statisticsOf <plan> ;
        gw:firstUnit <A> ; gw:secondUnit <B> ;            # A's IRI sorts before B's
        gw:sharedTasks 3 ; gw:taskNumbers "2 5 11" .       # the tasks naming both (lead or cooperating)
    <{plan}/statistics/load/{unit}> a gw:UnitLoad ; gw:statisticsOf <plan> ; gw:loadOf <U> ;
        gw:tasksLed 4 ; gw:tasksCooperated 7 .
    <{plan}/statistics/weak> a gw:WeakRecordCount ; gw:statisticsOf <plan> ; gw:tasksCounted 30 ;
        gw:tasksWithoutLeadUnit 2 ; gw:tasksRoleUncertain 1 ; gw:assignmentsInherited 5 .
    <plan> gw:weakRecordCount <{plan}/statistics/weak> .   # found from the plan, not among its ~100 statistics

Pairs and loads are counted as the queries count: units only (groups, people and collectives left out), each task
once per pair or role, and a progress report's row that restates a plan task (gw:reportsOn) left out, since it
counts under its plan. The weak records are counted as Q9 lists them, over every task of the plan's graph. A
changed document changes only its own plan's statistics graph (and a report's, when its matches change).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from itertools import combinations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..model import TaskProfile
from .iris import Minter, segment
from .vocab import GW


def statistics_graph(plan_graph: URIRef) -> URIRef:
    """The named graph of a plan's statistics, beside the plan's own graph."""
    return URIRef(f"{plan_graph}/statistics")


def _number_key(number: str) -> tuple[tuple[int, str], ...]:
    """Task numbers in reading order: 2 < 10 < 10-1."""
    return tuple((int(part), "") if part.isdigit() else (0, part) for part in re.split(r"(\d+)", number) if part)


_INTEGER = f"^^<{XSD.integer}>"
#: What a plan's gw:WeakRecordCount states, in the order plan_statistics counts them.
WEAK_COUNTS = (GW.tasksCounted, GW.tasksWithoutLeadUnit, GW.tasksRoleUncertain, GW.assignmentsInherited)


def _literal(value: int | str) -> str:
    if isinstance(value, int):  # as Literal(value, datatype=XSD.integer).n3() writes it, without making one
        return f'"{value}"{_INTEGER}'
    return Literal(value).n3()


def plan_statistics(profiles: Iterable[TaskProfile], restated: Collection[str], minter: Minter,
                    graphs: dict[str, URIRef]) -> dict[str, list[str]]:
    """For each plan (by its IRI) of `graphs` (plan IRI → its named graph): the sorted N-Quads lines of its
    statistics graph; `restated` holds the report rows matched to a plan task."""
    pairs: dict[str, dict[tuple[URIRef, URIRef], set[str]]] = defaultdict(lambda: defaultdict(set))
    shared: dict[str, dict[tuple[URIRef, URIRef], int]] = defaultdict(lambda: defaultdict(int))
    led: dict[str, dict[URIRef, int]] = defaultdict(lambda: defaultdict(int))
    cooperated: dict[str, dict[URIRef, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[URIRef, str] = {}
    weak: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tasks, no lead, role uncertain, inherited
    for profile in profiles:
        plan = profile.document
        counts = weak[plan]
        counts[0] += 1
        counts[1] += profile.no_lead
        counts[2] += profile.role_uncertain
        counts[3] += profile.inherited
        if profile.ref in restated:
            continue
        lead = {minter.unit(profile.issuer, name) for name in profile.lead_units}
        coop = {minter.unit(profile.issuer, name) for name in profile.coop_units}
        for name in (*profile.lead_units, *profile.coop_units):
            names[minter.unit(profile.issuer, name)] = name
        for unit in lead:
            led[plan][unit] += 1
        for unit in coop:
            cooperated[plan][unit] += 1
        for first, second in combinations(sorted(lead | coop, key=str), 2):
            shared[plan][first, second] += 1
            if profile.number:
                pairs[plan][first, second].add(profile.number)
    out: dict[str, list[str]] = {}
    for plan, graph in graphs.items():
        lines: list[str] = []
        suffix = f" <{statistics_graph(graph)}> ."
        base = f"{plan}/statistics"

        def add(node: str, predicate: URIRef, value: str, lines: list[str] = lines, suffix: str = suffix) -> None:
            lines.append(f"<{node}> <{predicate}> {value}{suffix}")

        for (first, second), count in shared[plan].items():
            node = f"{base}/pair/{segment(names[first])}/{segment(names[second])}"
            add(node, RDF.type, f"<{GW.UnitPairCount}>")
            add(node, GW.statisticsOf, f"<{plan}>")
            add(node, GW.firstUnit, f"<{first}>")
            add(node, GW.secondUnit, f"<{second}>")
            add(node, GW.sharedTasks, _literal(count))
            numbers = sorted(pairs[plan][first, second], key=_number_key)
            if numbers:
                add(node, GW.taskNumbers, _literal(" ".join(numbers)))
        for unit in sorted(set(led[plan]) | set(cooperated[plan]), key=str):
            node = f"{base}/load/{segment(names[unit])}"
            add(node, RDF.type, f"<{GW.UnitLoad}>")
            add(node, GW.statisticsOf, f"<{plan}>")
            add(node, GW.loadOf, f"<{unit}>")
            add(node, GW.tasksLed, _literal(led[plan].get(unit, 0)))
            add(node, GW.tasksCooperated, _literal(cooperated[plan].get(unit, 0)))
        if plan in weak:
            node = f"{base}/weak"
            add(node, RDF.type, f"<{GW.WeakRecordCount}>")
            add(node, GW.statisticsOf, f"<{plan}>")
            add(plan, GW.weakRecordCount, f"<{node}>")
            for predicate, count in zip(WEAK_COUNTS, weak[plan], strict=True):
                add(node, predicate, _literal(count))
        out[plan] = sorted(lines)
    return out
