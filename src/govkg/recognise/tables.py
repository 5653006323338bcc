"""Tables flattened to text (cells per paragraph, pipe cells or rows): header, columns, rows, headings.

1. **Header**: a run of cells that name columns (data/lexicon/headers.toml), fragments of a wrapped header cell
   joined ("区本级" + "任务数"). A two-row header is split into its rows by the row marks of the text, or, with
   none, where the shape proves it (a spanning cell of data/lexicon/headers.toml [umbrella], such as 目标任务 over
   重点工作 / 主要内容, stands apart from the cells it spans); the columns are the first row with each spanning
   cell replaced by the cells below it.
2. **Roles** come from the header lexicon and the table's shape (:func:`.roles.resolve_roles`).
3. **Rows**: where the text marks row ends, each row's cells are aligned with the columns; where it does not,
   the whole stream of cells is (:mod:`.align`): merged and empty cells left no trace in either case.
4. **Headings** before a table ("二、蒋丽萍常委、常务副区长牵头重点工作") and rows of one cell spanning the table
   ("年度经济社会发展主要指标(15项)") are goal levels; a heading that names who leads gives its role to the
   rows below it. A project row "(一)…" followed in its cell by "1.…" is the parent of its numbered sub-items.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..lexicon import Lexicon
from ..model import NO_PARENT, NOT_MERGED, Cell, Diagnostic, Line, PrintedRule, Row, Sheet, Span, Table
from ..textutil import is_han, join_lines, no_space
from .align import Aligner, Placement
from .annotations import printed_rules
from .cellshape import shape
from .enumerators import UNNUMBERED, enumerator, strip_enumerator
from .headings import Heading, context_cells, heading_roles, headings_before, is_heading, table_kind_of
from .patterns import is_title, opens_attachment
from .roles import NAME_ROLES, resolve_roles
from .streams import Token

_HEADER_MAX = 24
_UNKNOWN_HEADER_MAX = 10
_TEXT_ROLES = frozenset({"text", "goal", "goal_or_text"})
#: Roles whose cells become record fields; others (quantity, plan, remark, other) are read past.
_KEPT = frozenset({"seq", "text", "leader", "lead", "coop", "resp", "owner", "deadline", "progress", "status"})
_METADATA_MAX = 10
_CHROME_MAX = 40
_CONTINUED = ("续表", "（续）", "(续)")
_CN_SEQ = re.compile(r"^[（(]?[一二三四五六七八九十]{1,3}[）)]?[、.．]?$")
#: A heading row's phrase is at most this long.
_HEADING_PHRASE = 30
_HEADING_MAX = 60


@dataclass
class _Column:
    role: str | None
    text: str
    tokens: list[Token] = field(default_factory=list)


def _header_word(token: Token, lex: Lexicon) -> bool:
    text = no_space(token.text)
    return not token.outside and 0 < len(text) <= _HEADER_MAX and (
        lex.column_role(text) is not None or lex.is_header_word(text))


def _unknown_column(token: Token) -> bool:
    """A short name between two header cells that the lexicon does not know (read as a column of no role)."""
    text = no_space(token.text)
    return 2 <= len(text) <= _UNKNOWN_HEADER_MAX and is_han(text)


def header_runs(tokens: list[Token], lex: Lexicon) -> list[tuple[int, int]]:
    """(start, end) of every run of header cells that names a statement and a unit or leader column."""
    runs: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        if not _header_word(tokens[index], lex):
            index += 1
            continue
        end = index
        while end < len(tokens) and (_header_word(tokens[end], lex) or (
                end + 1 < len(tokens) and _unknown_column(tokens[end]) and _header_word(tokens[end + 1], lex))):
            end += 1
        roles = {column.role for column in _merge_fragments(tokens[index:end], lex)}
        if roles & _TEXT_ROLES and roles & NAME_ROLES:
            runs.append((index, end))
        index = end
    return runs


def _merge_fragments(tokens: list[Token], lex: Lexicon) -> list[_Column]:
    """Header cells, joining a header wrapped over two cells ("区本级" + "任务数" → 区本级任务数)."""
    columns: list[_Column] = []
    for token in tokens:
        text = no_space(token.text)
        if columns and not columns[-1].tokens[-1].row_end:
            previous = columns[-1]
            joined = previous.text + text
            if (lex.column_role(previous.text) is None and lex.is_header_word(joined)) or (
                    lex.header_role(joined) is not None and lex.column_role(text) is None):
                previous.text, previous.role = joined, lex.column_role(joined)
                previous.tokens.append(token)
                continue
        columns.append(_Column(lex.column_role(text), text, [token]))
    return columns


def _spans(parent: _Column, child: _Column, lex: Lexicon, *, marked: bool) -> bool:
    """Whether a first-row header cell may span this second-row cell: its [umbrella] roles allow it, or (rows
    marked in the text) it names no role of its own."""
    family = lex.umbrellas.get(parent.text)
    if family is None:
        return marked and parent.role is None
    return child.role in family


def _assign_children(first: list[_Column], second: list[_Column], lex: Lexicon, *,
                     marked: bool = False) -> dict[int, list[_Column]] | None:
    """Which first-row cell spans which second-row cells, in order; None when they cannot be matched."""
    children: dict[int, list[_Column]] = {}
    position = 0
    for child in second:
        while position < len(first) and not _spans(first[position], child, lex, marked=marked):
            position += 1
        if position == len(first):
            return None
        children.setdefault(position, []).append(child)
    return children


def _two_rows(columns: list[_Column], lex: Lexicon) -> list[_Column]:
    """Leaf columns of a header given as rows (row marks in the text) or split where the shape proves it."""
    rows: list[list[_Column]] = [[]]
    for column in columns:
        rows[-1].append(column)
        if column.tokens[-1].row_end:
            rows.append([])
    rows = [row for row in rows if row]
    if len(rows) >= 2:
        children = _assign_children(rows[0], [c for row in rows[1:] for c in row], lex, marked=True)
        if children is not None:
            return _leaves(rows[0], children)
        return [c for row in rows for c in row]
    for split in range(2, len(columns) - 1):
        first, second = columns[:split], columns[split:]
        children = _assign_children(first, second, lex)
        if children is None or any(len(kids) < 2 for kids in children.values()):
            continue
        # Proof: some spanning cell is followed, in the first row, by a cell it does not span.
        if any(index < len(first) - 1 for index in children):
            return _leaves(first, children)
    return columns


def _leaves(first: list[_Column], children: dict[int, list[_Column]]) -> list[_Column]:
    out: list[_Column] = []
    for index, column in enumerate(first):
        out.extend(children.get(index, [column]))
    return out


def _ends_table(token: Token, lex: Lexicon) -> bool:
    """A metadata row ("索引号:"), page chrome ("分享到"), or a line outside the serialisation's cell shape."""
    text = no_space(token.text)
    if token.outside or opens_attachment(text) or text.startswith(_CONTINUED):
        return True  # a line outside the cells, or "附件2（续）" / "续表" over a table continued on the next page
    if 1 < len(text) <= _METADATA_MAX and text[-1] in ":：":
        return True
    return len(text) <= _CHROME_MAX and text.startswith(lex.after_content)


class _TableReader:
    """Reads one flattened table: its columns, then its data cells into rows of hinted cells."""

    def __init__(self, lex: Lexicon, columns: list[_Column], headings: list[Heading], known_rows: bool,
                 warn: Callable[[int, str], None]) -> None:
        self.lex = lex
        self.warn = warn
        self.columns = columns
        self.roles = resolve_roles([column.role for column in columns])
        self.headings = list(headings)
        self.known_rows = known_rows
        #: Tab-separated and box-drawn rows say each cell's column: where the header's cells do too, trust them.
        self.positional = all(len(column.tokens) == 1 and column.tokens[0].column == index
                              for index, column in enumerate(columns))
        self.goals: dict[int, Cell] = {}
        self.parent: Line | None = None
        #: The roles the rows of the current 序号 group printed so far, and whether a sub-row printed a lead.
        self.above: set[str] = set()
        self.sub_rows_lead = False

    def read(self, tokens: list[Token]) -> list[Row]:
        """Align the data cells with the columns (twice: the second time knowing each column's usual numbering)."""
        aligner = Aligner(self.roles)
        shapes = [shape(token.text, self.lex) for token in tokens]
        texts = [no_space(token.text) for token in tokens]
        placements = self._place(aligner, tokens, shapes, texts)
        if not self.known_rows:
            aligner.remember(placements, shapes)
            placements = self._place(aligner, tokens, shapes, texts)
        rows: list[Row] = []
        for placement in placements:
            row = self._row(placement, tokens)
            if row is not None:
                rows.append(row)
        return rows

    def _place(self, aligner: Aligner, tokens: list[Token], shapes, texts) -> list[Placement]:
        if not self.known_rows:
            return aligner.read(shapes, texts)
        out: list[Placement] = []
        start = 0
        for index, token in enumerate(tokens):
            if token.row_end or index == len(tokens) - 1:
                part = range(start, index + 1)
                if self._as_printed(tokens, part):
                    placed = [(tokens[i].column or 0, [i]) for i in part if (tokens[i].column or 0) < len(self.roles)]
                    if placed:
                        out.append(Placement(placed))
                        # a whole row teaches the short rows after it too ("四、" heads the category column,
                        # "14." the project's), or a short row's first cell lands in the first column
                        aligner.remember(out[-1:], shapes, reset=False)
                    start = index + 1
                    continue
                row = aligner.read([shapes[i] for i in part], [texts[i] for i in part], single_row=True)
                for placement in row:
                    placement.cells = [(column, [i + start for i in indices]) for column, indices in placement.cells]
                aligner.remember(row, shapes, reset=False)  # each row teaches the next what its columns hold
                out.extend(row)
                start = index + 1
        return out

    def _as_printed(self, tokens: list[Token], part: range) -> bool:
        """Whether a row's cells can be placed in the columns the text puts them in: the serialisation keeps empty
        cells in place (tab-separated, box-drawn) and the row has as many cells as the header, or the row prints
        every column (a whole pipe row). A short row (a browser's copy of merged cells) is aligned by content."""
        if not self.positional or any(tokens[i].column is None for i in part):
            return False
        width = len(self.roles)
        return all(tokens[i].exact and tokens[i].fields == width for i in part) or len(part) == width

    def _row(self, placement: Placement, tokens: list[Token]) -> Row | None:
        if placement.group:
            token = tokens[placement.cells[0][1][0]]
            self._group_row(token)
            return None
        cells: list[Cell] = []
        by_role: dict[str, list[Line]] = {}
        goal_columns: list[tuple[int, list[Line]]] = []
        for column, indices in placement.cells:
            lines = [line for i in indices for line in tokens[i].lines]
            role = self.roles[column]
            if role == "goal":
                goal_columns.append((column, lines))
            elif role in _KEPT:
                by_role.setdefault(role, []).extend(lines)
        if self._heading_row(by_role, goal_columns):
            self._group_row(Token(by_role.get("text", []) or goal_columns[0][1]))
            return None
        if "text" not in by_role:
            first = tokens[placement.cells[0][1][0]]
            if any(role in by_role for role in NAME_ROLES):
                self.warn(first.first, f"row without a statement, not read as a task: {first.text[:40]!r}")
            return None
        if "seq" in by_role:
            self.parent = None
        for column, lines in goal_columns:
            self.goals = {c: cell for c, cell in self.goals.items() if c < column}
            named = [Line(line.no, strip_enumerator(line.text) if i == 0 else line.text)
                     for i, line in enumerate(lines)]
            self.goals[column] = Cell(tuple(named), "goal", rule=f'column "{self.columns[column].text}"')
        self._sub_row_units(by_role)
        text_lines = self._sub_items(by_role.pop("text"), cells)
        for role, lines in by_role.items():
            header = next(c.text for c, r in zip(self.columns, self.roles, strict=True) if r == role)
            cells.append(Cell(tuple(lines), role, rule=f'column "{header}"'))
        cells += self._empty_after_printed(by_role)
        cells.append(Cell(tuple(text_lines), "text", rule="statement column"))
        nos = [line.no for cell in cells for line in cell.lines]
        cells.extend(self._goal_cells())
        cells.extend(self._heading_role_cells())
        return Row(cells, Span(min(nos), max(nos)), complete_goal=True)

    def _empty_after_printed(self, by_role: dict[str, list[Line]]) -> list[Cell]:
        """In a sub-row, name columns left empty to the right of a name column it prints are empty, not merged:
        merged cells span a group's rows from the left ("县交通运输局" printed, 责任单位 after it left empty)."""
        if "seq" in by_role:
            return []
        out: list[Cell] = []
        printed = False
        for role in self.roles:
            if role not in NAME_ROLES:
                continue
            if role in by_role:
                printed = True
            elif printed:
                out.append(Cell((), role, rule=NOT_MERGED))
        return out

    def _sub_row_units(self, by_role: dict[str, list[Line]]) -> None:
        """A sub-row (no 序号 of its own) printing one unit list where the row above printed both a lead and a
        cooperating list: the lead cell is the merged one, so the printed list is the cooperating units."""
        printed = set(by_role)
        if "seq" in printed:
            self.above, self.sub_rows_lead = printed, False
            return
        if "lead" in printed and "coop" not in printed and {"lead", "coop"} <= self.above and not self.sub_rows_lead \
                and "coop" in self.roles:
            by_role["coop"] = by_role.pop("lead")
        # A sub-row that prints its own lead unit shows that the lead column is not merged in this group.
        self.sub_rows_lead = self.sub_rows_lead or "lead" in by_role
        self.above |= printed

    def _heading_row(self, by_role: dict[str, list[Line]], goals: list[tuple[int, list[Line]]]) -> bool:
        """A row holding only a Chinese-numeral 序号 and one short phrase ("一 | 主要预期目标") is a goal heading."""
        seq = join_lines([line.text for line in by_role.get("seq", [])])
        phrases = [lines for _, lines in goals] + ([by_role["text"]] if "text" in by_role else [])
        if set(by_role) - {"seq", "text"} or len(phrases) != 1 or not _CN_SEQ.match(seq):
            return False
        text = join_lines([line.text for line in phrases[0]])
        return len(text) <= _HEADING_PHRASE and not shape(text, self.lex).sentence and not shape(text, self.lex).digits

    def _group_row(self, token: Token) -> None:
        found = enumerator(token.text)
        rank = found.rank if found else UNNUMBERED
        self.headings = [heading for heading in self.headings if heading.rank < rank]
        text = no_space(token.text[found.end:] if found else token.text).rstrip("。；;")
        self.headings.append(Heading(rank, text, token.first, tuple(heading_roles(token.text, self.lex))))
        self.goals, self.parent = {}, None

    def _sub_items(self, lines: list[Line], cells: list[Cell]) -> list[Line]:
        """A project "(一)…" with its first sub-item "1.…" in one cell: the project becomes the parent."""
        first = enumerator(lines[0].text)
        if first is not None and first.style == "pcn":
            split = next((i for i, line in enumerate(lines[1:], start=1)
                          if (found := enumerator(line.text)) is not None and found.rank > first.rank), None)
            if split is None:
                self.parent = None
                cells.append(Cell((), "parent", rule=NO_PARENT))
                return lines
            self.parent = Line(lines[0].no, join_lines([line.text for line in lines[:split]]))
            cells.append(Cell(tuple(lines[:split]), "parent", rule="project row above its sub-items"))
            return lines[split:]
        return lines

    def _goal_cells(self) -> list[Cell]:
        out = [cell for cell in context_cells(self.headings) if cell.hint and cell.hint.startswith("goal")]
        level = len(out)
        for column in sorted(self.goals):
            cell = self.goals[column]
            out.append(Cell(cell.lines, f"goal{level}", rule=cell.rule))
            level += 1
        if self.parent is not None:
            found = enumerator(self.parent.text)
            text = no_space(self.parent.text[found.end:] if found else self.parent.text)
            out.append(Cell((Line(self.parent.no, text),), f"goal{level}", rule="project row above its sub-items"))
        return out

    def _heading_role_cells(self) -> list[Cell]:
        return [cell for cell in context_cells(self.headings) if cell.hint and cell.hint.startswith("heading_")]


def _since_attachment(tokens: list[Token]) -> list[Token]:
    """The cells after the last attachment marker (附件2 …): what is printed before it is another part's."""
    marks = [index for index, token in enumerate(tokens) if opens_attachment(token.text)]
    return tokens[marks[-1]:] if marks else tokens


def read_flattened(file: str, tokens: list[Token], layout: str, encoding: str, lex: Lexicon) -> Sheet:
    """Read a document whose tables are flattened into cells; lines outside tables are its preamble."""
    diagnostics: list[Diagnostic] = []
    runs = header_runs(tokens, lex)
    tables: list[Table] = []
    preamble = [line for token in tokens[: runs[0][0] if runs else len(tokens)] for line in token.lines]
    rules = [PrintedRule(kind, token.first, token.text)  # type: ignore[arg-type]
             for token in tokens for kind in printed_rules(token.text, lex)]
    known_rows = any(token.row_end for token in tokens)
    previous_end = 0
    for number, (start, end) in enumerate(runs):
        stop = runs[number + 1][0] if number + 1 < len(runs) else len(tokens)
        data = tokens[end:stop]
        cut = next((i for i, token in enumerate(data) if _ends_table(token, lex)), len(data))
        data = data[:cut]
        if number + 1 < len(runs):
            while data and is_heading(data[-1].text, lex):
                data = data[:-1]
        before = _since_attachment(tokens[previous_end:start])
        headings = headings_before([Line(token.first, token.text) for token in before], lex)
        columns = _two_rows(_merge_fragments(tokens[start:end], lex), lex)
        reader = _TableReader(lex, columns, headings, known_rows,
                              lambda line, message: diagnostics.append(Diagnostic(file, line, message)))
        rows = reader.read(data)
        previous_end = end + len(data)
        if not rows:
            continue
        context = " ".join(token.text for token in _since_attachment(tokens[:start])[-12:])
        header_text = " ".join(column.text for column in columns)
        title = next((token.text for token in reversed(before) if is_title(token.text)), None)
        header = [Cell(tuple(line for token in column.tokens for line in token.lines), column.role)
                  for column in columns]
        span = Span(tokens[start].first, max(row.span.last for row in rows))
        tables.append(Table(
            marker=None, title=title, title_line=None, header=header, rows=rows, span=span,
            kind=table_kind_of(title, [h.text for h in headings], context, lex, header_text), inherit="group",
            rules=rules,
        ))
    for token in tokens[previous_end:]:
        if len(no_space(token.text)) >= _HEADER_MAX and tables:
            diagnostics.append(Diagnostic(file, token.first, f"text after the table, not read: {token.text[:40]!r}"))
    return Sheet(file, layout, encoding, preamble, tables, diagnostics)  # type: ignore[arg-type]
