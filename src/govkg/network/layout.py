"""Deterministic node positions for large pages, computed in Python (no numpy needed).

A force-directed layout after Fruchterman & Reingold (1991), with their grid variant: repulsion only between
nodes closer than 2k, found through a grid of 2k cells, so one iteration costs O(nodes + edges) on a spread
layout. Communities start around their own centres, which shortens the work; a fixed seed gives the same
positions on every run.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Hashable

import networkx as nx

LAYOUT_SEED = 7
SPACING = 110.0  # the ideal distance k between linked nodes, in page pixels


def spring_positions(graph: nx.Graph, seed: int = LAYOUT_SEED, iterations: int = 80,
                     spacing: float = SPACING) -> dict[Hashable, tuple[float, float]]:
    """Positions (x, y) in pixels for every node, the same for the same graph and seed."""
    nodes = list(graph.nodes)
    if not nodes:
        return {}
    rng = random.Random(seed)
    k = spacing
    side = k * math.sqrt(len(nodes)) * 1.2
    position = _start(graph, nodes, rng, side)
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    top = max((w for _, _, w in undirected.edges(data="weight", default=1.0)), default=1.0) or 1.0
    edges = [(a, b, 0.35 + 0.65 * (w or 1.0) / top) for a, b, w in undirected.edges(data="weight", default=1.0)
             if a != b]
    hot = side / 8
    temperature = hot
    cell = 2 * k
    for step in range(iterations):
        move = {node: [0.0, 0.0] for node in nodes}
        grid: dict[tuple[int, int], list[Hashable]] = defaultdict(list)
        for node in nodes:
            x, y = position[node]
            grid[(math.floor(x / cell), math.floor(y / cell))].append(node)
        for (cx, cy), members in grid.items():
            near = [other for dx in (-1, 0, 1) for dy in (-1, 0, 1) for other in grid.get((cx + dx, cy + dy), ())]
            for node in members:
                x, y = position[node]
                push = move[node]
                for other in near:
                    if other == node:
                        continue
                    dx, dy = x - position[other][0], y - position[other][1]
                    distance = math.hypot(dx, dy) or 0.01
                    if distance < cell:
                        force = k * k / distance
                        push[0] += dx / distance * force
                        push[1] += dy / distance * force
        for a, b, strength in edges:
            dx, dy = position[a][0] - position[b][0], position[a][1] - position[b][1]
            distance = math.hypot(dx, dy) or 0.01
            force = distance * distance / k * strength
            fx, fy = dx / distance * force, dy / distance * force
            move[a][0] -= fx
            move[a][1] -= fy
            move[b][0] += fx
            move[b][1] += fy
        for node in nodes:
            x, y = position[node]
            # a weak pull to the centre keeps separate components and isolates on the page
            move[node][0] -= x * 0.04
            move[node][1] -= y * 0.04
            length = math.hypot(*move[node]) or 1.0
            step_length = min(length, temperature)
            position[node] = (x + move[node][0] / length * step_length, y + move[node][1] / length * step_length)
        temperature = max(k / 20, hot * (1 - (step + 1) / iterations))
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in position.items()}


def _start(graph: nx.Graph, nodes: list[Hashable], rng: random.Random,
           side: float) -> dict[Hashable, tuple[float, float]]:
    """Initial positions: each community around its own point of a circle, else uniformly at random."""
    community = {node: graph.nodes[node].get("community") for node in nodes}
    groups = sorted({c for c in community.values() if c is not None})
    centre: dict[object, tuple[float, float]] = {}
    for index, group in enumerate(groups):
        angle = 2 * math.pi * index / max(1, len(groups))
        radius = side / 3 * (0.4 + 0.6 * (index % 3) / 2)
        centre[group] = (radius * math.cos(angle), radius * math.sin(angle))
    spread = side / (2 + math.sqrt(len(groups) or 1))
    out = {}
    for node in nodes:
        cx, cy = centre.get(community[node], (0.0, 0.0))
        reach = spread if community[node] is not None else side / 2
        out[node] = (cx + rng.uniform(-reach, reach), cy + rng.uniform(-reach, reach))
    return out
