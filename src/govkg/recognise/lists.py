"""Recogniser for numbered lists whose tasks carry their roles in the text.

Covers, in any mix:
- items followed by key-value lines ("牵头单位：X" / "责任单位：Y、Z", several labels may share a line);
- items closed by a labelled bracket ("（牵头单位：X；责任单位：Y）") or an unlabelled one ("（X牵头落实）",
  "（X、Y等负责）", a bare unit list);
- inline labels ("1、项目，牵头部门：市X局。其中……");
- unnumbered paragraphs closed by such a bracket;
- headings that give roles to the items below them ("一、区长沈晓峰牵头重点工作");
- a whole notice run together on one line.

Numbering decides the outline: a numbered paragraph with no roles of its own is a heading when deeper items
with roles follow it; its text (numbering and final 。 removed) is a goal level of those items.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from ..lexicon import Lexicon
from ..model import Cell, Diagnostic, Line, PrintedRule, Row, Sheet, Span, Table
from ..names import bracket_open
from ..textutil import clean_export, han_count
from .annotations import (
    Annotation,
    find_labels,
    labelled,
    parse_annotation,
    printed_rules,
    trailing_bracket,
    whole_bracket,
)
from .enumerators import UNNUMBERED, Enumerator, enumerator, in_sequence, run_on_cuts
from .headings import heading_roles, table_kind_of
from .patterns import is_marker, is_page_number, is_title

#: A line with at least this many numbered paragraphs run together (or this long with two) is cut into them.
_RUN_ON_MIN_CUTS = 3
_RUN_ON_MIN_LENGTH = 100
#: A line this long or longer that does not end a sentence may be continued on the next line (PDF wrapping).
_WRAP_MIN = 20
_HEAD_CHARS = 40
_CHROME_MAX = 40
#: A statement before an inline label holds at least this many Chinese characters.
_STATEMENT_MIN = 2
_END_OF_CLAUSE = "。；;！？!?:：)）】]"
_VALUE_CONTINUES = "、，,"
#: Numbering that stays part of the statement ("一是……", "①……"), as printed; other numbering becomes task_no only.
_KEPT_NUMBERING = ("cnshi", "circled")


@dataclass
class _Para:
    """A paragraph: its text and the lines it came from."""

    lines: list[Line]
    blank_before: bool

    @property
    def text(self) -> str:
        """The lines joined; spaces inside a line are kept (they may separate names: "市统计局 各县区政府")."""
        return "".join(line.text.strip() for line in self.lines)

    @property
    def span(self) -> Span:
        return Span(self.lines[0].no, self.lines[-1].no)


@dataclass
class _Block:
    """A numbered or annotated paragraph and what belongs to it (key-value lines after it)."""

    para: _Para
    enum: Enumerator | None
    body: str
    own: list[Annotation] = field(default_factory=list)
    progress: str | None = None
    cut: bool = False
    kv: list[_Para] = field(default_factory=list)
    marker: str | None = None
    title: _Para | None = None

    def annotations(self, lex: Lexicon) -> list[tuple[Annotation, Span]]:
        """Its roles: those printed in the paragraph itself, then those of its key-value lines."""
        out = [(annotation, self.para.span) for annotation in self.own]
        for para in self.kv:
            out += [(annotation, para.span) for annotation in labelled(para.text, lex)]
        return out

    @property
    def rank(self) -> int:
        return self.enum.rank if self.enum else UNNUMBERED

    @property
    def span(self) -> Span:
        span = self.para.span
        for para in self.kv:
            span = span.join(para.span)
        return span


def _segments(text: str) -> list[str]:
    """A line cut into the numbered paragraphs run together on it (itself when there are none)."""
    cuts = run_on_cuts(text)
    numbered = [found for cut in cuts if (found := enumerator(text[cut:])) is not None]
    if len(cuts) < _RUN_ON_MIN_CUTS and not (cuts and len(text) >= _RUN_ON_MIN_LENGTH) and not in_sequence(numbered):
        return [text]
    bounds = [0, *cuts, len(text)]
    return [text[a:b].strip() for a, b in itertools.pairwise(bounds) if text[a:b].strip()]


def _starts_part(text: str, lex: Lexicon) -> bool:
    """True when a line starts something of its own: numbering, a label, a marker, a title or page chrome."""
    return bool(enumerator(text) or find_labels(text, lex, anywhere=False) or is_marker(text) or is_title(text)
                or _is_chrome(text, lex))


def _is_chrome(text: str, lex: Lexicon) -> bool:
    """Page chrome that closes a page's content ("分享到", "上一篇：…")."""
    return len(text) <= _CHROME_MAX and text.startswith(lex.after_content)


def paragraphs(lines: list[Line], lex: Lexicon) -> list[_Para]:
    """The document's paragraphs: run-on lines cut, lines wrapped without a blank line joined."""
    out: list[_Para] = []
    blank = True
    for line in lines:
        text = clean_export(line.text).strip()
        if not text or is_page_number(text):
            blank = True
            continue
        for index, segment in enumerate(_segments(text)):
            previous = out[-1] if out else None
            wrapped = previous is not None and not blank and index == 0 and (
                (
                    (previous.text[-1:] in _VALUE_CONTINUES or len(previous.lines[-1].text.strip()) >= _WRAP_MIN)
                    and previous.text[-1:] not in _END_OF_CLAUSE
                    and not _starts_part(segment, lex)
                )
                # a bracket left open goes on, whatever the line starts with ("（牵头单位：X；" / "责任单位：Y）")
                or (bracket_open(previous.text) and not enumerator(segment))
            )
            if wrapped and previous is not None:
                previous.lines.append(Line(line.no, segment))
            else:
                out.append(_Para([Line(line.no, segment)], blank_before=blank))
            blank = False
    return out


class _Outline:
    """What the numbering says of each block, computed in one pass each.

    `annotated`: it prints roles; `roles`: the roles it gives as a heading ("一、区长X牵头重点工作"); `heads`: a
    block with roles follows it at a deeper level before the next block of its level or higher (so it is a
    heading); `sibling_annotated`: another block of its level under the same heading prints roles.
    """

    def __init__(self, blocks: list[_Block], lex: Lexicon) -> None:
        self.position = {id(block): index for index, block in enumerate(blocks)}
        annotations = [block.annotations(lex) for block in blocks]
        self.annotated = [bool(found) for found in annotations]
        self.roles = [heading_roles(block.para.text, lex) for block in blocks]
        #: "一、扩大有效投资（分管领导：苗立新）": a heading that names only its leader, given to the items below.
        self.leader_only = [bool(found) and all(annotation.role == "leader" for annotation, _ in found)
                            for found in annotations]
        self.heads = [False] * len(blocks)
        parents: list[int | None] = []
        open_blocks: list[int] = []
        for index, block in enumerate(blocks):
            while open_blocks and blocks[open_blocks[-1]].rank >= block.rank:
                open_blocks.pop()
            parents.append(open_blocks[-1] if open_blocks else None)
            if self.annotated[index]:
                for ancestor in open_blocks:
                    self.heads[ancestor] = True
            open_blocks.append(index)
        for index, found in enumerate(annotations):
            if self.leader_only[index] and self.heads[index]:
                self.annotated[index] = False
                self.roles[index] = [annotation for annotation, _ in found]
        with_roles = {(parents[i], blocks[i].rank) for i in range(len(blocks)) if self.annotated[i]}
        self.sibling_annotated = [(parents[i], blocks[i].rank) in with_roles for i in range(len(blocks))]


class _Reader:
    """Turns paragraphs into blocks, then blocks into items under their headings."""

    def __init__(self, file: str, lex: Lexicon) -> None:
        self.file = file
        self.lex = lex
        self.diagnostics: list[Diagnostic] = []

    def warn(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.file, line, message))

    # --- blocks --------------------------------------------------------------------------------------

    def blocks(self, paras: list[_Para]) -> tuple[list[_Para], list[_Block]]:
        """Blocks in order, and the paragraphs before the first one (the notice's preamble)."""
        preamble: list[_Para] = []
        blocks: list[_Block] = []
        marker: str | None = None
        title: _Para | None = None
        paras = self._annotations_joined(paras)
        for index, para in enumerate(paras):
            text = para.text
            if blocks and _is_chrome(para.lines[0].text.strip(), self.lex):
                break  # the content ends where the page's chrome starts
            if is_marker(text):
                marker, title = text, None
                continue
            if is_title(text) and not enumerator(text):
                title = para
                continue
            current = blocks[-1] if blocks else None
            if find_labels(text, self.lex, anywhere=False):
                if current is not None and not current.cut:
                    current.kv.append(para)
                else:
                    preamble.append(para)
                continue
            if current is not None and current.kv and self._continues_value(current, para):
                current.kv[-1].lines.extend(para.lines)
                continue
            block = self._block(para, last=index == len(paras) - 1)
            if block.enum is None and not block.own and not block.cut and not heading_roles(text, self.lex):
                if current is None:
                    preamble.append(para)
                else:
                    self.warn(para.span.first, f"text not placed in any task: {text[:_HEAD_CHARS]!r}")
                continue
            block.marker, block.title = marker, title
            marker, title = None, None
            blocks.append(block)
        return preamble, blocks

    def _annotations_joined(self, paras: list[_Para]) -> list[_Para]:
        """The paragraphs with each role annotation printed on lines of its own ("（省商务厅、省财政厅等负责）" under
        its task, as a PDF or a page may set it) joined to the paragraph above it, when that one prints no roles."""
        out: list[_Para] = []
        for para in paras:
            previous = out[-1] if out else None
            if previous is not None and self._annotation_only(para) and not self._prints_roles(previous):
                out[-1] = _Para(previous.lines + para.lines, previous.blank_before)
            else:
                out.append(para)
        return out

    def _annotation_only(self, para: _Para) -> bool:
        content = whole_bracket(para.text)
        return content is not None and bool(parse_annotation(content, self.lex))

    def _prints_roles(self, para: _Para) -> bool:
        """True when a paragraph prints roles of its own: labels, or a closing bracket (any: an unclosed one is
        a list cut off), or is all roles."""
        trailing = trailing_bracket(para.text)
        return bool(find_labels(para.text, self.lex) or trailing is not None or self._annotation_only(para))

    def _continues_value(self, block: _Block, para: _Para) -> bool:
        last = block.kv[-1].text
        return last[-1:] in _VALUE_CONTINUES and not _starts_part(para.text, self.lex)

    def _block(self, para: _Para, *, last: bool = False) -> _Block:
        """A paragraph's numbering, statement and own roles; the document's last paragraph may be cut off."""
        text = para.text
        enum = enumerator(text)
        body = text[enum.end:] if enum else text
        block = _Block(para, enum, body)
        trailing = trailing_bracket(body)
        if trailing is not None:
            parsed = parse_annotation(trailing.content, self.lex)
            if parsed and trailing.closed:
                block.body, block.own = trailing.before.rstrip(), parsed
                return block
            if not trailing.closed and (parsed or last or find_labels(trailing.content, self.lex)):
                block.body, block.cut = trailing.before.rstrip(), True
                self.warn(para.span.last, "the unit list of this task is not closed (cut off?); its units are not read")
                return block
        hits = [hit for hit in find_labels(body, self.lex) if hit.start > 0]
        if hits:
            head = body[: hits[0].start].rstrip(" ,，;；、")
            if han_count(head) >= _STATEMENT_MIN:
                end = body.find("。", hits[-1].value_start)
                end = len(body) if end < 0 else end
                parsed = labelled(body[hits[0].start:end], self.lex)
                if parsed:
                    block.body, block.own = head, parsed
                    block.progress = body[end + 1 :].strip() or None
        return block

    # --- items ---------------------------------------------------------------------------------------

    def rows(self, blocks: list[_Block]) -> list[tuple[_Block, Row]]:
        """Each item block with its row of hinted cells; headings set goals and heading roles."""
        out: list[tuple[_Block, Row]] = []
        stack: list[_Block] = []  # open headings, outermost first
        printed: set[int] = set()  # headings whose lines an earlier item's span already covers
        outline = _Outline(blocks, self.lex)
        marker: str | None = None
        title: _Para | None = None
        for index, block in enumerate(blocks):
            while stack and stack[-1].rank >= block.rank:
                stack.pop()
            marker, title = block.marker or marker, block.title or title
            if block.cut:
                continue
            if not outline.annotated[index]:
                if outline.roles[index] or outline.heads[index]:
                    stack.append(block)
                    continue
                under_roles = any(outline.roles[outline.position[id(heading)]] for heading in stack)
                if not under_roles and not outline.sibling_annotated[index]:
                    self.warn(block.para.span.first,
                              f"numbered paragraph with no responsible unit, not read as a task: "
                              f"{block.para.text[:_HEAD_CHARS]!r}")
                    continue
            block.marker, block.title = marker, title
            marker, title = None, None
            new_headings = [heading for heading in stack if id(heading) not in printed]
            printed.update(id(heading) for heading in stack)
            out.append((block, self._row(block, stack, outline, new_headings)))
        return out

    def _row(self, block: _Block, stack: list[_Block], outline: _Outline, new_headings: list[_Block]) -> Row:
        """An item's row: goal levels and roles from its headings, its number, statement and roles; its span
        reaches back over the headings first printed above it."""
        cells: list[Cell] = []
        for level, heading in enumerate(stack):
            text = heading.body.strip().rstrip("。；;")
            cells.append(Cell((Line(heading.para.span.first, text),), f"goal{level}", rule="heading"))
        for heading in reversed(stack):
            roles = outline.roles[outline.position[id(heading)]]
            if roles:
                for annotation in roles:
                    line = Line(heading.para.span.first, annotation.text)
                    cells.append(Cell((line,), f"heading_{annotation.role}", rule=annotation.rule))
                break
        if block.enum is not None:
            cells.append(Cell((Line(block.para.span.first, block.enum.number),), "taskno", rule="numbering"))
        first = block.para.span.first
        statement = block.body.strip()
        if block.enum is not None and block.enum.style in _KEPT_NUMBERING:
            statement = block.para.text[: block.enum.end].strip() + statement
        annotations = block.annotations(self.lex)
        content = [(annotation, span) for annotation, span in annotations if annotation.role == "text"]
        if content:
            # "一、新建县城第四小学" / "建设内容：…": the item names a project; the labelled content is the statement.
            level = sum(1 for cell in cells if cell.hint and cell.hint.startswith("goal"))
            cells.append(Cell((Line(first, statement.rstrip("。；;")),), f"goal{level}", rule="project name"))
            cells.append(Cell(tuple(Line(span.first, annotation.text) for annotation, span in content), "text",
                              rule=content[0][0].rule))
        else:
            cells.append(Cell((Line(first, statement),), "text", rule="numbered paragraph"
                              if block.enum else "paragraph closed by a role annotation"))
        certain = True
        for annotation, span in annotations:
            if annotation.role == "text":
                continue
            cells.append(Cell((Line(span.first, annotation.text),), annotation.role, rule=annotation.rule))
            certain = certain and annotation.certain
        if block.progress:
            cells.append(Cell((Line(first, block.progress),), "progress", rule="text after the roles"))
        span = block.span
        for heading in new_headings:
            span = span.join(heading.para.span)
        return Row(cells, span, units_certain=certain, complete_goal=True)


def read_list(file: str, lines: list[Line], encoding: str, lex: Lexicon) -> Sheet:
    """Read a numbered list with role annotations into tables of hinted rows (one table per 附件 / title)."""
    reader = _Reader(file, lex)
    paras = paragraphs(lines, lex)
    preamble, blocks = reader.blocks(paras)
    rules = [rule for para in paras for rule in _rules_of(para, lex)]
    tables: list[Table] = []
    table: Table | None = None
    context = " ".join(para.text for para in preamble[:6])
    for block, row in reader.rows(blocks):
        starts_table = block.marker is not None or block.title is not None
        if table is None or starts_table:
            title = block.title
            table = Table(
                marker=block.marker,
                title=title.text if title else None,
                title_line=title.span.first if title else None,
                header=[],
                rows=[],
                span=row.span,
                inherit="none",
                rules=rules,
            )
            tables.append(table)
        table.rows.append(row)
        table.span = table.span.join(row.span)
    for table in tables:
        headings = [cell.text for row in table.rows for cell in row.cells if cell.rule == "heading"]
        table.kind = table_kind_of(table.title, headings, context, lex)
    preamble_lines = [line for para in preamble for line in para.lines]
    return Sheet(file, "list", encoding, preamble_lines, tables, reader.diagnostics)


def _rules_of(para: _Para, lex: Lexicon) -> list[PrintedRule]:
    return [PrintedRule(kind, para.span.first, para.text) for kind in printed_rules(para.text, lex)]  # type: ignore[arg-type]
