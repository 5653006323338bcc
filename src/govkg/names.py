"""Recognising and splitting the names printed in unit and leader cells.

Pure functions over strings and the lexicon; used by the flat reader (to tell a unit line from a
heading) and by the layout stage (to turn a cell into printed names).
"""

from __future__ import annotations

import re

from .lexicon import Lexicon
from .model import Printed
from .textutil import LIST_SEPARATORS, full_width_parens, is_han, no_space

_SEPARATOR_SPLIT = re.compile(f"[{re.escape(LIST_SEPARATORS)}]")
_QUALIFIER = re.compile(r"^（[^（）]*）$")
_LEADING_QUALIFIER = re.compile(r"^(（[^（）]*）)(.+)$")
_TRAILING_QUALIFIER = re.compile(r"（[^（）]*）$")
#: Endings after which two unit names printed without a separator may be split apart.
_SPLIT_ENDINGS = ("局", "办", "部", "委", "中心", "集团", "大队", "街道")
_MIN_SPLIT_PART = 3


def normalise(text: str) -> str:
    """The comparison form of a printed name: no whitespace, full-width parentheses."""
    return full_width_parens(no_space(text))


def base_name(form: str) -> str:
    """A name without its trailing parenthesised qualifier: "高新园（邹区镇）" → "高新园"."""
    return _TRAILING_QUALIFIER.sub("", form) or form


def _all_prefixes(lex: Lexicon) -> tuple[str, ...]:
    prefixes = set(lex.default_prefixes)
    for entry in lex.issuers:
        prefixes.update(entry.unit_prefixes)
    return tuple(sorted(prefixes, key=len, reverse=True))


def strip_prefix(form: str, prefixes: tuple[str, ...], lex: Lexicon) -> str:
    """Remove an issuer prefix ("区", "钟楼", "区委") when what remains is still a unit name."""
    for prefix in prefixes:
        if form.startswith(prefix) and len(form) - len(prefix) >= 2:
            rest = form[len(prefix) :]
            if _unit_shaped(rest, lex) or is_group(rest, lex):
                return rest
    return form


def is_group(text: str, lex: Lexicon) -> bool:
    """True for collective references such as 各街道, 区各部门, 相关镇, 区安委会各成员单位."""
    form = normalise(text)
    if form in lex.group_names:
        return True
    core = form[1:] if form[:1] in ("区", "市", "县") and len(form) > 2 else form
    if any(core.startswith(q) and len(core) > len(q) for q in lex.quantifiers):
        return True
    return any(marker in form for marker in lex.group_markers)


def _unit_shaped(form: str, lex: Lexicon) -> bool:
    base = base_name(form)
    if form in lex.known_units or base in lex.known_units:
        return True
    return any(base.endswith(suffix) for suffix in lex.unit_suffixes)


def looks_like_unit(text: str, lex: Lexicon) -> bool:
    """True when a token reads as a unit name: a known name, or a name with a unit suffix.

    A known name preceded by something that is not an issuer prefix is not a unit: "做强经开区" is a
    heading, "钟楼经开区" and "武进高新区" are units.
    """
    form = normalise(text)
    if not form or len(form) > 24 or _QUALIFIER.match(form) or is_group(form, lex):
        return False
    if not is_han(base_name(form).replace("·", "")):
        return False
    prefixes = _all_prefixes(lex)
    core = strip_prefix(form, prefixes, lex)
    if core in lex.known_units or base_name(core) in lex.known_units:
        return True
    base = base_name(core)
    for known in lex.known_units:
        if len(known) >= 2 and base.endswith(known) and base != known:
            head = base[: -len(known)]
            # "做强" + "经开区": a verb phrase ending with a unit name is not a unit.
            if head not in prefixes and not _unit_shaped(head, lex) and known in lex.name_suffixes:
                return False
    return _unit_shaped(core, lex)


def looks_like_person(text: str, lex: Lexicon) -> bool:
    """True for a personal name (2–3 Han characters after a known surname) or a collective."""
    form = no_space(text)
    if form in lex.collectives:
        return True
    if not is_han(form) or looks_like_unit(form, lex) or is_group(form, lex):
        return False
    if form[:2] in lex.compound_surnames and 3 <= len(form) <= 4:
        return True
    return 2 <= len(form) <= 3 and form[0] in lex.surnames


def _space_parts(piece: str) -> list[str]:
    """Split on whitespace unless it is letter-spacing inside one name ("编  办", "周  庆")."""
    parts = piece.split()
    if len(parts) <= 1:
        return [piece.strip()] if piece.strip() else []
    if any(len(part) == 1 for part in parts):
        return ["".join(parts)]
    return parts


def _pieces(line: str) -> list[str]:
    out: list[str] = []
    for piece in _SEPARATOR_SPLIT.split(line):
        out.extend(_space_parts(piece))
    return [piece for piece in out if piece]


def _split_run_together(form: str, lex: Lexicon) -> list[str]:
    """Split names printed without a separator: "自然资源和规划分局生态环境局" → two units."""
    depth = 0
    for i, char in enumerate(form):
        depth += 1 if char == "（" else -1 if char == "）" else 0
        cut = i + 1
        if depth or cut < _MIN_SPLIT_PART or len(form) - cut < _MIN_SPLIT_PART:
            continue
        if form[cut] == "（":
            continue
        left, rest = form[:cut], form[cut:]
        if base_name(left).endswith(_SPLIT_ENDINGS) and looks_like_unit(rest, lex):
            return [left, *_split_run_together(rest, lex)]
    return [form]


def _split_printed(text: str, lex: Lexicon) -> list[tuple[str, str]]:
    """Split a (multi-line) cell into (printed, normalised) name tokens, before group distribution."""
    tokens: list[list[str]] = []  # [printed, form]
    line_ended_with_separator = True
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        for index, piece in enumerate(_pieces(line)):
            printed, form = no_space(piece), normalise(piece)
            leading = _LEADING_QUALIFIER.match(form)
            if leading:
                # "(邹区镇)各街道": the qualifier belongs to the name before it, if there is one.
                size = len(leading.group(1))
                if tokens:
                    tokens[-1][0] += printed[:size]
                    tokens[-1][1] += leading.group(1)
                else:
                    tokens.append([printed[1 : size - 1], leading.group(1)[1:-1]])
                printed, form = printed[size:], leading.group(2)
            if _QUALIFIER.match(form):
                if tokens:
                    tokens[-1][0] += printed
                    tokens[-1][1] += form
                else:
                    tokens.append([printed[1:-1], form[1:-1]])
                continue
            wrapped = index == 0 and not line_ended_with_separator and tokens
            if wrapped and _completes(tokens[-1][1], form, lex):
                tokens[-1][0] += printed
                tokens[-1][1] += form
                continue
            tokens.append([printed, form])
        line_ended_with_separator = line[-1] in LIST_SEPARATORS
    out: list[tuple[str, str]] = []
    for printed, form in tokens:
        parts = _split_run_together(form, lex) if len(form) >= 2 * _MIN_SPLIT_PART else [form]
        if len(parts) == 1:
            out.append((printed, form))
        else:
            out.extend((part, part) for part in parts)
    return out


def _completes(previous: str, fragment: str, lex: Lexicon) -> bool:
    """True when a line-initial fragment finishes a name wrapped from the line before."""
    if is_group(fragment, lex) or is_group(previous, lex):
        return False
    if looks_like_unit(previous, lex):
        return False
    return looks_like_unit(previous + fragment, lex)


def _group_parts(form: str, lex: Lexicon) -> tuple[str, str] | None:
    """(quantifier with its prefix, type word) of a group such as 各镇 or 区各部门, if it has that shape."""
    for prefix in ("", "区", "市", "县"):
        for quantifier in lex.quantifiers:
            head = prefix + quantifier
            if form.startswith(head) and form[len(head) :] in lex.type_words:
                return head, form[len(head) :]
    return None


def group_type_word(form: str, lex: Lexicon) -> str | None:
    """The type word a group quantifies ("各街道" → "街道", "区各部门" → "部门"), if it has one."""
    parts = _group_parts(normalise(form), lex)
    return parts[1] if parts else None


def split_units(text: str, lex: Lexicon) -> list[Printed]:
    """Split a unit cell into printed unit and group names.

    Handles separators (、，,；;), one name per line, letter-spacing ("编  办"), names wrapped over two
    lines ("退役军人" + "事务局"), parenthesised qualifiers ("高新园" + "（邹区镇）"), names run together
    ("自然资源和规划分局生态环境局"), and a quantifier carried over a list ("各镇、开发区、街道").
    """
    out: list[Printed] = []
    carried: str | None = None
    for printed, form in _split_printed(text, lex):
        if carried and form in lex.type_words:
            out.append(Printed(printed, carried + form, "group"))
            continue
        parts = _group_parts(form, lex)
        carried = parts[0] if parts else None
        kind = "group" if is_group(form, lex) else "unit"
        out.append(Printed(printed, form, kind))
    return out


def split_people(text: str, lex: Lexicon) -> list[Printed]:
    """Split a leader cell into personal names (inner whitespace removed) and collectives (全体区长)."""
    out: list[Printed] = []
    for line in text.split("\n"):
        for piece in _pieces(line.strip()):
            form = no_space(piece)
            kind = "collective" if form in lex.collectives else "person"
            out.append(Printed(form, form, kind))
    return out
