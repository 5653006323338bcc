"""One table's rows → records: goal hierarchy, 序号 groups, task numbers, sub-items, roles, merged cells."""

from __future__ import annotations

import re

from ..lexicon import Lexicon
from ..model import (
    NO_PARENT,
    NOT_MERGED,
    Cell,
    Diagnostic,
    FieldSource,
    LayoutName,
    LayoutPolicy,
    Printed,
    PrintedRule,
    Record,
    Row,
    Span,
    Table,
)
from ..names import split_people, split_units
from ..recognise.enumerators import enumerator, strip_enumerator
from ..recognise.patterns import ITEM_NUMBER, TASK_NUMBER
from ..textutil import join_lines
from .columns import ColumnAligner, RowCells, column_roles, hinted_cells, table_kind

_CN_NUMERAL = re.compile(r"^[（(]?[一二三四五六七八九十]{1,3}[）)]?[、.．]?$")
#: A heading row's phrase is at most this long.
_HEADING_PHRASE = 30
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


def _rule(cells: list[Cell], default: str) -> str:
    return next((cell.rule for cell in cells if cell.rule and not cell.is_empty()), default)


class _Split:
    """Printed names of one row sorted into roles, with what decided the split."""

    def __init__(self) -> None:
        self.values: dict[str, list[Printed]] = {"leaders": [], "lead_units": [], "coop_units": []}
        self.spans: dict[str, Span | None] = {"leaders": None, "lead_units": None, "coop_units": None}
        self.rules: dict[str, str | None] = {"leaders": None, "lead_units": None, "coop_units": None}
        self.certain = True

    def put(self, name: str, values: list[Printed], cells: list[Cell], rule: str) -> None:
        """Add names to a role, with the cells they came from and the rule that placed them there."""
        if not values:
            return
        self.values[name] = self.values[name] + values
        self.spans[name] = _join_spans([self.spans[name], _span(cells)])
        self.rules[name] = self.rules[name] or rule


class TableLayout:
    """Walks the rows of one table, keeping the context earlier rows set (goals, group, last record)."""

    def __init__(self, file: str, layout: LayoutName, table: Table, *, table_no: int,
                 policy: LayoutPolicy, lex: Lexicon, diagnostics: list[Diagnostic],
                 merges_known: bool = False) -> None:
        self.file, self.layout, self.table, self.table_no = file, layout, table, table_no
        self.inherit = "merged" if merges_known else table.inherit
        self.policy, self.lex, self.diagnostics = policy, lex, diagnostics
        self.kind = table_kind(table, lex)
        self.positional = bool(table.header) and layout in ("tabcell", "grid")
        self.roles: list[str | None] = column_roles(table, lex) if table.header else []
        #: What an explanation says of a value printed in a column: 'column "牵头单位"'.
        self.column_rules = {role: f'column "{join_lines([cell.text])}"'
                             for role, cell in zip(self.roles, table.header, strict=False) if role}
        self.goal: list[str] = []
        self.goal_spans: list[Span | None] = []
        self.group: str | None = None
        self.parent: tuple[str, Span | None] | None = None
        self.sub_count = 0
        self.previous: Record | None = None
        self.records: list[Record] = []
        #: Goal levels the headings above the table give every row (outermost first).
        self.prefix: list[str] = []

    def _warn(self, line: int | None, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.file, line, message))

    def _column(self, *roles: str) -> str:
        """How to name a column of these roles in an explanation."""
        return next((self.column_rules[role] for role in roles if role in self.column_rules), "column")

    def run(self) -> list[Record]:
        """The table's records, in document order."""
        if self.positional and "text" not in self.roles:
            self._warn(self.table.span.first, "header names no task-text column (工作标准 / 工作内容 …); table skipped")
            return []
        if self.positional:
            aligner = ColumnAligner(self.roles)
            rows = [(row, aligner.align(row)) for row in self.table.rows]
        else:
            rows = [(row, hinted_cells(row)) for row in self.table.rows]
        context = hinted_cells(Row(self.table.context, self.table.span))
        self.prefix = [_text(context.goals[level]) for level in sorted(context.goals)]
        for _, cells in rows:
            cells.heading_leader = cells.heading_leader or context.heading_leader
            cells.heading_lead = cells.heading_lead or context.heading_lead
        self._warn_single_resp(rows)
        seq_numbering = self._numbers_every_row([cells for _, cells in rows])
        for row, cells in rows:
            if cells.missing_cells:
                self._warn(row.span.first, f"row has {len(row.cells)} of {len(self.roles)} cells (cut off?); "
                                            "the missing cells are read as empty")
            self._row(row.span, row.units_certain, row.complete_goal, cells, seq_numbering)
        return self.records

    def _warn_single_resp(self, rows: list[tuple[object, RowCells]]) -> None:
        """Say once how a lone 责任单位 list is read when the notice prints no rule about it."""
        lone = [cells for _, cells in rows if cells.resp and not cells.lead and any(
            len(names) > 1 and not any(name.starred for name in names)
            for names in (split_units(cell.text, self.lex) for cell in cells.resp))]
        if not lone or any(rule.kind in ("first_lead", "resp_lead", "star_lead") for rule in self.table.rules):
            return
        first = next(cell.span.first for cells in lone for cell in cells.resp if cell.span)
        self._warn(
            first,
            "single 责任单位 list: "
            + ("the first-listed unit is taken as lead (--first-listed-lead)" if self.policy.first_listed_lead
               else "every listed unit is recorded as a lead unit (the reading convention when the document prints "
                    "no rule about who leads); pass --first-listed-lead if it says the first-listed unit leads"),
        )

    def _numbers_every_row(self, rows: list[RowCells]) -> bool:
        """True when the 序号 column numbers each row (no "(n)" task numbers in the text)."""
        with_text = [cells for cells in rows if _text(cells.text)]
        if not with_text or any(TASK_NUMBER.match(_text(cells.text)) for cells in with_text):
            return False
        numbered = sum(1 for cells in with_text if _text(cells.seq))
        return numbered >= _SEQ_NUMBERING_SHARE * len(with_text)

    def _update_goal(self, cells: RowCells, complete: bool) -> None:
        if complete:
            levels = sorted(cells.goals)
            self.goal = [_text(cells.goals[level]) for level in levels]
            self.goal_spans = [cells.goals[level].span for level in levels]
            return
        for level in sorted(cells.goals):
            cell = cells.goals[level]
            value = _text(cell)
            if not value:
                continue
            if level < len(self.goal) and self.goal[level] == value:
                continue
            self.goal = [*self.goal[:level], value]
            self.goal_spans = [*self.goal_spans[:level], cell.span]
        if self.positional and not cells.has_subgoal_column:
            self.goal, self.goal_spans = self.goal[:1], self.goal_spans[:1]

    def _row(self, span: Span, units_certain: bool, complete_goal: bool, cells: RowCells,
             seq_numbering: bool) -> None:
        seq = _text(cells.seq) or None
        new_group = seq is not None and (seq != self.group or self.inherit == "goal")
        if seq is not None:
            self.group = seq
        self._update_goal(cells, complete_goal)
        self._update_parent(cells, new_group)
        text = _text(cells.text)
        if not text:
            if cells.has_names():
                self._warn(span.first, "row holds names but no task text; skipped")
            return
        if self._heading_row(cells, seq, text):
            self.goal = [strip_enumerator(text).rstrip("。；;")]
            self.goal_spans = [cells.text.span if cells.text else span]
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
            goal=[*self.prefix, *self.goal],
            parent_text=self.parent[0] if self.parent else None,
            text=text,
            leaders=[],
            lead_units=[],
            coop_units=[],
            role_certain=True,
            span=span,
            sources={"text": FieldSource(cells.text.span if cells.text else None,
                                         rule=_rule([cells.text], self._column("text")) if cells.text else None)},
            deadline=_text(cells.deadline) or None,
            progress=_text(cells.progress) or None,
            status=_text(cells.status) or None,
            recogniser=self.layout,
        )
        printed_goal = any(not cell.is_empty() for cell in cells.goals.values())
        goal_rule = _rule(list(cells.goals.values()), self._column("goal")) if self.goal else None
        from_above = bool(self.goal) and not printed_goal
        # an original's goal cell merged over this row: its value, not one taken from the row above
        merged_goal = from_above and self.inherit == "merged" and bool(cells.goals) and all(
            cell.covered for cell in cells.goals.values())
        record.sources["goal"] = FieldSource(_join_spans(self.goal_spans), rule=goal_rule,
                                             inherited=from_above and not merged_goal, merged=merged_goal)
        if self.parent:
            record.sources["parent_text"] = FieldSource(self.parent[1], inherited=cells.parent is None
                                                        or cells.parent.is_empty())
        self._assign(record, cells, units_certain, new_group)
        self.records.append(record)
        self.previous = record

    def _heading_row(self, cells: RowCells, seq: str | None, text: str) -> bool:
        """In a table with no goal column, a row of a Chinese-numeral 序号 and a short phrase ("一 | 主要预期目标")
        and nothing else is a goal heading, not a task."""
        if not self.positional or "goal" in self.roles or cells.has_names():
            return False
        numbered = enumerator(text)
        chinese = bool(seq and _CN_NUMERAL.match(seq)) or bool(numbered and numbered.style in ("cn", "part", "pcn"))
        phrase = strip_enumerator(text)
        return chinese and len(phrase) <= _HEADING_PHRASE and not any(c.isdigit() or c in "。；;" for c in phrase)

    def _update_parent(self, cells: RowCells, new_group: bool) -> None:
        if not cells.has_parent_column:
            self.parent, self.sub_count = None, 0
            return
        if cells.parent is not None and not cells.parent.is_empty():
            self.parent = (_text(cells.parent), cells.parent.span)
            self.sub_count = 0
        elif new_group or (cells.parent is not None and cells.parent.rule == NO_PARENT):
            self.parent, self.sub_count = None, 0

    def _numbers(self, cells: RowCells, text: str, seq_numbering: bool) -> tuple[str | None, int | None, str]:
        task_no: str | None = None
        sub_no: int | None = None
        match = TASK_NUMBER.match(text)
        numbered = enumerator(text)
        if match:
            task_no, text = match.group(1), text[match.end():]
        elif numbered is not None and numbered.style == "pcn" and cells.taskno is None:
            task_no, text = numbered.number, text[numbered.end:]
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

    def _rules_at(self, line: int | None) -> set[str]:
        """Kinds of printed rule in force at a line (a rule applies from where it is printed on)."""
        rules: list[PrintedRule] = self.table.rules
        return {rule.kind for rule in rules if line is None or rule.line <= line}

    def _split(self, cells: RowCells, units_certain: bool) -> _Split:
        """The row's printed leaders, lead and cooperating units, and whether the split is certain."""
        split = _Split()
        split.put("leaders", self._names(cells.leader, people=True), cells.leader,
                  _rule(cells.leader, self._column("leader")))
        lead_cells, coop_cells, certain = self._unit_roles(cells, units_certain)
        split.certain = certain
        leads = self._names(lead_cells)
        rule = _rule(lead_cells, self._column("lead", "units"))
        if any(name.starred for name in leads) and len(leads) > 1:
            self._split_starred(split, leads, lead_cells, rule)
        else:
            split.put("lead_units", leads, lead_cells, rule)
        split.put("coop_units", self._names(coop_cells), coop_cells, _rule(coop_cells, self._column("coop", "units")))
        resp = self._names(cells.resp)
        if resp:
            self._split_responsible(split, resp, cells.resp)
        owners = self._names(cells.owner)
        if owners:
            split.put("coop_units", owners, cells.owner,
                      _rule(cells.owner, self._column("owner")) + " (project owner: cooperating)")
        return split

    @staticmethod
    def _drop_owner_leads(record: Record, cells: RowCells) -> None:
        """An owner (业主单位) that is the lead unit itself is not also cooperating."""
        if cells.owner:
            leads = {name.form for name in record.lead_units}
            record.coop_units = [name for name in record.coop_units if name.form not in leads]

    def _split_starred(self, split: _Split, names: list[Printed], cells: list[Cell], base: str) -> None:
        """A list with a lead marker ("区经信局*、区财政局"): the marked units lead, the others cooperate."""
        words = all(name.lead_mark != "*" for name in names if name.starred)  # "（牵头）" says it itself
        legend = words or "star_lead" in self._rules_at(next((cell.span.first for cell in cells if cell.span), None))
        mark = next(name.lead_mark for name in names if name.starred)
        marked = f"{base}; marked {mark} ({'it says so' if words else 'legend printed' if legend else 'no legend'})"
        split.put("lead_units", [name for name in names if name.starred], cells, marked)
        split.put("coop_units", [name for name in names if not name.starred], cells, f"{base}; not marked *")
        split.certain = split.certain and legend

    def _split_responsible(self, split: _Split, resp: list[Printed], cells: list[Cell]) -> None:
        """A lone 责任单位 list: a printed rule, a lead marker (*), --first-listed-lead, else every unit leads."""
        first_line = next((cell.span.first for cell in cells if cell.span), None)
        rules = self._rules_at(first_line)
        base = _rule(cells, self._column("resp", "units"))
        if any(name.starred for name in resp):
            self._split_starred(split, resp, cells, base)
        elif len(resp) > 1 and ("first_lead" in rules or self.policy.first_listed_lead):
            why = "printed rule: the first-listed unit leads" if "first_lead" in rules else "--first-listed-lead"
            split.put("lead_units", resp[:1], cells, f"{base}; {why}")
            split.put("coop_units", resp[1:], cells, f"{base}; {why}")
        else:
            # The convention when nothing says who leads (SPEC.md): every listed unit leads; not a guess.
            why = "printed rule" if "resp_lead" in rules else "no rule printed: the reading convention"
            split.put("lead_units", resp, cells, f"{base}; every listed unit leads ({why})")

    def _assign(self, record: Record, cells: RowCells, units_certain: bool, new_group: bool) -> None:
        """Leaders, lead and cooperating units: printed, from a heading, or from the row before (merged cells)."""
        split = self._split(cells, units_certain)
        record.role_certain = split.certain
        field_cells = {"leaders": cells.leader, "lead_units": cells.lead + cells.resp + cells.units,
                       "coop_units": cells.coop + cells.owner}
        heading = {"leaders": cells.heading_leader, "lead_units": cells.heading_lead}
        previous = self._inheritable(record, new_group)
        # Flat text: units are inherited only by a task with nothing printed after it at all.
        anything_printed = any(split.values.values())
        for name, values in split.values.items():
            span, rule = split.spans[name], split.rules[name]
            if not values and heading.get(name):
                given = self._names(heading[name], people=name == "leaders")
                rule = _rule(heading[name], "heading")
                setattr(record, name, given)
                record.sources[name] = FieldSource(_span(heading[name]), inherited=bool(given), rule=rule)
                continue
            covered = bool(field_cells[name]) and all(cell.covered for cell in field_cells[name])
            empty = any(cell.rule == NOT_MERGED for cell in field_cells[name])
            if (values or previous is None or empty
                    or (self.inherit == "goal" and name != "leaders" and anything_printed)
                    or (self.inherit == "merged" and not covered)):
                setattr(record, name, values)
                record.sources[name] = FieldSource(span, rule=rule if values else None)
                continue
            inherited = getattr(previous, name)
            setattr(record, name, list(inherited))
            merged = self.inherit == "merged" and bool(inherited)
            source = previous.sources[name]
            record.sources[name] = FieldSource(
                source.span, inherited=bool(inherited) and not merged, merged=merged,
                rule=("merged cell" if merged else "empty cell: the row above's value") if inherited else None)
            if name != "leaders" and inherited:
                record.role_certain = previous.role_certain and record.role_certain
        self._drop_owner_leads(record, cells)

    def _inheritable(self, record: Record, new_group: bool) -> Record | None:
        """The record whose empty fields this one inherits, under the reading convention in force."""
        previous = self.previous
        if self.inherit == "merged":
            # only positions a merged cell covers take its value (see _assign): a fact of the original, kept
            # when inheritance is off
            return previous
        if not self.policy.inherit or previous is None or self.inherit == "none":
            return None
        if self.inherit == "group":
            return None if new_group else previous
        return previous if previous.goal == record.goal else None

    def _unit_roles(self, cells: RowCells, units_certain: bool) -> tuple[list[Cell], list[Cell], bool]:
        """Lead and cooperating unit cells; flat text puts the first unit line first (a guess if unsure)."""
        if not cells.units:
            return cells.lead, cells.coop, units_certain
        printed = [cell for cell in cells.units if not cell.is_empty()]
        if "lead" in self.roles and "coop" not in self.roles:
            return printed, [], True
        if "resp" in self.roles and "lead" not in self.roles:
            cells.resp = printed
            return [], [], True
        return printed[:1], printed[1:], units_certain

