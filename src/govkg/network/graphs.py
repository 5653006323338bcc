"""The four collaboration graphs (networkx) built from the tasks and parties of a selection.

- cooperation: directed, lead unit → cooperating unit, weight = tasks they share in these roles;
- coparticipation: undirected, units named on the same task, the projection of the task–unit bipartite graph
  with Newman's collaboration weighting (a task with n units adds 1/(n−1) to each of its pairs), plus the raw
  count of shared tasks;
- leader: leader in charge – unit, weight = tasks of the leader the unit is named on;
- bipartite: task – unit, one edge per unit named on a task (attribute role).

Nodes are IRIs (stable identity; same-named units of two issuers stay two nodes). Groups (各街道 …) are kept as
nodes of their own, expanded to their members, or dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from .data import Filters, NetworkData, NetworkError, TaskInfo, task_key
from .options import GRAPH_KINDS

GRAPH_TITLES = {
    "cooperation": "牵头—配合关系（有向）",
    "coparticipation": "共同参与（Newman 加权）",
    "leader": "分管领导—单位",
    "bipartite": "任务—单位（二部图）",
}
WEIGHT_MEANING = {
    "cooperation": "tasks the first unit leads and the second cooperates on",
    "coparticipation": "Newman collaboration weight: sum over shared tasks of 1/(units on the task - 1)",
    "leader": "tasks of the leader the unit is named on",
    "bipartite": "1 (the unit is named on the task)",
}
UNIT_KINDS = ("unit", "group")
LEADER_KINDS = ("person", "collective")


@dataclass
class Network:
    """A graph with what its measures and pages need: the tasks, who is involved in which, the tasks' leaders."""

    graph: nx.Graph
    kind: str
    filters: Filters
    tasks: dict[str, TaskInfo]
    involvements: dict[str, set[str]] = field(default_factory=dict)
    task_leaders: dict[str, set[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    progress: dict[str, str] = field(default_factory=dict)  # task → status of its latest observation

    @property
    def several_issuers(self) -> bool:
        """Whether the tasks come from more than one issuing government."""
        return len({task.issuer for task in self.tasks.values()}) > 1


def unit_roles(data: NetworkData, notes: list[str] | None = None) -> dict[tuple[str, str], set[str]]:
    """(task, unit or group) → roles, after the role filter and the group handling (keep, expand, drop)."""
    wanted = ("lead", "cooperating") if data.filters.role == "all" else (data.filters.role,)
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    unexpanded: set[str] = set()
    several = len(data.issuers) > 1
    hidden = 0
    for part in data.participations:
        agent = data.agents[part.agent]
        if part.role not in wanted or agent.kind not in UNIT_KINDS:
            continue
        if (part.task, part.role, part.agent) in data.hidden:
            hidden += 1
            continue
        targets = [part.agent]
        if agent.kind == "group":
            if data.filters.groups == "drop":
                continue
            if data.filters.groups == "expand":
                members = data.members.get(part.agent, [])
                if members:
                    targets = members
                else:
                    unexpanded.add(f"{agent.issuer_short}·{agent.name}" if several else agent.name)
        for target in targets:
            roles[(part.task, target)].add(part.role)
    if unexpanded and notes is not None:
        notes.append("groups without known members, kept as nodes: " + "、".join(sorted(unexpanded)))
    if hidden and notes is not None:
        notes.append(f"{hidden} 处单位署名来自整节合并单元格，已隐藏（--hide-merged）")
    return dict(sorted(roles.items(), key=lambda item: (task_key(item[0][0]), item[0][1])))


def task_leaders(data: NetworkData) -> dict[str, set[str]]:
    """Task → the leaders in charge of it (people or collective leaderships)."""
    leaders: dict[str, set[str]] = defaultdict(set)
    for part in data.participations:
        if part.role == "leader" and data.agents[part.agent].kind in LEADER_KINDS:
            leaders[part.task].add(part.agent)
    return dict(leaders)


def _label(data: NetworkData, node: str, several: bool) -> str:
    agent = data.agents.get(node)
    if agent is None:
        task = data.tasks[node]
        return f"{task.issuer_short} {task.year} {task.tag}" if several else f"{task.year} {task.tag}"
    return f"{agent.issuer_short}·{agent.name}" if several else agent.name


def _unit_attributes(data: NetworkData, node: str, roles: dict[tuple[str, str], set[str]],
                     tasks_of: dict[str, set[str]], several: bool) -> dict[str, object]:
    agent = data.agents[node]
    mine = tasks_of[node]
    return {
        "label": _label(data, node, several),
        "name": agent.name,
        "issuer": agent.issuer,
        "kind": agent.kind,
        "unit_type": "group" if agent.kind == "group" else (agent.unit_type or "other"),
        "workload": len(mine),
        "lead_tasks": sum(1 for task in mine if "lead" in roles[(task, node)]),
        "coop_tasks": sum(1 for task in mine if "cooperating" in roles[(task, node)]),
        "task_list": tuple(sorted(mine, key=task_key)),
    }


def _involvements(roles: dict[tuple[str, str], set[str]]) -> dict[str, set[str]]:
    tasks_of: dict[str, set[str]] = defaultdict(set)
    for task, unit in roles:
        tasks_of[unit].add(task)
    return dict(sorted(tasks_of.items()))


def _start(data: NetworkData, kind: str, directed: bool = False) -> tuple[nx.Graph, Network]:
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.graph.update({"kind": kind, "title": GRAPH_TITLES[kind], "filters": data.filters.describe(),
                        "weight_meaning": WEIGHT_MEANING[kind]})
    network = Network(graph, kind, data.filters, {iri: data.tasks[iri] for iri in sorted(data.tasks, key=task_key)})
    network.task_leaders = task_leaders(data)
    network.labels = {iri: agent.name for iri, agent in data.agents.items()}
    network.progress = dict(data.progress)
    return graph, network


def _add_units(graph: nx.Graph, data: NetworkData, roles: dict[tuple[str, str], set[str]],
               tasks_of: dict[str, set[str]], units: Iterable[str], *, several: bool) -> None:
    for unit in sorted(units):
        graph.add_node(unit, **_unit_attributes(data, unit, roles, tasks_of, several))


def _add_edge_task(graph: nx.Graph, a: str, b: str, task: str, amount: float = 1.0) -> None:
    if graph.has_edge(a, b):
        edge = graph.edges[a, b]
        edge["weight"] += amount
        edge["shared_tasks"] += 1
        edge["task_list"] = (*edge["task_list"], task)
    else:
        graph.add_edge(a, b, weight=amount, shared_tasks=1, task_list=(task,))


def bipartite_graph(data: NetworkData) -> Network:
    """Task – unit bipartite graph: tasks (bipartite=0) and units or groups (bipartite=1), edge attribute role."""
    graph, network = _start(data, "bipartite")
    roles = unit_roles(data, network.notes)
    tasks_of = _involvements(roles)
    several = len(data.issuers) > 1
    units_on: dict[str, list[str]] = defaultdict(list)
    for task, unit in roles:
        units_on[task].append(unit)
    for task in sorted(units_on, key=task_key):
        info = data.tasks[task]
        graph.add_node(task, label=_label(data, task, several), name=info.label, issuer=info.issuer, kind="task",
                       unit_type="task", workload=len(units_on[task]), year=info.year, table=info.table,
                       task_list=(task,), bipartite=0)
    _add_units(graph, data, roles, tasks_of, tasks_of, several=several)
    for unit in tasks_of:
        graph.nodes[unit]["bipartite"] = 1
    for (task, unit), found in roles.items():
        role = "+".join(r for r in ("lead", "cooperating") if r in found)
        graph.add_edge(task, unit, weight=1.0, shared_tasks=1, role=role, task_list=(task,))
    network.involvements = tasks_of
    return network


def coparticipation_graph(data: NetworkData) -> Network:
    """Units named on the same task; weight = Newman's collaboration weight, shared_tasks = raw count."""
    bipartite = bipartite_graph(data)
    units = [node for node, kind in bipartite.graph.nodes(data="kind") if kind != "task"]
    projected = nx.bipartite.collaboration_weighted_projected_graph(bipartite.graph, units)
    graph, network = _start(data, "coparticipation")
    for unit in units:
        attributes = dict(bipartite.graph.nodes[unit])
        attributes.pop("bipartite", None)
        graph.add_node(unit, **attributes)
    for a, b in sorted(tuple(sorted(pair)) for pair in projected.edges()):
        shared = sorted(set(bipartite.graph[a]) & set(bipartite.graph[b]), key=task_key)
        graph.add_edge(a, b, weight=float(projected.edges[a, b]["weight"]), shared_tasks=len(shared),
                       task_list=tuple(shared))
    network.involvements = bipartite.involvements
    network.notes = bipartite.notes
    return network


def cooperation_graph(data: NetworkData) -> Network:
    """Directed lead unit → cooperating unit; weight = shared_tasks = tasks where they meet in these roles."""
    if data.filters.role != "all":
        raise NetworkError("--role does not apply to the cooperation graph (it always links lead to "
                           "cooperating units); leave --role out or choose another --graph")
    graph, network = _start(data, "cooperation", directed=True)
    roles = unit_roles(data, network.notes)
    tasks_of = _involvements(roles)
    _add_units(graph, data, roles, tasks_of, tasks_of, several=len(data.issuers) > 1)
    by_task: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "cooperating": []})
    for (task, unit), found in roles.items():
        for role in found:
            by_task[task][role].append(unit)
    for task in sorted(by_task, key=task_key):
        for lead in sorted(by_task[task]["lead"]):
            for coop in sorted(by_task[task]["cooperating"]):
                if lead != coop:
                    _add_edge_task(graph, lead, coop, task)
    network.involvements = tasks_of
    return network


def leader_graph(data: NetworkData) -> Network:
    """Leader in charge – unit; weight = shared_tasks = the leader's tasks the unit is named on."""
    graph, network = _start(data, "leader")
    roles = unit_roles(data, network.notes)
    tasks_of = _involvements(roles)
    several = len(data.issuers) > 1
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (task, unit) in roles:
        for leader in sorted(network.task_leaders.get(task, ())):
            pairs[(leader, unit)].append(task)
    leaders = sorted({leader for leader, _ in pairs})
    units = sorted({unit for _, unit in pairs})
    for leader in leaders:
        agent = data.agents[leader]
        mine = sorted((task for task, found in network.task_leaders.items() if leader in found), key=task_key)
        graph.add_node(leader, label=_label(data, leader, several), name=agent.name, issuer=agent.issuer,
                       kind="leader", unit_type="leader", workload=len(mine), task_list=tuple(mine))
    _add_units(graph, data, roles, tasks_of, units, several=several)
    for (leader, unit), tasks in sorted(pairs.items()):
        graph.add_edge(leader, unit, weight=float(len(tasks)), shared_tasks=len(tasks),
                       task_list=tuple(sorted(tasks, key=task_key)))
    missing = len(tasks_of) - len(units)
    if missing:
        network.notes.append(f"{missing} units are named only on tasks without a leader in charge; not drawn")
    network.involvements = {unit: tasks_of[unit] for unit in units}
    return network


BUILDERS = {
    "cooperation": cooperation_graph,
    "coparticipation": coparticipation_graph,
    "leader": leader_graph,
    "bipartite": bipartite_graph,
}


def keep_shared(network: Network, least: int) -> None:
    """Drop the edges of fewer than `least` shared tasks, then the nodes left without an edge (in place)."""
    graph = network.graph
    graph.remove_edges_from([(a, b) for a, b, shared in graph.edges(data="shared_tasks", default=1) if shared < least])
    graph.remove_nodes_from([node for node in list(graph.nodes) if graph.degree(node) == 0])
    network.involvements = {node: tasks for node, tasks in network.involvements.items() if node in graph}


def build_network(data: NetworkData, kind: str = "coparticipation") -> Network:
    """One of the GRAPH_KINDS from fetched data; NetworkError when it has no node."""
    if kind not in BUILDERS:
        raise NetworkError(f"--graph must be one of {', '.join(GRAPH_KINDS)}, not {kind!r}")
    if kind == "bipartite" and data.filters.min_shared > 1:
        raise NetworkError("--min-shared does not apply to the bipartite graph (each edge is one task)")
    network = BUILDERS[kind](data)
    if data.filters.min_shared > 1:
        keep_shared(network, data.filters.min_shared)
    if network.graph.number_of_nodes() == 0:
        why = f"no pair of units shares {data.filters.min_shared} tasks" if data.filters.min_shared > 1 else \
            "no units are named on its " + f"{len(data.tasks)} tasks"
        raise NetworkError(f"the {kind} graph of this selection ({data.filters.options()}, --groups "
                           f"{data.filters.groups}) has no node: {why}")
    return network
