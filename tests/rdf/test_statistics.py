"""Statistics precomputed per plan (issue 14, part 6): unit-pair counts and unit load, counted as Q4 and Q5 count;
weak records, counted as Q9 lists them."""

from __future__ import annotations

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, XSD

from govkg.model import TaskProfile
from govkg.rdf import Minter
from govkg.rdf.statistics import plan_statistics, statistics_graph
from govkg.rdf.vocab import GW

MINTER = Minter()
PLAN = str(MINTER.plan("320404", "2022"))
REPORT = str(MINTER.plan("320404", "2022-report-2022-Q2"))
GRAPHS = {PLAN: MINTER.plan_graph("320404", "2022"), REPORT: MINTER.plan_graph("320404", "2022-report-2022-Q2")}


def _task(ref: str, number: str | None, lead: tuple[str, ...], coop: tuple[str, ...], *, plan: str = PLAN,
          report: str | None = None, no_lead: bool = False, role_uncertain: bool = False,
          inherited: int = 0) -> TaskProfile:
    return TaskProfile(ref=ref, document=plan, issuer="320404", year=2022, report=report, table="main",
                       number=number, statement="…", goal=None, lead_units=lead, coop_units=coop,
                       no_lead=no_lead, role_uncertain=role_uncertain, inherited=inherited)


PROFILES = [
    _task("t10", "10", ("住建局",), ("财政局", "发改局"), inherited=2),
    _task("t2", "2", ("财政局",), ("住建局",), role_uncertain=True, inherited=1),
    _task("t10-1", "10-1", ("住建局", "财政局"), ("住建局",)),  # a unit printed twice on a task counts once
    _task("t11", "11", (), ("发改局",), no_lead=True, role_uncertain=True),
    _task("r1", "1", ("住建局",), ("财政局",), plan=REPORT, report="2022-Q2",  # restates t2: counted under the plan
          inherited=3),
    _task("r2", "2", ("住建局",), ("教育局",), plan=REPORT, report="2022-Q2"),  # a report row of its own
]


def _dataset() -> Dataset:
    dataset = Dataset(default_union=True)
    lines = plan_statistics(PROFILES, {"r1"}, MINTER, GRAPHS)
    dataset.parse(data="\n".join(lines[PLAN] + lines[REPORT]) + "\n", format="nquads")
    return dataset


def _pair(dataset: Dataset, first: str, second: str) -> tuple[int, str | None]:
    a, b = sorted((MINTER.unit("320404", first), MINTER.unit("320404", second)), key=str)
    [node] = [s for s in dataset.subjects(GW.firstUnit, a) if (s, GW.secondUnit, b) in dataset]
    numbers = dataset.value(node, GW.taskNumbers)
    return int(dataset.value(node, GW.sharedTasks)), str(numbers) if numbers is not None else None


def test_pairs_count_each_task_once_and_list_its_numbers_in_reading_order():
    dataset = _dataset()
    assert _pair(dataset, "住建局", "财政局") == (3, "2 10 10-1")
    assert _pair(dataset, "住建局", "发改局") == (1, "10")
    assert _pair(dataset, "发改局", "财政局") == (1, "10")


def test_a_report_row_restating_a_plan_task_is_left_out():
    dataset = _dataset()
    plan_of = {str(dataset.value(s, GW.statisticsOf)) for s in dataset.subjects(RDF.type, GW.UnitPairCount)}
    assert plan_of == {PLAN, REPORT}
    report_pairs = [s for s in dataset.subjects(GW.statisticsOf, URIRef(REPORT))
                    if (s, RDF.type, GW.UnitPairCount) in dataset]
    assert len(report_pairs) == 1  # 住建局–教育局 from r2; r1 (住建局–财政局) is not counted again


def test_unit_load_by_role_and_graph():
    dataset = _dataset()
    unit = MINTER.unit("320404", "住建局")
    [load] = [s for s in dataset.subjects(GW.loadOf, unit) if (s, GW.statisticsOf, URIRef(PLAN)) in dataset]
    assert dataset.value(load, GW.tasksLed) == Literal(2, datatype=XSD.integer)  # t10, t10-1
    assert dataset.value(load, GW.tasksCooperated) == Literal(2, datatype=XSD.integer)  # t2, t10-1
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert graphs == {str(statistics_graph(GRAPHS[PLAN])), str(statistics_graph(GRAPHS[REPORT]))}


def _weak(dataset: Dataset, plan: str) -> tuple[int, ...]:
    [node] = [s for s in dataset.subjects(GW.statisticsOf, URIRef(plan))
              if (s, RDF.type, GW.WeakRecordCount) in dataset]
    assert str(node) == f"{plan}/statistics/weak"
    assert list(dataset.objects(URIRef(plan), GW.weakRecordCount)) == [node]  # reached from the plan
    return tuple(int(dataset.value(node, predicate)) for predicate in (
        GW.tasksCounted, GW.tasksWithoutLeadUnit, GW.tasksRoleUncertain, GW.assignmentsInherited))


def test_weak_records_are_counted_over_every_task_of_the_plan():
    dataset = _dataset()
    # the plan: t10, t2, t10-1, t11; t11 without a lead unit; t2 and t11 uncertain; 2 + 1 parties filled from above
    assert _weak(dataset, PLAN) == (4, 1, 2, 3)
    # the report: r1 counts here although its pairs and loads count under the plan (Q9 lists it in the report)
    assert _weak(dataset, REPORT) == (2, 0, 0, 3)
