"""Records of a document read through its simplified form (traditional characters) get their text as printed."""

from __future__ import annotations

from dataclasses import replace

from ..model import Line, Printed, Record
from ..textutil import no_space


class _Printed:
    """The folded and the printed text of a document, whitespace removed, with each line's offset."""

    def __init__(self, lines: list[Line], printed: dict[int, str]) -> None:
        folded_parts, printed_parts, self.offsets = [], [], {}
        position = 0
        for line in lines:
            self.offsets[line.no] = position
            folded = no_space(line.text)
            original = no_space(printed.get(line.no, line.text))
            if len(original) != len(folded):
                original = folded
            folded_parts.append(folded)
            printed_parts.append(original)
            position += len(folded)
        self.folded = "".join(folded_parts)
        self.printed = "".join(printed_parts)

    def text(self, value: str, line: int) -> str:
        """The printed form of a text read at or after this line (the folded text when it cannot be placed)."""
        key = no_space(value)
        if not key:
            return value
        start = self.offsets.get(line, 0)
        index = self.folded.find(key, start)
        if index < 0:
            index = self.folded.find(key)
        return self.printed[index:index + len(key)] if index >= 0 else value

    def names(self, names: list[Printed], line: int) -> list[Printed]:
        return [replace(name, text=self.text(name.text, line)) for name in names]


def restore_printed(records: list[Record], lines: list[Line], printed: dict[int, str]) -> None:
    """Give records their statement, goals and names as printed, where the document was folded to simplified."""
    if not printed:
        return
    text = _Printed(lines, printed)
    for record in records:
        first = record.span.first
        goal_line = record.sources["goal"].span.first if record.sources.get("goal") and record.sources[
            "goal"].span else 0
        record.text = text.text(record.text, first)
        record.goal = [text.text(goal, goal_line) for goal in record.goal]
        if record.parent_text:
            record.parent_text = text.text(record.parent_text, 0)
        for name in ("progress", "status", "deadline"):
            value = getattr(record, name)
            if value:
                setattr(record, name, text.text(value, first))
        record.leaders = text.names(record.leaders, 0)
        record.lead_units = text.names(record.lead_units, first)
        record.coop_units = text.names(record.coop_units, first)
