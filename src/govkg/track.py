"""Following commitments over time: a unit's (or an issuer's) tasks with their latest reported status and what the
next plan made of them — kept, renamed, handed to another unit or dropped.

Everything comes from the graph through the queries of queries/tracking/ (the links graph's gw:reportsOn and
gw:continues, the progress observations, the lexicon's renames); values are bound as RDF terms, never pasted.
`govkg track` (cli.py) is a thin layer over :func:`track` and :func:`write`.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Protocol

from rdflib import URIRef

from .fileio import atomic_text
from .lexicon import Lexicon, load_lexicon
from .query.backends import Results, Value
from .query.bind import bind, bind_rows, terms_for
from .query.catalog import NamedQuery, QueryError, parse_query
from .query.results import as_dicts, csv_text, render, write_csv_rows, write_workbook
from .resources import resource_dir

FORMATS = ("table", "csv", "xlsx")
#: IRIs (tasks, unit nodes) bound per query: its VALUES clause in 10 parts of 9 rows (`bind_rows`). A query of 400
#: tasks in parts took 69 ms at 25,000 documents, of 90 tasks 14 ms: the parts of a longer text cost more each.
CHUNK = 90
KEPT, RENAMED, HANDED, DROPPED = "kept", "renamed", "handed", "dropped"


class Backend(Protocol):
    """Anything that runs SPARQL and gives Results (EmbeddedStore, RemoteEndpoint)."""

    def run(self, text: str) -> Results:
        """Run a query."""
        ...


@dataclass(frozen=True)
class TrackRow:
    """One task followed over time.

    `role` is the unit's role on the task (lead, cooperating) when a unit was asked for, the task's lead units
    otherwise. `fate` is what the issuer's next plan made of the task: "kept" (a continuing task names the unit —
    or, for an issuer, one of the task's units — again), "renamed" (it names only the unit's new name), "handed to
    …" (it names neither; its lead units follow), "dropped" (no task continues it), or "" (no later plan of the
    issuer in the data, or a row of a progress report, which no plan continues). `successor` lists the printed
    numbers of the continuing tasks.
    """

    issuer: str
    year: str
    number: str
    statement: str
    role: str
    status: str
    status_printed: str
    report_date: str
    fate: str
    successor: str
    task: str


#: Column headers, in order, for the unit view and the issuer view (the fifth column differs).
UNIT_COLUMNS = ("issuer", "year", "number", "statement", "role", "status", "statusPrinted", "reportDate", "fate",
                "successor", "task")
ISSUER_COLUMNS = (*UNIT_COLUMNS[:4], "leadUnits", *UNIT_COLUMNS[5:])


@dataclass
class Tracking:
    """The answer of :func:`track`: the rows and the view they were asked for (a unit's, or an issuer's)."""

    rows: list[TrackRow]
    by_unit: bool
    units: list[str] = field(default_factory=list)

    @property
    def columns(self) -> tuple[str, ...]:
        """The column headers of this view."""
        return UNIT_COLUMNS if self.by_unit else ISSUER_COLUMNS

    def cells(self) -> list[list[str]]:
        """The rows as lists of strings, in column order."""
        return [[row.issuer, row.year, row.number, row.statement, row.role, row.status, row.status_printed,
                 row.report_date, row.fate, row.successor, row.task] for row in self.rows]


@lru_cache(maxsize=8)
def _query(name: str) -> NamedQuery:
    return parse_query(resource_dir("queries") / "tracking" / f"{name}.rq")


def _ask(backend: Backend, name: str, params: dict[str, Any], lex: Lexicon) -> list[dict[str, Any]]:
    named = _query(name)
    return as_dicts(backend.run(bind(named, params, lex)))


def _ask_rows(backend: Backend, query: NamedQuery, variables: list[str], rows: Sequence[Sequence[Any]],
              *, say: Callable[[str], None], what: str, jobs: int = 1) -> list[dict[str, Any]]:
    """A query bound to rows of terms (`bind_rows`), CHUNK rows a query, up to `jobs` queries at once (threads: a
    store answers them side by side), its answers in the order of the chunks; each query answered is said as a
    step of `what`: "[2/564] details of tasks: 180 of 50729"."""
    found: list[dict[str, Any]] = []
    starts = range(0, len(rows), CHUNK)
    with ThreadPoolExecutor(max(1, jobs), thread_name_prefix="govkg-track") as pool:
        asked = [pool.submit(lambda at: as_dicts(backend.run(bind_rows(query, variables, rows[at:at + CHUNK]))),
                             start) for start in starts]
        try:
            for number, (start, answer) in enumerate(zip(starts, asked, strict=True), start=1):
                found += answer.result()
                say(f"[{number}/{len(starts)}] {what}: {min(start + CHUNK, len(rows))} of {len(rows)}")
        finally:  # an error or Ctrl-C: the queries not started are not asked
            for answer in asked:
                answer.cancel()
    return found


@dataclass
class _Task:
    iri: str
    gov: str
    issuer: str
    year: str
    table: int
    row: int
    number: str
    text: str
    in_report: bool
    roles: set[str] = field(default_factory=set)
    subjects: set[str] = field(default_factory=set)  # the units whose fate is followed
    leads: dict[str, str] = field(default_factory=dict)  # lead unit IRI → name
    coops: dict[str, str] = field(default_factory=dict)


@dataclass
class _Next:
    number: str
    table: int
    row: int
    leads: dict[str, str] = field(default_factory=dict)
    coops: dict[str, str] = field(default_factory=dict)


def _task(row: dict[str, Any]) -> _Task:
    return _Task(iri=row["task"], gov=row["gov"], issuer=row["issuer"], year=row["year"] or "",
                 table=int(row["table"]), row=int(row["row"]), number=row["number"] or "", text=row["text"],
                 in_report=bool(row["inReport"]))


def track(backend: Backend, *, unit: str | None = None, issuer: str | None = None, year: int | str | None = None,
          lex: Lexicon | None = None, progress: Callable[[str], None] | None = None, jobs: int = 1) -> Tracking:
    """The tasks of a unit (every one it leads or cooperates on) or, without a unit, of an issuer (those with a
    progress observation or a link to another year's task), each with its latest status and its fate in the
    issuer's next plan. `progress` is told each query of the unit's nodes and of the tasks' details as a step
    (a unit followed in every issuer of a national build asks hundreds, `jobs` of them at once).

    Raises QueryError for a unit (or issuer) the store does not know, naming it.
    """
    lex = lex or load_lexicon()
    say = progress or (lambda message: None)
    if not unit and not issuer:
        raise QueryError("govkg track needs --unit or --issuer (or both)")
    params: dict[str, Any] = {"issuer": issuer, "year": str(year) if year else None}
    units: list[str] = []
    if unit:
        known = _ask(backend, "unit", {"unit": unit, "issuer": issuer}, lex)
        if not known:
            where = f" of {issuer}" if issuer else ""
            raise QueryError(f"unknown unit {unit!r}{where}: no unit of that name or spelling is in the store")
        units = sorted({row["unit"] for row in known})
        # from the unit nodes just found, not the name again: see unit-tasks.rq
        query = _query("unit-tasks")
        year_param = next(param for param in query.params if param.name == "year")
        year_term = terms_for(year_param, str(year), issuer=None, lex=lex)[0] if year else None
        rows = [(URIRef(node), year_term) for node in sorted({row["unitNode"] for row in known})]
        tasks = _tasks(_ask_rows(backend, query, ["p_unitNode", "p_year"], rows, say=say,
                                 what="tasks of unit nodes", jobs=jobs),
                       by_unit=True)
    else:
        tasks = _tasks(_ask(backend, "issuer-tasks", params, lex), by_unit=False)
    context = _ask(backend, "context", {"issuer": issuer}, lex)
    plan_years: dict[str, set[int]] = defaultdict(set)
    renames: dict[str, set[str]] = defaultdict(set)
    for row in context:
        if row["kind"] == "plan":
            plan_years[row["gov"]].add(int(row["year"]))
        else:
            renames[row["unitNode"]].add(row["newUnit"])
    if issuer and not plan_years:
        raise QueryError(f"unknown issuer {issuer!r}: no plan of that issuer is in the store")
    latest, successors = _details(_ask_rows(backend, _query("details"), ["p_task"], [(URIRef(t),) for t in tasks],
                                            say=say, what="details of tasks", jobs=jobs))
    out = []
    for task in sorted(tasks.values(), key=lambda t: (t.issuer, t.year, t.in_report, t.table, t.row, t.iri)):
        status = latest.get(task.iri, {})
        following = sorted(successors.get(task.iri, {}).values(), key=lambda n: (n.table, n.row))
        role = "、".join(sorted(task.roles, key=("lead", "cooperating").index)) if unit else \
            "、".join(sorted(set(task.leads.values())))
        out.append(TrackRow(
            issuer=task.issuer, year=task.year, number=task.number, statement=task.text, role=role,
            status=status.get("status") or "", status_printed=status.get("statusPrinted") or "",
            report_date=status.get("reportDate") or "",
            fate=_fate(task, following, renames, plan_years),
            successor=" ".join(n.number for n in following), task=task.iri))
    return Tracking(out, by_unit=bool(unit), units=units)


def _tasks(rows: list[dict[str, Any]], *, by_unit: bool) -> dict[str, _Task]:
    """The tasks of unit-tasks.rq (a row per role) or issuer-tasks.rq (a row per unit named), by IRI."""
    tasks: dict[str, _Task] = {}
    for row in rows:
        task = tasks.setdefault(row["task"], _task(row))
        if by_unit:
            task.roles.add(row["role"])
            task.subjects.add(row["unitNode"])
        elif row.get("unitNode"):
            (task.leads if row["role"] == "lead" else task.coops)[row["unitNode"]] = row["unit"]
    if not by_unit:  # an issuer's task is followed through its lead units (its other units if it has none)
        for task in tasks.values():
            task.subjects = set(task.leads or task.coops)
    return tasks


def _details(rows: list[dict[str, Any]]) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, _Next]]]:
    """The latest observation of each task (greatest report date; one without a date is the oldest) and the tasks
    continuing it, from the rows of details.rq."""
    latest: dict[str, dict[str, Any]] = {}
    successors: dict[str, dict[str, _Next]] = defaultdict(dict)
    for row in rows:
        if row["kind"] == "observation":
            best = latest.get(row["task"])
            if best is None or (row["reportDate"] or "", row["observation"]) > \
                    (best["reportDate"] or "", best["observation"]):
                latest[row["task"]] = row
            continue
        number = row["nextNumber"] or row["next"].rsplit("/", 1)[-1]
        following = successors[row["task"]].setdefault(
            row["next"], _Next(number, int(row["nextTable"]), int(row["nextRow"])))
        if row.get("unitNode"):
            (following.leads if row["role"] == "lead" else following.coops)[row["unitNode"]] = row["unit"]
    return latest, successors


def _renamed(units: Iterable[str], renames: dict[str, set[str]]) -> set[str]:
    """The units these became through renames and mergers, followed to the end (not the units themselves)."""
    found: set[str] = set()
    todo = [new for unit in units for new in renames.get(unit, ())]
    while todo:
        unit = todo.pop()
        if unit not in found:
            found.add(unit)
            todo += renames.get(unit, ())
    return found


def _fate(task: _Task, following: list[_Next], renames: dict[str, set[str]], plan_years: dict[str, set[int]]) -> str:
    if not following:
        later = task.year.isdigit() and any(year > int(task.year) for year in plan_years.get(task.gov, ()))
        return DROPPED if later and not task.in_report else ""
    named = [set(n.leads) | set(n.coops) for n in following]
    if not task.subjects or any(task.subjects & units for units in named):
        return KEPT
    new_names = _renamed(task.subjects, renames)
    if any(new_names & units for units in named):
        return RENAMED
    leads = sorted({name for n in following for name in n.leads.values()})
    return f"{HANDED} to {'、'.join(leads)}" if leads else HANDED


# --- output ------------------------------------------------------------------------------------------------------


def as_results(tracking: Tracking) -> Results:
    """The rows as query Results (for the table renderer)."""
    columns = list(tracking.columns)
    rows = [{name: Value("iri" if name == "task" else "literal", cell)
             for name, cell in zip(columns, cells, strict=True) if cell}
            for cells in tracking.cells()]
    return Results(variables=columns, rows=rows)


def to_csv(tracking: Tracking, stream: IO[str]) -> None:
    """CSV with a header row (the caller decides on the BOM)."""
    write_csv_rows(stream, tracking.columns, tracking.cells())


#: Column widths of the workbook (in characters); the others are 10 wide.
_WIDTHS = {"issuer": 16, "statement": 60, "role": 14, "leadUnits": 24, "statusPrinted": 12, "reportDate": 12,
           "fate": 24, "task": 50}


def to_xlsx(tracking: Tracking, path: str | Path) -> None:
    """An Excel workbook with one sheet (years as numbers, statements wrapped), written all-or-nothing."""
    rows = ([int(cell) if name == "year" and cell.isdigit() else cell
             for name, cell in zip(tracking.columns, cells, strict=True)] for cells in tracking.cells())
    write_workbook(path, tracking.columns, rows, title="track",
                   widths={name: _WIDTHS.get(name, 10) for name in tracking.columns}, wrap=("statement",))


def write(tracking: Tracking, fmt: str, output: str | Path | None = None, *, bom: bool = True,
          base: str | None = None, stdout: IO[str] | None = None) -> None:
    """Write the rows as a table (task IRIs shortened to id:… under `base`), CSV (UTF-8, with a byte-order mark
    unless `bom` is false) or XLSX (needs a file)."""
    if fmt not in FORMATS:
        raise QueryError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "xlsx":
        if not output:
            raise QueryError("--format xlsx writes a file: give it with -o FILE.xlsx")
        to_xlsx(tracking, output)
        return
    if fmt == "csv":
        text = csv_text(tracking.columns, tracking.cells(), bom=bom)
    else:
        text = render(as_results(tracking), "table", base=base)
    if output:
        with atomic_text(output) as stream:
            stream.write(text)
    else:
        (stdout or sys.stdout).write(text)

