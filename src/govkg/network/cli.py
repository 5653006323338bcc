"""`govkg network report | html | export`: the collaboration networks on the command line.

Registered in the `govkg` command by govkg.cli with `add_network_commands(commands)`; also runnable on its own as
`python -m govkg.network …`. Errors are NetworkError (a QueryError), which `govkg` prints as one line, exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..query import open_backend
from ..query.catalog import QueryError
from .data import GROUP_MODES, MAX_PLANS, ROLE_ALIASES, ROLES, TABLES, Filters, NetworkError, fetch
from .options import COLOUR_MODES, EXPORT_FORMATS, GRAPH_KINDS, TABLE_FORMATS

if TYPE_CHECKING:
    from .graphs import Network

# The actions import the graph modules when they run: networkx would add 0.16 s to the start of every command.

_FILTER_HELP = """\
filters (all optional, combined with AND):
  --issuer 钟楼区        one issuing government (name, alias or division code)
  --year 2021           one report year
  --goal 主要预期目标     tasks under this goal or its sub-goals
  --table main          main (附件1 目标任务) or livelihood (民生实事)
  --role lead           lead units only, cooperating units only, or all / both (default)
  --min-shared 2        only pairs of units sharing at least 2 tasks (units left alone are dropped)
  --hide-merged         leave out units a merged cell names on every task of a goal section
  --groups expand       groups such as 各街道: keep as nodes (default), expand to members, or drop

graphs (--graph):
  coparticipation  units named on the same task, Newman-weighted (default)
  cooperation      lead unit → cooperating unit, directed, weight = shared tasks
  leader           leader in charge – unit, weight = tasks
  bipartite        task – unit

Source: the build in out/ (--store DIR for another) or a SPARQL endpoint (--endpoint URL).
Exit status: 0 written, 2 no store, bad filter or nothing selected (a one-line message, nothing written).
Measures and definitions: docs/network.md.
"""

_REPORT_EXAMPLES = """\
examples:
  govkg network report --out out/network-report
  govkg network report --issuer 钟楼区 --year 2021 --graph cooperation --out report-2021/
  govkg network report --groups expand --table main --out report/ --endpoint http://127.0.0.1:7878/query
  govkg network report --format xlsx --out report/    the tables as Excel workbooks

Writes nodes.csv (every measure per node), edges.csv, communities.csv (with the dominant leader, purity
and coverage of each community), summary.md and summary.html (top units, brokers, pairs, communities).
CSV is UTF-8 with a byte-order mark (for Excel) unless --no-bom; --format xlsx writes nodes.xlsx, edges.xlsx
and communities.xlsx instead.

""" + _FILTER_HELP

_HTML_EXAMPLES = """\
examples:
  govkg network html --out out/network.html
  govkg network html --issuer 钟楼区 --year 2021 --graph cooperation --out zhonglou-2021.html
  govkg network html --groups expand --store kg/ --out kg/network.html
  govkg network html --colour behind --issuer 钟楼区 --out behind.html
  govkg network html --issuer 钟楼区 --year 2022 --role both --min-shared 2 --hide-merged --out zl-2022.html

The page works offline: vis-network is inlined, nothing is loaded from another host. Colour by unit type,
community or schedule (--colour behind: the share of a unit's tasks behind schedule, each task by its latest
progress report; units with no reported task in neutral grey), with a legend; size by workload, edge width by
shared tasks, tooltips listing the tasks, search box, neighbourhood highlight. Above 300 nodes the layout is
computed in Python and physics is off.

""" + _FILTER_HELP

_EXPORT_EXAMPLES = """\
examples:
  govkg network export --out out/network              coparticipation.gexf, .graphml, .json
  govkg network export --graph cooperation --format gexf --out gephi/
  govkg network export --issuer 武进区 --format graphml --out cytoscape/

Every measure (strength, betweenness, constraint, effective size, community …) is a node attribute; GEXF for
Gephi, GraphML for Cytoscape/yEd, node-link JSON (networkx) for programs. Lists (task IRIs) are space-separated.

""" + _FILTER_HELP


def _add_filters(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters")
    group.add_argument("--issuer", help="issuing government (name, alias or code), e.g. 钟楼区")
    group.add_argument("--year", type=int, help="report year, e.g. 2021")
    group.add_argument("--goal", help="goal name; its sub-goals are included")
    group.add_argument("--table", choices=TABLES, help="main (附件1) or livelihood (民生实事)")
    group.add_argument("--role", choices=(*ROLES, *ROLE_ALIASES), default="all",
                       help="which units take part: lead, cooperating, or all = both (default)")
    group.add_argument("--min-shared", type=int, default=1, metavar="N",
                       help="keep only pairs of units sharing at least N tasks, and units with such a pair")
    group.add_argument("--hide-merged", action="store_true",
                       help="leave out units named on every task of a goal section by one merged cell "
                            "(docs/network.md)")
    group.add_argument("--max-plans", type=int, default=MAX_PLANS, metavar="N",
                       help=f"without --issuer, refuse a selection of more than N plans (default: {MAX_PLANS}; "
                            "a whole country's network is unreadable and takes minutes)")
    group.add_argument("--groups", choices=GROUP_MODES, default="keep",
                       help="groups such as 各街道: keep as nodes, expand to members, drop (default: keep)")
    group.add_argument("--graph", choices=GRAPH_KINDS, default="coparticipation",
                       help="which graph (default: coparticipation)")
    source = parser.add_argument_group("source")
    where = source.add_mutually_exclusive_group()
    where.add_argument("--store", metavar="DIR", help="build folder (or store folder) to read (default: out)")
    where.add_argument("--endpoint", metavar="URL", help="SPARQL 1.1 query endpoint to read instead")
    source.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a remote answer")
    source.add_argument("--user", help="user name for HTTP basic authentication")
    source.add_argument("--password", help="password for HTTP basic authentication")
    source.add_argument("--token", help="bearer token for HTTP authentication")
    source.add_argument("--union-default-graph", action="store_true",
                        help="the endpoint's default graph already is the union of its graphs")


def _subcommand(commands: argparse._SubParsersAction, name: str, summary: str, examples: str,
                out_help: str) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".",
                                 epilog=examples, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, metavar="DIR" if "folder" in out_help else "FILE", help=out_help)
    return parser


def add_network_commands(commands: argparse._SubParsersAction) -> None:
    """Add `network` with its actions report, html and export to the subcommands of a parser."""
    parser = commands.add_parser(
        "network", help="collaboration networks: measures report, offline interactive page, GEXF/GraphML/JSON",
        description="How departments work together, from the graph: who leads whom, which units are brokers, "
                    "which clusters form and how they line up with the leaders' portfolios.",
        epilog="examples:\n  govkg network html --out out/network.html\n"
               "  govkg network report --issuer 钟楼区 --year 2021 --out report/\n"
               "  govkg network export --graph cooperation --out gephi/\n\n"
               "Run `govkg network ACTION --help` for the filters and options.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_actions(parser)


def _add_actions(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="network_action", metavar="ACTION", required=True)
    report = _subcommand(actions, "report", "write CSV tables of the measures and a readable summary",
                         _REPORT_EXAMPLES, "output folder for the CSV tables and summary.md / summary.html")
    report.add_argument("--format", choices=TABLE_FORMATS, default="csv",
                        help="tables as CSV (default; UTF-8 with a byte-order mark for Excel) or Excel workbooks")
    report.add_argument("--no-bom", action="store_true", help="CSV without the UTF-8 byte-order mark")
    _add_filters(report)
    report.set_defaults(func=run_report)
    page = _subcommand(actions, "html", "write the interactive network page (works offline)",
                       _HTML_EXAMPLES, "the HTML file to write")
    page.add_argument("--colour", "--color", dest="colour", choices=COLOUR_MODES, default="type",
                      help="node colours shown first (the page can switch): unit type (default), community, or "
                           "behind: share of the unit's tasks behind schedule by their latest progress report")
    _add_filters(page)
    page.set_defaults(func=run_html)
    export = _subcommand(actions, "export", "write the graph as GEXF, GraphML and/or node-link JSON",
                         _EXPORT_EXAMPLES, "output folder for the files")
    export.add_argument("--format", choices=(*EXPORT_FORMATS, "all"), default="all",
                        help="file format (default: all three)")
    _add_filters(export)
    export.set_defaults(func=run_export)


def _network(args: argparse.Namespace) -> Network:
    from .graphs import build_network

    if args.endpoint:
        backend = open_backend(endpoint=args.endpoint, timeout=args.timeout, user=args.user,
                               password=args.password, token=args.token, union_default_graph=args.union_default_graph)
    else:
        backend = open_backend(args.store)
    filters = Filters(issuer=args.issuer, year=args.year, goal=args.goal, table=args.table, role=args.role,
                      groups=args.groups, min_shared=args.min_shared, hide_merged=args.hide_merged,
                      max_plans=args.max_plans).check()
    return build_network(fetch(backend, filters), args.graph)


def _describe(network: Network) -> str:
    graph = network.graph
    return f"{network.kind} graph, {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"


def _out_folder(value: str) -> Path:
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise NetworkError(f"--out {value}: exists and is not a folder")
    return path


def run_report(args: argparse.Namespace) -> int:
    """`govkg network report`: CSV tables and summary.md / summary.html."""
    from .measures import analyse
    from .report import write_report

    folder = _out_folder(args.out)
    network = _network(args)
    analysis = analyse(network)
    try:
        written = write_report(network, analysis, folder, table_format=args.format, bom=not args.no_bom)
    except OSError as exc:
        raise NetworkError(f"cannot write into {folder}: {exc.strerror or exc}") from None
    print(f"{_describe(network)}; {len(analysis.communities)} communities")
    for path in written:
        print(f"wrote {path}")
    return 0


def run_html(args: argparse.Namespace) -> int:
    """`govkg network html`: the interactive page."""
    from .measures import analyse
    from .page import render_page, save_page

    path = Path(args.out)
    if path.is_dir():
        raise NetworkError(f"--out {args.out}: is a folder; give the HTML file to write, e.g. {path / 'network.html'}")
    network = _network(args)
    page = render_page(network, analyse(network), args.colour)
    try:
        save_page(path, page)
    except OSError as exc:
        raise NetworkError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"{_describe(network)}")
    print(f"wrote {path} ({len(page.encode('utf-8')) // 1024} KB); open it in a browser: file://{path.resolve()}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """`govkg network export`: GEXF, GraphML, node-link JSON."""
    from .exports import write_exports
    from .measures import analyse

    folder = _out_folder(args.out)
    network = _network(args)
    analyse(network)
    formats = EXPORT_FORMATS if args.format == "all" else (args.format,)
    try:
        written = write_exports(network, folder, formats)
    except OSError as exc:
        raise NetworkError(f"cannot write into {folder}: {exc.strerror or exc}") from None
    print(_describe(network))
    for path in written:
        print(f"wrote {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run `govkg network ACTION …` on its own (python -m govkg.network ACTION …); returns the exit status."""
    parser = argparse.ArgumentParser(prog="govkg network", description="Collaboration networks of the govkg graph.")
    _add_actions(parser)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except QueryError as exc:
        print(f"govkg: error: {exc}", file=sys.stderr)
        return 2
