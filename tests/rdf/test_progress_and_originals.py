"""Deadlines, progress observations, merged cells and places in originals, in the graph and under SHACL.

The document is sample 000 made into an .xlsx progress report (tests/progress_report.py); the sample itself, a text
file without these fields, must give exactly the graph it gave before (the golden files stay byte-identical).
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from govkg.rdf import graph_nquads
from govkg.rdf.vocab import GW
from govkg.validate import format_report, validate_graph
from progress_report import PRINTED, REPORT_DATE, build_graphs, progress_report, sample_000

ID = "https://w3id.org/govkg/id/"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # not rdflib's closed namespace, which pytest's probing warns on
PLAN = URIRef(ID + "plan/320404/2021")
NEW_TERMS = {GW.deadlinePeriod, GW.deadlineDate, GW.hasProgress, GW.ProgressObservation, GW.merged, GW.fileFormat,
             GW.reportDate, GW.SourceLocation, PROV.atLocation}


def task(number: str) -> URIRef:
    return URIRef(f"{ID}plan/320404/2021/main/{number}")


@pytest.fixture(scope="module")
def report():
    return progress_report(sample_000())


@pytest.fixture(scope="module")
def graphs(report) -> tuple[Graph, Graph]:
    return build_graphs(report)


@pytest.fixture(scope="module")
def graph(graphs) -> Graph:
    return graphs[0]


def labels_of_places(graph: Graph, rows: URIRef) -> list[str]:
    return sorted(str(graph.value(place, RDFS.label)) for place in graph.objects(rows, PROV.atLocation))


def test_deadlines_as_printed_and_as_periods(graph):
    expected = {"26": ("2021-06", XSD.gYearMonth, "2021-06-30"), "27": ("2021-12", XSD.gYearMonth, "2021-12-31"),
                "28": ("2021", XSD.gYear, "2021-12-31"), "42": ("2021", XSD.gYear, "2021-12-31")}
    for number, (lexical, datatype, last_day) in expected.items():
        assert graph.value(task(number), GW.deadline) == Literal(PRINTED[number][0], lang="zh")
        assert graph.value(task(number), GW.deadlinePeriod) == Literal(lexical, datatype=datatype)
        assert graph.value(task(number), GW.deadlineDate) == Literal(last_day, datatype=XSD.date)
    # 长期坚持 names no period: printed, not read
    assert graph.value(task("41"), GW.deadline) == Literal("长期坚持", lang="zh")
    assert graph.value(task("41"), GW.deadlinePeriod) is None and graph.value(task("41"), GW.deadlineDate) is None


def test_progress_observations(graph):
    statuses = {"26": GW.OnSchedule, "27": GW.BehindSchedule, "28": GW.Done, "41": GW.Done, "42": GW.StatusUnknown}
    assert len(set(graph.subjects(RDF.type, GW.ProgressObservation))) == len(statuses)
    for number, status in statuses.items():
        node = graph.value(task(number), GW.hasProgress)
        assert node == URIRef(f"{task(number)}/progress")
        assert graph.value(node, GW.progressStatus) == status, number
        assert graph.value(node, GW.reportedIn) == PLAN
        assert graph.value(node, GW.reportDate) == Literal(REPORT_DATE, datatype=XSD.date)
        _, progress, printed = PRINTED[number]
        assert graph.value(node, GW.progressText) == (Literal(progress, lang="zh") if progress else None)
        assert graph.value(node, GW.statusText) == (Literal(printed, lang="zh") if printed else None)
        rows = graph.value(node, PROV.wasDerivedFrom)
        assert (rows, RDF.type, GW.SourceRow) in graph
    assert graph.value(task("25"), GW.hasProgress) is None
    label = graph.value(URIRef(f"{task('27')}/progress"), RDFS.label)
    assert label == Literal("(27) 进展情况（2021-07-15）", lang="zh")


def test_report_date_is_the_printed_one_else_the_issue_date(graph, report):
    assert graph.value(PLAN, GW.reportDate) == Literal(REPORT_DATE, datatype=XSD.date)
    issued_only, _ = build_graphs(progress_report(sample_000(), report_date=None, issued="2021-03-01"))
    assert issued_only.value(PLAN, GW.reportDate) is None
    observation = URIRef(f"{task('27')}/progress")
    assert issued_only.value(observation, GW.reportDate) == Literal("2021-03-01", datatype=XSD.date)
    undated, _ = build_graphs(progress_report(sample_000(), report_date=None))
    assert undated.value(observation, GW.reportDate) is None


def test_merged_cells_are_facts_not_inherited(graph):
    coop = [URIRef(f"{task('26')}/assignment/coop/{i}") for i in (1, 2, 3)]
    for assignment in coop:
        assert graph.value(assignment, GW.merged) == Literal(True)
        assert graph.value(assignment, GW.inherited) is None  # stated only when true
    lead = URIRef(f"{task('26')}/assignment/lead/1")
    assert graph.value(lead, GW.merged) is None and graph.value(lead, GW.inherited) is None
    assert (lead, GW.role, GW.LeadRole) in graph  # the assignment itself is there
    plain, _ = build_graphs(sample_000())
    assert plain.value(coop[0], GW.inherited) == Literal(True) and plain.value(coop[0], GW.merged) is None


def test_places_in_the_original(graph, report):
    source = URIRef(ID + "source/320404/2021")
    assert graph.value(source, GW.fileFormat) == Literal("xlsx")
    # a task's lines span its row's cells: the place is the row
    rows = graph.value(task("27"), PROV.wasDerivedFrom)
    assert labels_of_places(graph, rows) == ["工作表“附件1” 表1 第28行"]
    place = next(graph.objects(rows, PROV.atLocation))
    assert place == URIRef(ID + "source/320404/2021/location/sheet/附件1/table/1/row/28")
    assert (place, RDF.type, GW.SourceLocation) in graph and (place, DCTERMS.isPartOf, source) in graph
    assert graph.value(place, GW.rowIndex) == Literal(28) and graph.value(place, GW.columnIndex) is None
    # a value's lines are its cell; a merged 配合单位 is printed in the cell above, in the row of (25)
    lead = graph.value(URIRef(f"{task('27')}/assignment/lead/1"), PROV.wasDerivedFrom)
    assert labels_of_places(graph, lead) == ["工作表“附件1” 表1 第28行 第4列"]
    merged = graph.value(URIRef(f"{task('26')}/assignment/coop/1"), PROV.wasDerivedFrom)
    assert labels_of_places(graph, merged) == ["工作表“附件1” 表1 第26行 第5列"]


def test_the_report_conforms_and_merged_values_raise_no_inherited_warning(graphs):
    documents, lexicon = graphs
    report = validate_graph(documents + lexicon)
    assert report.violations == []
    inherited = {f.focus for f in report.warnings if f.shape.endswith("Assignment-inherited-warning")}
    assert not {focus for focus in inherited if focus.startswith((f"{task('26')}/", f"{task('41')}/"))}
    unknown = [f.focus for f in report.warnings if f.shape.endswith("ProgressObservation-progressStatus-warning")]
    assert unknown == [f"{task('42')}/progress"]
    plain = validate_graph(sum(build_graphs(sample_000()), Graph()))
    plain_inherited = {f.focus for f in plain.warnings if f.shape.endswith("Assignment-inherited-warning")}
    assert plain_inherited - inherited == {f"{task(n)}/assignment/coop/{i}" for n in ("26", "41")
                                           for i in range(1, 4 if n == "26" else 2)}


def test_findings_in_an_original_name_its_places(graphs):
    report = validate_graph(graphs[0] + graphs[1])
    (unknown,) = [f for f in report.warnings if f.shape.endswith("ProgressObservation-progressStatus-warning")]
    assert unknown.location == "工作表“附件1” 表1 第43行"
    assert any("(工作表“附件1” 表1 第43行)" in line for line in format_report(report, all_warnings=True))


def test_a_document_without_these_fields_gets_no_new_terms():
    plain, _ = build_graphs(sample_000())
    used = {p for _, p, _ in plain} | set(plain.objects(None, RDF.type))
    assert used & NEW_TERMS == set()


def test_the_report_graph_is_deterministic(report):
    name = URIRef(ID + "graph/plan/320404/2021")
    first = graph_nquads(build_graphs(report)[0], name)
    assert first == graph_nquads(build_graphs(progress_report(sample_000()))[0], name)
