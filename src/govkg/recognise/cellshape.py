"""What a table cell's text looks like (a 序号, a statement, a unit list, names, an amount …) and how well it
fits a column of a given role: the evidence the table aligner weighs when a flattened table lost cells."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon import Lexicon
from ..names import looks_like_person, looks_like_unit, split_people, split_units
from ..textutil import is_han, no_space
from .enumerators import enumerator

_SEQ = re.compile(r"^[（(]?(?:\d{1,3}|[一二三四五六七八九十]{1,3})[）)]?[、.．]?$")
_AMOUNT = re.compile(
    r"^[\d.,，、/／%％~～\-—+＋:：万亿千百十个元家所人次套户处公里米条项平方吨辆座台间张只名批场期栋幢亩余多约近超以上下内左右及和或]+$"
)
_PERCENT_FIRST = re.compile(r"^\d+(?:\.\d+)?[%％]")
_COUNT = re.compile(r"[（(]\s*\d+\s*(?:项|个|条|件)\s*[）)]$")
_AMOUNT_MAX = 20
_DATE = re.compile(r"^(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末|前|中旬|上旬|下旬|以前)*$|^\d{4}[-./]\d{1,2}")
_DATE_WORDS = ("年底", "年末", "月底", "月末", "季度", "上半年", "下半年", "全年", "长期", "持续推进", "年内", "月前",
               "日前", "年前")
_STATUS_WORDS = ("推进", "完成", "滞后", "办结", "竣工", "建成", "投用", "通车", "开工", "序时", "超前", "正常",
                 "达标", "未开始", "已启动", "进行中")
_SENTENCE_END = "。；;！？!?"
#: A statement is at least this long; a status or short label at most this.
_LONG = 8
_SHORT = 6
#: A leader cell holds a name of at most this many characters; one whose surname is not in the lexicon
#: ("傅明" before 傅 was listed) fits the leader column this well: worse than a known name, far better than
#: a statement, so that a row is not shifted left to avoid it.
_NAME_MAX = 3
_UNKNOWN_NAME = -2.0


@dataclass(frozen=True)
class Shape:
    """Features of one cell's text."""

    length: int
    seq: bool
    amount: bool
    percent: bool
    units: float
    person: bool
    #: Shaped like a personal name whose surname the lexicon does not know: 2–3 Han characters, no unit, no group.
    name: bool
    status: bool
    date: bool
    sentence: bool
    style: str | None
    digits: bool
    count: bool
    ends_sentence: bool


_CACHE: dict[tuple[int, str], Shape] = {}
_CACHE_MAX = 65536


def _shape(compact: str, lex: Lexicon) -> Shape:
    key = (id(lex), compact)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        found = _CACHE[key] = _measure(compact, lex)
    return found


def _measure(compact: str, lex: Lexicon) -> Shape:
    length = len(compact)
    parts = split_units(compact, lex) if length <= 200 else []
    good = sum(1 for part in parts if part.kind == "group" or looks_like_unit(part.form, lex))
    units = good / len(parts) if parts else 0.0
    if any(len(part.form) > 30 for part in parts):
        units = 0.0
    people = split_people(compact, lex) if length <= 24 else []
    person = bool(people) and all(p.kind == "collective" or looks_like_person(p.text, lex) for p in people)
    found = enumerator(compact)
    return Shape(
        length=length,
        seq=bool(_SEQ.match(compact)),
        amount=bool(_AMOUNT.match(compact)) and any(c.isdigit() for c in compact) and length <= 20,
        percent=bool(_PERCENT_FIRST.match(compact)),
        units=units,
        person=person and units < 1.0,
        name=not person and 2 <= length <= _NAME_MAX and is_han(compact) and units == 0.0,
        status=length <= _SHORT and any(word in compact for word in _STATUS_WORDS),
        date=length <= 15 and units < 1.0 and (any(word in compact for word in _DATE_WORDS) or (
            bool(_DATE.match(compact)) and any(char.isdigit() for char in compact))),
        sentence=compact[-1:] in _SENTENCE_END or length >= 25,
        style=found.style if found else None,
        digits=any(char.isdigit() for char in compact),
        count=bool(_COUNT.search(compact)),
        ends_sentence=compact[-1:] in _SENTENCE_END,
    )


def shape(text: str, lex: Lexicon) -> Shape:
    """The features of a cell's text (whitespace ignored)."""
    return _shape(no_space(text), lex)


def fit(cell: Shape, role: str | None) -> float:
    """How well a cell fits a column of this role: 0 is a perfect fit, more negative is worse."""
    if cell.seq:
        return 0.0 if role == "seq" else -8.0
    if role == "seq":
        return -9.0
    if role in ("lead", "coop", "resp", "owner"):
        return 0.0 if cell.units >= 1.0 else -2.0 if cell.units >= 0.5 else -9.0
    if role == "leader":
        return 0.0 if cell.person else _UNKNOWN_NAME if cell.name else -9.0
    if cell.units >= 1.0:
        return -4.0 if role in ("text", "goal") else -3.0
    if cell.person:
        return -5.0
    return _FITS.get(role, _fit_other)(cell)


def _fit_text(cell: Shape) -> float:
    if cell.amount:
        return -4.0
    if cell.status:
        return -3.0
    return 0.0 if cell.length >= _SHORT else -1.5 if cell.length >= 2 else -3.0


def _fit_goal(cell: Shape) -> float:
    if cell.amount:
        return -4.0
    if cell.sentence and cell.length >= 40:
        return -2.5
    if cell.length >= 25 or cell.sentence:
        return -1.5
    # A name-type cell (类别, 项目名称) rarely holds a quantity; a statement does ("改扩建公办幼儿园4所").
    return -4.0 if cell.digits and not cell.count and cell.style is None else 0.0


def _fit_progress(cell: Shape) -> float:
    if cell.percent or cell.length >= _LONG:
        return 0.0
    return -0.5 if cell.status else -2.0 if cell.amount else -1.0


def _fit_status(cell: Shape) -> float:
    return 0.0 if cell.status else -1.5 if cell.length <= _LONG else -5.0


def _fit_amount(cell: Shape) -> float:
    if cell.amount or cell.percent or cell.count:
        return 0.0
    return -1.0 if cell.digits and cell.length <= _AMOUNT_MAX and not cell.sentence else -7.0


def _fit_deadline(cell: Shape) -> float:
    return 0.0 if cell.date else -6.0


def _fit_plan(cell: Shape) -> float:
    return -1.0


def _fit_other(cell: Shape) -> float:
    return -1.5


_FITS = {
    "text": _fit_text,
    "goal": _fit_goal,
    "progress": _fit_progress,
    "status": _fit_status,
    "quantity": _fit_amount,
    "deadline": _fit_deadline,
    "plan": _fit_plan,
    "remark": _fit_plan,
}

#: What it costs to find a column's cell empty in a row (merged or blank); a statement is rarely missing.
SKIP = {"seq": -1.0, "goal": -0.3, "text": -6.0, "leader": -0.5, "lead": -1.0, "coop": -1.0, "resp": -1.0,
        "owner": -1.0, "progress": -0.5, "status": -0.5, "remark": -0.2, "plan": -0.3, "quantity": -0.2,
        "deadline": -0.3, "other": -0.2}
#: What it costs to read a second paragraph as the same cell continued (a cell printed over two blocks).
CONTINUE = {"text": -4.0, "goal": -1.5, "progress": -2.0, "lead": -2.5, "coop": -2.5, "resp": -2.5,
            "owner": -2.5, "remark": -2.5, "plan": -2.5}
CONTINUE_OTHER = -6.0
#: A cell continued after a full sentence is less likely (a new sub-row is); after a long line that stops
#: mid-clause (wrapped at the cell's width) more likely; after a short line that stops there, neither.
CONTINUE_AFTER_SENTENCE = -1.5
CONTINUE_AFTER_WRAP = 2.0
WRAPPED_LENGTH = 18
#: A cell whose numbering is deeper than the cell's before it ("(一)…项目" then "1.…") continues it: a project
#: and its first sub-item printed in one cell.
CONTINUE_SUB_ITEM = 3.0
#: What a new row costs (so that cells are not scattered over rows without need).
ROW = -1.0


def fits_group_row(cell: Shape, text: str) -> float:
    """How well a cell fits a row of its own spanning the table (a goal heading such as "一、主要预期目标")."""
    score = -4.0
    if cell.style in ("part", "cn") or cell.count:
        score += 3.0
    elif cell.digits:
        score -= 2.0
    if cell.units >= 1.0 or cell.person:
        score -= 3.0
    if cell.length > 40:
        score -= 2.0
    return score

