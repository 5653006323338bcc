"""Shared types of the govkg pipeline: what each stage hands to the next.

read (format readers) → :class:`Source` (lines and grids); recognisers → :class:`Sheet` (tables of rows whose
cells carry roles); layout → :class:`Record`; resolve → :class:`Document` of :class:`Task`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: Recognisers: how a document's text (or an original's tables) is serialised.
LayoutName = Literal["tabcell", "tsv", "pipe", "cells", "lines", "spaced", "box", "flat", "list", "grid"]
#: File formats the format readers take.
FormatName = Literal["text", "docx", "xlsx", "xls", "html", "pdf", "doc", "wps", "et"]
TableKind = Literal["main", "livelihood"]
NameKind = Literal["unit", "group", "person", "collective"]
Origin = Literal["read", "sidecar", "option", "missing"]
Comparator = Literal["about", "at_least", "at_most", "exactly"]
InheritMode = Literal["group", "goal", "none", "merged"]
#: The rule of an empty "parent" cell: the row is a project of its own, ending the sub-items of the one above.
NO_PARENT = "no parent"
#: The rule of an empty name cell a sub-row leaves after a name cell it prints: empty, not merged from above.
NOT_MERGED = "empty after a printed cell"
#: Printed rules: the first-listed unit leads; a starred unit leads; a lone 责任单位 list leads.
RuleKind = Literal["first_lead", "star_lead", "resp_lead"]

#: Record fields whose value may be inherited from an earlier row (merged cells).
ASSIGNMENT_FIELDS = ("leaders", "lead_units", "coop_units")


class InputError(Exception):
    """A document that cannot be read: names the file and, where known, the line."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, int | None]]:
        # raised in a worker process of a parallel build, it reaches the parent intact
        return InputError, (self.file, self.message, self.line)


@dataclass(frozen=True)
class Span:
    """First and last source line (1-based, inclusive)."""

    first: int
    last: int

    def join(self, other: Span | None) -> Span:
        """The smallest span covering both."""
        if other is None:
            return self
        return Span(min(self.first, other.first), max(self.last, other.last))


@dataclass(frozen=True)
class Diagnostic:
    """A warning about a place in a document."""

    file: str
    line: int | None
    message: str
    code: str = "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


# --- read ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of the decoded text with its 1-based number."""

    no: int
    text: str


@dataclass(frozen=True)
class Location:
    """Where something is in an original file: page (PDF), sheet (xlsx), table, row and column (1-based)."""

    page: int | None = None
    sheet: str | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None

    def describe(self) -> str:
        """The position as a reader says it: "第3页 表1 第18行 第2列"."""
        parts = []
        if self.sheet is not None:
            parts.append(f"工作表“{self.sheet}”")
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.table is not None:
            parts.append(f"表{self.table}")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column is not None:
            parts.append(f"第{self.column}列")
        return " ".join(parts)


@dataclass(frozen=True)
class GridCell:
    """A cell of a table read from an original file, with its true merge span.

    A merged cell is stored once, at its top-left position, with `row_span` / `col_span`; every other position it
    covers holds an empty cell whose `covered` gives the (row, column) of the merged cell (0-based, in the grid).
    """

    lines: tuple[Line, ...] = ()
    row_span: int = 1
    col_span: int = 1
    covered: tuple[int, int] | None = None

    @property
    def text(self) -> str:
        """The cell's lines joined with newlines."""
        return "\n".join(line.text for line in self.lines)


@dataclass
class Grid:
    """A table of an original file: rows of equal length (merged positions filled with covered cells)."""

    number: int
    rows: list[list[GridCell]]


@dataclass
class Source:
    """A document as its format reader found it: paragraph lines and tables, in document order.

    Text files are lines only (their tables are found by the recognisers). Originals (.docx, .xlsx, .html, .pdf)
    give paragraphs as lines and tables as :class:`Grid` objects; their line numbers are virtual (one per
    paragraph or cell line, in reading order) and `locations` maps each to its page / sheet / table / row /
    column.
    """

    file: str
    format: FormatName
    encoding: str
    sha256: str
    blocks: list[Line | Grid]
    locations: dict[int, Location] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Traditional-character documents: each folded line's text as printed (line number → text).
    printed: dict[int, str] = field(default_factory=dict)

    @property
    def lines(self) -> list[Line]:
        """Every line in document order: paragraphs, and the lines of every grid cell row by row."""
        out: list[Line] = []
        for block in self.blocks:
            if isinstance(block, Line):
                out.append(block)
            else:
                out.extend(line for row in block.rows for cell in row for line in cell.lines)
        return out


@dataclass(frozen=True)
class PrintedRule:
    """A rule a notice prints about its unit lists ("列第一位者为牵头单位"), applying from `line` on."""

    kind: RuleKind
    line: int
    text: str


@dataclass(frozen=True)
class Cell:
    """A table cell: its text lines, and what the reader knows it holds (a role or key), if anything.

    `rule` says what decided the hint (a label, a role word, a column name …) for `govkg extract --explain`;
    `covered` is true for a position an original file's merged cell covers (the value is printed above).
    """

    lines: tuple[Line, ...] = ()
    hint: str | None = None
    rule: str | None = None
    covered: bool = False

    @property
    def text(self) -> str:
        """The cell's lines joined with newlines."""
        return "\n".join(line.text for line in self.lines)

    @property
    def span(self) -> Span | None:
        """Source lines of the non-blank content, if any."""
        nos = [line.no for line in self.lines if line.text.strip()]
        return Span(min(nos), max(nos)) if nos else None

    def is_empty(self) -> bool:
        """True when the cell holds no visible text."""
        return not any(line.text.strip() for line in self.lines)


@dataclass
class Row:
    """A table row: cells in column order (tab-cell), or cells tagged with hints (every other recogniser)."""

    cells: list[Cell]
    span: Span
    #: False when the lead / cooperating split of the unit cells is a guess (flat text, "X、Y等负责").
    units_certain: bool = True
    #: True when the row's goal cells are its whole goal path (list items under their headings).
    complete_goal: bool = False


@dataclass
class Table:
    """One table of a document as the reader found it.

    `inherit` is how an empty leader or unit cell is read (the merged-cell convention of the serialisation):
    "group" — from the row above within the same 序号 group (tab-cell text, flattened tables); "goal" — from the
    task above within the same innermost goal, units only when nothing is printed (flat PDF text); "none" —
    never (list items); "merged" — only where an original file's merged cell covers the position.
    """

    marker: str | None
    title: str | None
    title_line: int | None
    header: list[Cell]
    rows: list[Row]
    span: Span
    kind: TableKind | None = None
    inherit: InheritMode = "group"
    #: The recogniser that read the table, when a document's parts were read in different layouts.
    layout: LayoutName | None = None
    #: Cells the headings above the table give every row (goal levels, a leader or lead unit they assign).
    context: list[Cell] = field(default_factory=list)
    #: Rules the document prints about its unit lists, with the line each applies from.
    rules: list[PrintedRule] = field(default_factory=list)


@dataclass
class Sheet:
    """A document as rows of cells with source positions, before any interpretation."""

    file: str
    layout: LayoutName
    encoding: str
    preamble: list[Line]
    tables: list[Table]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sha256: str = ""
    format: FormatName = "text"
    #: Originals: where each (virtual) line is; merged cells are facts (only covered cells inherit).
    locations: dict[int, Location] = field(default_factory=dict)
    merges_known: bool = False
    #: Every line of the document, in order (metadata such as 文号 or 发布机构 may be anywhere).
    lines: list[Line] = field(default_factory=list)
    #: Traditional-character documents: each folded line's text as printed (line number → text).
    printed: dict[int, str] = field(default_factory=dict)


# --- layout ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayoutPolicy:
    """Reading conventions a user may switch: merged-cell inheritance, first-listed unit leads."""

    inherit: bool = True
    first_listed_lead: bool = False


@dataclass(frozen=True)
class Printed:
    """A name as printed (whitespace removed), its normalised form, and what kind of name it is.

    `lead_mark` is the mark a unit list printed beside the name to say it leads: "*" ("区经信局*") or a word
    ("市发改委（牵头）").
    """

    text: str
    form: str
    kind: NameKind
    lead_mark: str | None = None

    @property
    def starred(self) -> bool:
        """True when the name carries a lead mark."""
        return self.lead_mark is not None


@dataclass(frozen=True)
class FieldSource:
    """Where a record field's value came from: its lines, and whether an earlier row printed it.

    `merged` is true when an original file's merged cell spans this row (a fact: printed once, spanning rows),
    as opposed to `inherited` (an empty cell filled from an earlier row by the reading convention). `rule` names
    what decided the value (column, label, role word, heading, printed rule …) for `govkg extract --explain`.
    """

    span: Span | None
    inherited: bool = False
    merged: bool = False
    rule: str | None = None

    @property
    def filled_from_above(self) -> bool:
        """True when the value was filled in from an earlier row by the reading convention (not a merged cell)."""
        return self.inherited and not self.merged


@dataclass
class Record:
    """One task (or livelihood item) as the layout understood it, names as printed."""

    doc: str
    table: TableKind
    table_no: int
    row_no: int
    task_no: str | None
    sub_no: int | None
    group_no: str | None
    goal: list[str]
    parent_text: str | None
    text: str
    leaders: list[Printed]
    lead_units: list[Printed]
    coop_units: list[Printed]
    role_certain: bool
    span: Span
    sources: dict[str, FieldSource]
    deadline: str | None = None
    #: Progress tables: the progress text (目前完成情况 / 进展情况) and the status as printed (是否达到序时进度).
    progress: str | None = None
    status: str | None = None
    #: The recogniser that read the row (tabcell, list, cells …).
    recogniser: str | None = None

    @property
    def inherited(self) -> list[str]:
        """Names of the fields whose value came from an earlier row."""
        return [name for name, src in self.sources.items() if src.inherited]

    @property
    def merged(self) -> list[str]:
        """Names of the fields whose value an original file's merged cell gives."""
        return [name for name, src in self.sources.items() if src.merged]


@dataclass(frozen=True)
class MetaValue:
    """A document metadata value and where it came from.

    `value` is the normalised value ("2022-09-30", 2022, "湖州市吴兴区"); `text` the words as printed, where they
    differ ("截至9月30日", "湖州市吴兴区人民政府办公室"); `rule` what the value was read from ("title", "文号",
    "成文日期", "signature", "text" …).
    """

    value: str | int | None
    origin: Origin
    line: int | None = None
    text: str | None = None
    rule: str | None = None


@dataclass
class DocumentMeta:
    """Title, issuer, year, issue date and (progress reports) report date as printed (each may be missing).

    `docno` is the document number (文号) as printed; `places` the names of provinces and cities the document
    prints anywhere, used to tell apart divisions of the same name (鼓楼区 of 南京市 or of 福州市).
    """

    title: MetaValue
    issuer: MetaValue
    year: MetaValue
    issued: MetaValue
    report_date: MetaValue = field(default_factory=lambda: MetaValue(None, "missing"))
    docno: MetaValue = field(default_factory=lambda: MetaValue(None, "missing"))
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableInfo:
    """A table of a document: its number, kind, attachment marker and title (as printed)."""

    number: int
    kind: TableKind
    marker: str | None
    title: str | None
    title_line: int | None


@dataclass
class Understood:
    """What the layout stage makes of a sheet."""

    records: list[Record]
    meta: DocumentMeta
    tables: list[TableInfo]
    diagnostics: list[Diagnostic]


# --- resolve --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    """An issuing government: canonical name, division code where known, short and English names."""

    name: str
    code: str | None
    short: str
    name_en: str | None = None

    @property
    def key(self) -> str:
        """A stable identifier: the division code, or the name."""
        return self.code or self.name


@dataclass(frozen=True)
class Party:
    """A resolved name: as printed, canonical within the issuer, its kind and (units) type."""

    text: str
    name: str
    kind: NameKind
    unit_type: str | None = None


@dataclass(frozen=True)
class Target:
    """A quantitative target stated in a task: "地区生产总值增长6.5%左右" → 地区生产总值, 6.5, %, about, growth.

    `value` is the number as printed (a decimal, without any multiplier); `unit_text` is the unit as printed,
    with its multiplier ("万人" for "1.5万人"); `text` is the statement's characters `start` to `end`.
    """

    metric: str
    value: str
    unit_text: str
    comparator: Comparator
    growth: bool
    text: str
    start: int
    end: int


@dataclass
class Task:
    """A record with its names resolved within the document's issuer, and the targets its statement states."""

    record: Record
    leaders: list[Party]
    lead_units: list[Party]
    coop_units: list[Party]
    targets: list[Target] = field(default_factory=list)
    #: Progress tables: the figures the progress text states ("完成投资3.2亿元"), read as targets are.
    progress_targets: list[Target] = field(default_factory=list)

    @property
    def has_progress(self) -> bool:
        """True when the row prints a progress text or a status."""
        return bool((self.record.progress or "").strip() or (self.record.status or "").strip())

    def parties_filled_from_above(self) -> int:
        """How many of its leaders, lead and cooperating units were filled in from an earlier row."""
        sources = self.record.sources
        return sum(len(getattr(self, name)) for name in ("leaders", "lead_units", "coop_units")
                   if name in sources and sources[name].filled_from_above)


@dataclass
class Document:
    """Everything extracted from one document."""

    file: str
    path: str
    sha256: str
    layout: LayoutName
    encoding: str
    title: str | None
    issuer: Issuer | None
    year: int | None
    issued: str | None
    meta_origin: dict[str, Origin]
    tasks: list[Task]
    diagnostics: list[Diagnostic]
    tables: list[TableInfo] = field(default_factory=list)
    format: FormatName = "text"
    locations: dict[int, Location] = field(default_factory=dict)
    report_date: str | None = None
    #: The document number (文号) as printed, and how each metadata value read from the text was read
    #: ({"year": "文号 锡政发〔2011〕48号, line 5"}).
    docno: str | None = None
    meta_source: dict[str, str] = field(default_factory=dict)
    #: The text as read, line n at index n - 1 (virtual lines for originals; as printed before folding
    #: traditional characters): what the spans of the records point at. The build keeps it in sources/.
    lines: list[str] = field(default_factory=list)

    @property
    def is_report(self) -> bool:
        """True for a progress report: a document whose rows print progress or a status."""
        return any(task.has_progress for task in self.tasks)

    def count(self, table: TableKind) -> int:
        """How many tasks (or items) the document's tables of this kind hold."""
        return sum(1 for task in self.tasks if task.record.table == table)


# --- matching across documents ----------------------------------------------------------------------

MatchKind = Literal["reports_on", "continues"]
MatchMethod = Literal["number", "statement"]


@dataclass(frozen=True)
class TaskProfile:
    """What matching across documents needs of one task: who, when, which table and number, what it says; and
    what its plan's statistics count of it.

    `ref` identifies the task and `document` its document to whoever made the profile (the build uses their
    IRIs); `report` is the report's period key for a row of a progress report, None for a plan's task; units are
    canonical names; `observed` is true for a row that prints progress. Where its record is weak (Q9): `no_lead`,
    no lead unit printed; `role_uncertain`, its lead/cooperating split marked uncertain; `inherited`, how many of
    its leaders and units were filled in from a row above.
    """

    ref: str
    document: str
    issuer: str
    year: int | None
    report: str | None
    table: TableKind
    number: str | None
    statement: str
    goal: str | None
    lead_units: tuple[str, ...]
    coop_units: tuple[str, ...]
    observed: bool = False
    no_lead: bool = False
    role_uncertain: bool = False
    inherited: int = 0


@dataclass(frozen=True)
class TaskMatch:
    """A decision of the matcher: the task matched, to which task (None when ambiguous), how and how surely.

    `candidates` are the tasks whose score came within the margin of the best (one when the match is decided).
    """

    task: str
    kind: MatchKind
    matched: str | None
    method: MatchMethod
    score: float
    candidates: tuple[str, ...]

    @property
    def ambiguous(self) -> bool:
        """True when several candidates scored alike and nothing was linked."""
        return self.matched is None
