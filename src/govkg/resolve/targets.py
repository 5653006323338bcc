"""Quantitative targets in a task statement: "地区生产总值增长6.5%左右" → 地区生产总值, 6.5, %, about, growth.

The words these rules look for are in data/lexicon/targets.toml (loaded as `Lexicon.targets`).

1. **Value.** Arabic digits with an optional decimal part ("6.5", "2000"; full-width digits too), followed at
   once by a unit: an optional multiplier (万, 亿, 千万 …) and a unit word (%, 元, 人, 个, 家, 公里, 平方米 …).
   "1.5万人" is value "1.5", unit "万人"; "26.6亿元" is "26.6", "亿元". A number without a unit is no value,
   so years, dates and list numbers ("2021年", "3月", "(1)", "1.") never are.
2. **Not a value:** a number next to a Latin letter, another digit group or a sign ("5G", "PM2.5", "C2M",
   "5A景区", "1+N+X", "2.0版" has no unit anyway); either end of a range ("2-3个", "5～8家", "2至3个"); a
   number inside quotation or title marks ("“12个没有”", "“333”行动", "《…》"); an ordinal or rank ("第2",
   "前20名").
3. **A target ends its clause.** After the unit come, optionally, a short parenthesis without digits
   ("1万套（间）") and a comparator word (以上, 左右, 以内 …); then the clause must end: ，。；：！？、 (full or
   half width) or the end of the statement. A number and unit that run on into more text describe what
   follows ("超30亿元或3亿美元项目", "8条河道", "60%以上农村小微水体", "358亿元的…") and are no target.
4. **Clauses** end at ，。；：！？ and at a 、 that directly follows a target: "新增高新技术企业50家、创新型
   领军企业2家" holds two targets. When a 、 after a target is followed at once by the next value ("新增入库
   省、市重大项目3个、7个"), the values belong to the items of a "respectively" list: both are dropped.
5. **Metric:** the clause before the value, without
   - at its start: a task number ("(1)", "1.", "①"), a date ("2022年", "年底前"), "在…基础上", and words of
     intention, time, scope or general action (力争, 确保, 年内, 全年, 全区, 完成, 实施, 推进, 开展 …);
     creation verbs stay in the metric (新增, 新建, 引进 …: "新增城镇就业" is a metric);
   - at its end, again and again: linking words (达到, 达, 为, 提高到, 年度, 同比, 均 …), growth verbs (增长,
     增幅, 提高 …) and comparator words (超, 超过, 突破, 不少于, 控制在, 约 …): "规模以上工业产值年度增幅达11%"
     → 规模以上工业产值.
   Verbs of decrease (压降, 下降, 削减 …) are kept: "一般性支出压降20%以上" → 一般性支出压降, 20, %, at_least.
   A later item of a 、 list without a creation verb of its own takes that of the first item: "新增高新技术
   企业50家、创新型领军企业2家" → 新增创新型领军企业. No target comes from a metric shorter than two
   characters, without any Han character or Latin letter, or that is only a verb (新增, 新建, 惠及 …: "年内
   新增200家"), nor from a value for each of several items ("小巨人企业和龙头企业各2家以上").
6. **Comparator:** the word after the value decides (以上 → at_least; 左右 → about; 以内, 以下 → at_most); else
   the word right before it (超, 超过, 突破, 不少于 → at_least; 控制在, 不超过, 低于 → at_most; 约 → about);
   else exactly.
7. **Growth:** true when a growth verb (增长, 增幅, 增速, 提高, 增加 …) stands between the metric and a rate
   (%, 个百分点): "增长6.5%" is a growth rate; "比重达61%", "突破80%" and "提高到97元" are levels.

Precision comes before recall: what does not fit these rules is left out, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

from ..lexicon import Lexicon, TargetWords, load_lexicon
from ..model import Comparator, Target

_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_CLAUSE_END = frozenset("，。；,;：:！？!?")
_ENUMERATION = "、"
_SIGNS = frozenset("+＋-－—–~～/／.．·%％")
_RANGE_WORDS = frozenset("至到")
_QUOTES = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』", "〈": "〉"}
_QUOTE_MARKS = "".join(_QUOTES) + "".join(_QUOTES.values()) + '"'
_QUOTE_MARK = re.compile(f"[{re.escape(_QUOTE_MARKS)}]")
_PARENTHESIS = re.compile(r"[（(][^（()）0-9０-９，。；,;]{1,6}[)）]")
_TASK_NUMBER = re.compile(r"(?:[（(]\s*\d+\s*[)）]|\d+\s*[.．、](?!\d)|[①-⑳])")
_DATE = re.compile(r"(?:(?:\d{2,4}年度?|\d{1,2}月份?)(?:底|末|内|前|初)*|[年月](?:底|末|内|前|初)+)")
_BASIS = re.compile(r"在[^，。；,;]{0,16}?基础上")
_WORDY = re.compile(r"[A-Za-z\u3400-\u4dbf\u4e00-\u9fff]")
_SPACE = re.compile(r"\s+")


@dataclass
class _Value:
    """A number with its unit that ends a clause: the candidate value of a target."""

    start: int
    value: str
    unit: str
    end: int
    after: Comparator | None


def _clause_end(text: str, pos: int) -> bool:
    """True when the character at `pos` ends a clause (a full stop between digits is a decimal point)."""
    char = text[pos]
    if char in ".．":
        return not (pos + 1 < len(text) and _latin_or_digit(text[pos + 1]))
    return char in _CLAUSE_END


def _latin_or_digit(char: str) -> bool:
    folded = unicodedata.normalize("NFKC", char)
    return len(folded) == 1 and folded.isascii() and folded.isalnum()


class _Quotes:
    """Where a text's quotation and title marks are, to tell in O(log n) whether a position is inside them."""

    def __init__(self, text: str) -> None:
        self.marks: dict[str, list[int]] = {mark: [] for mark in _QUOTE_MARKS}
        for match in _QUOTE_MARK.finditer(text):
            self.marks[match.group()].append(match.start())

    def before(self, mark: str, pos: int) -> int:
        """How many `mark`s stand before `pos`."""
        return bisect_left(self.marks[mark], pos)

    def inside(self, pos: int) -> bool:
        """True when `pos` is inside quotation or title marks: more of a pair's openings than closings before it,
        or an odd number of straight quotes."""
        if any(self.before(opening, pos) > self.before(closing, pos) for opening, closing in _QUOTES.items()):
            return True
        return self.before('"', pos) % 2 == 1


def _unit_pattern(words: TargetWords) -> re.Pattern[str]:
    multipliers = "|".join(map(re.escape, words.multipliers))
    units = "|".join(map(re.escape, words.units))
    return re.compile(f"(?:{multipliers}){{0,2}}(?:{units})" if multipliers else f"(?:{units})")


def _values(text: str, words: TargetWords) -> list[_Value]:
    """Every number with a unit that ends its clause (rules 1–3)."""
    if not words.units:
        return []
    unit_pattern = _unit_pattern(words)
    quotes: _Quotes | None = None  # found at the first candidate
    found = []
    for match in _NUMBER.finditer(text):
        start, pos = match.span()
        before = text[start - 1] if start else ""
        if before and (_latin_or_digit(before) or before in _SIGNS):
            continue
        if before in _RANGE_WORDS and start >= 2 and _latin_or_digit(text[start - 2]):
            continue
        if any(text.endswith(word, 0, start) for word in words.ordinal_before):
            continue
        unit = unit_pattern.match(text, pos)
        if not unit:
            continue
        pos = unit.end()
        if pos < len(text) and (_latin_or_digit(text[pos]) or text[pos] in _SIGNS) and not _clause_end(text, pos):
            continue
        parenthesis = _PARENTHESIS.match(text, pos)
        if parenthesis:
            pos = parenthesis.end()
        after: Comparator | None = None
        for word, kind in words.after_words:
            if text.startswith(word, pos):
                pos, after = pos + len(word), kind  # type: ignore[assignment]
                break
        after_space = _skip_space(text, pos, len(text))
        if after_space < len(text) and text[after_space] != _ENUMERATION and not _clause_end(text, after_space):
            continue
        quotes = quotes or _Quotes(text)
        if quotes.inside(start):
            continue
        value = unicodedata.normalize("NFKC", match.group())
        found.append(_Value(start, value, unit.group(), pos, after))
    return found


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _metric_start(text: str, start: int, end: int, words: TargetWords) -> int:
    """Where the metric begins: after task numbers, dates, "在…基础上" and leading words (rule 5)."""
    pos = _skip_space(text, start, end)
    while pos < end:
        match = _TASK_NUMBER.match(text, pos, end) or _DATE.match(text, pos, end) or _BASIS.match(text, pos, end)
        if match and match.end() > pos:
            pos = _skip_space(text, match.end(), end)
            continue
        word = next((w for w in words.leading if text.startswith(w, pos, end)), None)
        if word is None:
            break
        pos = _skip_space(text, pos + len(word), end)
    return pos


def _metric_end(text: str, start: int, end: int, words: TargetWords) -> tuple[int, Comparator | None, set[str]]:
    """Where the metric ends, the comparator word before the value, and the other kinds of words found there."""
    comparator: Comparator | None = None
    kinds: set[str] = set()
    while end > start:
        while end > start and text[end - 1].isspace():
            end -= 1
        found = next(((w, kind) for w, kind in words.trailing_words if text.endswith(w, start, end)), None)
        if found is None:
            break
        word, kind = found
        end -= len(word)
        if kind in ("growth", "each"):
            kinds.add(kind)
        elif kind is not None and comparator is None:
            comparator = kind  # type: ignore[assignment]
    return end, comparator, kinds


def _carried_verb(metric: str, words: TargetWords) -> str | None:
    return next((verb for verb in words.carried if metric.startswith(verb)), None)


def extract_targets(text: str, lex: Lexicon | None = None) -> list[Target]:
    """The quantitative targets a task statement states, in text order (see the module docstring for the rules)."""
    words = (lex or load_lexicon()).targets
    accepted: dict[int, tuple[Target, str | None]] = {}  # value start → target and the verb a list carries on
    enumeration: tuple[int, _Value] | None = None  # a 、 right after a value: where the next clause starts
    clause_start = scanned = 0  # where the clause of `scanned` starts (values come in text order: one pass)
    for value in _values(text, words):
        for pos in range(scanned, value.start):
            if _clause_end(text, pos):
                clause_start = pos + 1
        scanned, start = value.start, clause_start
        previous = None
        if enumeration and start <= enumeration[0] <= value.start:
            start, previous = enumeration
        enumeration = None
        after = _skip_space(text, value.end, len(text))
        if text.startswith(_ENUMERATION, after):
            enumeration = (after + 1, value)

        if previous is not None and not text[start:value.start].strip():
            accepted.pop(previous.start, None)  # "3个、7个": a respectively list
            continue
        metric_start = _metric_start(text, start, value.start, words)
        metric_end, before, kinds = _metric_end(text, metric_start, value.start, words)
        metric = _SPACE.sub("", text[metric_start:metric_end])
        if "each" in kinds or len(metric) < 2 or metric in words.bare or not _WORDY.search(metric):
            continue
        verb = _carried_verb(metric, words)
        if verb is None and previous is not None and previous.start in accepted:
            verb = accepted[previous.start][1]
            if verb:
                metric = verb + metric
        unit_base = value.unit.lstrip("".join(words.multipliers))
        target = Target(
            metric=metric,
            value=value.value,
            unit_text=value.unit,
            comparator=value.after or before or "exactly",
            growth="growth" in kinds and (value.unit in words.rate_units or unit_base in words.rate_units),
            text=text[metric_start:value.end],
            start=metric_start,
            end=value.end,
        )
        accepted[value.start] = (target, verb)
    targets = [target for target, _ in accepted.values()]
    return sorted(targets, key=lambda target: target.start)
