"""Reader for key-value lists: numbered tasks, each followed by lines such as "牵头单位：区发改局".

Headings "一、…" and "（一）…" are goal levels; "1." / "1、" / "（1）" open a task; a line "KEY：value" whose
key is a known column name (牵头单位, 责任单位, 分管领导 …) is a cell of the open task; any other line
continues the task text or the last value.
"""

from __future__ import annotations

import re

from ..lexicon import Lexicon
from ..model import Cell, Diagnostic, Line, Row, Sheet, Span, Table
from ..textutil import clean_export
from .patterns import is_marker, is_page_number, is_title

_HEADING = (
    re.compile(r"^\s*[一二三四五六七八九十百]+\s*[、.．]\s*(?P<text>\S.*)$"),
    re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[）)]\s*(?P<text>\S.*)$"),
)
_TASK = re.compile(r"^\s*(?:(?P<a>\d{1,4})\s*[.、．](?!\d)|[（(]\s*(?P<b>\d{1,4})\s*[）)])\s*(?P<text>\S.*)$")
_KEY_VALUE = re.compile(r"^\s*(?P<key>[^\s：:]{2,12})\s*[：:]\s*(?P<value>.*)$")


def key_role(line: str, lex: Lexicon) -> str | None:
    """The column role of a "KEY：value" line, or None when the line is not one."""
    match = _KEY_VALUE.match(line)
    return lex.header_role(match.group("key")) if match else None


class _Builder:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.cells: list[list[Line]] = []
        self.hints: list[str] = []
        self.heads: list[Line | None] = [None, None]
        self.new_heads: set[int] = set()

    def heading(self, level: int, line: Line) -> None:
        self.close()
        self.heads[level] = line
        if level == 0:
            self.heads[1] = None
        self.new_heads.update(range(level, 2))

    def task(self, line: Line, number: str, text: str) -> None:
        self.close()
        for level in sorted(self.new_heads):
            head = self.heads[level]
            if head is not None:
                self.cells.append([head])
                self.hints.append(f"goal{level}")
        self.new_heads = set()
        self.cells += [[Line(line.no, number)], [Line(line.no, text)]]
        self.hints += ["taskno", "text"]

    def value(self, line: Line, key: str, value: str) -> None:
        self.cells.append([Line(line.no, value)])
        self.hints.append(key)

    def more(self, line: Line) -> bool:
        if not self.cells:
            return False
        self.cells[-1].append(line)
        return True

    def close(self) -> None:
        if self.cells:
            nos = [line.no for cell in self.cells for line in cell]
            cells = [Cell(tuple(lines), hint) for lines, hint in zip(self.cells, self.hints, strict=True)]
            self.rows.append(Row(cells, Span(min(nos), max(nos))))
        self.cells, self.hints = [], []


def read_keyvalue(file: str, lines: list[Line], encoding: str, lex: Lexicon) -> Sheet:
    """Read a key-value list into tables whose rows hold hinted cells."""
    diagnostics: list[Diagnostic] = []
    preamble: list[Line] = []
    tables: list[Table] = []
    builder: _Builder | None = None
    table: Table | None = None
    marker: str | None = None
    title: Line | None = None

    def finish() -> None:
        if builder is not None and table is not None:
            builder.close()
            table.rows = builder.rows

    for raw in lines:
        text = clean_export(raw.text).strip()
        if not text or is_page_number(text):
            continue
        line = Line(raw.no, text)
        if is_marker(text):
            finish()
            marker, title, builder, table = text, None, None, None
            continue
        if is_title(text) and (builder is None or builder.rows or builder.cells):
            finish()
            title, builder, table = line, None, None
            continue
        heading = next((i for i, rx in enumerate(_HEADING) if rx.match(text)), None)
        task = _TASK.match(text)
        role = key_role(text, lex)
        if builder is None:
            if heading is None and task is None:
                preamble.append(line)
                continue
            builder = _Builder()
            table = Table(marker, title.text if title else None, title.no if title else None, [], [],
                          Span(line.no, line.no))
            tables.append(table)
        assert table is not None
        table.span = table.span.join(Span(line.no, line.no))
        if heading is not None:
            builder.heading(heading, Line(line.no, _HEADING[heading].match(text).group("text")))
        elif task is not None:
            builder.task(line, task.group("a") or task.group("b"), task.group("text"))
        elif role is not None:
            match = _KEY_VALUE.match(text)
            assert match is not None
            builder.value(line, match.group("key"), match.group("value"))
        elif not builder.more(line):
            diagnostics.append(Diagnostic(file, line.no, f"text not placed in any task: {text[:40]!r}"))
    finish()
    return Sheet(file, "keyvalue", encoding, preamble, tables, diagnostics)
