"""Measures of a collaboration network: weighted degrees, betweenness, structural holes, communities, and how
the communities line up with the leaders' portfolios. Definitions: docs/network.md."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from .graphs import Network

#: Seed of the Louvain method, so that the same graph always gives the same communities.
LOUVAIN_SEED = 42


@dataclass(frozen=True)
class CommunityAlignment:
    """How one community lines up with a leader's portfolio."""

    community: int
    size: int  # nodes in the community
    units: int  # of which units or groups with task involvements
    leader: str | None  # the dominant leader (IRI), None when no task of the community has a leader
    leader_label: str
    reach: int  # units of the community named on at least one task of that leader
    involvements: int  # (task, unit) involvements of the community's units
    under_leader: int  # of which on tasks of the dominant leader

    @property
    def purity(self) -> float | None:
        """Share of the community's task involvements that are under its dominant leader."""
        return self.under_leader / self.involvements if self.involvements else None

    @property
    def coverage(self) -> float | None:
        """Share of the community's units that take part in at least one task of its dominant leader."""
        return self.reach / self.units if self.units else None


@dataclass(frozen=True)
class Alignment:
    """Communities against leaders' portfolios: per community, and overall (purity, NMI)."""

    communities: tuple[CommunityAlignment, ...]
    purity: float | None  # all involvements under their community's dominant leader / all involvements
    nmi: float | None  # normalized mutual information, community vs. each unit's own main leader
    units_compared: int  # units with at least one task that has a leader (those the NMI is over)


@dataclass(frozen=True)
class Analysis:
    """The network-wide results: communities (numbered from 1), modularity, alignment with portfolios."""

    communities: tuple[tuple[str, ...], ...]
    modularity: float | None
    alignment: Alignment
    names: tuple[str, ...] = ()  # community i + 1 is called names[i] (its two most central units), all different


def add_distance(graph: nx.Graph) -> None:
    """Give every edge distance = 1 / weight (a strong tie is a short way)."""
    for _, _, data in graph.edges(data=True):
        data["distance"] = 1.0 / data["weight"]


def weighted_degrees(graph: nx.Graph) -> dict[Hashable, dict[str, float | int]]:
    """Per node: strength (weighted degree) and degree; for directed graphs also in/out strength and degree."""
    out: dict[Hashable, dict[str, float | int]] = {}
    for node in graph:
        values: dict[str, float | int] = {"strength": float(graph.degree(node, weight="weight")),
                                          "degree": int(graph.degree(node))}
        if graph.is_directed():
            values.update(in_strength=float(graph.in_degree(node, weight="weight")),
                          out_strength=float(graph.out_degree(node, weight="weight")),
                          in_degree=int(graph.in_degree(node)), out_degree=int(graph.out_degree(node)))
        out[node] = values
    return out


def betweenness(graph: nx.Graph) -> dict[Hashable, float]:
    """Normalized betweenness centrality along shortest paths with distance = 1 / weight."""
    add_distance(graph)
    return nx.betweenness_centrality(graph, weight="distance", normalized=True)


def mutual_graph(graph: nx.Graph) -> nx.Graph:
    """The undirected graph whose edge weights are the mutual weights w(i→j) + w(j→i) of a directed graph."""
    if not graph.is_directed():
        return graph
    mutual = nx.Graph()
    mutual.add_nodes_from(graph)
    for a, b, weight in graph.edges(data="weight"):
        if mutual.has_edge(a, b):
            mutual.edges[a, b]["weight"] += weight
        else:
            mutual.add_edge(a, b, weight=weight)
    return mutual


def structural_holes(graph: nx.Graph) -> tuple[dict[Hashable, float], dict[Hashable, float]]:
    """Burt's constraint and effective size (weighted, on mutual weights); undefined for isolates, left out.

    The same values as networkx's constraint / effective_size (on mutual weights w(i→j) + w(j→i)), computed
    once per neighbour pair instead of re-normalising every weight in the inner loop, and defined for a
    directed node without successors too (networkx gives NaN there).
    """
    mutual = mutual_graph(graph)
    weights = {node: {other: float(data["weight"]) for other, data in mutual[node].items() if other != node}
               for node in mutual}
    share: dict[Hashable, dict[Hashable, float]] = {}  # p_ij = w_ij / sum_k w_ik
    to_max: dict[Hashable, dict[Hashable, float]] = {}  # m_ij = w_ij / max_k w_ik
    for node, around in weights.items():
        if around:
            total, top = sum(around.values()), max(around.values())
            share[node] = {other: value / total for other, value in around.items()}
            to_max[node] = {other: value / top for other, value in around.items()}
    constraint: dict[Hashable, float] = {}
    size: dict[Hashable, float] = {}
    for i, p_i in share.items():
        c_i = e_i = 0.0
        for j, p_ij in p_i.items():
            p_j, m_j = share[j], to_max[j]
            # q runs over the common neighbours of i and j (other terms are 0)
            common = [q for q in (p_j if len(p_j) < len(p_i) else p_i) if q in p_i and q in p_j and q not in (i, j)]
            c_i += (p_ij + sum(p_i[q] * share[q][j] for q in common)) ** 2
            e_i += 1.0 - sum(p_i[q] * m_j[q] for q in common)
        constraint[i], size[i] = c_i, e_i
    return constraint, size


def communities(graph: nx.Graph, seed: int = LOUVAIN_SEED) -> tuple[list[tuple[str, ...]], float | None]:
    """Louvain communities (fixed seed), numbered by size then smallest label; and their modularity."""
    if graph.number_of_edges() == 0:
        return [(node,) for node in sorted(graph, key=lambda n: (_label(graph, n), n))], None
    found = nx.algorithms.community.louvain_communities(graph, weight="weight", seed=seed)
    ordered = sorted((sorted(group, key=lambda n: (_label(graph, n), n)) for group in found),
                     key=lambda group: (-len(group), _label(graph, group[0]), group[0]))
    quality = nx.algorithms.community.modularity(graph, found, weight="weight")
    return [tuple(group) for group in ordered], float(quality)


def _label(graph: nx.Graph, node: Hashable) -> str:
    return str(graph.nodes[node].get("label", node))


def nmi(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Normalized mutual information 2·I(X;Y) / (H(X) + H(Y)) of two labelings of the same items (natural log).

    The arithmetic-mean normalization of Danon et al. (2005), also scikit-learn's default; 1.0 when both
    labelings put everything in one class, 0.0 when only one of them does.
    """
    if len(first) != len(second):
        raise ValueError("the two labelings must label the same items")
    total = len(first)
    if total == 0:
        return 0.0
    count_x, count_y = Counter(first), Counter(second)
    joint = Counter(zip(first, second, strict=True))
    h_x = -sum(c / total * math.log(c / total) for c in count_x.values())
    h_y = -sum(c / total * math.log(c / total) for c in count_y.values())
    if h_x + h_y == 0:
        return 1.0
    mutual = sum(c / total * math.log(c * total / (count_x[x] * count_y[y])) for (x, y), c in joint.items())
    return max(0.0, 2 * mutual / (h_x + h_y))


def portfolio_alignment(community_of: Mapping[str, int], involvements: Mapping[str, set[str]],
                        task_leaders: Mapping[str, set[str]], labels: Mapping[str, str] | None = None) -> Alignment:
    """How communities line up with leaders' portfolios (dominant leader, purity, coverage, NMI)."""
    labels = labels or {}

    def key(leader: str) -> tuple[str, str]:
        return (labels.get(leader, leader), leader)

    # n[unit][leader] = tasks of the unit that the leader is in charge of
    per_unit: dict[str, Counter[str]] = {}
    for unit, tasks in involvements.items():
        if unit in community_of:
            per_unit[unit] = Counter(leader for task in tasks for leader in task_leaders.get(task, ()))
    members: dict[int, list[str]] = defaultdict(list)
    for unit in sorted(per_unit):
        members[community_of[unit]].append(unit)
    sizes = Counter(community_of.values())
    rows = []
    for community in sorted(sizes):
        units = members.get(community, [])
        reach: Counter[str] = Counter()
        weight: Counter[str] = Counter()
        for unit in units:
            reach.update(per_unit[unit].keys())
            weight.update(per_unit[unit])
        total = sum(len(involvements[unit]) for unit in units)
        leader = min(reach, key=lambda lead: (-reach[lead], -weight[lead], *key(lead))) if reach else None
        rows.append(CommunityAlignment(community, sizes[community], len(units), leader,
                                       labels.get(leader, leader or "") if leader else "",
                                       reach[leader] if leader else 0, total, weight[leader] if leader else 0))
    involved = sum(row.involvements for row in rows)
    purity = sum(row.under_leader for row in rows) / involved if involved else None
    own = {unit: min(found, key=lambda lead: (-found[lead], *key(lead))) for unit, found in per_unit.items() if found}
    compared = sorted(own)
    score = nmi([community_of[u] for u in compared], [own[u] for u in compared]) if compared else None
    return Alignment(tuple(rows), purity, score, len(compared))


def centrality_key(graph: nx.Graph, node: Hashable) -> tuple[float, float, str]:
    """Sort key, most central first: strength, then betweenness, then label (nodes analysed by `analyse`)."""
    attributes = graph.nodes[node]
    return (-attributes.get("strength", 0.0), -attributes.get("betweenness", 0.0), str(attributes.get("label", node)))


def community_names(graph: nx.Graph, groups: Sequence[Sequence[Hashable]]) -> tuple[str, ...]:
    """A name per community: its two most central units or groups ("住建局、城管局"; other nodes when it has fewer),
    by `centrality_key`; a name that an earlier community already has gets "（社区 N）" added, so all differ."""
    names: list[str] = []
    for number, group in enumerate(groups, start=1):
        units = sorted((n for n in group if graph.nodes[n].get("kind") in ("unit", "group")),
                       key=lambda n: centrality_key(graph, n))
        others = sorted((n for n in group if n not in set(units)), key=lambda n: centrality_key(graph, n))
        name = "、".join(str(graph.nodes[n].get("label", n)) for n in (units + others)[:2])
        names.append(f"{name}（社区 {number}）" if name in names or not name else name)
    return tuple(names)


def analyse(network: Network, seed: int = LOUVAIN_SEED) -> Analysis:
    """Compute every measure, store them as node attributes (and distance on edges); return the overall results."""
    graph = network.graph
    degrees = weighted_degrees(graph)
    between = betweenness(graph)
    constraint, size = structural_holes(graph)
    groups, quality = communities(graph, seed)
    community_of = {node: number for number, group in enumerate(groups, start=1) for node in group}
    for node, attributes in graph.nodes(data=True):
        attributes.update(degrees[node])
        attributes["betweenness"] = float(between[node])
        if node in constraint:
            attributes["constraint"] = constraint[node]
        if node in size:
            attributes["effective_size"] = size[node]
        attributes["community"] = community_of[node]
    alignment = portfolio_alignment(community_of, network.involvements, network.task_leaders, network.labels)
    if quality is not None:
        graph.graph["modularity"] = quality
    graph.graph["communities"] = len(groups)
    if alignment.nmi is not None:
        graph.graph["portfolio_nmi"] = alignment.nmi
    if alignment.purity is not None:
        graph.graph["portfolio_purity"] = alignment.purity
    for row in alignment.communities:
        for node in groups[row.community - 1]:
            graph.nodes[node]["community_leader"] = row.leader_label
    names = community_names(graph, groups)
    for name, group in zip(names, groups, strict=True):
        for node in group:
            graph.nodes[node]["community_name"] = name
    return Analysis(tuple(groups), quality, alignment, names)
