"""Measures on the hand-made selection (tests/network/conftest.py), every value worked out by hand.

Tasks (lead ← cooperating, leader):  t1 A ← B, C (L1);  t2 A ← B (L1);  t3 C ← D, E (L2);  t4 D ← E (L2);
t5 B ← C (L2).
"""

from __future__ import annotations

import math

import networkx as nx
import pytest

from govkg.network import Filters, NetworkError, analyse, build_network, nmi, portfolio_alignment
from govkg.network.graphs import unit_roles
from govkg.network.measures import betweenness, communities, structural_holes, weighted_degrees

approx = pytest.approx


@pytest.fixture
def coparticipation(hand):
    return build_network(hand(), "coparticipation")


def test_newman_weights_and_shared_task_counts(coparticipation):
    graph = coparticipation.graph
    # Newman: a task with n units adds 1/(n-1) to each of its pairs.
    #   t1 {A,B,C}: n=3 → 1/2 to AB, AC, BC;  t2 {A,B}: n=2 → 1 to AB;  t3 {C,D,E}: 1/2 to CD, CE, DE;
    #   t4 {D,E}: 1 to DE;  t5 {B,C}: 1 to BC.
    expected = {("A", "B"): (0.5 + 1, 2), ("A", "C"): (0.5, 1), ("B", "C"): (0.5 + 1, 2),
                ("C", "D"): (0.5, 1), ("C", "E"): (0.5, 1), ("D", "E"): (0.5 + 1, 2)}
    assert {tuple(sorted(edge)) for edge in graph.edges} == set(expected)
    for (a, b), (weight, shared) in expected.items():
        assert graph.edges[a, b]["weight"] == approx(weight)
        assert graph.edges[a, b]["shared_tasks"] == shared
    assert graph.edges["A", "B"]["task_list"] == ("t1", "t2")


def test_one_big_task_does_not_dominate(hand):
    # Ten extra units all on one task t9 with A: each of A's 10 pairs there gets 1/10, so A's strength rises
    # by exactly 1 (one more collaborative task), not by 10.
    data = hand()
    data.tasks["t9"] = data.tasks["t1"].__class__("t9", "(9) 大任务", "9", "X区", "X区", "2021", "main")
    data.participations.append(data.participations[0].__class__("t9", "lead", "A"))
    for index in range(10):
        unit = f"U{index}"
        data.agents[unit] = data.agents["B"].__class__(unit, unit, "unit", "bureau", "X区", "X区")
        data.participations.append(data.participations[0].__class__("t9", "cooperating", unit))
    graph = build_network(data, "coparticipation").graph
    assert graph.edges["A", "U0"]["weight"] == approx(1 / 10)
    assert graph.degree("A", weight="weight") == approx(3.0)  # t1, t2 and t9


def test_weighted_degrees(coparticipation, hand):
    # Strength = sum of Newman weights = the unit's number of tasks shared with someone:
    #   A = AB 1.5 + AC 0.5 = 2;  B = 1.5 + 1.5 = 3;  C = 0.5 + 1.5 + 0.5 + 0.5 = 3;  D = 0.5 + 1.5 = 2;  E = 2.
    degrees = weighted_degrees(coparticipation.graph)
    assert {node: values["strength"] for node, values in degrees.items()} == approx(
        {"A": 2.0, "B": 3.0, "C": 3.0, "D": 2.0, "E": 2.0})
    assert degrees["C"]["degree"] == 4
    # Directed lead → cooperating, weight = shared tasks: A→B 2 (t1, t2), A→C 1, C→D 1, C→E 1, D→E 1, B→C 1.
    directed = weighted_degrees(build_network(hand(), "cooperation").graph)
    assert {n: v["out_strength"] for n, v in directed.items()} == approx({"A": 3, "B": 1, "C": 2, "D": 1, "E": 0})
    assert {n: v["in_strength"] for n, v in directed.items()} == approx({"A": 0, "B": 2, "C": 2, "D": 1, "E": 2})


def test_betweenness_with_distance_one_over_weight(coparticipation, hand):
    # Distances 1/w: AB 2/3, AC 2, BC 2/3, CD 2, CE 2, DE 2/3.
    #   A–C: via B 2/3 + 2/3 = 4/3 < 2 → through B.  A–D, A–E: A-B-C-D (4/3 + 2) → through B and C.
    #   B–D, B–E: through C.  C–D, C–E: direct 2 < 2 + 2/3.  All shortest paths are unique.
    #   B lies on A–C, A–D, A–E (3 pairs); C on A–D, A–E, B–D, B–E (4 pairs).
    #   Normalized for undirected graphs: divide by (n-1)(n-2)/2 = 6 → B 3/6, C 4/6.
    between = betweenness(coparticipation.graph)
    assert between == approx({"A": 0.0, "B": 0.5, "C": 4 / 6, "D": 0.0, "E": 0.0})
    assert coparticipation.graph.edges["A", "C"]["distance"] == approx(2.0)
    # Directed: distances A→B 1/2, others 1. C lies on A→D, A→E, B→D, B→E; normalized by (n-1)(n-2) = 12.
    directed = betweenness(build_network(hand(), "cooperation").graph)
    assert directed == approx({"A": 0.0, "B": 0.0, "C": 4 / 12, "D": 0.0, "E": 0.0})


def test_constraint_and_effective_size(coparticipation):
    constraint, size = structural_holes(coparticipation.graph)
    # p_ij = w_ij / strength_i.  A: p_AB = 1.5/2 = 0.75, p_AC = 0.25.  B: p_BA = 0.5, p_BC = 0.5.
    # C (strength 3): p_CA = 1/6, p_CB = 1/2, p_CD = 1/6, p_CE = 1/6.  D: p_DC = 1/4, p_DE = 3/4; E likewise.
    # Constraint c_i = sum_j (p_ij + sum_q p_iq p_qj)^2:
    #   A: (0.75 + 0.25·0.5)^2 + (0.25 + 0.75·0.5)^2 = 0.875^2 + 0.625^2 = 0.765625 + 0.390625 = 1.15625
    #   C: to A (1/6 + 1/2·1/2)^2 = (5/12)^2 = 100/576;  to B (1/2 + 1/6·3/4)^2 = (5/8)^2 = 225/576;
    #      to D (1/6 + 1/6·3/4)^2 = (7/24)^2 = 49/576;  to E the same 49/576  → 423/576 = 0.734375
    assert constraint["A"] == approx(1.15625)
    assert constraint["C"] == approx(423 / 576)
    # Effective size e_i = sum_j (1 - sum_q p_iq m_jq), m_jq = w_jq / max_k w_jk:
    #   A: to B 1 - p_AC·m_BC = 1 - 0.25·(1.5/1.5) = 0.75;  to C 1 - p_AB·m_CB = 1 - 0.75·1 = 0.25  → 1.0
    #   C: to A 1 - p_CB·m_AB = 1 - 0.5 = 0.5;  to B 1 - p_CA·m_BA = 1 - 1/6 = 5/6;  to D 1 - p_CE·m_DE = 5/6;
    #      to E 5/6  → 3.0  (= Borgatti's n - 2t/n = 4 - 2·2/4 for the unweighted ties)
    assert size["A"] == approx(1.0)
    assert size["C"] == approx(3.0)


def test_structural_holes_agree_with_networkx_and_cover_sinks(hand):
    graph = nx.gnp_random_graph(30, 0.2, seed=5)
    for number, (a, b) in enumerate(graph.edges):
        graph.edges[a, b]["weight"] = 0.5 + number % 4
    constraint, size = structural_holes(graph)
    expected_c, expected_s = nx.constraint(graph, weight="weight"), nx.effective_size(graph, weight="weight")
    for node in graph:
        if graph.degree(node):
            assert constraint[node] == approx(expected_c[node]) and size[node] == approx(expected_s[node])
        else:
            assert node not in constraint and node not in size  # undefined for isolates
    # E only receives (C→E, D→E); networkx gives NaN there, the mutual-weight graph gives a value.
    directed = build_network(hand(), "cooperation").graph
    constraint, size = structural_holes(directed)
    assert math.isnan(nx.constraint(directed, weight="weight")["E"])
    # Mutual weights: E–C 1, E–D 1 → p_EC = p_ED = 1/2;  D–C 1, D–E 1 → p_DC = 1/2;  C–A, C–B, C–D, C–E 1 → p_CD = 1/4.
    # c_E = to C (p_EC + p_ED·p_DC)^2 = (1/2 + 1/4)^2  +  to D (p_ED + p_EC·p_CD)^2 = (1/2 + 1/8)^2
    assert constraint["E"] == approx(0.75**2 + 0.625**2)


def test_communities_and_modularity(coparticipation):
    # Total weight m = 1.5+0.5+1.5+0.5+0.5+1.5 = 6; strengths A2 B3 C3 D2 E2.
    # Q({A,B,C},{D,E}) = (3.5/6 - (8/12)^2) + (1.5/6 - (4/12)^2) = 0.58333 - 0.44444 + 0.25 - 0.11111 = 5/18;
    # ({A,B},{C,D,E}) gives 0.1528, so Louvain must find the first split, numbered by size.
    found, quality = communities(coparticipation.graph)
    assert found == [("A", "B", "C"), ("D", "E")]
    assert quality == approx(5 / 18)
    assert quality == approx(nx.algorithms.community.modularity(coparticipation.graph, found, weight="weight"))


def test_obvious_split_of_two_cliques():
    graph = nx.Graph()
    for clique in ("abcd", "wxyz"):
        for i, a in enumerate(clique):
            for b in clique[i + 1:]:
                graph.add_edge(a, b, weight=3.0)
    graph.add_edge("d", "w", weight=0.5)
    for node in graph:
        graph.nodes[node]["label"] = node
    found, quality = communities(graph)
    assert found == [("a", "b", "c", "d"), ("w", "x", "y", "z")]
    # m = 2·6·3 + 0.5 = 36.5; each side: L = 18, S = 2·18 + 0.5 = 36.5 → Q = 2·(18/36.5 - (36.5/73)^2)
    assert quality == approx(2 * (18 / 36.5 - 0.25))
    assert communities(graph) == (found, quality)  # fixed seed: the same answer every time


def test_portfolio_alignment(coparticipation):
    analysis = analyse(coparticipation)
    rows = analysis.alignment.communities
    # Involvements: A t1 t2 | B t1 t2 t5 | C t1 t3 t5 | D t3 t4 | E t3 t4;  leaders t1 t2 → L1, t3 t4 t5 → L2.
    # Community 1 {A,B,C}: L1 reaches A, B, C (3), L2 reaches B, C (2) → L1 dominant; involvements 2+3+3 = 8,
    #   of which under L1: A 2 + B 2 + C 1 = 5 → purity 5/8, coverage 3/3.
    assert (rows[0].leader, rows[0].reach, rows[0].involvements, rows[0].under_leader) == ("L1", 3, 8, 5)
    assert rows[0].purity == approx(0.625) and rows[0].coverage == approx(1.0)
    # Community 2 {D,E}: L2, 4 involvements all under L2 → purity 1.
    assert (rows[1].leader, rows[1].purity) == ("L2", approx(1.0))
    assert analysis.alignment.purity == approx(9 / 12)
    # Each unit's own main leader: A L1, B L1 (2 vs 1), C L2 (2 vs 1), D L2, E L2.
    # Contingency (community, leader): (1,L1) 2, (1,L2) 1, (2,L2) 2;  N = 5.
    # H(C) = H(L) = -(3/5 ln 3/5 + 2/5 ln 2/5);  I = 2/5 ln(5/3) + 1/5 ln(5/9) + 2/5 ln(5/3)
    entropy = -(0.6 * math.log(0.6) + 0.4 * math.log(0.4))
    mutual = 0.8 * math.log(5 / 3) + 0.2 * math.log(5 / 9)
    assert analysis.alignment.nmi == approx(2 * mutual / (2 * entropy))
    assert analysis.alignment.nmi == approx(0.43254, abs=1e-5)
    assert coparticipation.graph.nodes["C"]["community_leader"] == "L1"


def test_nmi_edge_cases():
    assert nmi([1, 1, 2, 2], ["x", "x", "y", "y"]) == approx(1.0)
    assert nmi([1, 2, 1, 2], ["x", "x", "y", "y"]) == approx(0.0)
    assert nmi([1, 1, 1], ["a", "a", "a"]) == 1.0
    assert nmi([1, 2, 3], ["a", "a", "a"]) == 0.0
    alignment = portfolio_alignment({"u": 1}, {"u": {"t"}}, {})  # no leaders at all
    assert alignment.nmi is None and alignment.communities[0].leader is None


def test_measures_stored_as_attributes(coparticipation):
    analyse(coparticipation)
    attributes = coparticipation.graph.nodes["C"]
    assert attributes["betweenness"] == approx(4 / 6)
    assert attributes["constraint"] == approx(423 / 576)
    assert attributes["effective_size"] == approx(3.0)
    assert attributes["community"] == 1 and attributes["strength"] == approx(3.0)
    assert coparticipation.graph.graph["modularity"] == approx(5 / 18)


def test_role_filter(hand):
    lead_only = build_network(hand(Filters(role="lead")), "coparticipation").graph
    assert set(lead_only) == {"A", "B", "C", "D"} and lead_only.number_of_edges() == 0  # one lead per task
    cooperating = build_network(hand(Filters(role="cooperating")), "bipartite").graph
    assert set(cooperating["t1"]) == {"B", "C"}
    with pytest.raises(NetworkError, match="does not apply to the cooperation graph"):
        build_network(hand(Filters(role="lead")), "cooperation")


def test_groups_keep_expand_drop(hand):
    def with_group(groups):
        data = hand(Filters(groups=groups), {"G": ["D", "E", "F"]})
        data.agents["F"] = data.agents["D"].__class__("F", "F", "unit", "subdistrict", "X区", "X区")
        data.participations.append(data.participations[0].__class__("t2", "cooperating", "G"))
        return data

    kept = build_network(with_group("keep"), "cooperation").graph
    assert kept.has_edge("A", "G") and kept.nodes["G"]["unit_type"] == "group"
    expanded = build_network(with_group("expand"), "cooperation").graph
    assert "G" not in expanded and {"A→D", "A→E", "A→F"} <= {f"{a}→{b}" for a, b in expanded.edges}
    assert expanded.edges["A", "F"]["task_list"] == ("t2",)
    assert expanded.edges["A", "B"]["weight"] == 2  # unchanged
    dropped = build_network(with_group("drop"), "cooperation").graph
    assert "G" not in dropped and "F" not in dropped
    roles = unit_roles(with_group("expand"))
    assert roles[("t2", "F")] == {"cooperating"}


def test_leader_and_bipartite_graphs(hand):
    leader = build_network(hand(), "leader").graph
    # L1: t1 {A,B,C}, t2 {A,B} → A 2, B 2, C 1;  L2: t3 {C,D,E}, t4 {D,E}, t5 {B,C} → B 1, C 2, D 2, E 2
    assert {(a, b): w for a, b, w in leader.edges(data="weight")} == {
        ("L1", "A"): 2, ("L1", "B"): 2, ("L1", "C"): 1, ("L2", "B"): 1, ("L2", "C"): 2, ("L2", "D"): 2, ("L2", "E"): 2}
    assert leader.nodes["L2"]["kind"] == "leader" and leader.nodes["L2"]["workload"] == 3
    bipartite = build_network(hand(), "bipartite").graph
    assert bipartite.number_of_nodes() == 10 and bipartite.number_of_edges() == 12
    assert bipartite.edges["t1", "A"]["role"] == "lead" and bipartite.edges["t1", "B"]["role"] == "cooperating"
