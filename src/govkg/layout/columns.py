"""Column roles from header text, table kinds, and aligning a row's cells with the header."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..lexicon import Lexicon
from ..model import Cell, Row, Table, TableKind
from ..recognise.roles import resolve_roles
from ..textutil import ends_sentence, join_lines, no_space

#: An extra cell beside the goal column longer than this is a parent statement, not a sub-goal.
_SUBGOAL_MAX = 30


def column_roles(table: Table, lex: Lexicon) -> list[str | None]:
    """The role of each header cell (header lexicon and the table's shape)."""
    return resolve_roles([lex.column_role(cell.text) for cell in table.header])


def table_kind(table: Table, lex: Lexicon) -> TableKind:
    """"livelihood" for 民生实事 tables (by title or header words), otherwise "main"; a recogniser may know."""
    if table.kind is not None:
        return table.kind
    words = (table.title or "") + "".join(no_space(cell.text) for cell in table.header)
    return "livelihood" if any(word in words for word in lex.livelihood_words) else "main"


@dataclass
class RowCells:
    """A row's cells sorted by role."""

    seq: Cell | None = None
    taskno: Cell | None = None
    goals: dict[int, Cell] = field(default_factory=dict)
    parent: Cell | None = None
    has_parent_column: bool = False
    has_subgoal_column: bool = False
    text: Cell | None = None
    leader: list[Cell] = field(default_factory=list)
    lead: list[Cell] = field(default_factory=list)
    coop: list[Cell] = field(default_factory=list)
    resp: list[Cell] = field(default_factory=list)
    owner: list[Cell] = field(default_factory=list)
    units: list[Cell] = field(default_factory=list)
    heading_leader: list[Cell] = field(default_factory=list)
    heading_lead: list[Cell] = field(default_factory=list)
    deadline: Cell | None = None
    progress: list[Cell] = field(default_factory=list)
    status: list[Cell] = field(default_factory=list)
    missing_cells: int = 0

    def has_names(self) -> bool:
        """True when any leader or unit cell holds text."""
        cells = [*self.leader, *self.lead, *self.coop, *self.resp, *self.owner, *self.units]
        return any(not cell.is_empty() for cell in cells)


def _put(cells: RowCells, role: str | None, cell: Cell) -> None:
    if role == "seq":
        cells.seq = cell
    elif role == "taskno":
        cells.taskno = cell
    elif role == "goal":
        cells.goals[0] = cell
    elif role and role.startswith("goal") and role[4:].isdigit():
        cells.goals[int(role[4:])] = cell
        cells.has_subgoal_column = cells.has_subgoal_column or int(role[4:]) > 0
    elif role == "text":
        cells.text = cell
    elif role in ("leader", "lead", "coop", "resp", "owner", "units", "heading_leader", "heading_lead",
                  "progress", "status"):
        getattr(cells, role).append(cell)
    elif role == "parent":
        cells.parent, cells.has_parent_column = cell, True
    elif role == "deadline":
        cells.deadline = cell


class ColumnAligner:
    """Aligns tab-cell rows with the header; extra cells beside the goal column are sub-levels."""

    def __init__(self, roles: list[str | None]) -> None:
        self.roles = roles
        self.text_index = roles.index("text") if "text" in roles else None
        self.extra_kinds: list[str] = []

    def align(self, row: Row) -> RowCells:
        """Sort a positional row's cells by role."""
        out = RowCells()
        cells, roles = row.cells, self.roles
        if self.text_index is not None and len(cells) > len(roles):
            extra = len(cells) - len(roles)
            head = cells[: self.text_index]
            extras = cells[self.text_index : self.text_index + extra]
            tail = cells[self.text_index + extra :]
            for role, cell in zip(roles[: self.text_index], head, strict=False):
                _put(out, role, cell)
            self._place_extras(out, extras)
            for role, cell in zip(roles[self.text_index :], tail, strict=False):
                _put(out, role, cell)
            return out
        self.extra_kinds = []
        for role, cell in zip(roles, cells, strict=False):
            _put(out, role, cell)
        out.missing_cells = max(0, len(roles) - len(cells))
        return out

    def _place_extras(self, out: RowCells, extras: list[Cell]) -> None:
        kinds: list[str] = []
        level = 1
        for index, cell in enumerate(extras):
            if cell.is_empty():
                kind = self.extra_kinds[index] if index < len(self.extra_kinds) else "goal"
            else:
                text = join_lines([line.text for line in cell.lines])
                kind = "parent" if ends_sentence(text) or len(text) > _SUBGOAL_MAX else "goal"
            kinds.append(kind)
            if kind == "parent":
                out.parent, out.has_parent_column = cell, True
            else:
                out.goals[level] = cell
                out.has_subgoal_column = True
                level += 1
        self.extra_kinds = kinds


#: Hints a recogniser may give a cell (the roles of data/lexicon/headers.toml and labels.toml, and these).
_HINTS = frozenset({"seq", "taskno", "text", "parent", "leader", "lead", "coop", "resp", "owner", "units",
                    "heading_leader", "heading_lead", "deadline", "progress", "status"})


def hinted_cells(row: Row) -> RowCells:
    """Sort a row whose cells carry role hints (every recogniser but tab-cell text) by role.

    A 责任单位 cell is cooperating when the same row prints a lead unit.
    """
    out = RowCells()
    for cell in row.cells:
        hint = cell.hint or ""
        role = hint if hint in _HINTS or (hint.startswith("goal") and hint[4:].isdigit()) else None
        _put(out, role, cell)
    if any(not cell.is_empty() for cell in out.lead):
        out.coop, out.resp = out.coop + out.resp, []
    return out
