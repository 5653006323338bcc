"""Recognising and splitting the names printed in unit and leader cells.

Pure functions over strings and the lexicon; used by the flat reader (to tell a unit line from a
heading) and by the layout stage (to turn a cell into printed names).
"""

from __future__ import annotations

import re

from .lexicon import Lexicon
from .model import Printed
from .textutil import LIST_SEPARATORS, full_width_parens, is_han, no_space

#: Opening and closing brackets of any kind a name, a note or an annotation may be printed in.
OPEN_BRACKETS, CLOSE_BRACKETS = "（(【[〔", "）)】]〕"
_OPEN, _CLOSE = OPEN_BRACKETS, CLOSE_BRACKETS
_QUALIFIER = re.compile(r"^（[^（）]*）$")
#: Lead markers printed beside a unit in a list ("区经信局*、区财政局").
_STARS = "*＊★☆※"
#: A lead mark in words after a name in a unit list: "市发改委（牵头）", "市住建局[牵头单位]".
_LEAD_WORD = re.compile(r"\s*[（(【\[]\s*(?:牵头单位|牵头|主办|主责)\s*[）)】\]]\s*$")
#: A trailing parenthesis holding one of these is a note about the list, not part of a name.
_NOTE_WORDS = ("牵头", "下同", "同上", "汇总", "负责", "排名", "排序", "为主", "配合", "协办", "协助", "协同", "参与")
#: A list piece that is a type word plus one of these ("镇人民政府" in "各乡、镇人民政府") completes the piece
#: before it: the two are one collective name.
_GENERIC_SUFFIXES = ("人民政府", "政府", "办事处", "管委会")
_TRAILING_PUNCTUATION = "。．.;；:："
_LEADING_QUALIFIER = re.compile(r"^(（[^（）]*）)(.+)$")
_TRAILING_QUALIFIER = re.compile(r"（[^（）]*）$")
#: Endings after which two unit names printed without a separator may be split apart.
_SPLIT_ENDINGS = ("局", "办", "部", "委", "中心", "集团", "大队", "街道")
_MIN_SPLIT_PART = 3
#: Longest token read as a unit name (longer ones are sentences or several names).
_MAX_UNIT_CHARS = 24
#: A name ending with one of these after a bureau's name is that bureau's sub-unit, printed as one name
#: ("国家统计局洪湖调查队", "市公安局钟楼分局"), not two units run together.
_SUB_UNIT_ENDINGS = ("分局", "支队", "大队", "中队", "调查队", "分中心", "支行", "中支", "分行", "分所")


def normalise(text: str) -> str:
    """The comparison form of a printed name: no whitespace, full-width parentheses."""
    return full_width_parens(no_space(text))


def base_name(form: str) -> str:
    """A name without its trailing parenthesised qualifier: "高新园（邹区镇）" → "高新园"."""
    return _TRAILING_QUALIFIER.sub("", form) or form


#: The prefixes of each lexicon seen (by identity): computed once, not for every token of a cell.
_PREFIX_CACHE: dict[int, tuple[Lexicon, tuple[str, ...]]] = {}


def _all_prefixes(lex: Lexicon) -> tuple[str, ...]:
    cached = _PREFIX_CACHE.get(id(lex))
    if cached is not None and cached[0] is lex:
        return cached[1]
    prefixes = set(lex.default_prefixes)
    for entry in lex.issuers:
        prefixes.update(entry.unit_prefixes)
    found = tuple(sorted(prefixes, key=len, reverse=True))
    if len(_PREFIX_CACHE) > 16:
        _PREFIX_CACHE.clear()
    _PREFIX_CACHE[id(lex)] = (lex, found)
    return found


def strip_prefix(form: str, prefixes: tuple[str, ...], lex: Lexicon) -> str:
    """Remove an issuer prefix ("区", "钟楼", "区委") when what remains is still a unit name."""
    for prefix in prefixes:
        if form.startswith(prefix) and len(form) - len(prefix) >= 2:
            rest = form[len(prefix) :]
            if len(prefix) == 1 and rest.startswith(lex.prefix_not_before):
                continue  # 市场监管局, 区域发展中心: the character belongs to the word
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
    return base.endswith(lex.unit_suffixes)  # a tuple: one C-level test, not a Python loop per suffix


def looks_like_unit(text: str, lex: Lexicon) -> bool:
    """True when a token reads as a unit name: a known name, or a name with a unit suffix.

    A known name preceded by something that is not an issuer prefix is not a unit: "做强经开区" is a
    heading, "钟楼经开区" and "武进高新区" are units.
    """
    form = normalise(text)
    if not form or len(form) > _MAX_UNIT_CHARS or _QUALIFIER.match(form) or is_group(form, lex):
        return False
    if not is_han(base_name(form).replace("·", "")):
        return False
    prefixes = _all_prefixes(lex)
    core = strip_prefix(form, prefixes, lex)
    if core in lex.known_units or base_name(core) in lex.known_units:
        return True
    base = base_name(core)
    for size in range(2, len(base)):
        known = base[-size:]
        if known in lex.name_suffixes:
            head = base[:-size]
            # "做强" + "经开区": a verb phrase ending with a unit name is not a unit.
            if head not in prefixes and not _unit_shaped(head, lex):
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


def split_outside_brackets(line: str, separators: str) -> list[tuple[str, str]]:
    """Split on separators outside any parentheses: (piece, the separator printed before it)."""
    out: list[tuple[str, str]] = []
    depth, start, before = 0, 0, ""
    for i, char in enumerate(line):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and char in separators:
            out.append((line[start:i], before))
            start, before = i + 1, char
    out.append((line[start:], before))
    return out


def _pieces(line: str) -> list[tuple[str, str]]:
    """A line's list pieces with the separator before each; spaces separate too, except letter-spacing."""
    out: list[tuple[str, str]] = []
    for piece, before in split_outside_brackets(line, LIST_SEPARATORS):
        for index, part in enumerate(_space_parts(piece)):
            out.append((part, before if index == 0 else " "))
    return [(piece, before) for piece, before in out if piece]


def strip_note(piece: str) -> str:
    """Remove a trailing parenthesised note about the list ("石梁镇（列第一位者为牵头单位，下同）" → "石梁镇"), or a
    closing bracket that nothing in the piece opened: the end of an annotation whose opening bracket a wrapped line
    left behind ("…70%。(" then "牵头单位:…，洪湖经济开发区)")."""
    text = piece.rstrip()
    if not text or text[-1] not in _CLOSE:
        return piece
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += 1 if text[i] in _CLOSE else -1 if text[i] in _OPEN else 0
        if depth == 0:
            inner = text[i + 1 : -1]
            return text[:i] if any(word in inner for word in _NOTE_WORDS) else piece
    return text[:-1].rstrip()


def _lead_mark(piece: str) -> tuple[str, str | None]:
    """A piece without its lead mark and the mark: "区经信局*" → (…, "*"), "市发改委（牵头）" → (…, "（牵头）").
    """
    word = _LEAD_WORD.search(piece)
    if word:
        return piece[: word.start()].rstrip(), word.group()
    stripped = piece.strip(_STARS)
    return stripped, ("*" if stripped != piece else None)


def _type_and_generic(form: str) -> bool:
    """True for a piece such as "镇人民政府": a bare type word and a generic government suffix."""
    for suffix in _GENERIC_SUFFIXES:
        head = form[: -len(suffix)] if form.endswith(suffix) else None
        if head and all(char in "乡镇街道县市区旗" for char in head) and len(head) <= 2:
            return True
    return False


def _completes_collective(previous: str, form: str, lex: Lexicon) -> bool:
    """True when "previous、form" is one collective name: "各乡、镇人民政府", "大同湖、大沙湖管理区"."""
    if _type_and_generic(form):
        return True
    previous_named = looks_like_unit(previous, lex) or is_group(previous, lex)
    return not previous_named and is_han(previous) and looks_like_unit(form, lex)


def _split_etc(form: str, lex: Lexicon) -> list[str]:
    """"X等" → X; "区农业农村局等区级有关部门" → the unit and the group after 等."""
    head, sep, tail = form.partition("等")
    if not sep or not head:
        return [form]
    if not tail:
        return [head]
    if is_group(tail, lex) and (looks_like_unit(head, lex) or is_group(head, lex)):
        return [head, tail]
    return [form]


def _suffix_across(form: str, cut: int, lex: Lexicon) -> bool:
    """True when a unit ending runs across the cut ("管委" | "会市商务局": 管委会), so the cut is inside a name."""
    return any(form[:cut + extra].endswith(suffix) and len(suffix) > extra
               for extra in (1, 2) for suffix in lex.unit_suffixes)


def _split_run_together(form: str, lex: Lexicon) -> list[str]:
    """Split names printed without a separator: "自然资源和规划分局生态环境局" → two units.

    `form` is a normalised name (no whitespace). Only a cut that leaves at most _MAX_UNIT_CHARS characters on
    its right can pass `looks_like_unit`, so only those cuts are tried: the work is linear in the length of the
    form (a megabyte of run-together names used to take minutes), and the recursion depth is bounded.
    """
    depth = 0
    first_cut = max(_MIN_SPLIT_PART, len(form) - _MAX_UNIT_CHARS)
    for i, char in enumerate(form):
        depth += 1 if char == "（" else -1 if char == "）" else 0
        cut = i + 1
        if depth or cut < first_cut or len(form) - cut < _MIN_SPLIT_PART:
            continue
        if form[cut] == "（":
            continue
        left, rest = form[:cut], form[cut:]
        if (base_name(left).endswith(_SPLIT_ENDINGS) and looks_like_unit(rest, lex)
                and not base_name(rest).endswith(_SUB_UNIT_ENDINGS)
                and base_name(rest) not in lex.unit_suffixes and not _suffix_across(form, cut, lex)):
            return [left, *_split_run_together(rest, lex)]
    return [form]


def bracket_open(text: str) -> bool:
    """True when a bracket opened in the text is not closed by its end."""
    depth = 0
    for char in text:
        if char in OPEN_BRACKETS:
            depth += 1
        elif char in CLOSE_BRACKETS:
            depth = max(0, depth - 1)
    return depth > 0


def _cell_lines(text: str) -> list[str]:
    """A cell's lines, a line that leaves a bracket open joined with the next ("各乡镇（" / "街道）")."""
    out: list[str] = []
    for line in text.split("\n"):
        if out and bracket_open(out[-1]) and line.strip():
            out[-1] = out[-1].rstrip() + line.strip()
        else:
            out.append(line)
    return out


def _split_printed(text: str, lex: Lexicon) -> list[tuple[str, str, bool]]:
    """Split a (multi-line) cell into (printed, normalised, starred) name tokens, before group distribution."""
    tokens: list[list] = []  # [printed, form, starred]
    line_ended_with_separator = True
    for raw_line in _cell_lines(text):
        line = raw_line.strip()
        if not line:
            continue
        for index, (raw_piece, before) in enumerate(_pieces(line)):
            piece, starred = _lead_mark(raw_piece.rstrip(_TRAILING_PUNCTUATION))
            piece = strip_note(piece)
            if not piece.strip():
                continue
            printed, form = no_space(piece), normalise(piece)
            if before == "、" and tokens and _completes_collective(tokens[-1][1], form, lex):
                tokens[-1][0] += "、" + printed
                tokens[-1][1] += "、" + form
                continue
            leading = _LEADING_QUALIFIER.match(form)
            if leading:
                # "(邹区镇)各街道": the qualifier belongs to the name before it, if there is one.
                size = len(leading.group(1))
                if tokens:
                    tokens[-1][0] += printed[:size]
                    tokens[-1][1] += leading.group(1)
                else:
                    tokens.append([printed[1 : size - 1], leading.group(1)[1:-1], starred])
                printed, form = printed[size:], leading.group(2)
            if _QUALIFIER.match(form):
                if tokens:
                    tokens[-1][0] += printed
                    tokens[-1][1] += form
                else:
                    tokens.append([printed[1:-1], form[1:-1], starred])
                continue
            wrapped = index == 0 and not line_ended_with_separator and tokens
            if wrapped and _completes(tokens[-1][1], form, lex):
                tokens[-1][0] += printed
                tokens[-1][1] += form
                continue
            tokens.append([printed, form, starred])
        line_ended_with_separator = line[-1] in LIST_SEPARATORS
    out: list[tuple[str, str, bool]] = []
    for printed, form, starred in tokens:
        for etc_part in _split_etc(form, lex):
            same = etc_part == form
            parts = _split_run_together(etc_part, lex) if len(etc_part) >= 2 * _MIN_SPLIT_PART else [etc_part]
            if len(parts) == 1:
                out.append((printed if same else etc_part, etc_part, starred))
            else:
                out.extend((part, part, starred) for part in parts)
    return out


def _completes(previous: str, fragment: str, lex: Lexicon) -> bool:
    """True when a line-initial fragment finishes a name wrapped from the line before."""
    if is_group(fragment, lex) or is_group(previous, lex):
        return False
    if looks_like_unit(previous, lex):
        return False
    return looks_like_unit(previous + fragment, lex) or is_group(previous + fragment, lex)


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
    for printed, form, starred in _split_printed(text, lex):
        if carried and form in lex.type_words:
            out.append(Printed(printed, carried + form, "group", starred))
            continue
        parts = _group_parts(form, lex)
        carried = parts[0] if parts else None
        kind = "group" if is_group(form, lex) else "unit"
        out.append(Printed(printed, form, kind, starred))
    return out


def strip_titles(text: str, lex: Lexicon) -> str:
    """A leader's name without the titles printed around it: "区长沈晓峰" → "沈晓峰", "何振宇区长" → "何振宇",
    "张伟（区委常委、副区长）" → "张伟"."""
    form = no_space(text)
    changed = True
    while changed and form:
        changed = False
        opened = max(form.rfind(bracket) for bracket in OPEN_BRACKETS)
        if opened > 0 and form[-1] in CLOSE_BRACKETS and all(
                is_title_only(part, lex) for part in re.split(r"[、,，;；]", form[opened + 1:-1])):
            form, changed = form[:opened], True
        for title in lex.annotations.titles:
            if form.startswith(title) and form != title:
                form, changed = form[len(title):], True
            elif form.endswith(title) and form != title:
                form, changed = form[: -len(title)], True
    return form


def is_title_only(form: str, lex: Lexicon) -> bool:
    """True for a piece that is titles only ("常务副区长", "区政府党组成员")."""
    rest = form
    while rest:
        title = next((t for t in lex.annotations.titles if rest.startswith(t)), None)
        if title is None:
            return False
        rest = rest[len(title):]
    return True


def split_people(text: str, lex: Lexicon) -> list[Printed]:
    """Split a leader cell into personal names (inner whitespace removed, titles dropped) and collectives (全体区长).

    A title printed beside a name belongs to it ("蒋丽萍常委、常务副区长" is 蒋丽萍); a collective such as 全体区长
    or a title alone is kept only when no personal name is printed with it.
    """
    out: list[Printed] = []
    for line in text.split("\n"):
        pieces = [no_space(piece) for piece, _ in _pieces(line.strip())]
        named = [strip_titles(piece, lex) for piece in pieces]
        people = [name for piece, name in zip(pieces, named, strict=True)
                  if piece not in lex.collectives and not is_title_only(piece, lex) and looks_like_person(name, lex)]
        for piece, name in zip(pieces, named, strict=True):
            if piece in lex.collectives:
                if not people:
                    out.append(Printed(piece, piece, "collective"))
            elif is_title_only(piece, lex):
                continue
            elif name:
                out.append(Printed(name, name, "person"))
    return out
