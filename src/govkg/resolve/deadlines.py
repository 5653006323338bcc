"""Completion deadlines as printed ("2023年底前", "12月底", "2024年6月", "全年") → the period they end with.

A deadline is read as the **end of the latest period it names**, at the precision printed:

- a year ("2023年", "2023年底前", "年内", "全年", "明年") → ``gYear`` 2023 (ends 31 December);
- a month or a part of a year ("2024年6月", "12月底", "上半年", "三季度", "年中") → ``gYearMonth`` 2024-06
  (ends on the month's last day; 上半年 / 年中 = June, 下半年 = December, quarter n = month 3n, 前三季度 = September);
- a day ("6月30日前", "2023-12-31", "9月中旬") → ``date`` (上旬 / 月初 = the 10th, 中旬 / 月中 = the 20th;
  下旬 / 月底 / 月末 = the month).

A month or a year-less period takes the last year printed before it, else the plan year ("12月底" in a 2023 plan
is 2023-12); a year printed right before a month or period is only its context ("2024年6月" is June, not the
year). When several periods are named ("2023年6月底前完成方案，12月底前建成") the latest end wins. Nothing is read
from what names no period: "长期坚持", "持续推进", "每季度", durations such as "3年内", or a month without any year
known. Full-width digits and Chinese numerals (十二月, 二〇二三年) are read.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

DeadlineKind = Literal["date", "gYearMonth", "gYear"]

_YEARS = range(1949, 2101)
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_NOT_AFTER_NUMBER = r"(?<![0-9〇零一二三四五六七八九十两])"
_CN_DAY = r"三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"
_QUARTER = r"第?[一二三四1-4]季度"
_YEAR_PARTS = rf"上半年|下半年|前三季度|{_QUARTER}"

_TOKEN = re.compile(
    # 2023-12-31, 2023.12, 2023/6/30 (a month 1-12, not the first digits of "2023-2025")
    r"(?<!\d)(?P<iso_year>(?:19|20)\d{2})[-./](?P<iso_month>1[0-2]|0?[1-9])(?:[-./](?P<iso_day>3[01]|[12]\d|0?[1-9]))?"
    r"(?![\d])"
    # 2023年, 2023年度, 二〇二三年, with a part of the year: 2023年底, 2023年上半年, 2023年第三季度
    r"|(?<!\d)(?P<year>(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年度?"
    rf"(?P<year_part>{_YEAR_PARTS}|底|末|终|内|中)?"
    # 6月, 6月份, 十二月底, 6月30日, 9月中旬
    r"|(?<!\d)(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月份?"
    rf"(?:(?P<day>3[01]|[12]\d|0?[1-9]|{_CN_DAY})[日号]|(?P<month_part>上旬|中旬|下旬|初|中|底|末))?"
    # the next year, and parts of the year in context (not "3年内", a duration)
    rf"|{_NOT_AFTER_NUMBER}(?P<next_year>明年|次年|翌年|下一年)"
    rf"|{_NOT_AFTER_NUMBER}(?P<period>年底|年末|年终|年内|年中|全年|当年|今年|本年度|本年|年度内|{_YEAR_PARTS})"
)

#: Parts of a year → the month they end with (None: the whole year).
_PART_END_MONTH = {"上半年": 6, "年中": 6, "中": 6, "下半年": 12, "前三季度": 9}
_DAY_OF_PART = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}


@dataclass(frozen=True, order=True)
class Deadline:
    """The period a deadline ends with: a year, a month of a year or a day, and its last day."""

    end: date
    kind: DeadlineKind
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def lexical(self) -> str:
        """The XML Schema lexical form: "2023", "2024-06" or "2024-06-30"."""
        if self.kind == "gYear":
            return f"{self.year:04d}"
        if self.kind == "gYearMonth":
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _year_deadline(year: int) -> Deadline:
    return Deadline(date(year, 12, 31), "gYear", year)


def _month_deadline(year: int, month: int) -> Deadline:
    return Deadline(date(year, month, calendar.monthrange(year, month)[1]), "gYearMonth", year, month)


def _day_deadline(year: int, month: int, day: int) -> Deadline | None:
    try:
        return Deadline(date(year, month, day), "date", year, month, day)
    except ValueError:  # 2月30日
        return None


def _number(text: str) -> int:
    """An Arabic or Chinese number up to 99 (十二 = 12, 二十一 = 21), or a year written digit by digit."""
    if text.isdigit():
        return int(text)
    if len(text) == 4 and "十" not in text:  # 二〇二三
        return int("".join(str(_CN_DIGITS[char]) for char in text))
    tens, _, units = text.partition("十")
    if "十" not in text:
        return _CN_DIGITS[text]
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _part_deadline(year: int, part: str) -> Deadline:
    """A part of a year (年底, 上半年, 第三季度 …) → its end."""
    quarter = re.fullmatch(r"第?([一二三四1-4])季度", part)
    if quarter:
        return _month_deadline(year, 3 * _number(quarter.group(1)))
    month = _PART_END_MONTH.get(part)
    return _month_deadline(year, month) if month else _year_deadline(year)


def _token_deadline(match: re.Match[str], year: int | None) -> Deadline | None:
    """The period one date-like token names, given the year in context."""
    if match.group("iso_year"):
        year, month = int(match.group("iso_year")), int(match.group("iso_month"))
        day = match.group("iso_day")
        return _day_deadline(year, month, int(day)) if day else _month_deadline(year, month)
    if year is None:
        return None
    if match.group("year"):
        part = match.group("year_part")
        return _part_deadline(year, part) if part else _year_deadline(year)
    if match.group("month"):
        month, day, part = _number(match.group("month")), match.group("day"), match.group("month_part")
        if day:
            return _day_deadline(year, month, _number(day))
        if part in _DAY_OF_PART:
            return _day_deadline(year, month, _DAY_OF_PART[part])
        return _month_deadline(year, month)
    if match.group("next_year"):
        return _year_deadline(year)
    return _part_deadline(year, match.group("period"))


def _token_year(match: re.Match[str], year: int | None, plan_year: int | None) -> int | None:
    """The year in context after this token (a printed year, the next year, or unchanged)."""
    if match.group("iso_year"):
        return int(match.group("iso_year"))
    if match.group("year"):
        printed = _number(match.group("year"))
        return printed if printed in _YEARS else None
    if match.group("next_year"):
        return plan_year + 1 if plan_year is not None else None
    return year


def read_deadline(printed: str | None, plan_year: int | None) -> Deadline | None:
    """The end of the latest period a printed deadline names, or None when it names none (see the module doc)."""
    if not printed:
        return None
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", printed))
    tokens = list(_TOKEN.finditer(text))
    year = plan_year if plan_year in _YEARS else None
    found: list[Deadline] = []
    for index, match in enumerate(tokens):
        year = _token_year(match, year, plan_year)
        context_only = (
            (match.group("year") and not match.group("year_part")) or match.group("next_year")
        ) and index + 1 < len(tokens) and tokens[index + 1].start() == match.end()
        if context_only:  # "2024年6月": the year only dates the month after it
            continue
        deadline = _token_deadline(match, year)
        if deadline is not None:
            found.append(deadline)
    return max(found, default=None)
