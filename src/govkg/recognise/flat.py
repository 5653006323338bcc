"""Reader for flat text (tables extracted from PDF): no cell markers, so rows and cells are inferred.

Each line is classified by what it is: a bare group number, a task "(n)", a livelihood item ("1." or a
sentence), person names, unit names (lists joined over lines that end with a separator), or other
text, which is a goal heading when a task follows it, or the continuation of an unfinished task. What is
printed after a task and before the next task or heading belongs to that task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..lexicon import Lexicon
from ..model import Cell, Diagnostic, Line, Row, Sheet, Span, Table
from ..names import looks_like_person, looks_like_unit, split_people, split_units
from ..textutil import LIST_SEPARATORS, clean_export, ends_sentence, no_space
from .patterns import GROUP_NUMBER, ITEM_NUMBER, TASK_NUMBER, is_marker, is_page_number, is_title

_QUALIFIER_LINE = re.compile(r"^[（(][^（）()]{1,12}[）)]$")
#: Two Han characters letter-spaced ("周  庆"): how tables print a two-character person name to align it with
#: three-character ones. Such a line is a whole cell, never the first half of a unit name wrapped over two lines.
_SPACED_PAIR = re.compile(r"^[\u3400-\u9fff][ \t\u3000]+[\u3400-\u9fff]$")
#: A heading line this short may be continued by the next line (a wrapped goal cell).
_WRAP_HEAD_MAX = 6
_ITEM_MIN_CHARS = 20
_UNIT_SHARE = 0.75


@dataclass
class _Region:
    marker: str | None = None
    title: Line | None = None
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)


@dataclass
class _Task:
    seq: Line | None
    heads: list[list[Line]]
    head_level: int
    text: list[Line]
    leaders: list[Line] = field(default_factory=list)
    units: list[list[Line]] = field(default_factory=list)
    phase: str = "text"

    def text_so_far(self) -> str:
        return "".join(line.text.strip() for line in self.text)


#: No task yet (a line judged on its own).
_NO_TASK = _Task(None, [], 0, [])


def _regions(lines: list[Line], lex: Lexicon) -> tuple[list[Line], list[_Region]]:
    """Split the document into the preamble and table regions (marker, title, header, body)."""
    preamble: list[Line] = []
    regions: list[_Region] = []
    region: _Region | None = None
    for line in lines:
        text = line.text.strip()
        if is_marker(text):
            region = _Region(marker=text)
            regions.append(region)
        elif is_title(text) and region is not None and region.title and no_space(text) == no_space(region.title.text):
            continue
        elif is_title(text) and (region is None or region.body or region.header or region.title):
            region = _Region(title=line)
            regions.append(region)
        elif is_title(text) and region.title is None:
            region.title = line
        elif region is not None and not region.body and lex.is_header_word(text):
            region.header.append(line)
        elif region is None and lex.is_header_word(text) and lex.header_role(text):
            region = _Region(header=[line])
            regions.append(region)
        elif region is None:
            preamble.append(line)
        elif not _repeated_header(line, region, lex):
            region.body.append(line)
    return preamble, [r for r in regions if r.body or r.header]


def _repeated_header(line: Line, region: _Region, lex: Lexicon) -> bool:
    """A table's title or column names printed again at the top of a new page."""
    text = no_space(line.text)
    if region.title is not None and text == no_space(region.title.text):
        return True
    return any(text == no_space(head.text) for head in region.header) and lex.is_header_word(text)


def _header_cells(lines: list[Line], lex: Lexicon) -> list[Cell]:
    """Header words, joining a header wrapped over lines ("区政府" + "分管领导")."""
    cells: list[list[Line]] = []
    for line in lines:
        key = no_space(line.text)
        if cells:
            joined = "".join(no_space(part.text) for part in cells[-1]) + key
            previous_complete = lex.header_role("".join(part.text for part in cells[-1])) is not None
            if not previous_complete and lex.is_header_word(joined):
                cells[-1].append(line)
                continue
        cells.append([line])
    return [Cell(tuple(cell)) for cell in cells]


class _Body:
    """Infers the rows of one table body, line by line."""

    def __init__(self, file: str, lex: Lexicon, livelihood: bool, diagnostics: list[Diagnostic]) -> None:
        self.file = file
        self.lex = lex
        self.livelihood = livelihood
        self.diagnostics = diagnostics
        self.rows: list[Row] = []
        self.task: _Task | None = None
        self.seq: Line | None = None
        self.heads: list[Line] = []
        self.seen_number = False

    def run(self, lines: list[Line]) -> list[Row]:
        index = 0
        while index < len(lines):
            following = lines[index + 1] if index + 1 < len(lines) else None
            index += self._feed(lines[index], following)
        self._close()
        for line in self.heads:
            self._warn(line, f"text not placed in any task: {line.text.strip()[:40]!r}")
        return self.rows

    def _warn(self, line: Line, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.file, line.no, message))

    def _feed(self, line: Line, following: Line | None) -> int:
        text = line.text.strip()
        if TASK_NUMBER.match(text) or (self.livelihood and ITEM_NUMBER.match(text)):
            self._start(line)
            return 1
        if GROUP_NUMBER.match(text):
            self._close()
            self.seq, self.seen_number = line, True
            return 1
        task = self.task
        if task is not None:
            if not self.heads and task.phase in ("text", "leaders") and (
                    self._person_line(text) or self._spaced_name(text, following)):
                task.leaders.append(line)
                task.phase = "leaders"
                return 1
            if self._unit_line(text, task):
                self._drop_heads()
                self._add_units(task, [line])
                return 1
            if following is not None and not _SPACED_PAIR.match(text) \
                    and self._unit_line(text + following.text.strip(), task):
                # A unit name wrapped over two lines ("退役军人" + "事务局").
                self._drop_heads()
                self._add_units(task, [line, following])
                return 2
            if not self.heads and task.phase == "text" and not ends_sentence(task.text_so_far()):
                task.text.append(line)
                return 1
        if self.livelihood and self._item_text(text):
            self._start(line)
            return 1
        self.heads.append(line)
        return 1

    def _drop_heads(self) -> None:
        """Lines taken for a heading turn out to sit between a task and its units: warn, keep none."""
        for line in self.heads:
            self._warn(line, f"text between a task and its units, not placed: {line.text.strip()[:40]!r}")
        self.heads = []

    def _person_line(self, text: str) -> bool:
        names = split_people(text, self.lex)
        return bool(names) and all(looks_like_person(name.text, self.lex) for name in names)

    def _spaced_name(self, text: str, following: Line | None) -> bool:
        """A letter-spaced two-character line in the leader's place, followed by the task's units or another name,
        is a person even when its surname is not in the lexicon ("傅  国" then "科技局"); a unit ("编  办") or a
        group is not, nor is a line followed by the next task (a spaced goal heading such as "教  育")."""
        if not _SPACED_PAIR.match(text) or following is None:
            return False
        name = no_space(text)
        if looks_like_unit(name, self.lex) or self._unit_line(name, _NO_TASK):
            return False
        after = following.text.strip()
        if TASK_NUMBER.match(after) or GROUP_NUMBER.match(after):
            return False
        return self._unit_line(after, _NO_TASK) or self._person_line(after) \
            or bool(_SPACED_PAIR.match(after))

    def _unit_line(self, text: str, task: _Task) -> bool:
        if _QUALIFIER_LINE.match(text):
            return bool(task.units)
        if ends_sentence(text) or "：" in text or ":" in text:
            return False
        names = split_units(text, self.lex)
        if not names:
            return False
        good = sum(1 for name in names if name.kind == "group" or looks_like_unit(name.form, self.lex))
        return good == len(names) or (good >= 2 and good >= _UNIT_SHARE * len(names))

    def _item_text(self, text: str) -> bool:
        return ends_sentence(text) or len(text) >= _ITEM_MIN_CHARS

    def _add_units(self, task: _Task, lines: list[Line]) -> None:
        task.phase = "units"
        text = lines[0].text.strip()
        if task.units:
            previous = task.units[-1][-1].text.strip()
            if previous[-1:] in LIST_SEPARATORS or _QUALIFIER_LINE.match(text):
                task.units[-1].extend(lines)
                return
        task.units.append(list(lines))

    def _start(self, line: Line) -> None:
        self._close()
        level = 0 if (self.seq is not None or self.livelihood or not self.seen_number) else 1
        heads = [self.heads] if self.livelihood and self.heads else _segments(self.heads)
        self.task = _Task(seq=self.seq, heads=heads, head_level=level, text=[line])
        self.seq, self.heads = None, []

    def _close(self) -> None:
        task = self.task
        if task is None:
            return
        self.task = None
        if task.units and task.units[-1][-1].text.strip()[-1:] in LIST_SEPARATORS:
            last = task.units[-1][-1]
            self._warn(last, "unit list ends with a separator and is not continued (cut off?)")
        cells: list[Cell] = []
        if task.seq is not None:
            cells.append(Cell((task.seq,), "seq"))
        for offset, segment in enumerate(task.heads):
            cells.append(Cell(tuple(segment), f"goal{task.head_level + offset}"))
        cells.append(Cell(tuple(task.text), "text"))
        if task.leaders:
            cells.append(Cell(tuple(task.leaders), "leader"))
        unit_cells = [Cell(tuple(lines), "units") for lines in task.units]
        cells.extend(unit_cells)
        nos = [line.no for cell in cells for line in cell.lines]
        self.rows.append(Row(cells, Span(min(nos), max(nos)), _units_certain(unit_cells, self.lex)))


def _segments(lines: list[Line]) -> list[list[Line]]:
    """Goal heading lines grouped into cells: a short line may be continued by a shorter one."""
    segments: list[list[Line]] = []
    for line in lines:
        text = no_space(line.text)
        if segments and len(segments[-1]) == 1:
            previous = no_space(segments[-1][0].text)
            if len(previous) <= _WRAP_HEAD_MAX and len(text) <= len(previous):
                segments[-1].append(line)
                continue
        segments.append([line])
    return segments


def _units_certain(cells: list[Cell], lex: Lexicon) -> bool:
    """Whether layout tells lead from cooperating units: one unit alone, or one unit then a list."""
    if not cells:
        return True
    first = split_units(cells[0].text, lex)
    single = len(first) == 1 and first[0].kind == "unit"
    if len(cells) == 1:
        return single
    if len(cells) == 2:
        second = split_units(cells[1].text, lex)
        return single and (len(second) >= 2 or all(name.kind == "group" for name in second))
    return False


def read_flat(file: str, lines: list[Line], encoding: str, lex: Lexicon) -> Sheet:
    """Read flat text into tables of inferred rows whose cells carry role hints."""
    diagnostics: list[Diagnostic] = []
    kept = [
        Line(line.no, clean_export(line.text))
        for line in lines
        if line.text.strip() and not is_page_number(line.text)
    ]
    preamble, regions = _regions(kept, lex)
    tables: list[Table] = []
    for region in regions:
        title = region.title.text.strip() if region.title else None
        header = _header_cells(region.header, lex)
        words = (title or "") + "".join(no_space(cell.text) for cell in header)
        livelihood = any(word in words for word in lex.livelihood_words)
        rows = _Body(file, lex, livelihood, diagnostics).run(region.body)
        first = region.title or (region.header[0] if region.header else region.body[0])
        last = region.body[-1] if region.body else (region.header[-1] if region.header else first)
        tables.append(
            Table(
                marker=region.marker,
                title=title,
                title_line=region.title.no if region.title else None,
                header=header,
                rows=rows,
                span=Span(first.no, last.no),
                inherit="goal",
            )
        )
    return Sheet(file, "flat", encoding, preamble, tables, diagnostics)
