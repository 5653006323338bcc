"""The type counts an incremental store update keeps (govkg.typecounts.TypeChanges) look only at the resources
whose typing quads differ, and still agree with a count of the whole store."""

from __future__ import annotations

import pyoxigraph as oxi

from govkg.typecounts import TypeChanges, count_types

TYPE = oxi.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
UNIT, TASK = oxi.NamedNode("https://example.org/Unit"), oxi.NamedNode("https://example.org/Task")
PLAN, LEXICON = oxi.NamedNode("https://example.org/graph/plan"), oxi.NamedNode("https://example.org/graph/lexicon")


def _node(name: str) -> oxi.NamedNode:
    return oxi.NamedNode(f"https://example.org/{name}")


def _typed(name: str, cls: oxi.NamedNode, graph: oxi.NamedNode) -> oxi.Quad:
    return oxi.Quad(_node(name), TYPE, cls, graph)


def test_a_graph_typing_again_what_it_typed_changes_no_resource():
    store = oxi.Store()
    plan = [_typed("task1", TASK, PLAN), _typed("task2", TASK, PLAN), _typed("unit1", UNIT, PLAN)]
    store.extend(plan)
    changes = TypeChanges(store, [PLAN.value], [], plan, count_types(store))
    assert changes.subjects == set()


def test_only_resources_whose_typing_differs_are_looked_at_and_the_counts_follow():
    store = oxi.Store()
    store.extend([_typed("task1", TASK, PLAN), _typed("task2", TASK, PLAN), _typed("unit1", UNIT, PLAN),
                  _typed("unit1", UNIT, LEXICON), _typed("unit2", UNIT, LEXICON)])
    # the plan graph replaced: task2 dropped, task3 added, unit1 no longer typed there (the lexicon still types it);
    # unit2's typing removed from the lexicon
    new_plan = [_typed("task1", TASK, PLAN), _typed("task3", TASK, PLAN)]
    removed = [_typed("unit2", UNIT, LEXICON)]
    changes = TypeChanges(store, [PLAN.value], removed, new_plan, count_types(store))
    assert changes.subjects == {_node("task2"), _node("task3"), _node("unit1"), _node("unit2")}
    store.remove_graph(PLAN)
    for quad in removed:
        store.remove(quad)
    store.extend(new_plan)
    counted = count_types(store)
    assert changes.counts_after(store) == counted
    assert counted.classes == {TASK.value: 2, UNIT.value: 1} and counted.entities == 3
