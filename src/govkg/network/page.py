"""The interactive collaboration page: one self-contained HTML file that works with no network at all.

The nodes, edges and options are assembled with pyvis; the page itself is our own template, not pyvis's (which
loads vis-network, Bootstrap and tom-select from CDNs): vis-network's script and style, shipped with pyvis, are
inlined, the search box, legend and neighbourhood highlight are a little plain JavaScript, and every text of the
data (names, task statements) is JSON with <, >, & and quotes escaped, put into the page with textContent —
never parsed as HTML.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..fileio import atomic_text
from .data import Backend, Filters, NetworkError, fetch
from .graphs import GRAPH_TITLES, Network, build_network
from .layout import LAYOUT_SEED, spring_positions
from .measures import Analysis, analyse, centrality_key
from .options import COLOUR_MODES

#: Above this many nodes positions are computed in Python and physics is off, so the page shows at once.
LAYOUT_THRESHOLD = 300
VIS_VERSION = "9.1.2"
MAX_TASKS_IN_TOOLTIP = 25

TYPE_COLOURS: dict[str, tuple[str, str]] = {  # key → (colour, legend text)
    "bureau": ("#4c6ef5", "政府工作部门"),
    "office": ("#7950f2", "办公室、议事协调机构"),
    "party": ("#d6336c", "党委工作机关"),
    "subdistrict": ("#2f9e44", "街道"),
    "town": ("#74b816", "镇"),
    "devzone": ("#f76707", "开发区、园区"),
    "soe": ("#1098ad", "国有企业"),
    "massorg": ("#ae3ec9", "群团组织"),
    "branch": ("#15aabf", "上级部门派驻机构"),
    "other": ("#868e96", "其他单位"),
    "group": ("#f59f00", "集合称谓（各街道等）"),
    "leader": ("#e03131", "分管领导"),
    "task": ("#adb5bd", "任务"),
}
SHAPES = {"group": "diamond", "leader": "star", "task": "square"}
COMMUNITY_COLOURS = ("#4c6ef5", "#f76707", "#2f9e44", "#e03131", "#7950f2", "#1098ad", "#d6336c", "#74b816",
                     "#f59f00", "#495057", "#15aabf", "#ae3ec9", "#5c7cfa", "#ff922b", "#51cf66", "#ff6b6b",
                     "#9775fa", "#3bc9db", "#f783ac", "#a9e34b")
SMALL_COMMUNITIES = "#ced4da"
#: Colouring by schedule: the share of a node's tasks behind schedule among those with a progress observation, each
#: task counted by its latest observation. (upper bound of the share, colour, legend text)
BEHIND_COLOURS: tuple[tuple[float, str, str], ...] = (
    (0.0, "#2f9e44", "无滞后任务"),
    (1 / 3, "#fab005", "滞后任务占比不超过 1/3"),
    (2 / 3, "#f76707", "滞后任务占比超过 1/3、不超过 2/3"),
    (1.0, "#e03131", "滞后任务占比超过 2/3"),
)
UNOBSERVED = ("#ced4da", "无进展通报（没有任务被通报过进展）")
#: At the first view only the most central nodes are labelled (more appear as one zooms in; all from 100 %).
TOP_LABELS = 15
#: Labels are drawn at least this many screen pixels high, whatever the zoom.
LABEL_PIXELS = 13


@dataclass(frozen=True)
class FilterForm:
    """The filter form of the served page: the issuers and years to offer, where it is sent, a note on the view."""

    issuers: Sequence[str]
    years: Sequence[str]
    action: str = "/graph"
    note: str = ""
_URL = re.compile(r"(https?:)//", re.IGNORECASE)


@lru_cache(maxsize=2)
def vendored(name: str) -> str:
    """vis-network's script ("js") or style ("css") as shipped with pyvis, made safe to inline.

    URL-shaped strings in the script (its licence banner, core-js metadata, an error message, the SVG
    namespace) are written with escaped slashes ("https:\\/\\/…"): the same string to JavaScript, no link in
    the page, and nothing is ever fetched from them.
    """
    import pyvis

    folder = Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    text = (folder / {"js": "vis-network.min.js", "css": "vis-network.css"}[name]).read_text(encoding="utf-8")
    if name == "js":
        text = _URL.sub(lambda match: match.group(1) + "\\/\\/", text)
        text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    elif _URL.search(text) or re.search(r"</style", text, re.IGNORECASE):
        raise RuntimeError("vis-network.css refers to an outside URL or closes its style element")
    return text


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: <, >, &, quotes and line separators as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _number(value: Any, digits: int = 3) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if not math.isnan(value) else "—"
    return "—" if value is None else str(value)


def _node_facts(attributes: dict[str, Any], directed: bool) -> list[list[str]]:
    kind = attributes.get("kind")
    facts = [["发文政府", str(attributes.get("issuer", ""))]]
    if kind in ("unit", "group"):
        facts.append(["类型", TYPE_COLOURS.get(attributes.get("unit_type", "other"), ("", "其他单位"))[1]])
        facts.append(["参与任务", f"{attributes.get('workload', 0)}（牵头 {attributes.get('lead_tasks', 0)}，"
                                  f"配合 {attributes.get('coop_tasks', 0)}）"])
    elif kind == "leader":
        facts.append(["分管任务", str(attributes.get("workload", 0))])
    else:
        facts.append(["参与单位", str(attributes.get("workload", 0))])
    if directed:
        facts.append(["加权出度 / 入度", f"{_number(attributes.get('out_strength'))} / "
                                        f"{_number(attributes.get('in_strength'))}"])
    else:
        facts.append(["加权度", _number(attributes.get("strength"))])
    facts.append(["中介中心性", _number(attributes.get("betweenness"))])
    facts.append(["约束度 / 有效规模", f"{_number(attributes.get('constraint'))} / "
                                      f"{_number(attributes.get('effective_size'))}"])
    leader = attributes.get("community_leader")
    name = attributes.get("community_name") or f"社区 {attributes.get('community')}"
    facts.append(["社区", name + (f"（主要分管领导：{leader}）" if leader else "")])
    return facts


def _task_refs(network: Network, tasks: tuple[str, ...] | list[str], index: dict[str, int]) -> list[int]:
    """Indexes into the page's task captions (each caption is in the page once), at most MAX_TASKS_IN_TOOLTIP."""
    refs = []
    for task in tasks[:MAX_TASKS_IN_TOOLTIP]:
        if task in network.tasks:
            if task not in index:
                index[task] = len(index)
            refs.append(index[task])
    return refs


def behind_counts(network: Network, tasks: tuple[str, ...] | list[str]) -> tuple[int, int]:
    """(tasks behind schedule, tasks with an observation) among `tasks`, each by its latest observation."""
    observed = [network.progress[task] for task in tasks if task in network.progress]
    return sum(1 for status in observed if status == "BehindSchedule"), len(observed)


def behind_colour(behind: int, observed: int) -> str:
    """The colour of a node with `behind` of its `observed` tasks behind schedule (neutral when none observed)."""
    if not observed:
        return UNOBSERVED[0]
    share = behind / observed
    return next(colour for bound, colour, _ in BEHIND_COLOURS if share <= bound + 1e-9)


def _community_colour(number: int) -> str:
    return COMMUNITY_COLOURS[number - 1] if 1 <= number <= len(COMMUNITY_COLOURS) else SMALL_COMMUNITIES


def node_size(workload: int, most: int) -> float:
    """A node's drawn size: 8 to 32 by the square root of its workload relative to the largest."""
    return round(8 + 24 * math.sqrt(workload / (most or 1)), 1)


def node_href(iri: str, link_base: str | None) -> str | None:
    """The server's local path of a data IRI (`/id/…`), or None when it is not under `link_base`."""
    return "/id/" + iri[len(link_base):] if link_base and iri.startswith(link_base) else None


def page_data(network: Network, analysis: Analysis, colour: str = "type",
              link_base: str | None = None) -> dict[str, Any]:
    """What the page's script draws: vis nodes and edges (assembled with pyvis), options, legends, texts; `colour`
    is the colouring shown first (type, community or behind); nodes under `link_base` link to their `/id/…` page."""
    from pyvis.edge import Edge
    from pyvis.network import Network as VisNetwork

    graph = network.graph
    directed = graph.is_directed()
    count = graph.number_of_nodes()
    fixed = count > LAYOUT_THRESHOLD
    positions = spring_positions(graph, seed=LAYOUT_SEED) if fixed else {}
    ids = {node: f"n{index}" for index, node in enumerate(graph.nodes)}
    task_index: dict[str, int] = {}
    most = max((attributes.get("workload", 1) for _, attributes in graph.nodes(data=True)), default=1) or 1
    rank = {node: index for index, node in enumerate(sorted(graph.nodes, key=lambda n: centrality_key(graph, n)))}
    vis = VisNetwork(height="100%", width="100%", directed=directed, cdn_resources="in_line")
    behind_legend: dict[str, int] = {}
    for node, attributes in graph.nodes(data=True):
        unit_type = attributes.get("unit_type", "other")
        extra: dict[str, Any] = {}
        if fixed:
            extra.update(x=positions[node][0], y=positions[node][1])
        href = node_href(str(node), link_base)
        if href:
            extra["href"] = href
        behind, observed = behind_counts(network, attributes["task_list"])
        schedule = behind_colour(behind, observed)
        behind_legend[schedule] = behind_legend.get(schedule, 0) + 1
        facts = _node_facts(attributes, directed)
        if network.progress:
            total = len(attributes["task_list"])
            facts.append(["进度（各任务最新通报）",
                          f"滞后 {behind} / 有通报 {observed}（共 {total} 项任务）" if observed else "无进展通报"])
        vis.add_node(ids[node], label=str(attributes.get("label", "")), shape=SHAPES.get(unit_type, "dot"),
                     color=TYPE_COLOURS.get(unit_type, TYPE_COLOURS["other"])[0],
                     size=node_size(attributes.get("workload", 1), most),
                     unitType=unit_type, community=attributes.get("community", 0), rank=rank[node],
                     behind=[behind, observed], behindColour=schedule,
                     facts=facts,
                     tasks=_task_refs(network, attributes["task_list"], task_index),
                     more=max(0, len(attributes["task_list"]) - MAX_TASKS_IN_TOOLTIP),
                     **extra)
    widest = max((shared for _, _, shared in graph.edges(data="shared_tasks", default=1)), default=1) or 1
    for a, b, attributes in graph.edges(data=True):
        shared = attributes.get("shared_tasks", 1)
        facts = [["共同任务", str(shared)], ["权重", _number(attributes.get("weight"))]]
        if attributes.get("role"):
            facts.append(["角色", {"lead": "牵头", "cooperating": "配合"}.get(attributes["role"], "牵头、配合")])
        # the graph has no duplicate edges, so pyvis's Edge is used without add_edge's quadratic duplicate check
        vis.edges.append(Edge(ids[a], ids[b], directed,
                              width=round(1 + 5 * math.log1p(shared) / math.log1p(widest), 2),
                              facts=facts, tasks=_task_refs(network, attributes.get("task_list", ()), task_index),
                              more=max(0, len(attributes.get("task_list", ())) - MAX_TASKS_IN_TOOLTIP),
                              ends=[str(graph.nodes[a].get("label", "")), str(graph.nodes[b].get("label", ""))]
                              ).options)
    vis.options = _options(directed, count, fixed)
    nodes, edges, _, _, _, options = vis.get_network_data()
    types_present: dict[str, int] = {}
    for _, unit_type in graph.nodes(data="unit_type"):
        types_present[unit_type] = types_present.get(unit_type, 0) + 1
    alignment = {row.community: row for row in analysis.alignment.communities}
    return {
        "nodes": nodes,
        "edges": edges,
        "tasks": [network.tasks[task].caption(network.several_issuers) for task in task_index],
        "options": json.loads(options),
        "fixed": fixed,
        "legend": {
            "type": [[TYPE_COLOURS[key][0], TYPE_COLOURS[key][1], types_present[key]]
                     for key in TYPE_COLOURS if key in types_present],
            "community": [[_community_colour(number), _community_text(analysis, number, alignment), len(members)]
                          for number, members in enumerate(analysis.communities, start=1)
                          if number <= len(COMMUNITY_COLOURS)],
            "behind": [[colour, text, behind_legend.get(colour, 0)]
                       for colour, text in [*((c, t) for _, c, t in BEHIND_COLOURS), UNOBSERVED]],
        },
        "colour": colour,
        "communityColours": [_community_colour(n) for n in range(1, len(analysis.communities) + 1)],
        "typeColours": {key: colour for key, (colour, _) in TYPE_COLOURS.items()},
        "smallCommunities": len(analysis.communities) - len(COMMUNITY_COLOURS),
        "topLabels": TOP_LABELS,
        "labelPixels": LABEL_PIXELS,
    }


def _community_text(analysis: Analysis, number: int, alignment: dict[int, Any]) -> str:
    """Legend text of a community: its number and name (two most central units), then its dominant leader."""
    name = analysis.names[number - 1] if number <= len(analysis.names) else f"社区 {number}"
    leader = alignment[number].leader_label if number in alignment else ""
    return f"社区 {number}：{name}" + (f"（主要分管领导：{leader}）" if leader else "")


def _options(directed: bool, count: int, fixed: bool) -> dict[str, Any]:
    physics: dict[str, Any] = {"enabled": False}
    if not fixed:
        physics = {"enabled": True, "solver": "forceAtlas2Based",
                   "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 110, "springConstant": 0.05,
                                        "avoidOverlap": 0.3},
                   "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 50, "fit": True}}
    return {
        "autoResize": True,
        "nodes": {"borderWidth": 1, "font": {"size": 14, "face": "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, "
                                                                   "PingFang SC, sans-serif"}},
        "edges": {"color": {"color": "#adb5bd", "highlight": "#e8590c", "hover": "#e8590c", "inherit": False},
                  "smooth": False, "arrows": {"to": {"enabled": directed, "scaleFactor": 0.5}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": count > 200, "keyboard": False},
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": count <= 100},
        "physics": physics,
    }


def render_page(network: Network, analysis: Analysis, colour: str = "type", *, link_base: str | None = None,
                form: FilterForm | None = None) -> str:
    """The whole self-contained page of an analysed network, coloured first by `colour` (type, community or
    behind: the share of each node's tasks behind schedule as of their latest progress observation); nodes under
    `link_base` open their `/id/…` page when clicked; `form` adds the filter form (the served page)."""
    if colour not in COLOUR_MODES:
        raise NetworkError(f"--colour must be one of {', '.join(COLOUR_MODES)}, not {colour!r}")
    graph = network.graph
    title = f"协作网络：{GRAPH_TITLES[network.kind]} — {network.filters.describe()}"
    summary = [f"{graph.number_of_nodes()} 个节点", f"{graph.number_of_edges()} 条边",
               f"{len(analysis.communities)} 个社区"]
    if analysis.modularity is not None:
        summary.append(f"模块度 {analysis.modularity:.3f}")
    if analysis.alignment.nmi is not None:
        summary.append(f"社区与分管领导分工的一致性（NMI）{analysis.alignment.nmi:.3f}")
    if network.progress:
        behind, observed = behind_counts(network, list(network.tasks))
        summary.append(f"有进展通报的任务 {observed} 项，按最新通报滞后 {behind} 项")
    notes = "".join(f"<p class=note>{html.escape(note)}</p>" for note in network.notes)
    replacements = {
        "@@TITLE@@": html.escape(title),
        "@@SUMMARY@@": html.escape(" · ".join(summary)),
        "@@WEIGHT@@": html.escape(_weight_note(network.kind)),
        "@@NOTES@@": notes,
        "@@FORM@@": filter_form(form, network.filters, colour, network) if form else "",
        "@@VISCSS@@": vendored("css"),
        "@@VISJS@@": vendored("js"),
        "@@DATA@@": script_json(page_data(network, analysis, colour, link_base)),
    }
    # one pass, so that nothing put in (a name, the data) is ever scanned for markers again
    return re.sub(r"@@[A-Z]+@@", lambda match: replacements[match.group(0)], _TEMPLATE)


def _options_html(choices: Sequence[tuple[str, str]], chosen: str) -> str:
    return "".join(f'<option value="{html.escape(value)}"{" selected" if value == chosen else ""}>'
                   f"{html.escape(text)}</option>" for value, text in choices)


ROLE_CHOICES = (("both", "牵头和配合"), ("lead", "仅牵头"), ("cooperating", "仅配合"))


def filter_form(form: FilterForm, filters: Filters, colour: str, network: Network | None = None) -> str:
    """The plain GET form of the served page (works without JavaScript), showing the filters in force."""
    issuers = {task.issuer for task in network.tasks.values()} if network else set()
    chosen_issuer = next(iter(issuers)) if filters.issuer and len(issuers) == 1 else (filters.issuer or "")
    issuer_options = _options_html([("", "全部"), *((name, name) for name in form.issuers)], chosen_issuer)
    year_options = _options_html([("", "全部"), *((year, year) for year in form.years)], str(filters.year or ""))
    role_options = _options_html(ROLE_CHOICES, "both" if filters.role == "all" else filters.role)
    checked = " checked" if filters.hide_merged else ""
    fields = [
        f'<label>发文政府<select name="issuer">{issuer_options}</select></label>',
        f'<label>年份<select name="year">{year_options}</select></label>',
        f'<label>目标<input name="goal" value="{html.escape(filters.goal or "")}" '
        'placeholder="如 主要预期目标"></label>',
        f'<label>单位角色<select name="role">{role_options}</select></label>',
        f'<label>最少共同任务<input name="min" type="number" min="1" step="1" value="{filters.min_shared}"></label>',
        f'<label class="check"><input name="hide_merged" type="checkbox" value="1"{checked}>'
        "隐藏整节合并单元格中的单位</label>",
        f'<input type="hidden" name="colour" id="colour-field" value="{html.escape(colour)}">',
        *(f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
          for name, value in (("graph", network.kind if network else ""), ("groups", filters.groups)) if value),
        '<button type="submit">筛选</button>',
    ]
    note = f'<p class="hint">{html.escape(form.note)}</p>' if form.note else ""
    return f'<form id="filters" method="get" action="{html.escape(form.action)}">{"".join(fields)}</form>{note}'


def _weight_note(kind: str) -> str:
    return {
        "cooperation": "箭头由牵头单位指向配合单位；线宽 = 共同任务数；节点大小 = 参与任务数。",
        "coparticipation": "线宽 = 共同参与的任务数；权重按 Newman 方法（n 个单位的任务给每对单位 1/(n−1)）；"
                           "节点大小 = 参与任务数。",
        "leader": "线连接分管领导与其分管任务中的单位；线宽 = 任务数；节点大小 = 任务数。",
        "bipartite": "方块为任务，圆点为单位；节点大小 = 任务的单位数或单位的任务数。",
    }[kind]


def collaboration_page(backend: Backend, *, graph: str = "coparticipation", issuer: str | None = None,
                       year: int | str | None = None, goal: str | None = None, table: str | None = None,
                       role: str = "all", groups: str = "keep", colour: str = "type", min_shared: int = 1,
                       hide_merged: bool = False, link_base: str | None = None,
                       form: FilterForm | None = None) -> str:
    """The interactive page (whole HTML) of a selection; NetworkError when it is empty (UnknownNameError, with
    suggestions, when an issuer, year or goal is unknown)."""
    if colour not in COLOUR_MODES:
        raise NetworkError(f"--colour must be one of {', '.join(COLOUR_MODES)}, not {colour!r}")
    filters = Filters(issuer=issuer, year=year, goal=goal, table=table, role=role, groups=groups,
                      min_shared=min_shared, hide_merged=hide_merged).check()
    network = build_network(fetch(backend, filters), graph)
    return render_page(network, analyse(network), colour, link_base=link_base, form=form)


def write_page(path: str | Path, backend: Backend, **options: Any) -> Path:
    """Write the page of collaboration_page(backend, **options) to `path`; returns the path."""
    return save_page(path, collaboration_page(backend, **options))


def save_page(path: str | Path, page: str) -> Path:
    """Write a page atomically (its folder made if needed); returns the path."""
    path = Path(path)
    if path.parent != Path():
        path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_text(path) as stream:
        stream.write(page)
    return path


_TEMPLATE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="govkg network (vis-network 9.1.2, inlined)">
<title>@@TITLE@@</title>
<style>@@VISCSS@@</style>
<style>
*{box-sizing:border-box}
html,body{margin:0;height:100%;font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
  color:#212529;background:#fff}
body{display:flex;flex-direction:column}
header{padding:8px 14px;border-bottom:1px solid #dee2e6;background:#f8f9fa}
h1{font-size:18px;margin:0 0 4px}
header p{margin:2px 0;font-size:13px;color:#495057}
p.note{color:#c92a2a}
main{flex:1;display:flex;min-height:0}
#stage{flex:1;min-width:0;position:relative}#network{position:absolute;inset:0}
aside{width:300px;border-left:1px solid #dee2e6;padding:10px;overflow:auto;font-size:13px;background:#fff}
aside h2{font-size:14px;margin:12px 0 6px}
label{display:block;margin:6px 0 2px;color:#495057}
input,select,button{font:inherit;font-size:13px;width:100%;padding:3px 4px;border:1px solid #ced4da;border-radius:3px;
  background:#fff}
button{width:auto;cursor:pointer;margin-top:6px}
#matches{height:140px}
ul.legend{list-style:none;padding:0;margin:0}
ul.legend li{display:flex;align-items:center;gap:6px;margin:2px 0}
ul.legend span.swatch{display:inline-block;width:12px;height:12px;border-radius:50%;flex:none;border:1px solid #0002}
ul.legend span.count{color:#868e96;margin-left:auto}
#details dl{margin:0}#details dt{color:#868e96;margin-top:4px}#details dd{margin:0}
#details ol,.tip ol{margin:4px 0 0 18px;padding:0}
.tip{max-width:420px;white-space:normal;font-size:12px;line-height:1.45}
.tip b{display:block;font-size:13px;margin-bottom:2px}
.tip div.row span{color:#868e96}
#status{position:absolute;left:10px;top:8px;font-size:12px;color:#868e96;z-index:5}
#filters{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:flex-end;margin:6px 0 2px;font-size:13px}
#filters label{margin:0;display:flex;flex-direction:column}
#filters label.check{flex-direction:row;align-items:center;gap:4px}
#filters input,#filters select{width:auto;min-width:5em}#filters input[type=checkbox]{min-width:0}
#filters button{margin:0}
p.hint{font-size:12px;color:#868e96}
#details a{color:#1c7ed6}
@media (max-width:760px){
  html,body{height:auto}
  main{display:block}
  #stage{width:100%;height:70vh;min-height:320px}
  aside{width:auto;border-left:0;border-top:1px solid #dee2e6}
  h1{font-size:16px}
}
</style>
</head>
<body>
<header>
<h1>@@TITLE@@</h1>
<p>@@SUMMARY@@</p>
<p>@@WEIGHT@@ 点击节点可突出其相邻单位（在服务器上则打开该单位的页面），悬停可看任务；放大后显示更多名称。</p>
@@NOTES@@
@@FORM@@
</header>
<main>
<div id="stage"><div id="network"></div><div id="status">布局计算中…</div></div>
<aside>
<label for="search">搜索节点</label>
<input id="search" type="search" placeholder="输入名称，如 住建局" autocomplete="off">
<select id="matches" size="8" aria-label="匹配的节点"></select>
<label for="colour">节点颜色</label>
<select id="colour"><option value="type">按单位类型</option><option value="community">按社区</option>
<option value="behind">按滞后任务占比（最新通报）</option></select>
<button id="reset" type="button">取消突出显示</button>
<button id="png" type="button" title="把当前画面保存为 PNG 图片">PNG</button>
<h2>图例</h2>
<ul class="legend" id="legend"></ul>
<h2>所选节点</h2>
<div id="details">（未选择）</div>
</aside>
</main>
<script>@@VISJS@@</script>
<script>
"use strict";
(function () {
  const DATA = @@DATA@@;
  const byId = new Map(DATA.nodes.map(function (node) { return [node.id, node]; }));
  function el(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) { element.textContent = String(text); }
    if (className) { element.className = className; }
    return element;
  }
  function tipFor(heading, facts, refs, more) {
    const tasks = refs.map(function (ref) { return DATA.tasks[ref]; });
    if (more > 0) { tasks.push("… 另有 " + more + " 项任务"); }
    const box = el("div", null, "tip");
    box.appendChild(el("b", heading));
    facts.forEach(function (fact) {
      const row = el("div", null, "row");
      row.appendChild(el("span", fact[0] + "："));
      row.appendChild(document.createTextNode(fact[1]));
      box.appendChild(row);
    });
    if (tasks.length) {
      const list = el("ol");
      tasks.forEach(function (task) { list.appendChild(el("li", task)); });
      box.appendChild(list);
    }
    return box;
  }
  function nodeTip(id) {
    const node = byId.get(id);
    return tipFor(node.label, node.facts, node.tasks, node.more);
  }
  function edgeTip(edge) {
    return tipFor(edge.ends[0] + (DATA.options.edges.arrows.to.enabled ? " → " : " — ") + edge.ends[1],
                  edge.facts, edge.tasks, edge.more);
  }
  let mode = DATA.colour;
  document.getElementById("colour").value = mode;
  function colourOf(node) {
    if (mode === "community") {
      return DATA.communityColours[node.community - 1] || "#ced4da";
    }
    if (mode === "behind") {
      return node.behindColour;
    }
    return DATA.typeColours[node.unitType] || "#868e96";
  }
  // Labels: the TOP most central nodes at first, more as one zooms in, every one from 100 %; drawn at least
  // labelPixels high on screen (the font grows as the view shrinks).
  // A narrow canvas (a phone) starts with fewer labels: topLabels at 900 px wide and more, at least 5.
  let firstScale = null;
  let top = DATA.topLabels;
  function firstView() {
    firstScale = network.getScale();
    top = Math.max(5, Math.round(DATA.topLabels * Math.min(1, container.clientWidth / 900)));
  }
  function labelled(node, scale, near) {
    if (scale >= 1 || (near !== null && near.has(node.id))) { return true; }
    const zoomed = firstScale ? Math.max(1, scale / firstScale) : 1;
    return node.rank < top * zoomed * zoomed;
  }
  function fontSize(scale) {
    return Math.max(14, Math.min(14 * 8, DATA.labelPixels / Math.max(scale, 0.01)));
  }
  const nodes = new vis.DataSet(DATA.nodes.map(function (node) {
    return {id: node.id, label: node.rank < DATA.topLabels ? node.label : "", shape: node.shape, size: node.size,
            x: node.x, y: node.y, color: colourOf(node), title: nodeTip(node.id)};
  }));
  const edges = new vis.DataSet(DATA.edges.map(function (edge, index) {
    return {id: "e" + index, from: edge.from, to: edge.to, width: edge.width, title: edgeTip(edge)};
  }));
  const container = document.getElementById("network");
  const network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
  const status = document.getElementById("status");
  function ready() {
    if (window.govkgReady) { return; }
    if (!DATA.fixed) { network.setOptions({physics: {enabled: false}}); }
    network.fit();
    firstView();
    paint();
    status.textContent = "";
    window.govkgReady = true;
  }
  if (DATA.fixed) {
    network.once("afterDrawing", ready);
  } else {
    network.once("stabilizationIterationsDone", ready);
    network.once("stabilized", ready);
    network.on("stabilizationProgress", function (progress) {
      status.textContent = "布局计算中… " + Math.round(100 * progress.iterations / progress.total) + "%";
    });
  }

  let highlighted = null;
  function paint() {
    const near = highlighted === null ? null : new Set(network.getConnectedNodes(highlighted).concat([highlighted]));
    const scale = network.getScale();
    const size = fontSize(scale);
    nodes.update(DATA.nodes.map(function (node) {
      const dim = near !== null && !near.has(node.id);
      return {id: node.id, color: dim ? "rgba(206,212,218,0.35)" : colourOf(node),
              label: labelled(node, scale, near) ? node.label : "",
              font: {color: dim ? "rgba(134,142,150,0.35)" : "#212529", size: size}};
    }));
  }
  let pending = false;
  function repaintSoon() {
    if (pending || !window.govkgReady) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; paint(); });
  }
  network.on("zoom", repaintSoon);
  let refit = null;
  let refits = 0;  // drawings fitted to a resized canvas (a test waits for one before it clicks)
  network.on("resize", function () {  // a rotated phone, a resized window: fit the drawing to the new canvas
    if (!window.govkgReady) { return; }
    window.clearTimeout(refit);
    refit = window.setTimeout(function () {
      network.fit();
      firstView();
      paint();
      refits += 1;
    }, 100);
  });
  network.on("animationFinished", repaintSoon);
  function showDetails(id) {
    const box = document.getElementById("details");
    box.replaceChildren();
    if (id === null) { box.textContent = "（未选择）"; return; }
    const node = byId.get(id);
    box.appendChild(el("b", node.label));
    if (node.href) {
      const link = el("a", "打开单位页面 →");
      link.href = node.href;
      box.appendChild(el("br"));
      box.appendChild(link);
    }
    const facts = el("dl");
    node.facts.forEach(function (fact) { facts.appendChild(el("dt", fact[0])); facts.appendChild(el("dd", fact[1])); });
    box.appendChild(facts);
    const neighbours = network.getConnectedNodes(id).map(function (other) { return byId.get(other).label; }).sort();
    box.appendChild(el("p", "相邻节点（" + neighbours.length + "）：" + neighbours.join("、")));
    if (node.tasks.length) {
      const list = el("ol");
      node.tasks.forEach(function (ref) { list.appendChild(el("li", DATA.tasks[ref])); });
      if (node.more > 0) { list.appendChild(el("li", "… 另有 " + node.more + " 项任务")); }
      box.appendChild(list);
    }
  }
  function focus(id) {
    highlighted = id;
    network.selectNodes([id]);
    network.focus(id, {scale: 1.1, animation: {duration: 400}});
    paint();
    showDetails(id);
  }
  function clear() {
    highlighted = null;
    network.unselectAll();
    paint();
    showDetails(null);
  }
  network.on("click", function (event) {
    const target = event.nodes.length ? byId.get(event.nodes[0]) : null;
    if (target && target.href) {  // served: a click opens the unit's page
      window.location.assign(target.href);
    } else if (event.nodes.length) {
      highlighted = event.nodes[0];
      paint();
      showDetails(highlighted);
    } else if (!event.edges.length) {
      clear();
    }
  });

  const search = document.getElementById("search");
  const matches = document.getElementById("matches");
  const sorted = DATA.nodes.slice().sort(function (a, b) { return a.label.localeCompare(b.label, "zh"); });
  function listMatches() {
    const text = search.value.trim().toLowerCase();
    matches.replaceChildren();
    sorted.filter(function (node) { return !text || node.label.toLowerCase().indexOf(text) >= 0; })
      .forEach(function (node) {
        const option = document.createElement("option");
        option.value = node.id;
        option.textContent = node.label;
        matches.appendChild(option);
      });
  }
  search.addEventListener("input", listMatches);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && matches.options.length) { focus(matches.options[0].value); }
  });
  matches.addEventListener("change", function () { if (matches.value) { focus(matches.value); } });
  document.getElementById("reset").addEventListener("click", clear);

  const legend = document.getElementById("legend");
  function drawLegend() {
    legend.replaceChildren();
    DATA.legend[mode].forEach(function (entry) {
      const item = el("li");
      const swatch = el("span", null, "swatch");
      swatch.style.background = entry[0];
      item.appendChild(swatch);
      item.appendChild(el("span", entry[1]));
      item.appendChild(el("span", entry[2], "count"));
      legend.appendChild(item);
    });
    if (mode === "behind") {
      legend.appendChild(el("li", "颜色 = 滞后任务占有进展通报任务的比例（各任务按最新一次通报；中性灰色：无通报）"));
    }
    if (mode === "community" && DATA.smallCommunities > 0) {
      const item = el("li");
      const swatch = el("span", null, "swatch");
      swatch.style.background = "#ced4da";
      item.appendChild(swatch);
      item.appendChild(el("span", "其余 " + DATA.smallCommunities + " 个较小社区"));
      legend.appendChild(item);
    }
  }
  document.getElementById("png").addEventListener("click", function () {
    const canvas = container.querySelector("canvas");
    const copy = document.createElement("canvas");
    copy.width = canvas.width;
    copy.height = canvas.height;
    const context = copy.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, copy.width, copy.height);
    context.drawImage(canvas, 0, 0);
    const link = document.createElement("a");
    link.href = copy.toDataURL("image/png");
    link.download = "network.png";
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
  document.getElementById("colour").addEventListener("change", function (event) {
    mode = event.target.value;
    const field = document.getElementById("colour-field");
    if (field) { field.value = mode; }
    paint();
    drawLegend();
  });
  listMatches();
  drawLegend();
  window.govkg = {network: network, nodes: nodes, edges: edges, nodeTip: nodeTip, focus: focus, clear: clear,
                  data: DATA, refits: function () { return refits; }};
})();
</script>
</body>
</html>
"""
