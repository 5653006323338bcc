"""One extracted document → its graph: plan, tables, goals, tasks, qualified assignments, targets, deadlines,
progress observations, provenance (source lines, and for original files the places they are at).

Units, groups, people and collective leaderships are only pointed to (their descriptions are in the lexicon
graph, see `mentions`); the posts people hold in the plan year are part of the document graph.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from .. import __version__
from ..lexicon import Lexicon
from ..model import Document, FieldSource, Party, Span, Target, Task
from .iris import Minter, issuer_key
from .locations import location_triples, span_locations
from .mentions import entity_iri
from .progress import deadline_triples, printed_report_date, progress_triples, report_date, report_period
from .serialize import Triple, triples_graph
from .vocab import COMPARATORS, GW, QUDT, ROLES, UNIT

ZH = "zh"
_LABEL_CHARS = 24


def zh(text: str) -> Literal:
    """A Chinese text literal."""
    return Literal(text, lang=ZH)


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _bool(value: bool) -> Literal:
    return Literal(value, datatype=XSD.boolean)


def _string(value: str) -> Literal:
    return Literal(value)


class DocumentGraph:
    """Builds the named graph of one document: `triples()` returns its triples, `build()` an rdflib graph of them."""

    def __init__(self, document: Document, plan_key: str, minter: Minter, lex: Lexicon,
                 ended_at: datetime) -> None:
        if document.issuer is None:
            raise ValueError(f"{document.file}: the issuer is unknown; supply --issuer or a sidecar file")
        self.doc, self.minter, self.lex, self.ended_at = document, minter, lex, ended_at
        self.gov_key = issuer_key(document.issuer.code, document.issuer.name)
        self.gov = minter.government(self.gov_key)
        self.plan_key = plan_key
        self.plan = minter.plan(self.gov_key, plan_key)
        # the plan's source and its extraction keep their IRIs across versions of the file (an edit renames nothing)
        self.source, self.activity = minter.source(self.gov_key, plan_key), minter.activity(self.gov_key, plan_key)
        self.period = str(document.year) if document.year else plan_key
        # A set, not an rdflib graph: adding to rdflib's memory store costs about 30 times as much, and a build
        # only needs the triples (as N-Quads lines and as SHACL input).
        self._triples: set[Triple] = set()
        self._made = False
        self.goals: dict[tuple[str, tuple[str, ...]], URIRef] = {}
        self.goal_counts: Counter[tuple[str, tuple[str, ...]]] = Counter()
        self.seen_rows: set[URIRef] = set()
        self.report_date = report_date(document)
        #: The IRI of each task of the document, in the order of `document.tasks`.
        self.task_iris: list[URIRef] = []

    def add(self, subject: URIRef, predicate: URIRef, obj) -> None:
        """Add one triple."""
        self._triples.add((subject, predicate, obj))

    def add_all(self, triples) -> None:
        """Add several triples."""
        self._triples.update(triples)

    def triples(self) -> set[Triple]:
        """The document's triples (made once)."""
        if not self._made:
            self._made = True
            self._plan()
            table_ids = self._tables()
            used_ids: set[URIRef] = set()
            for task in self.doc.tasks:
                self._task(task, table_ids[task.record.table_no], used_ids)
        return self._triples

    def build(self) -> Graph:
        """The document's graph, as an rdflib graph."""
        return triples_graph(self.triples())

    # --- document level -----------------------------------------------------------------------

    def _plan(self) -> None:
        doc, plan, minter = self.doc, self.plan, self.minter
        source, activity, agent = self.source, self.activity, minter.agent(__version__)
        title = doc.title or doc.file
        self.add(plan, RDF.type, GW.WorkPlan)
        self.add(plan, RDF.type, PROV.Entity)
        self.add(plan, RDFS.label, zh(title))
        if doc.title:
            self.add(plan, DCTERMS.title, zh(doc.title))
        if doc.issued:
            self.add(plan, DCTERMS.issued, Literal(doc.issued, datatype=XSD.date))
        if doc.year:
            self.add(plan, GW.year, Literal(str(doc.year), datatype=XSD.gYear))
        if doc.is_report:
            self.add(plan, RDF.type, GW.ProgressReport)
            period = report_period(doc)
            if period is not None:
                self.add(plan, GW.reportPeriod, period)
        printed_report = printed_report_date(doc)
        if printed_report is not None:
            self.add(plan, GW.reportDate, printed_report)
        self.add(plan, GW.issuer, self.gov)
        self.add(plan, DCTERMS.publisher, self.gov)
        self.add(plan, PROV.wasDerivedFrom, source)
        self.add(plan, PROV.wasGeneratedBy, activity)
        scheme = self._scheme()
        self.add(plan, GW.goalScheme, scheme)

        self.add(source, RDF.type, GW.SourceDocument)
        self.add(source, RDF.type, PROV.Entity)
        self.add(source, RDFS.label, Literal(doc.file))
        self.add(source, GW.fileName, _string(doc.file))
        self.add(source, GW.sha256, _string(doc.sha256))
        self.add(source, GW.layout, _string(doc.layout))
        self.add(source, GW.encoding, _string(doc.encoding))
        if doc.format != "text":
            self.add(source, GW.fileFormat, _string(doc.format))

        self.add(activity, RDF.type, PROV.Activity)
        self.add(activity, RDFS.label, Literal(f"govkg extraction of {doc.file}", lang="en"))
        self.add(activity, PROV.used, source)
        self.add(activity, PROV.wasAssociatedWith, agent)
        self.add(activity, PROV.endedAtTime, Literal(self.ended_at.isoformat(), datatype=XSD.dateTime))
        self.add(agent, RDF.type, PROV.SoftwareAgent)
        self.add(agent, RDFS.label, Literal(f"govkg {__version__}"))
        self.add(agent, GW.softwareVersion, _string(__version__))

    def _scheme(self) -> URIRef:
        scheme = URIRef(f"{self.plan}/goals")
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        name = self.doc.issuer.short if self.doc.issuer else ""
        self.add(scheme, RDFS.label, zh(f"{name}{self.period}年目标"))
        self.add(scheme, DCTERMS.isPartOf, self.plan)
        return scheme

    def _tables(self) -> dict[int, str]:
        """Table IRI tails by table number: main, livelihood, main-2 …"""
        kinds: Counter[str] = Counter()
        ids: dict[int, str] = {}
        for info in self.doc.tables:
            kinds[info.kind] += 1
            table_id = info.kind if kinds[info.kind] == 1 else f"{info.kind}-{kinds[info.kind]}"
            ids[info.number] = table_id
            table = URIRef(f"{self.plan}/{table_id}")
            self.add(self.plan, GW.hasTable, table)
            self.add(table, RDF.type, GW.PlanTable)
            default = "民生实事项目" if info.kind == "livelihood" else "目标任务"
            self.add(table, RDFS.label, zh(info.title or f"{self.doc.issuer.short}{self.period}年{default}"))
            if info.title:
                self.add(table, DCTERMS.title, zh(info.title))
            self.add(table, GW.tableKind, _string(info.kind))
            self.add(table, GW.tableNumber, _int(info.number))
            self.add(table, DCTERMS.isPartOf, self.plan)
        return ids

    # --- tasks ------------------------------------------------------------------------------------

    def _goal(self, table_id: str, path: list[str]) -> URIRef | None:
        parent: URIRef | None = None
        scheme = URIRef(f"{self.plan}/goals")
        for depth in range(len(path)):
            key = (table_id, tuple(path[: depth + 1]))
            if key not in self.goals:
                siblings = (table_id, tuple(path[:depth]))
                self.goal_counts[siblings] += 1
                order = self.goal_counts[siblings]
                notation = f"{self._notation(parent)}-{order}" if parent is not None else str(order)
                goal = URIRef(f"{self.plan}/goal/{table_id}/{notation}")
                self.goals[key] = goal
                self.add(goal, RDF.type, GW.Goal)
                self.add(goal, RDF.type, SKOS.Concept)
                if table_id.startswith("livelihood") and depth == 0:
                    self.add(goal, RDF.type, GW.LivelihoodProject)
                self.add(goal, SKOS.prefLabel, zh(path[depth]))
                self.add(goal, RDFS.label, zh(path[depth]))
                self.add(goal, SKOS.inScheme, scheme)
                self.add(goal, SKOS.notation, _string(notation))
                self.add(goal, GW.order, _int(order))
                if parent is None:
                    self.add(goal, SKOS.topConceptOf, scheme)
                    self.add(scheme, SKOS.hasTopConcept, goal)
                else:
                    self.add(goal, SKOS.broader, parent)
                    self.add(parent, SKOS.narrower, goal)
            parent = self.goals[key]
        return parent

    def _notation(self, goal: URIRef) -> str:
        return str(goal).rsplit("/", 1)[1]

    def _rows(self, span: Span) -> URIRef:
        rows = self.minter.source_rows(self.gov_key, self.plan_key, span.first, span.last)
        if rows not in self.seen_rows:
            self.seen_rows.add(rows)
            self.add(rows, RDF.type, GW.SourceRow)
            self.add(rows, RDF.type, PROV.Entity)
            self.add(rows, GW.firstLine, _int(span.first))
            self.add(rows, GW.lastLine, _int(span.last))
            self.add(rows, DCTERMS.isPartOf, self.source)
            if self.doc.format != "text":
                self._locations(rows, span)
        return rows

    def _locations(self, rows: URIRef, span: Span) -> None:
        """An original's lines: prov:atLocation each place (page, sheet, table, row, column) they are at."""
        for location in span_locations(self.doc.locations, span):
            node = self.minter.source_location(self.gov_key, self.plan_key, location)
            self.add(rows, PROV.atLocation, node)
            self.add_all(location_triples(node, location, self.source))

    def _task_iri(self, task: Task, table_id: str, used: set[URIRef]) -> URIRef:
        record = task.record
        number = record.task_no if record.task_no else None
        tail = number if number else f"r{record.row_no}"
        if number and record.sub_no and record.parent_text:
            tail = f"{number}-{record.sub_no}"
        iri = URIRef(f"{self.plan}/{table_id}/{tail}")
        if iri in used:  # a number printed twice: fall back to the row order
            iri = URIRef(f"{self.plan}/{table_id}/r{record.row_no}")
        used.add(iri)
        return iri

    def _task(self, task: Task, table_id: str, used: set[URIRef]) -> None:
        record = task.record
        node = self._task_iri(task, table_id, used)
        self.task_iris.append(node)
        self.add(node, RDF.type, GW.Task)
        if record.table == "livelihood":
            self.add(node, RDF.type, GW.LivelihoodItem)
        prefix = f"({record.task_no}) " if record.task_no else ""
        short = record.text if len(record.text) <= _LABEL_CHARS else record.text[:_LABEL_CHARS] + "…"
        self.add(node, RDFS.label, zh(prefix + short))
        self.add(node, GW.statement, zh(record.text))
        if record.parent_text:
            self.add(node, GW.parentStatement, zh(record.parent_text))
        if record.task_no:
            self.add(node, GW.taskNumber, _string(record.task_no))
        if record.sub_no:
            self.add(node, GW.subItemNumber, _int(record.sub_no))
        self.add(node, GW.rowNumber, _int(record.row_no))
        if record.group_no:
            self.add(node, GW.groupNumber, _string(record.group_no))
        if record.deadline and record.deadline.strip():
            self.add_all(deadline_triples(node, record.deadline.strip(), self.doc.year))
        self.add(node, GW.inPlan, self.plan)
        self.add(node, GW.inTable, URIRef(f"{self.plan}/{table_id}"))
        goal = self._goal(table_id, record.goal)
        if goal is not None:
            self.add(node, GW.goal, goal)
        self.add(node, GW.roleCertain, _bool(record.role_certain))
        if not task.lead_units:
            self.add(node, GW.noLeadUnitPrinted, _bool(True))
        self.add(node, PROV.wasDerivedFrom, self._rows(record.span))
        self.add(node, PROV.wasGeneratedBy, self.activity)
        for field, (slot, role, direct) in ROLES.items():
            source = record.sources.get(field, FieldSource(None))
            for index, party in enumerate(getattr(task, field), start=1):
                agent = self._party(party)
                self.add(node, direct, agent)
                assignment = URIRef(f"{node}/assignment/{slot}/{index}")
                self.add(node, GW.assignment, assignment)
                self.add(assignment, RDF.type, GW.Assignment)
                self.add(assignment, GW.role, role)
                self.add(assignment, GW.agent, agent)
                self.add(assignment, GW.printedAs, zh(party.text))
                # Flags are stated only where they ask for a check or state a fact (a national build has millions
                # of assignments, nearly all printed on their own row with a certain role): gw:inherited true,
                # gw:merged true, gw:roleCertain false; their absence means the default.
                if source.merged:  # printed once in an original's merged cell spanning this row: a fact
                    self.add(assignment, GW.merged, _bool(True))
                elif source.filled_from_above:
                    self.add(assignment, GW.inherited, _bool(True))
                if not (record.role_certain or field == "leaders"):
                    self.add(assignment, GW.roleCertain, _bool(False))
                self.add(assignment, PROV.wasDerivedFrom, self._rows(source.span or record.span))
        for index, target in enumerate(task.targets, start=1):
            self._target(node, URIRef(f"{node}/target/{index}"), target)
        if task.has_progress:
            spans = [record.sources[name].span for name in ("progress", "status")
                     if name in record.sources and record.sources[name].span is not None]
            sources = [self._rows(span) for span in dict.fromkeys(spans or [record.span])]
            self.add_all(progress_triples(node, record, self.plan, self.report_date, sources))
            observation = URIRef(f"{node}/progress")
            for index, target in enumerate(task.progress_targets, start=1):
                self._target(observation, URIRef(f"{observation}/target/{index}"), target)

    def _target(self, task: URIRef, node: URIRef, target: Target) -> None:
        self.add(task, GW.target, node)
        self.add(node, RDF.type, GW.Target)
        self.add(node, RDFS.label, zh(target.text))
        self.add(node, GW.metric, zh(target.metric))
        self.add(node, GW.targetValue, Literal(target.value, datatype=XSD.decimal))
        self.add(node, GW.comparator, COMPARATORS[target.comparator])
        self.add(node, GW.unitText, _string(target.unit_text))
        unit = self.lex.targets.qudt_units.get(target.unit_text)
        if unit:
            self.add(node, QUDT.hasUnit, UNIT[unit])
        self.add(node, GW.growth, _bool(target.growth))
        self.add(node, GW.targetText, zh(target.text))

    # --- names --------------------------------------------------------------------------------------

    def _party(self, party: Party) -> URIRef:
        """The entity's IRI (described in the lexicon graph); for a person also the post of the plan period."""
        node = entity_iri(self.minter, self.gov_key, party.kind, party.name)
        if party.kind == "person":
            self._post(node, party.name)
        return node

    def _post(self, person: URIRef, name: str) -> None:
        post = self.minter.post(self.gov_key, self.period, name)
        self.add(person, ORG.holds, post)
        self.add(post, RDF.type, ORG.Post)
        self.add(post, RDFS.label, zh(f"区政府分管领导 {name}（{self.period}）"))
        self.add(post, ORG.heldBy, person)
        self.add(post, ORG.postIn, self.gov)
        self.add(post, ORG.role, GW.LeaderRole)
        if self.doc.year:
            self.add(post, GW.year, Literal(str(self.doc.year), datatype=XSD.gYear))


def document_graph(document: Document, plan_key: str, minter: Minter, lex: Lexicon, ended_at: datetime) -> Graph:
    """The graph of one document (without its graph name)."""
    return DocumentGraph(document, plan_key, minter, lex, ended_at).build()
