"""network: collaboration networks of units (networkx), their measures, reports, exports and offline pages.

    >>> from govkg.query import open_backend
    >>> from govkg.network import Filters, fetch, build_network, analyse
    >>> network = build_network(fetch(open_backend("out"), Filters(issuer="钟楼区", year=2021)), "cooperation")
    >>> analysis = analyse(network)                  # doctest: +SKIP

See docs/network.md for the graphs, the measures' definitions and the commands.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Each public name and the module defining it. They are imported on first use (PEP 562), so that the commands
#: which only register the network actions do not load networkx (0.16 s of every `govkg` start).
_DEFINED_IN = {
    "Filters": "data", "NetworkData": "data", "NetworkError": "data", "fetch": "data",
    "EXPORT_FORMATS": "options", "GRAPH_KINDS": "options",
    "export_graph": "exports", "read_export": "exports", "write_exports": "exports",
    "Network": "graphs", "build_network": "graphs",
    "LOUVAIN_SEED": "measures", "Alignment": "measures", "Analysis": "measures", "analyse": "measures",
    "nmi": "measures", "portfolio_alignment": "measures",
    "collaboration_page": "page", "render_page": "page", "write_page": "page",
    "write_report": "report",
}


def __getattr__(name: str) -> Any:
    """A public name of the package, imported from its module on first use."""
    module = _DEFINED_IN.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The package's names, the lazily imported ones included."""
    return sorted(set(globals()) | set(_DEFINED_IN))


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
