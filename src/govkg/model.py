"""Shared types of the govkg pipeline: what each stage hands to the next.

read → :class:`Sheet`; layout → :class:`Record`; resolve → :class:`Document` of :class:`Task`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LayoutName = Literal["tabcell", "flat", "keyvalue"]
TableKind = Literal["main", "livelihood"]
NameKind = Literal["unit", "group", "person", "collective"]
Origin = Literal["read", "sidecar", "option", "missing"]
Comparator = Literal["about", "at_least", "at_most", "exactly"]

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
class Cell:
    """A table cell: its text lines, and what the reader knows it holds (a role or key), if anything."""

    lines: tuple[Line, ...] = ()
    hint: str | None = None

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
    """A table row: cells in column order (tab-cell), or cells tagged with hints (flat, key-value)."""

    cells: list[Cell]
    span: Span
    #: Flat text only: False when the lead / cooperating split of the unit cells is a guess.
    units_certain: bool = True


@dataclass
class Table:
    """One table of a document as the reader found it."""

    marker: str | None
    title: str | None
    title_line: int | None
    header: list[Cell]
    rows: list[Row]
    span: Span


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


# --- layout ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayoutPolicy:
    """Reading conventions a user may switch: merged-cell inheritance, first-listed unit leads."""

    inherit: bool = True
    first_listed_lead: bool = False


@dataclass(frozen=True)
class Printed:
    """A name as printed (whitespace removed), its normalised form, and what kind of name it is."""

    text: str
    form: str
    kind: NameKind


@dataclass(frozen=True)
class FieldSource:
    """Where a record field's value came from: its lines, and whether an earlier row printed it."""

    span: Span | None
    inherited: bool = False


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

    @property
    def inherited(self) -> list[str]:
        """Names of the fields whose value came from an earlier row."""
        return [name for name, src in self.sources.items() if src.inherited]


@dataclass(frozen=True)
class MetaValue:
    """A document metadata value and where it came from."""

    value: str | int | None
    origin: Origin
    line: int | None = None


@dataclass
class DocumentMeta:
    """Title, issuer, year and issue date as printed in a document (each may be missing)."""

    title: MetaValue
    issuer: MetaValue
    year: MetaValue
    issued: MetaValue


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

    def count(self, table: TableKind) -> int:
        """How many tasks (or items) the document's tables of this kind hold."""
        return sum(1 for task in self.tasks if task.record.table == table)
