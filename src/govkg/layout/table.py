"""One table's rows → records: goal hierarchy, 序号 groups, task numbers, sub-items, merged cells."""

from __future__ import annotations

from ..lexicon import Lexicon
from ..model import (
    Cell,
    Diagnostic,
    FieldSource,
    LayoutName,
    LayoutPolicy,
    Printed,
    Record,
    Span,
    Table,
)
from ..names import split_people, split_units
from ..read.patterns import ITEM_NUMBER, TASK_NUMBER
from ..textutil import join_lines
from .columns import ColumnAligner, RowCells, column_roles, hinted_cells, table_kind

#: Share of rows with their own 序号 above which the 序号 is the task number (one task per row).
_SEQ_NUMBERING_SHARE = 0.8


def _text(cells: list[Cell] | Cell | None) -> str:
    if cells is None:
        return ""
    cells = [cells] if isinstance(cells, Cell) else cells
    return join_lines([line.text for cell in cells for line in cell.lines])


def _join_spans(spans: list[Span | None]) -> Span | None:
    present = [span for span in spans if span]
    if not present:
        return None
    out = present[0]
    for span in present[1:]:
        out = out.join(span)
    return out


def _span(cells: list[Cell]) -> Span | None:
    return _join_spans([cell.span for cell in cells])


class TableLayout:
    """Walks the rows of one table, keeping the context earlier rows set (goals, group, last record)."""

    def __init__(self, file: str, layout: LayoutName, table: Table, *, table_no: int,
                 policy: LayoutPolicy, lex: Lexicon, diagnostics: list[Diagnostic]) -> None:
        self.file, self.layout, self.table, self.table_no = file, layout, table, table_no
        self.policy, self.lex, self.diagnostics = policy, lex, diagnostics
        self.kind = table_kind(table, lex)
        if layout == "keyvalue":
            hints = {cell.hint for row in table.rows for cell in row.cells if cell.hint}
            self.roles: list[str | None] = [lex.header_role(hint) for hint in hints]
        else:
            self.roles = column_roles(table, lex)
        self.goal: list[str] = []
        self.goal_spans: list[Span | None] = []
        self.group: str | None = None
        self.parent: tuple[str, Span | None] | None = None
        self.sub_count = 0
        self.previous: Record | None = None
        self.records: list[Record] = []

    def _warn(self, line: int | None, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.file, line, message))

    def run(self) -> list[Record]:
        """The table's records, in document order."""
        if self.layout == "tabcell" and "text" not in self.roles:
            self._warn(self.table.span.first, "header names no task-text column (工作标准 / 工作内容 …); table skipped")
            return []
        if self.layout != "keyvalue" and "resp" in self.roles:
            self._warn(
                self.table.span.first,
                "single 责任单位 column: "
                + ("the first-listed unit is taken as lead (--first-listed-lead)" if self.policy.first_listed_lead
                   else "all its units are recorded as lead units, role uncertain; pass --first-listed-lead "
                        "if the document says the first-listed unit leads"),
            )
        if self.layout == "tabcell":
            aligner = ColumnAligner(self.roles)
            rows = [(row, aligner.align(row)) for row in self.table.rows]
        else:
            rows = [(row, hinted_cells(row, self.lex, self.roles)) for row in self.table.rows]
        seq_numbering = self._numbers_every_row([cells for _, cells in rows])
        for row, cells in rows:
            if cells.missing_cells:
                self._warn(row.span.first, f"row has {len(row.cells)} of {len(self.roles)} cells (cut off?); "
                                            "the missing cells are read as empty")
            self._row(row.span, row.units_certain, cells, seq_numbering)
        return self.records

    def _numbers_every_row(self, rows: list[RowCells]) -> bool:
        """True when the 序号 column numbers each row (no "(n)" task numbers in the text)."""
        with_text = [cells for cells in rows if _text(cells.text)]
        if not with_text or any(TASK_NUMBER.match(_text(cells.text)) for cells in with_text):
            return False
        numbered = sum(1 for cells in with_text if _text(cells.seq))
        return numbered >= _SEQ_NUMBERING_SHARE * len(with_text)

    def _update_goal(self, cells: RowCells) -> None:
        for level in sorted(cells.goals):
            cell = cells.goals[level]
            value = _text(cell)
            if not value:
                continue
            if level < len(self.goal) and self.goal[level] == value:
                continue
            self.goal = [*self.goal[:level], value]
            self.goal_spans = [*self.goal_spans[:level], cell.span]
        if self.layout == "tabcell" and not cells.has_subgoal_column:
            self.goal, self.goal_spans = self.goal[:1], self.goal_spans[:1]

    def _row(self, span: Span, units_certain: bool, cells: RowCells, seq_numbering: bool) -> None:
        seq = _text(cells.seq) or None
        new_group = seq is not None and (self.layout != "tabcell" or seq != self.group)
        if seq is not None:
            self.group = seq
        self._update_goal(cells)
        self._update_parent(cells, new_group)
        text = _text(cells.text)
        if not text:
            if cells.has_names():
                self._warn(span.first, "row holds names but no task text; skipped")
            return
        task_no, sub_no, text = self._numbers(cells, text, seq_numbering)
        record = Record(
            doc=self.file,
            table=self.kind,
            table_no=self.table_no,
            row_no=len(self.records) + 1,
            task_no=task_no,
            sub_no=sub_no,
            group_no=self.group,
            goal=list(self.goal),
            parent_text=self.parent[0] if self.parent else None,
            text=text,
            leaders=[],
            lead_units=[],
            coop_units=[],
            role_certain=True,
            span=span,
            sources={"text": FieldSource(cells.text.span if cells.text else None)},
            deadline=_text(cells.deadline) or None,
        )
        printed_goal = any(not cell.is_empty() for cell in cells.goals.values())
        record.sources["goal"] = FieldSource(_join_spans(self.goal_spans), inherited=not printed_goal)
        if self.parent:
            record.sources["parent_text"] = FieldSource(self.parent[1], inherited=cells.parent is None
                                                        or cells.parent.is_empty())
        self._assign(record, cells, units_certain, new_group)
        self.records.append(record)
        self.previous = record

    def _update_parent(self, cells: RowCells, new_group: bool) -> None:
        if not cells.has_parent_column:
            self.parent, self.sub_count = None, 0
            return
        if cells.parent is not None and not cells.parent.is_empty():
            self.parent = (_text(cells.parent), cells.parent.span)
            self.sub_count = 0
        elif new_group:
            self.parent, self.sub_count = None, 0

    def _numbers(self, cells: RowCells, text: str, seq_numbering: bool) -> tuple[str | None, int | None, str]:
        task_no: str | None = None
        sub_no: int | None = None
        match = TASK_NUMBER.match(text)
        if match:
            task_no, text = match.group(1), text[match.end():]
        elif cells.taskno is not None:
            task_no = _text(cells.taskno) or None
        elif self.kind == "livelihood" and ITEM_NUMBER.match(text):
            item = ITEM_NUMBER.match(text)
            assert item is not None
            sub_no, text = int(item.group(1)), text[item.end():]
        elif seq_numbering:
            task_no = self.group
        if self.parent is not None:
            self.sub_count += 1
            sub_no = self.sub_count
        return task_no, sub_no, text.strip()

    def _names(self, cells: list[Cell], people: bool = False) -> list[Printed]:
        text = "\n".join(cell.text for cell in cells)
        return split_people(text, self.lex) if people else split_units(text, self.lex)

    def _assign(self, record: Record, cells: RowCells, units_certain: bool, new_group: bool) -> None:
        """Leaders, lead and cooperating units: printed, or inherited from the row before (merged cells)."""
        lead_cells, coop_cells, certain = self._unit_roles(cells, units_certain)
        printed = {
            "leaders": (self._names(cells.leader, people=True), _span(cells.leader)),
            "lead_units": (self._names(lead_cells), _span(lead_cells)),
            "coop_units": (self._names(coop_cells), _span(coop_cells)),
        }
        resp = self._names(cells.resp)
        if resp:
            if self.policy.first_listed_lead:
                printed["lead_units"] = (resp[:1], _span(cells.resp))
                printed["coop_units"] = (resp[1:], _span(cells.resp))
            else:
                printed["lead_units"] = (resp, _span(cells.resp))
                certain = False
        record.role_certain = certain
        previous = self._inheritable(record, new_group)
        # Flat text: units are inherited only by a task with nothing printed after it at all.
        anything_printed = any(values for values, _ in printed.values())
        for name, (values, span) in printed.items():
            if values or previous is None or (self.layout == "flat" and name != "leaders" and anything_printed):
                setattr(record, name, values)
                record.sources[name] = FieldSource(span)
                continue
            inherited = getattr(previous, name)
            setattr(record, name, list(inherited))
            record.sources[name] = FieldSource(previous.sources[name].span, inherited=bool(inherited))
            if name != "leaders" and inherited:
                record.role_certain = previous.role_certain and record.role_certain

    def _inheritable(self, record: Record, new_group: bool) -> Record | None:
        """The record whose empty fields this one inherits, under the reading convention in force."""
        previous = self.previous
        if not self.policy.inherit or previous is None or self.layout == "keyvalue":
            return None
        if self.layout == "tabcell":
            return None if new_group else previous
        return previous if previous.goal == record.goal else None

    def _unit_roles(self, cells: RowCells, units_certain: bool) -> tuple[list[Cell], list[Cell], bool]:
        """Lead and cooperating unit cells; flat text puts the first unit line first (a guess if unsure)."""
        if not cells.units:
            return cells.lead, cells.coop, True
        printed = [cell for cell in cells.units if not cell.is_empty()]
        if "lead" in self.roles and "coop" not in self.roles:
            return printed, [], True
        if "resp" in self.roles and "lead" not in self.roles:
            cells.resp = printed
            return [], [], True
        return printed[:1], printed[1:], units_certain
