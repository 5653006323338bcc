"""Where a query template binds its parameters: the group pattern ({ … }) around each `# @params` line.

Read from the template's own text (a file of queries/, never a user's value), skipping comments, string literals
and IRIs so that a brace inside them is not taken for a group's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: Where a query's parameters are bound: this comment line, inside the outermost WHERE clause.
PARAMS_MARKER = "# @params"

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')


class TemplateError(ValueError):
    """A template whose `# @params` lines cannot be placed: outside any group, or two in one group."""


@dataclass(frozen=True)
class MarkedGroup:
    """A group pattern holding a `# @params` line: the offsets of its braces and of the marker line (with its
    line end)."""

    open: int
    close: int
    marker_start: int
    marker_end: int


def _string_end(text: str, start: int) -> int:
    """The offset just past the string literal starting at `start` (short or long, ' or ")."""
    quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    index = start + len(quote)
    while index < len(text):
        if text[index] == "\\":
            index += 2
        elif text.startswith(quote, index):
            return index + len(quote)
        else:
            index += 1
    raise TemplateError(f"string literal at offset {start} is not closed")


@lru_cache(maxsize=256)
def marked_groups(text: str) -> tuple[MarkedGroup, ...]:
    """The groups of `text` that hold a `# @params` line, ordered by where they open."""
    stack: list[int] = []
    markers: dict[int, tuple[int, int]] = {}
    found: list[MarkedGroup] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "#":
            end = text.find("\n", index)
            end = len(text) if end < 0 else end
            line_start = text.rfind("\n", 0, index) + 1
            if text[line_start:end].strip() == PARAMS_MARKER:
                if not stack:
                    raise TemplateError(f"'{PARAMS_MARKER}' at offset {index} is outside every group")
                if stack[-1] in markers:
                    raise TemplateError(f"two '{PARAMS_MARKER}' lines in the group opened at offset {stack[-1]}")
                markers[stack[-1]] = (line_start, min(end + 1, len(text)))
            index = end
        elif char in "\"'":
            index = _string_end(text, index)
        elif char == "<" and (iri := _IRIREF.match(text, index)):
            index = iri.end()
        else:
            if char == "{":
                stack.append(index)
            elif char == "}":
                if not stack:
                    raise TemplateError(f"'}}' at offset {index} closes no group")
                opened = stack.pop()
                if opened in markers:
                    found.append(MarkedGroup(opened, index, *markers.pop(opened)))
            index += 1
    if stack:
        raise TemplateError(f"the group opened at offset {stack[-1]} is not closed")
    return tuple(sorted(found, key=lambda group: group.open))
