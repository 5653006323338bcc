"""The filters of the network page and CLI (role, minimum shared tasks, hiding whole-section merged cells), the
served request's parameters and default view, unknown names, community names and GEXF drawing hints."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from test_page import page_data

from govkg.network import Filters, NetworkError, analyse, build_network, fetch, render_page, write_exports
from govkg.network.cli import main as network_main
from govkg.network.data import SelectionTooLargeError, section_cells
from govkg.network.measures import community_names
from govkg.network.page import TYPE_COLOURS, FilterForm
from govkg.network.served import GraphRequest, default_view
from govkg.query.backends import Value
from govkg.query.names_check import UnknownNameError

ZHONGLOU_2022 = Filters(issuer="钟楼区", year=2022)


def names(network) -> set[str]:
    return set(network.graph.nodes)


def shared_pairs(network) -> dict[frozenset[str], int]:
    return {frozenset((a, b)): shared for a, b, shared in network.graph.edges(data="shared_tasks")}


def test_role_filter_keeps_only_units_in_that_role(hand):
    # t1 A→B,C  t2 A→B  t3 C→D,E  t4 D→E  t5 B→C: leads A, C, D, B; cooperating B, C, D, E
    lead = build_network(hand(Filters(role="lead")), "coparticipation")
    assert names(lead) == set("ABCD") and lead.graph.number_of_edges() == 0  # one lead per task
    cooperating = build_network(hand(Filters(role="cooperating")), "coparticipation")
    assert names(cooperating) == set("BCDE")
    assert shared_pairs(cooperating) == {frozenset("BC"): 1, frozenset("DE"): 1}  # t1 and t3
    both = build_network(hand(Filters(role="both")), "coparticipation")
    assert Filters(role="both").role == "all" and names(both) == set("ABCDE") and both.graph.number_of_edges() == 6


def test_min_shared_drops_weak_pairs_and_lonely_units(hand):
    every = shared_pairs(build_network(hand(), "coparticipation"))
    assert every[frozenset("AB")] == 2 and every[frozenset("AC")] == 1
    strong = build_network(hand(Filters(min_shared=2)), "coparticipation")
    assert shared_pairs(strong) == {frozenset("AB"): 2, frozenset("BC"): 2, frozenset("DE"): 2}
    directed = build_network(hand(Filters(min_shared=2)), "cooperation")
    assert list(directed.graph.edges) == [("A", "B")] and names(directed) == {"A", "B"}  # t1, t2
    assert set(directed.involvements) == {"A", "B"}
    with pytest.raises(NetworkError, match="no pair of units shares 3 tasks"):
        build_network(hand(Filters(min_shared=3)), "coparticipation")
    with pytest.raises(NetworkError, match="at least 1"):
        Filters(min_shared=0).check()


def _rows(*rows: tuple[str, str, str | None, str | None, bool]) -> list[dict[str, Value]]:
    out = []
    for section, task, role, agent, carried in rows:
        row = {"section": Value("iri", section), "task": Value("iri", task)}
        if agent:
            row.update(role=Value("literal", role), agent=Value("iri", agent),
                       carried=Value("literal", "true" if carried else "false"))
        out.append(row)
    return out


def test_section_cells_is_a_whole_section_named_once():
    rows = _rows(
        # section s: three tasks; U leads all three, printed once (carried to 2 and 3): hidden everywhere
        ("s", "1", "lead", "U", False), ("s", "2", "lead", "U", True), ("s", "3", "lead", "U", True),
        # V cooperates on two of the three, carried: not the whole section
        ("s", "1", "cooperating", "V", False), ("s", "2", "cooperating", "V", True),
        # W cooperates on all three but is printed on every row: not a merged cell
        ("s", "1", "cooperating", "W", False), ("s", "2", "cooperating", "W", False),
        ("s", "3", "cooperating", "W", False),
        # a one-task section and a task naming nobody
        ("t", "4", "lead", "U", True), ("u", "5", None, None, False),
    )
    assert section_cells(rows) == {("1", "lead", "U"), ("2", "lead", "U"), ("3", "lead", "U")}


def test_hide_merged_on_the_samples(sample_store):
    plain = fetch(sample_store, ZHONGLOU_2022)
    hiding = fetch(sample_store, Filters(issuer="钟楼区", year=2022, hide_merged=True))
    assert not plain.hidden
    # 邹区镇 leads the five tasks of 民生实事 section 2, printed on the first row only
    zouqu = next(iri for iri, agent in plain.agents.items() if agent.name == "邹区镇")
    assert {task.rsplit("/", 1)[-1] for task, role, agent in hiding.hidden if agent == zouqu} == \
        {"r2", "r3", "r4", "r5", "r6"}
    before = build_network(plain, "coparticipation").graph
    after = build_network(hiding, "coparticipation")
    assert after.graph.number_of_edges() < before.number_of_edges()
    assert zouqu not in after.graph or after.graph.nodes[zouqu]["workload"] == before.nodes[zouqu]["workload"] - 5
    # 商务局 leads three of the nine tasks of its section (carried down): not a whole section, unchanged
    commerce = next(iri for iri, agent in plain.agents.items() if agent.name == "商务局")
    assert after.graph.nodes[commerce]["workload"] == before.nodes[commerce]["workload"]
    assert any("整节合并单元格" in note for note in after.notes)


def test_unknown_filter_values_suggest_known_ones(sample_store):
    with pytest.raises(UnknownNameError, match="no plan of issuer 天宁区 in the store; did you mean") as caught:
        fetch(sample_store, Filters(issuer="天宁区"))
    assert isinstance(caught.value, NetworkError) and "常州市钟楼区 (钟楼区)" in caught.value.suggestions
    with pytest.raises(NetworkError, match="no goal 主要预期目 in 钟楼区; did you mean 主要预期目标"):
        fetch(sample_store, Filters(issuer="钟楼区", year=2022, goal="主要预期目"))


def test_a_network_of_every_issuer_is_refused_above_max_plans(sample_store, built, tmp_path, capsys):
    # the samples hold five plans of two issuers: 钟楼区 2021, 2022, 2025 and 武进区 2018, 2023
    with pytest.raises(SelectionTooLargeError, match=r"5 plans of 2 issuers match .*more than 4 to draw"):
        fetch(sample_store, Filters(max_plans=4))
    every = fetch(sample_store, Filters(max_plans=5)).tasks.values()
    assert {(task.issuer, task.year) for task in every} == {
        ("常州市钟楼区", "2021"), ("常州市钟楼区", "2022"), ("常州市钟楼区", "2025"),
        ("常州市武进区", "2018"), ("常州市武进区", "2023")}
    assert fetch(sample_store, Filters(year=2022, max_plans=1)).tasks  # one plan of 2022
    assert fetch(sample_store, Filters(issuer="钟楼区", max_plans=1)).tasks  # an issuer is never refused
    with pytest.raises(NetworkError, match="--max-plans must be a whole number"):
        Filters(max_plans=0).check()
    out = tmp_path / "all.html"
    assert network_main(["html", "--store", str(built), "--max-plans", "3", "--out", str(out)]) == 2
    assert "5 plans of 2 issuers" in capsys.readouterr().err and not out.exists()


def test_cli_takes_the_new_filters(built, tmp_path, capsys):
    out = tmp_path / "page.html"
    assert network_main(["html", "--store", str(built), "--issuer", "钟楼区", "--year", "2022", "--role", "both",
                         "--min-shared", "2", "--hide-merged", "--out", str(out)]) == 0
    assert "共同任务 ≥ 2 · 不含整节合并单元格中的单位" in out.read_text(encoding="utf-8")
    assert network_main(["html", "--store", str(built), "--issuer", "钟楼", "--year", "1999", "--out",
                         str(tmp_path / "no.html")]) == 2
    assert "no plan of 钟楼 for 1999; its plans are for 2021, 2022, 2025" in capsys.readouterr().err


PLANS = [{"issuerName": "常州市武进区", "year": "2018"}, {"issuerName": "常州市武进区", "year": "2023"},
         {"issuerName": "常州市钟楼区", "year": "2025"}]


def test_served_request_parameters():
    default = GraphRequest.from_params({}, PLANS)
    assert default_view(PLANS) == ("常州市武进区", "2023")
    assert (default.filters.issuer, default.filters.year) == ("常州市武进区", "2023") and "默认视图" in default.note
    everything = GraphRequest.from_params({"issuer": "", "year": ""}, PLANS)
    assert everything.filters.issuer is None and everything.filters.year is None and not everything.note
    asked = GraphRequest.from_params({"issuer": "钟楼区", "year": "2022", "role": "both", "min": "2",
                                      "hide_merged": "1", "colour": "community"}, PLANS)
    assert asked.filters == Filters(issuer="钟楼区", year="2022", role="all", min_shared=2, hide_merged=True)
    assert asked.colour == "community" and asked.key() != default.key()
    for bad in ({"min": "x"}, {"min": "0"}, {"role": "boss"}, {"year": "22"}, {"hide_merged": "maybe"},
                {"colour": "red"}, {"graph": "tree"}):
        with pytest.raises(NetworkError):
            GraphRequest.from_params(bad, PLANS)


def test_served_page_links_units_and_shows_the_form(sample_store):
    network = build_network(fetch(sample_store, ZHONGLOU_2022), "coparticipation")
    form = FilterForm(issuers=["常州市武进区", "常州市钟楼区"], years=["2021", "2022"])
    page = render_page(network, analyse(network), link_base="https://w3id.org/govkg/id/", form=form)
    assert '<option value="常州市钟楼区" selected>' in page and '<option value="2022" selected>' in page
    assert '<form id="filters" method="get" action="/graph">' in page and 'name="hide_merged"' in page
    data = page_data(page)
    assert {node["href"] for node in data["nodes"]} >= {"/id/gov/320404/unit/住建局"}
    assert "https:" not in page.split("<script>")[0] and "w3id.org" not in page
    assert sorted(node["rank"] for node in data["nodes"]) == list(range(len(data["nodes"])))
    hostile = render_page(network, analyse(network), form=FilterForm(issuers=['"><b>x'], years=[]))
    assert '"><b>x' not in hostile and "&quot;&gt;&lt;b&gt;x" in hostile


def test_community_names_are_unique(sample_page_network):
    network, analysis = sample_page_network
    assert len(analysis.names) == len(analysis.communities) > 5
    assert len(set(analysis.names)) == len(analysis.names)
    first = analysis.communities[0]
    labels = {network.graph.nodes[node]["label"] for node in first}
    assert all(part in labels for part in analysis.names[0].split("、"))
    # two communities whose most central units share their labels still get different names
    graph = nx.Graph()
    for node, label, strength in (("a1", "甲", 2.0), ("a2", "乙", 1.0), ("b1", "甲", 2.0), ("b2", "乙", 1.0)):
        graph.add_node(node, label=label, kind="unit", strength=strength, betweenness=0.0)
    assert community_names(graph, [("a1", "a2"), ("b1", "b2")]) == ("甲、乙", "甲、乙（社区 2）")


def test_gexf_carries_colour_size_and_position(hand, tmp_path):
    network = build_network(hand(), "cooperation")
    analyse(network)
    (path,) = write_exports(network, tmp_path, ["gexf"])
    viz = "{http://www.gexf.net/1.2draft/viz}"
    nodes = ET.parse(path).getroot().iter("{http://www.gexf.net/1.2draft}node")
    found = {node.get("id"): node for node in nodes}
    assert set(found) == set("ABCDE")
    bureau = TYPE_COLOURS["bureau"][0]
    for node in found.values():
        colour, size, position = node.find(viz + "color"), node.find(viz + "size"), node.find(viz + "position")
        assert (int(colour.get("r")), int(colour.get("g")), int(colour.get("b"))) == \
            tuple(int(bureau[i:i + 2], 16) for i in (1, 3, 5))
        assert 8 <= float(size.get("value")) <= 32 and position.get("x") and position.get("y")
    sizes = {name: float(node.find(viz + "size").get("value")) for name, node in found.items()}
    assert sizes["B"] == sizes["C"] == 32.0 and sizes["A"] < 32.0  # B and C are on three tasks, the most
    assert len({(n.find(viz + "position").get("x"), n.find(viz + "position").get("y")) for n in found.values()}) == 5
