"""The choices the network commands and pages offer (graphs, colours, file formats), kept apart from the graph
library so that registering the commands costs nothing at the start of every `govkg` command."""

from __future__ import annotations

#: The graphs one can draw of the tasks' units (graphs.build_network makes each).
GRAPH_KINDS = ("cooperation", "coparticipation", "leader", "bipartite")
#: What colours a page's nodes: their type, their community, or how far behind their tasks are.
COLOUR_MODES = ("type", "community", "behind")
#: File formats of `govkg network export`.
EXPORT_FORMATS = ("gexf", "graphml", "json")
#: Table formats of the report: CSV (UTF-8, with a byte-order mark unless asked not to) or Excel workbooks.
TABLE_FORMATS = ("csv", "xlsx")
