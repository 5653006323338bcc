"""An assignment's flags are stated only where they say something (output revision 7).

Sample 001 prints task (18) as a statement, the leader 曹雷 and three unit lines (编 办 / 司法局 / 城管局, lines
67–71) with no column or role word to tell the lead unit from the cooperating ones: the split is a guess. Its
task (1) prints 牵头单位 and 配合单位 apart. Sample 000's (14)–(16) leave the 配合单位 cell empty and take (13)'s.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from rdflib import Graph, Literal, URIRef

import govkg
from govkg.lexicon import load_lexicon
from govkg.rdf import Minter, document_graph
from govkg.rdf.vocab import GW
from sample_docs import sample_path

ID = "https://w3id.org/govkg/id/"


def graph_of(prefix: str) -> tuple[Graph, str]:
    """The document graph of a sample and its plan IRI."""
    document = govkg.extract_document(sample_path(prefix))
    graph = document_graph(document, str(document.year), Minter(), load_lexicon(),
                           datetime(2023, 1, 1, tzinfo=timezone.utc))
    return graph, f"{ID}plan/{document.issuer.code}/{document.year}"


@pytest.fixture(scope="module")
def sample_001() -> tuple[Graph, str]:
    return graph_of("001")


def assignments(graph: Graph, task: URIRef) -> dict[str, URIRef]:
    """A task's assignments by the tail of their IRI ("lead/1", "coop/2" …)."""
    return {str(a).rsplit("/assignment/", 1)[1]: a for a in graph.objects(task, GW.assignment)}


def test_a_guessed_split_flags_the_units_roles_and_not_the_leaders(sample_001):
    graph, plan = sample_001
    task = URIRef(f"{plan}/main/18")
    assert graph.value(task, GW.roleCertain) == Literal(False)
    found = assignments(graph, task)
    assert set(found) == {"leader/1", "lead/1", "coop/1", "coop/2"}
    for tail in ("lead/1", "coop/1", "coop/2"):
        assert list(graph.objects(found[tail], GW.roleCertain)) == [Literal(False)], tail
    assert graph.value(found["leader/1"], GW.roleCertain) is None  # a leader's role is never a guess
    assert not any(graph.value(a, GW.inherited) is not None for a in found.values())  # all printed in the row


def test_a_split_read_from_the_table_states_no_flag(sample_001):
    graph, plan = sample_001
    task = URIRef(f"{plan}/main/1")
    assert graph.value(task, GW.roleCertain) == Literal(True)  # a task states its flag either way
    found = assignments(graph, task)
    assert {"lead/1", "coop/1"} <= set(found)
    for assignment in found.values():
        assert graph.value(assignment, GW.roleCertain) is None
        assert graph.value(assignment, GW.inherited) is None
        assert graph.value(assignment, GW.merged) is None


def test_only_true_and_false_values_that_say_something_are_written(sample_001):
    graph, _ = sample_001
    assert set(graph.objects(None, GW.inherited)) <= {Literal(True)}
    assigned = set(graph.subjects(GW.role, None))
    flagged = {s for s in graph.subjects(GW.roleCertain, None) if s in assigned}
    assert {graph.value(s, GW.roleCertain) for s in flagged} == {Literal(False)}


def test_an_empty_cell_taken_from_the_row_above_is_flagged_inherited():
    graph, plan = graph_of("000")
    for number in ("14", "15", "16"):
        found = assignments(graph, URIRef(f"{plan}/main/{number}"))
        inherited = {tail for tail, a in found.items() if graph.value(a, GW.inherited) == Literal(True)}
        assert inherited and all(tail.startswith("coop/") for tail in inherited), number
