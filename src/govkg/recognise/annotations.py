"""Role annotations printed with a task in prose: labels, role words, bare unit lists, printed rules.

- Labelled: "牵头单位：区发改局；责任单位：区财政局、各街道" (labels from data/lexicon/labels.toml).
- Role words: "区发改局牵头落实", "X牵头，Y、Z配合", "X主办，Y协办", "X、Y等负责", "分管副市长负责，X牵头".
- Bare lists: "(市发改委，市直有关部门，各县市区政府)" — every name a unit or group.
- Trailing brackets of any kind ("（）", "()", "【】", "[]"), matched by nesting so that a unit name's own
  parentheses ("各县（市、区）政府") stay inside.
Everything here works on strings and returns :class:`Annotation` values; the recognisers place them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..lexicon import Lexicon
from ..names import (
    CLOSE_BRACKETS,
    OPEN_BRACKETS,
    base_name,
    is_title_only,
    looks_like_person,
    looks_like_unit,
    split_outside_brackets,
    split_units,
    strip_titles,
)
from ..textutil import han_count, is_han, no_space

_OPEN, _CLOSE = OPEN_BRACKETS, CLOSE_BRACKETS
_CLAUSE_SEPARATORS = ",，;；"
_TRAILING = "。．.;；,，、 \t"
#: Share of the names of a bare list that must read as units or groups.
_BARE_SHARE = 0.75
#: Length of a name that a role word vouches for, whatever its ending.
_NAME_LENGTH = (2, 20)


@dataclass(frozen=True)
class Annotation:
    """One role printed with a task: the role, the names as printed, what decided the role, and certainty."""

    role: str
    text: str
    rule: str
    certain: bool = True


@dataclass(frozen=True)
class LabelHit:
    """A label found in a text: where it starts, where its value starts, the label and its role."""

    start: int
    value_start: int
    label: str
    role: str


def find_labels(text: str, lex: Lexicon, *, anywhere: bool = True) -> list[LabelHit]:
    """Every "LABEL：" in the text: at its start only, or (`anywhere`) wherever a label and its colon stand.

    Labels run together on one line lose the spaces between them when the line is squeezed
    ("牵头领导:张伟责任单位:区民政局"), so inside a text a label needs its colon, not a separator before it.
    """
    words = lex.annotations
    pattern = words.label_pattern
    matches = list(pattern.finditer(text) if anywhere else filter(None, [pattern.match(text)]))
    if not matches or matches[0].start() > 0:
        start = words.label_start_pattern.match(text)
        matches = [start, *matches] if start else matches
    hits = []
    for match in matches:
        label = no_space(next(group for group in match.groups() if group))
        hits.append(LabelHit(match.start(), match.end(), label, words.labels[label]))
    return hits


def labelled(text: str, lex: Lexicon, hits: list[LabelHit] | None = None) -> list[Annotation]:
    """The annotations of a text made of "LABEL：value" parts (several labels may share one line)."""
    hits = find_labels(text, lex) if hits is None else hits
    out: list[Annotation] = []
    for position, hit in enumerate(hits):
        end = hits[position + 1].start if position + 1 < len(hits) else len(text)
        value = without_rules(text[hit.value_start:end], lex).strip().rstrip(_TRAILING)
        if not han_count(value) or hit.role == "ignore":
            continue  # "（牵头单位：）": nothing named
        parsed = role_words(value, lex) if hit.role in ("division", "lead", "coop", "resp") else []
        if hit.role in ("lead", "coop") and parsed:
            # "牵头单位：X，Y配合": the names before the first role word are the label's
            clauses = _clauses(value)
            first = next(index for index, clause in enumerate(clauses) if _role_word(clause, lex) is not None)
            if first:
                out.append(Annotation(hit.role, "，".join(clauses[:first]), f'label "{hit.label}"'))
                parsed = role_words("，".join(clauses[first:]), lex)
        if hit.role == "division" or any(annotation.role in ("lead", "coop") for annotation in parsed):
            # "部门分工：X牵头，Y配合", "责任单位：X牵头，Y、Z配合": the value names the roles itself
            out.extend(parsed if parsed else [Annotation("resp", value, f'label "{hit.label}"')])
            continue
        out.append(Annotation(hit.role, value, f'label "{hit.label}"'))
    return out


def _clauses(content: str) -> list[str]:
    """Split on clause separators outside parentheses."""
    return [clause.strip() for clause, _ in split_outside_brackets(content, _CLAUSE_SEPARATORS) if clause.strip()]


def _role_word(clause: str, lex: Lexicon) -> tuple[str, str, str] | None:
    """(names, role word, role) when the clause ends with a role word."""
    compact = no_space(clause).rstrip(_TRAILING)
    for word, role in lex.annotations.role_words:
        if compact.endswith(word) and len(compact) > len(word):
            return compact[: -len(word)], word, role
    return None


def _names_read(names: str, lex: Lexicon, *, named_by_role: bool = False) -> tuple[int, int]:
    """(how many names, how many read as units, groups or leaders).

    Before a role word ("市贸促会协办") any short name of Chinese characters counts: the role word says what it is.
    """
    parts = split_units(names, lex)
    good = 0
    for part in parts:
        named = part.kind == "group" or looks_like_unit(part.form, lex) or looks_like_person(
            strip_titles(part.form, lex), lex)
        shortest, longest = _NAME_LENGTH
        vouched = named_by_role and shortest <= len(part.form) <= longest and is_han(base_name(part.form))
        good += named or vouched
    return len(parts), good


def _leader_clause(names: str, lex: Lexicon) -> bool:
    """True when a role-word clause names a leader (a person, or a title alone: "分管副市长负责")."""
    if is_title_only(names, lex):
        return True
    stripped = strip_titles(names, lex)
    if stripped != names and looks_like_person(stripped, lex):
        return True
    return looks_like_person(names, lex) and not looks_like_unit(names, lex)


def role_words(content: str, lex: Lexicon) -> list[Annotation]:
    """An unlabelled annotation read by its role words ("X牵头，Y、Z配合"); [] when no clause has one."""
    clauses = _clauses(content)
    out: list[Annotation] = []
    pending: list[str] = []
    for clause in clauses:
        found = _role_word(clause, lex)
        if found is None:
            pending.append(clause)
            continue
        names, word, role = found
        names = "，".join([*pending, names])
        pending = []
        names = names.removeprefix("由")  # "由X牵头" — led by X
        if not names:
            continue
        if names.startswith(lex.targets.leading):
            return []  # "加快推进项目牵头": a verb phrase, not a name
        rule = f'role word "{word}"'
        if _leader_clause(names, lex):
            if not is_title_only(names, lex):
                out.append(Annotation("leader", strip_titles(names, lex), rule))
            continue
        count, good = _names_read(names, lex, named_by_role=True)
        if not count or good < _BARE_SHARE * count:
            return []
        out.append(Annotation(role, names, rule, certain=role != "resp"))
    if not out:
        return []
    if pending:
        names = "，".join(pending)
        count, good = _names_read(names, lex)
        if count and good >= _BARE_SHARE * count:
            out.append(Annotation("coop", names, "names after a role word", certain=False))
    return out


def bare_list(content: str, lex: Lexicon) -> list[Annotation]:
    """A bracket holding only unit and group names: every one leads (no rule printed); [] otherwise."""
    value = content.strip().rstrip(_TRAILING)
    if not value or any(char.isdigit() for char in value):
        return []
    parts = split_units(value, lex)
    if not parts:
        return []
    good = sum(1 for part in parts if part.kind == "group" or looks_like_unit(part.form, lex))
    if good < _BARE_SHARE * len(parts) or not (good == len(parts) or len(parts) >= 3):
        return []
    return [Annotation("resp", value, "bare unit list")]


def without_rules(text: str, lex: Lexicon) -> str:
    """The text without its clauses that print a rule about unit lists ("排名第一的为牵头单位": no name); a rule in
    a bracket after a name ("石梁镇（列第一位者为牵头单位）") is a note of that name's clause, which stays."""
    clauses = split_outside_brackets(text, _CLAUSE_SEPARATORS)
    rules = [bool(printed_rules(_outside_brackets(clause), lex)) for clause, _ in clauses]
    if not any(rules):
        return text
    kept = [(clause, before) for (clause, before), rule in zip(clauses, rules, strict=True)
            if clause.strip() and not rule]
    return "".join((before if index else "") + clause for index, (clause, before) in enumerate(kept))


def _outside_brackets(text: str) -> str:
    """The text without what brackets hold."""
    out, depth = [], 0
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif not depth:
            out.append(char)
    return "".join(out)


def parse_annotation(content: str, lex: Lexicon) -> list[Annotation]:
    """What a bracket's content (or a key-value value) says about roles: labelled, role words or a bare list."""
    content = without_rules(content, lex)
    hits = find_labels(content, lex)
    if hits and not content[: hits[0].start].strip(" \t,，;；"):
        return labelled(content, lex, hits)
    return role_words(content, lex) or bare_list(content, lex)


@dataclass(frozen=True)
class Trailing:
    """A bracket closing a paragraph: the text before it, its content, and the text after it (。 and such)."""

    before: str
    content: str
    after: str
    closed: bool = True


def trailing_bracket(text: str) -> Trailing | None:
    """The bracket group that ends a paragraph (only 。；. and spaces may follow it), if any.

    An opening bracket never closed before the end of the text (a page cut off mid-list) is returned with
    `closed` false when it holds a label or role word, so that the caller can warn.
    """
    stripped = text.rstrip(_TRAILING)
    if stripped and stripped[-1] in _CLOSE:
        depth = 0
        for i in range(len(stripped) - 1, -1, -1):
            char = stripped[i]
            depth += 1 if char in _CLOSE else -1 if char in _OPEN else 0
            if depth == 0:
                if i == 0:
                    return None
                return Trailing(text[:i], stripped[i + 1 : -1], text[len(stripped) - 1 + 1 :])
        return None
    depth, last_open = 0, None
    for i, char in enumerate(text):
        if char in _OPEN:
            depth += 1
            if depth == 1:
                last_open = i
        elif char in _CLOSE:
            depth = max(0, depth - 1)
    if depth > 0 and last_open is not None and last_open > 0:
        return Trailing(text[:last_open], text[last_open + 1 :], "", closed=False)
    return None


def whole_bracket(text: str) -> str | None:
    """The content of a text that is one bracket group and nothing else (only 。；. and spaces may follow it)."""
    stripped = text.strip().rstrip(_TRAILING)
    if len(stripped) < 2 or stripped[0] not in _OPEN or stripped[-1] not in _CLOSE:
        return None
    depth = 0
    for i, char in enumerate(stripped):
        depth += 1 if char in _OPEN else -1 if char in _CLOSE else 0
        if depth == 0:
            return stripped[1:-1] if i == len(stripped) - 1 else None
    return None


def printed_rules(text: str, lex: Lexicon) -> list[str]:
    """The kinds of rule a text prints about unit lists (first_lead, star_lead, resp_lead)."""
    compact = no_space(text)
    found = []
    for kind, entries in lex.annotations.rules.items():
        for entry in entries:
            position = 0
            for word in entry:
                position = compact.find(word, position)
                if position < 0:
                    break
                position += len(word)
            else:
                found.append(kind)
                break
    return found
