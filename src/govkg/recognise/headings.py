"""Headings that assign work ("一、区长沈晓峰牵头重点工作") and the kind of table a heading or title opens."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon import Lexicon
from ..model import Cell, Line, TableKind
from ..names import looks_like_person, looks_like_unit, split_people, split_units
from ..textutil import no_space
from .annotations import Annotation
from .enumerators import UNNUMBERED, enumerator

#: A heading line is at most this long.
_HEADING_MAX = 60
_COUNT = re.compile(r"[（(]\s*\d+\s*(?:项|个|条|件)\s*[）)]$")
#: Words of a title or preamble that say the list holds the work report's main tasks, even if it names 民生实事
#: too ("重点工作和民生实事项目责任分工"); 政府工作报告 alone does not (its 民生实事 are a livelihood list).
_MAIN_WORDS = ("重点工作", "重点任务", "主要任务")


def heading_roles(text: str, lex: Lexicon) -> list[Annotation]:
    """The leader or lead unit a heading gives the items below it: "一、区长沈晓峰牵头重点工作" → leader 沈晓峰."""
    found = enumerator(text)
    body = no_space(text[found.end:] if found else text).rstrip("。；;:：")
    body = _COUNT.sub("", body)
    words = lex.annotations
    for verb in words.heading_verbs:
        for obj in words.heading_objects:
            if not body.endswith(verb + obj):
                continue
            who = body[: -len(verb + obj)]
            if not who:
                return []
            rule = f'heading "{body}"'
            people = [p for p in split_people(who, lex) if p.kind == "person" and looks_like_person(p.text, lex)]
            if people:
                return [Annotation("leader", "、".join(p.text for p in people), rule)]
            units = split_units(who, lex)
            if units and all(u.kind == "group" or looks_like_unit(u.form, lex) for u in units):
                return [Annotation("lead", who, rule)]
            return []
    return []


def table_kind_of(title: str | None, headings: list[str], context: str, lex: Lexicon,
                  header: str = "") -> TableKind:
    """"livelihood" for a 民生实事 / 民生工程 table, else "main".

    The title decides when there is one; else a notice about the work report (政府工作报告, 重点工作 in its
    opening) is the main table even where a section is about 民生实事; else a heading, the header or the
    opening naming 民生实事 makes it the livelihood table.
    """
    def livelihood(text: str) -> bool:
        return any(word in text for word in lex.livelihood_words)

    def main(text: str) -> bool:
        return any(word in text for word in _MAIN_WORDS)

    if title:
        return "livelihood" if livelihood(title) and not main(title) else "main"
    if main(context) and not livelihood(header):
        return "main"
    if any(livelihood(heading) for heading in headings) or livelihood(header) or livelihood(context):
        return "livelihood"
    return "main"


@dataclass(frozen=True)
class Heading:
    """A heading in force over a table or list: its outline rank, its text as a goal name, line and roles."""

    rank: int
    text: str
    line: int
    roles: tuple[Annotation, ...] = ()


def is_heading(text: str, lex: Lexicon) -> bool:
    """True for a heading line: "一、…" / "第一部分…", or one that assigns work ("区长沈晓峰牵头重点工作")."""
    compact = no_space(text)
    if not compact or len(compact) > _HEADING_MAX:
        return False
    found = enumerator(compact)
    return bool(found and found.style in ("part", "cn")) or bool(heading_roles(compact, lex))


def heading(text: str, line: int, lex: Lexicon) -> Heading:
    """A heading line read: rank, goal name (numbering and a final 。 removed) and the roles it gives."""
    found = enumerator(text)
    name = no_space(text[found.end:] if found else text).rstrip("。；;")
    return Heading(found.rank if found else UNNUMBERED, name, line, tuple(heading_roles(text, lex)))


def headings_before(lines: list[Line], lex: Lexicon) -> list[Heading]:
    """The headings in force at the end of these lines: the nearest of each outline level, outermost first."""
    out: list[Heading] = []
    for line in reversed(lines):
        if not is_heading(line.text, lex):
            continue
        found = heading(line.text, line.no, lex)
        if not out or found.rank < out[0].rank:
            out.insert(0, found)
    return out


def context_cells(headings: list[Heading]) -> list[Cell]:
    """Cells that headings give every row below them: goal levels, and the roles of the nearest that assigns."""
    cells = [Cell((Line(h.line, h.text),), f"goal{level}", rule="heading") for level, h in enumerate(headings)]
    for found in reversed(headings):
        if found.roles:
            cells += [Cell((Line(found.line, a.text),), f"heading_{a.role}", rule=a.rule) for a in found.roles]
            break
    return cells
