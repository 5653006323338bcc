"""Headings that assign work ("一、区长沈晓峰牵头重点工作") and the kind of table a heading or title opens."""

from __future__ import annotations

import re

from ..lexicon import Lexicon
from ..model import TableKind
from ..names import looks_like_person, looks_like_unit, split_people, split_units
from ..textutil import no_space
from .annotations import Annotation
from .enumerators import enumerator

_COUNT = re.compile(r"[（(]\s*\d+\s*(?:项|个|条|件)\s*[）)]$")
#: Words of a title or preamble that say the list is the main work-report table even if it names 民生实事 too.
_MAIN_WORDS = ("政府工作报告", "重点工作")


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
