"""network: collaboration networks of units (networkx), their measures, reports, exports and offline pages.

    >>> from govkg.query import open_backend
    >>> from govkg.network import Filters, fetch, build_network, analyse
    >>> network = build_network(fetch(open_backend("out"), Filters(issuer="钟楼区", year=2021)), "cooperation")
    >>> analysis = analyse(network)                  # doctest: +SKIP

See docs/network.md for the graphs, the measures' definitions and the commands.
"""

from __future__ import annotations

from .data import Filters, NetworkData, NetworkError, fetch
from .exports import EXPORT_FORMATS, export_graph, read_export, write_exports
from .graphs import GRAPH_KINDS, Network, build_network
from .measures import LOUVAIN_SEED, Alignment, Analysis, analyse, nmi, portfolio_alignment
from .page import collaboration_page, render_page, write_page
from .report import write_report

__all__ = [
    "EXPORT_FORMATS",
    "GRAPH_KINDS",
    "LOUVAIN_SEED",
    "Alignment",
    "Analysis",
    "Filters",
    "Network",
    "NetworkData",
    "NetworkError",
    "analyse",
    "build_network",
    "collaboration_page",
    "export_graph",
    "fetch",
    "nmi",
    "portfolio_alignment",
    "read_export",
    "render_page",
    "write_exports",
    "write_page",
    "write_report",
]
