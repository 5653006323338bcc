"""`govkg network report`: CSV tables of every measure and a short readable summary (Markdown and HTML)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..fileio import atomic_text
from ..query.results import write_csv_rows, write_workbook
from .graphs import GRAPH_TITLES, WEIGHT_MEANING, Network
from .measures import Analysis
from .options import TABLE_FORMATS

TOP = 10
NODE_COLUMNS = ("label", "name", "issuer", "kind", "unit_type", "workload", "lead_tasks", "coop_tasks", "strength",
                "in_strength", "out_strength", "degree", "in_degree", "out_degree", "betweenness", "constraint",
                "effective_size", "community", "community_leader")
EDGE_COLUMNS = ("source_label", "target_label", "weight", "shared_tasks", "role", "tasks", "source", "target")


@dataclass(frozen=True)
class Table:
    """A small table for the summary: a heading, column names and rows of text."""

    heading: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return "" if value is None else str(value)


def _task_numbers(network: Network, tasks: tuple[str, ...]) -> str:
    several = network.several_issuers
    return " ".join(f"{t.issuer_short}:{t.year}{t.tag}" if several else f"{t.year}{t.tag}"
                    for t in (network.tasks[task] for task in tasks if task in network.tasks))


#: Columns holding numbers (written as numbers in a workbook).
_NUMERIC = {"workload", "lead_tasks", "coop_tasks", "strength", "in_strength", "out_strength", "degree", "in_degree",
            "out_degree", "betweenness", "constraint", "effective_size", "community", "weight", "shared_tasks", "size",
            "reach", "units", "involvements", "under_leader", "purity", "coverage"}


def _header(columns: tuple[str, ...]) -> tuple[str, ...]:
    return ("iri", *columns) if columns is NODE_COLUMNS else columns


def _number(text: Any) -> Any:
    try:
        return int(text)
    except (TypeError, ValueError):
        try:
            return float(text)
        except (TypeError, ValueError):
            return text


def _write_table(path: Path, columns: tuple[str, ...], rows: list[list[Any]], *, bom: bool) -> None:
    """One table as CSV (path ending .csv) or as an Excel workbook (numbers as numbers)."""
    header = _header(columns)
    if path.suffix == ".xlsx":
        cells = ([_number(cell) if name in _NUMERIC and cell != "" else cell
                  for name, cell in zip(header, row, strict=True)] for row in rows)
        write_workbook(path, header, cells, title=path.stem)
        return
    with atomic_text(path) as stream:
        write_csv_rows(stream, header, rows, bom=bom)


def node_rows(network: Network) -> list[list[Any]]:
    """One row per node: IRI, then NODE_COLUMNS (empty where a measure does not apply)."""
    rows = []
    for node, attributes in network.graph.nodes(data=True):
        rows.append([node, *(_fmt(attributes.get(column)) for column in NODE_COLUMNS)])
    return rows


def edge_rows(network: Network) -> list[list[Any]]:
    """One row per edge, heaviest first: labels, weight, shared tasks, role, task numbers, IRIs."""
    graph = network.graph
    edges = sorted(graph.edges(data=True), key=lambda e: (-e[2]["weight"], _label(graph, e[0]), _label(graph, e[1])))
    return [[_label(graph, a), _label(graph, b), _fmt(data["weight"]), data.get("shared_tasks", ""),
             data.get("role", ""), _task_numbers(network, data.get("task_list", ())), a, b]
            for a, b, data in edges]


def community_rows(analysis: Analysis, network: Network) -> list[list[Any]]:
    """One row per community: number, size, dominant leader, reach, purity, coverage, members."""
    graph = network.graph
    rows = []
    for row, members in zip(analysis.alignment.communities, analysis.communities, strict=True):
        rows.append([row.community, row.size, row.leader_label, row.reach, row.units, row.involvements,
                     row.under_leader, _fmt(row.purity), _fmt(row.coverage),
                     "、".join(_label(graph, node) for node in members)])
    return rows


COMMUNITY_COLUMNS = ("community", "size", "dominant_leader", "reach", "units", "involvements", "under_leader",
                     "purity", "coverage", "members")


def _label(graph: Any, node: Hashable) -> str:
    return str(graph.nodes[node].get("label", node))


def _top(network: Network, heading: str, key: str, columns: tuple[str, ...], *, reverse: bool = True,
         keep: Callable[[dict[str, Any]], bool] = lambda attributes: True) -> Table:
    graph = network.graph
    found = [(node, attributes) for node, attributes in graph.nodes(data=True)
             if attributes.get(key) is not None and keep(attributes)]
    found.sort(key=lambda item: ((-1 if reverse else 1) * item[1][key], _label(graph, item[0])))
    rows = [(_label(graph, node), *(_fmt(attributes.get(c)) for c in columns)) for node, attributes in found[:TOP]]
    return Table(heading, ("单位", *columns), rows)


def _units_only(attributes: dict[str, Any]) -> bool:
    return attributes.get("kind") in ("unit", "group")


def summary_tables(network: Network, analysis: Analysis) -> list[Table]:
    """The summary's tables: top units by strength, betweenness and brokerage, top pairs, communities."""
    graph = network.graph
    strength = "out_strength" if graph.is_directed() else "strength"
    tables = [
        _top(network, "协作最多的单位（加权度）" if not graph.is_directed() else "牵头带动最多的单位（加权出度）",
             strength, (strength, "workload", "degree"), keep=_units_only),
    ]
    if graph.is_directed():
        tables.append(_top(network, "配合最多的单位（加权入度）", "in_strength", ("in_strength", "workload"),
                           keep=_units_only))
    tables.append(_top(network, "桥梁单位（中介中心性，距离 = 1/权重）", "betweenness", ("betweenness", "degree"),
                       keep=_units_only))
    tables.append(_top(network, "结构洞位置（约束度最低，至少 3 个相邻节点）", "constraint",
                       ("constraint", "effective_size", "degree"), reverse=False,
                       keep=lambda attributes: _units_only(attributes) and attributes.get("degree", 0) >= 3))
    pairs = edge_rows(network)[:TOP]
    tables.append(Table("合作最紧密的单位对" if network.kind != "bipartite" else "任务—单位联系",
                        ("单位", "单位", "权重", "共同任务", "任务"),
                        [(*map(str, row[:4]), row[5]) for row in pairs]))
    tables.append(Table("社区与分管领导分工", ("社区", "规模", "主要分管领导", "覆盖", "纯度", "成员（前 8 个）"),
                        [(str(row[0]), str(row[1]), row[2], row[8], row[7],
                          "、".join(row[9].split("、")[:8]) + ("…" if row[1] > 8 else ""))
                         for row in community_rows(analysis, network)[:TOP]]))
    return tables


def _headline(network: Network, analysis: Analysis) -> list[str]:
    graph = network.graph
    lines = [f"图：{GRAPH_TITLES[network.kind]}（{network.kind}）；筛选：{network.filters.describe()}"
             f"（{network.filters.options()}，groups={network.filters.groups}）",
             f"{graph.number_of_nodes()} 个节点，{graph.number_of_edges()} 条边，{len(network.tasks)} 项任务；"
             f"边权重：{WEIGHT_MEANING[network.kind]}",
             f"Louvain 社区 {len(analysis.communities)} 个（seed 固定），模块度 "
             + (f"{analysis.modularity:.3f}" if analysis.modularity is not None else "—（无边）")]
    alignment = analysis.alignment
    if alignment.nmi is not None:
        lines.append(f"社区与分管领导分工：NMI {alignment.nmi:.3f}（{alignment.units_compared} 个有分管领导的单位），"
                     f"总体纯度 {alignment.purity:.3f}")
    lines.extend(network.notes)
    return lines


def markdown_summary(network: Network, analysis: Analysis) -> str:
    """The summary as Markdown."""
    out = [f"# 协作网络报告：{GRAPH_TITLES[network.kind]} — {network.filters.describe()}", ""]
    out += [f"- {line}" for line in _headline(network, analysis)]
    for table in summary_tables(network, analysis):
        out += ["", f"## {table.heading}", "", "| " + " | ".join(table.columns) + " |",
                "|" + "---|" * len(table.columns)]
        out += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in table.rows]
    out += ["", "Definitions of the measures: docs/network.md. Full tables: nodes.csv, edges.csv, communities.csv.",
            ""]
    return "\n".join(out)


def _md_cell(text: str) -> str:
    return re.sub(r"([|\\`*_<>\[\]])", r"\\\1", text).replace("\n", " ")


def html_summary(network: Network, analysis: Analysis) -> str:
    """The summary as a small self-contained HTML page (no outside resources)."""
    title = html.escape(f"协作网络报告：{GRAPH_TITLES[network.kind]} — {network.filters.describe()}")
    parts = ["<!DOCTYPE html>", '<html lang="zh">', "<head>", '<meta charset="utf-8">', f"<title>{title}</title>",
             "<style>body{font-family:'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei',sans-serif;margin:24px;"
             "color:#212529;max-width:1100px}table{border-collapse:collapse;margin:8px 0 20px;font-size:14px}"
             "th,td{border:1px solid #dee2e6;padding:3px 8px;text-align:left;vertical-align:top}"
             "th{background:#f1f3f5}h1{font-size:22px}h2{font-size:17px;margin-top:22px}</style>",
             "</head>", "<body>", f"<h1>{title}</h1>", "<ul>"]
    parts += [f"<li>{html.escape(line)}</li>" for line in _headline(network, analysis)]
    parts.append("</ul>")
    for table in summary_tables(network, analysis):
        parts.append(f"<h2>{html.escape(table.heading)}</h2><table><thead><tr>"
                     + "".join(f"<th>{html.escape(c)}</th>" for c in table.columns) + "</tr></thead><tbody>")
        parts += ["<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in table.rows]
        parts.append("</tbody></table>")
    parts += ["<p>测度的定义见 docs/network.md；完整数据见 nodes.csv、edges.csv、communities.csv。</p>", "</body>",
              "</html>", ""]
    return "\n".join(parts)


def write_report(network: Network, analysis: Analysis, out: str | Path, *, table_format: str = "csv",
                 bom: bool = True) -> list[Path]:
    """Write nodes, edges and communities tables (.csv, with a UTF-8 byte-order mark unless `bom` is false, or
    .xlsx), summary.md and summary.html into folder `out`."""
    if table_format not in TABLE_FORMATS:
        raise ValueError(f"table format must be one of {', '.join(TABLE_FORMATS)}, not {table_format!r}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {"nodes": (NODE_COLUMNS, node_rows(network)), "edges": (EDGE_COLUMNS, edge_rows(network)),
              "communities": (COMMUNITY_COLUMNS, community_rows(analysis, network))}
    written = []
    for name, (columns, rows) in tables.items():
        path = folder / f"{name}.{table_format}"
        _write_table(path, columns, rows, bom=bom)
        written.append(path)
    files = {
        "summary.md": markdown_summary(network, analysis),
        "summary.html": html_summary(network, analysis),
    }
    for name, text in files.items():
        with atomic_text(folder / name) as stream:
            stream.write(text)
        written.append(folder / name)
    return written
