"""A progress report read from an original, made from a sample for the graph tests (the reader does not yet give
progress fields for real documents).

Sample 000 (钟楼区 2021, tab-cell text) is copied as if read from an .xlsx table: every line of a task gets a place
(sheet 附件1, table 1, row = the task's row + 1 for the header, column by field), the empty 配合单位 cells of (26)
and (41) are true merged cells (`merged`, not `inherited`), and five tasks print a deadline, progress and status.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import pyoxigraph
from rdflib import Graph

import govkg
from govkg.lexicon import load_lexicon
from govkg.model import Document, FieldSource, Location, Task
from govkg.query import EmbeddedStore
from govkg.rdf import Minter, document_graph, graph_nquads, shared_graph
from govkg.rdf.mentions import mentions

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
MINTER = Minter()
ENDED_AT = datetime(2021, 7, 16, tzinfo=timezone.utc)

SHEET = "附件1"
#: Column of each field in the made-up .xlsx table.
COLUMNS = {"text": 2, "leaders": 3, "lead_units": 4, "coop_units": 5}
#: Task number → (deadline, progress, status) as printed.
PRINTED = {
    "26": ("2021年6月底前", "已完成方案制定。", "是"),
    "27": ("12月底", "完成年度目标的60%。", "部分滞后"),
    "28": ("2021年", "已完成", None),
    "41": ("长期坚持", None, "办结"),
    "42": ("全年", "按计划推进中。", "较好"),
}
#: Tasks whose 配合单位 an original's merged cell gives.
MERGED = {"26": "coop_units", "41": "coop_units"}
REPORT_DATE = "2021-07-15"


def _places(tasks: list[Task]) -> dict[int, Location]:
    """Each task line's place: its row, and the column of the field printed on it (the statement's otherwise)."""
    places: dict[int, Location] = {}
    for task in tasks:
        record = task.record
        row = record.row_no + 1
        for line in range(record.span.first, record.span.last + 1):
            places[line] = Location(sheet=SHEET, table=1, row=row, column=1)
        for field, column in COLUMNS.items():
            source = record.sources.get(field)
            if source and source.span and not source.inherited:
                for line in range(source.span.first, source.span.last + 1):
                    places[line] = Location(sheet=SHEET, table=1, row=row, column=column)
    return places


def _task(task: Task) -> Task:
    record = task.record
    number = record.task_no if record.table == "main" else None
    sources = dict(record.sources)
    if number in MERGED:
        field = MERGED[number]
        sources[field] = FieldSource(sources[field].span, inherited=False, merged=True)
    deadline, progress, status = PRINTED.get(number, (None, None, None))
    return replace(task, record=replace(record, sources=sources, deadline=deadline, progress=progress,
                                        status=status))


def progress_report(sample: Document, *, report_date: str | None = REPORT_DATE, issued: str | None = None) -> Document:
    """Sample 000 as an .xlsx progress report (see the module docstring); the sample itself is left unchanged."""
    tasks = [_task(task) for task in sample.tasks]
    sha = hashlib.sha256(f"progress report of {sample.sha256}".encode()).hexdigest()
    return replace(sample, file="000_progress.xlsx", sha256=sha, format="xlsx", layout="grid", tasks=tasks,
                   locations=_places(sample.tasks), report_date=report_date, issued=issued)


@lru_cache(maxsize=1)
def sample_000() -> Document:
    """Sample 000 as extracted (read once; treat as read-only)."""
    (path,) = SAMPLES.glob("000_*.txt")
    return govkg.extract_document(path)


def build_graphs(document: Document) -> tuple[Graph, Graph]:
    """The document graph (plan key 2021) and the lexicon graph of the names it mentions."""
    lex = load_lexicon()
    documents = document_graph(document, "2021", MINTER, lex, ENDED_AT)
    lexicon = shared_graph([document.issuer], {"320404": mentions(document, lex)}, MINTER, lex)
    return documents, lexicon


class MemoryStore(EmbeddedStore):
    """The named queries' backend over an in-memory Oxigraph store holding the graphs of one document."""

    def __init__(self, document: Document) -> None:
        self.location = Path(":memory:")
        self.store = pyoxigraph.Store()
        graphs = zip(build_graphs(document), (MINTER.plan_graph("320404", "2021"), MINTER.lexicon_graph()),
                     strict=True)
        for graph, name in graphs:
            self.store.load("\n".join(graph_nquads(graph, name)).encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
