"""validate: SHACL validation of the graph (shapes/), with findings placed in documents and source lines."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH
from rdflib.term import Node

from .rdf.serialize import Triple, nt_text, triples_graph
from .rdf.shared import LexiconIndex
from .rdf.vocab import GW, bind_prefixes
from .resources import resource_dir

SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """All shapes of shapes/*.ttl in one graph."""
    graph = Graph()
    for path in sorted(resource_dir("shapes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


# --- SHACL engines ---------------------------------------------------------------------------------------
#
# "turbo" is pyshacl-turbo (a Rust engine with pySHACL's API), "pyshacl" the reference. Both give the same
# findings (severity, focus, path, constraint component, shape, value) on the samples and on an invalid fixture
# for every constraint of every shape: tests/shapes/test_engine_parity.py checks that in `make test`.

#: The engines by name; `--shacl-engine` of `govkg build` and `govkg validate` chooses one.
ENGINES = ("turbo", "pyshacl")
#: The engine used when none is named: turbo, since it agrees with pyshacl on every shape (and is ~20× faster).
DEFAULT_ENGINE = "turbo"
#: Shapes (IRIs) whose findings come from pyshacl even with turbo, because the engines disagreed on them. Empty
#: while the parity test passes for every shape; a shape added here is validated by pyshacl alone.
PYSHACL_SHAPES: frozenset[str] = frozenset()

_engine: ContextVar[str] = ContextVar("govkg_shacl_engine", default=DEFAULT_ENGINE)


def default_engine() -> str:
    """The engine used when `validate_graph` is not given one (DEFAULT_ENGINE unless `shacl_engine` says)."""
    return _engine.get()


@contextmanager
def shacl_engine(name: str | None) -> Iterator[str]:
    """Within the block, validate with engine `name` (one of ENGINES; None keeps the current default)."""
    if name is None:
        yield _engine.get()
        return
    token = _engine.set(_check_engine(name))
    try:
        yield name
    finally:
        _engine.reset(token)


def _check_engine(name: str) -> str:
    if name not in ENGINES:
        raise ValueError(f"unknown SHACL engine {name!r} (use {' or '.join(ENGINES)})")
    return name


@lru_cache(maxsize=1)
def _turbo_shapes() -> Any | None:
    """The shapes compiled once by pyshacl-turbo, or None when pyshacl-turbo cannot be imported here."""
    try:
        import pyshacl_turbo
    except ImportError as missing:  # e.g. Python 3.10, or a platform without a wheel (noted once: cached)
        print(f"govkg: SHACL engine turbo unavailable ({missing}); validating with pyshacl", file=sys.stderr)
        return None
    return pyshacl_turbo.compile_shapes(shapes_graph(), advanced=True)


def resolve_engine(name: str | None = None) -> str:
    """The engine that will actually run for `name` (default: the current one): pyshacl when turbo is missing."""
    name = _check_engine(name or default_engine())
    if name == "turbo" and _turbo_shapes() is None:
        return "pyshacl"
    return name


def _pyshacl_results(data: Graph) -> Graph:
    import pyshacl  # here, not above: with rdflib's SPARQL parser it adds 0.14 s to every command's start

    _, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none", advanced=True,
                                     allow_warnings=True, abort_on_first=False)
    return results


def _turbo_results(data: Graph | str) -> Graph:
    """Turbo's results for a graph, or for N-Triples text (parsed by turbo's native code: no rdflib graph)."""
    if isinstance(data, str):
        from pyshacl_turbo.rdf import Input  # what turbo makes of a graph; a text given as such is parsed natively

        data = Input(data, "nt", None, {})
    _, results, _ = _turbo_shapes().validate(data, inference=None, allow_warnings=True, abort_on_first=False)
    if not isinstance(results, Graph):  # pyshacl-turbo hands back a failure instead of raising it
        raise RuntimeError(f"pyshacl-turbo failed: {results}")
    return results


@dataclass(frozen=True)
class Finding:
    """One validation result, with where it points in the source documents when that is known."""

    severity: str
    focus: str
    path: str | None
    component: str
    shape: str | None
    message_zh: str | None
    message_en: str | None
    value: str | None
    graph: str | None = None
    document: str | None = None
    first_line: int | None = None
    last_line: int | None = None
    label: str | None = None
    #: An original's places of those (virtual) lines, as a reader says them ("第3页 表1 第18行").
    location: str | None = None


@dataclass
class Report:
    """The findings of a validation; `conforms` is true when there is no violation."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def violations(self) -> list[Finding]:
        """Findings of severity violation."""
        return [f for f in self.findings if f.severity == "violation"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings of severity warning (and info)."""
        return [f for f in self.findings if f.severity != "violation"]

    @property
    def conforms(self) -> bool:
        """True when there is no violation."""
        return not self.violations

    def extend(self, other: Report) -> None:
        """Add another report's findings."""
        self.findings.extend(other.findings)


def _message(results: Graph, result: URIRef, lang: str) -> str | None:
    for value in results.objects(result, SH.resultMessage):
        if isinstance(value, Literal) and (value.language or "").startswith(lang):
            return str(value)
    return None


#: What placing a finding reads of the data (`_where`); the only lookup by object is of gw:assignment.
_IS_PART_OF = URIRef("http://purl.org/dc/terms/isPartOf")
_ASSIGNMENT = GW.assignment
_PLACING = frozenset({_ASSIGNMENT, RDFS.label, PROV.wasDerivedFrom, RDF.type, _IS_PART_OF, GW.fileName,
                      GW.firstLine, GW.lastLine, PROV.atLocation})


class TripleIndex:
    """The triples placing a finding needs, by subject and predicate (and gw:assignment by object), to look up
    like an rdflib graph without making one; indexed at the first lookup, so a graph without findings costs
    nothing."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._triples: Iterable[Triple] | None = triples
        self._objects: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
        self._subjects: dict[tuple[Node, Node], list[Node]] = defaultdict(list)

    def _index(self) -> None:
        if self._triples is None:
            return
        for s, p, o in self._triples:
            if p in _PLACING:
                self._objects[(s, p)].append(o)
                if p == _ASSIGNMENT:
                    self._subjects[(p, o)].append(s)
        self._triples = None

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        """The objects of a subject and predicate (one of those placing a finding reads)."""
        self._index()
        return list(self._objects.get((subject, predicate), ()))

    def value(self, subject: Node | None = None, predicate: Node | None = None, obj: Node | None = None
              ) -> Node | None:
        """One object of (subject, predicate), or with no subject one subject of (predicate, obj), like Graph.value."""
        self._index()
        found = self._subjects.get((predicate, obj), []) if subject is None else self._objects.get(
            (subject, predicate), [])
        return min(found, key=str) if found else None

    def __contains__(self, triple: Triple) -> bool:
        return triple[2] in self.objects(triple[0], triple[1])


def _where(data: Graph | TripleIndex, focus: URIRef
           ) -> tuple[str | None, int | None, int | None, str | None, str | None]:
    """Document file, first and last line, label, and an original's places of a focus node, from its provenance."""
    task = data.value(None, _ASSIGNMENT, focus)
    if task is not None:  # an assignment: place it at its task's row
        focus = task
    label = data.value(focus, RDFS.label)
    rows = data.value(focus, PROV.wasDerivedFrom)
    if rows is None or (rows, RDF.type, GW.SourceRow) not in data:
        return None, None, None, str(label) if label is not None else None, None
    source = data.value(rows, _IS_PART_OF)
    file = data.value(source, GW.fileName) if source is not None else None
    first, last = data.value(rows, GW.firstLine), data.value(rows, GW.lastLine)
    places = sorted(str(data.value(place, RDFS.label)) for place in data.objects(rows, PROV.atLocation))
    return (str(file) if file is not None else None, int(first) if first is not None else None,
            int(last) if last is not None else None, str(label) if label is not None else None,
            "；".join(places) or None)


def _results(data: Graph | str, engine: str) -> list[tuple[Graph, URIRef]]:
    """The validation results of `data` (a graph, or N-Triples text for turbo alone) by `engine`, each with the
    report graph that describes it."""
    if engine == "pyshacl":
        results = _pyshacl_results(data)
        return [(results, result) for result in results.subjects(RDF.type, SH.ValidationResult)]
    results = _turbo_results(data)
    found = [(results, result) for result in results.subjects(RDF.type, SH.ValidationResult)
             if str(results.value(result, SH.sourceShape)) not in PYSHACL_SHAPES]
    if PYSHACL_SHAPES:  # the shapes turbo disagreed on: their findings from pyshacl
        reference = _pyshacl_results(data)
        found += [(reference, result) for result in reference.subjects(RDF.type, SH.ValidationResult)
                  if str(reference.value(result, SH.sourceShape)) in PYSHACL_SHAPES]
    return found


def validate_triples(triples: Collection[Triple], graph_name: str | None = None, engine: str | None = None
                     ) -> Report:
    """Validate one graph given as triples (a document's, with its lexicon context) like `validate_graph`; with
    turbo and no rdflib graph made."""
    engine = resolve_engine(engine)
    if engine == "turbo" and not PYSHACL_SHAPES:  # pyshacl (also for the shapes turbo disagreed on) needs a graph
        return _report(_results(nt_text(triples), engine), TripleIndex(triples), graph_name)
    return validate_graph(triples_graph(triples), graph_name, engine)


def validate_graph(data: Graph, graph_name: str | None = None, engine: str | None = None) -> Report:
    """Validate one graph against all shapes (no inference: the data states its classes) with `engine`."""
    return _report(_results(data, resolve_engine(engine)), data, graph_name)


def _report(found: list[tuple[Graph, URIRef]], data: Graph | TripleIndex, graph_name: str | None) -> Report:
    """The findings of validation results, placed in the documents by the data's provenance."""
    report = Report()
    for results, result in found:
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        file, first, last, label, location = _where(data, focus) if isinstance(focus, URIRef) else (None,) * 5
        report.findings.append(Finding(
            severity=SEVERITY_NAMES.get(results.value(result, SH.resultSeverity), "violation"),
            focus=str(focus),
            path=str(path) if path is not None else None,
            component=str(results.value(result, SH.sourceConstraintComponent)),
            shape=str(results.value(result, SH.sourceShape)) if results.value(result, SH.sourceShape) else None,
            message_zh=_message(results, result, "zh"),
            message_en=_message(results, result, "en"),
            value=str(value) if value is not None else None,
            graph=graph_name, document=file, first_line=first, last_line=last, label=label, location=location,
        ))
    report.findings.sort(key=lambda f: (f.document or "", f.first_line or 0, f.severity, f.focus, f.path or ""))
    return report


def _finding_key(finding: Finding) -> tuple[str | None, ...]:
    return finding.severity, finding.focus, finding.path, finding.component, finding.shape, finding.value


def without(report: Report, known: Report) -> Report:
    """The findings of `report` that `known` does not have: a shared graph's findings are reported once."""
    keys = {_finding_key(finding) for finding in known.findings}
    return Report([finding for finding in report.findings if _finding_key(finding) not in keys])


def _named_graph(dataset: Dataset, name: str) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    for triple in dataset.graph(URIRef(name)):
        graph.add(triple)
    return graph


#: What the links graph's checks need of the document graphs: each task's plan and each plan's issuer.
LINK_CONTEXT = (GW.inPlan, GW.issuer)


def _links_context(dataset: Dataset, names: Iterable[str]) -> Graph:
    """The gw:inPlan and gw:issuer triples of the named graphs (for validating the links graph)."""
    graph = Graph()
    for name in names:
        for predicate in LINK_CONTEXT:
            for triple in dataset.graph(URIRef(name)).triples((None, predicate, None)):
                graph.add(triple)
    return graph


def validate_dataset(dataset: Dataset, shared: Iterable[str] = (), links: str | None = None,
                     engine: str | None = None, progress: Callable[[str], None] | None = None) -> Report:
    """Validate each named graph of a dataset together with the shared graphs named in `shared`; the links graph
    (`links`, if named) also with each task's plan and each plan's issuer from the document graphs.

    `progress`, if given, is called with "[n/total] validated NAME" after each named graph."""
    engine = resolve_engine(engine)
    shared = set(shared)
    shared_index = LexiconIndex(triple for name in shared for triple in dataset.graph(URIRef(name)))
    names = sorted({str(g.identifier) for g in dataset.graphs()} - {"urn:x-rdflib:default"})
    done = iter(range(1, len(names) + 1))

    def validated(name: str) -> None:
        if progress:
            progress(f"[{next(done)}/{len(names)}] validated {name.rsplit('/graph/', 1)[-1]}")

    reports = {}
    for name in names:
        if name in shared and len(dataset.graph(URIRef(name))):
            reports[name] = validate_graph(_named_graph(dataset, name), name, engine)
            validated(name)
    shared_findings = Report([finding for found in reports.values() for finding in found.findings])
    report = Report()
    for name in names:
        if name in reports:
            report.extend(reports[name])
            continue
        graph = _named_graph(dataset, name)
        if name == links:
            graph += _links_context(dataset, set(names) - {name} - shared)
        graph += shared_index.context(graph)  # only the shared facts this graph reaches
        if len(graph):
            report.extend(without(validate_graph(graph, name, engine), shared_findings))
        validated(name)
    default = dataset.default_graph if hasattr(dataset, "default_graph") else None
    if default is not None and len(default):
        report.extend(validate_graph(default, None, engine))
    return report


def load_rdf(path: Path) -> Dataset:
    """Read an RDF file (TriG, N-Quads, Turtle, N-Triples, JSON-LD, RDF/XML) into a dataset."""
    formats = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld",
               ".json": "json-ld", ".rdf": "xml", ".owl": "xml"}
    fmt = formats.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: unknown RDF format (use .trig .nq .ttl .nt .jsonld .rdf)")
    dataset = Dataset(default_union=False)
    bind_prefixes(dataset)
    dataset.parse(path, format=fmt)
    return dataset


def format_report(report: Report, *, all_warnings: bool = False, examples: int = 3) -> list[str]:
    """Readable lines: violations one by one, grouped by document and line; warnings counted per shape."""
    if not all_warnings:
        return report_lines([summarise(report.findings, examples)], examples)
    lines = _violation_lines(report.violations)
    lines += [_finding_line(finding) for finding in report.warnings]
    lines.append(f"{len(report.violations)} violations, {len(report.warnings)} warnings")
    return lines


def summarise(findings: Iterable[Finding], examples: int) -> dict[str, Any]:
    """Findings in short, as `format_report` shows them (JSON-ready): every violation, and per warning shape and
    message its count, its first finding's wording and its first `examples` places. `report_lines` shows several
    summaries one after another as `format_report` shows all their findings."""
    violations: list[dict[str, Any]] = []
    warnings: dict[tuple[str | None, str | None], list[Any]] = {}
    for finding in findings:
        if finding.severity == "violation":
            violations.append(dict(vars(finding)))
            continue
        entry = warnings.get((finding.shape, finding.message_en))
        if entry is None:
            entry = warnings[(finding.shape, finding.message_en)] = [
                finding.shape, finding.message_en, finding.component, finding.message_zh, 0, []]
        entry[4] += 1
        if len(entry[5]) < examples:
            entry[5].append(_place(finding))
    return {"violations": violations, "warnings": list(warnings.values())}


def merge_summaries(summaries: Iterable[dict[str, Any]], examples: int) -> dict[str, Any]:
    """Summaries (`summarise`) taken in order, as one: what `summarise` gives for all their findings."""
    violations: list[dict[str, Any]] = []
    merged: dict[tuple[str | None, str | None], list[Any]] = {}
    for summary in summaries:
        violations += summary["violations"]
        for shape, message_en, component, message_zh, count, places in summary["warnings"]:
            entry = merged.setdefault((shape, message_en), [shape, message_en, component, message_zh, 0, []])
            entry[4] += count
            entry[5] += places[: examples - len(entry[5])]
    return {"violations": violations, "warnings": list(merged.values())}


def report_lines(summaries: Iterable[dict[str, Any]], examples: int) -> list[str]:
    """The lines of `format_report` for the findings the summaries (`summarise`) hold, taken in their order."""
    merged = merge_summaries(summaries, examples)
    lines = _violation_lines([Finding(**found) for found in merged["violations"]])
    for _, message, component, message_zh, count, places in sorted(
            merged["warnings"], key=lambda entry: (-entry[4], str((entry[0], entry[1])))):
        lines.append(f"warning ×{count}: {message or component} {message_zh or ''}".rstrip())
        lines += ["    e.g. " + place for place in places]
    warnings = sum(entry[4] for entry in merged["warnings"])
    lines.append(f"{len(merged['violations'])} violations, {warnings} warnings")
    return lines


def _violation_lines(violations: list[Finding]) -> list[str]:
    """Violations one by one, under their document (documents in order)."""
    lines: list[str] = []
    by_document: dict[str, list[Finding]] = defaultdict(list)
    for finding in violations:
        by_document[finding.document or finding.graph or "(no document)"].append(finding)
    for document in sorted(by_document):
        lines.append(document)
        lines += ["  " + _finding_line(finding) for finding in by_document[document]]
    return lines


def _place(finding: Finding) -> str:
    where = finding.document or ""
    if finding.first_line:
        span = f"{finding.first_line}" if finding.first_line == finding.last_line else \
            f"{finding.first_line}-{finding.last_line}"
        where = f"{where}:{span}"
    if finding.location:
        where = f"{where} ({finding.location})"
    label = f" {finding.label}" if finding.label else ""
    return f"{where}{label} <{finding.focus}>".strip()


def _finding_line(finding: Finding) -> str:
    path = f" {finding.path.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}" if finding.path else ""
    message = " / ".join(m for m in (finding.message_zh, finding.message_en) if m) or finding.component
    return f"{finding.severity}: {_place(finding)}{path}: {message}"
