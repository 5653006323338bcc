"""Links between documents → the links graph: a report's rows to the plan tasks they report on, a plan's tasks to
the tasks of the previous plan they continue, and every decision as a reviewable gw:TaskMatch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ..model import Document, TaskMatch, TaskProfile
from .iris import Minter
from .serialize import Triple
from .vocab import GW

_KINDS = {"reports_on": GW.ReportsOn, "continues": GW.Continues}
_LABELS = {"reports_on": "进展报告对应任务", "continues": "延续上年任务"}


def task_profiles(document: Document, task_iris: Sequence[URIRef], plan: URIRef, gov: str,
                  report: str | None) -> list[TaskProfile]:
    """What matching needs of each task of a built document (`task_iris` in the order of its tasks); `report` is
    the report's period key for a progress report, None for a plan."""
    return [
        TaskProfile(
            ref=str(iri), document=str(plan), issuer=gov, year=document.year, report=report,
            table=task.record.table, number=task.record.task_no, statement=task.record.text,
            goal=task.record.goal[-1] if task.record.goal else None,
            lead_units=tuple(p.name for p in task.lead_units if p.kind == "unit"),
            coop_units=tuple(p.name for p in task.coop_units if p.kind == "unit"),
            observed=task.has_progress, no_lead=not task.lead_units, role_uncertain=not task.record.role_certain,
            inherited=task.parties_filled_from_above(),
        )
        for task, iri in zip(document.tasks, task_iris, strict=True)
    ]


def match_context(profiles: Iterable[TaskProfile], minter: Minter) -> set[Triple]:
    """What validating the links graph needs of the documents: each task's plan and each plan's issuer."""
    graph: set[Triple] = set()
    for profile in profiles:
        graph.add((URIRef(profile.ref), GW.inPlan, URIRef(profile.document)))
        graph.add((URIRef(profile.document), GW.issuer, minter.government(profile.issuer)))
    return graph


def links_triples(matches: Iterable[TaskMatch], profiles: Mapping[str, TaskProfile]) -> set[Triple]:
    """The links graph of the matcher's decisions, as triples; `profiles` gives each matched task's profile by IRI."""
    graph: set[Triple] = set()
    for match in matches:
        task = URIRef(match.task)
        node = URIRef(f"{match.task}/match")
        graph.add((node, RDF.type, GW.TaskMatch))
        graph.add((node, RDFS.label, Literal(_LABELS[match.kind] + ("（待核对）" if match.ambiguous else ""),
                                             lang="zh")))
        graph.add((node, GW.matchOf, task))
        graph.add((node, GW.matchKind, _KINDS[match.kind]))
        graph.add((node, GW.matchMethod, Literal(match.method)))
        graph.add((node, GW.matchScore, Literal(f"{match.score:.3f}", datatype=XSD.decimal)))
        graph.add((node, GW.matchStatus, GW.Ambiguous if match.ambiguous else GW.Matched))
        for candidate in match.candidates:
            graph.add((node, GW.candidate, URIRef(candidate)))
        if match.matched is None:
            continue
        target = URIRef(match.matched)
        graph.add((node, GW.matchedTask, target))
        if match.kind == "continues":
            graph.add((task, GW.continues, target))
            continue
        graph.add((task, GW.reportsOn, target))
        graph.add((URIRef(profiles[match.task].document), GW.reportsOnPlan, URIRef(profiles[match.matched].document)))
        if profiles[match.task].observed:
            graph.add((target, GW.hasProgress, URIRef(f"{match.task}/progress")))
    return graph
