"""Dates and report periods as Chinese documents print them, and their normalised forms.

Issue dates: "2022年1月10日", "二○一一年四月八日", "2022-01-10", "2022-01-10 16:42" → "2022-01-10".
Report periods of progress tables: "截至9月30日" → "2022-09-30", "截至11月中旬" → "2022-11-11/2022-11-20",
"1-9月份" / "1至9月" → "2022-01/2022-09", "10月" → "2022-10", "一季度" → "2022-Q1", "上半年" → "2022-01/2022-06".
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_YEAR = "[〇○零Ｏ一二三四五六七八九]{4}"
_CN_SMALL = "[一二三四五六七八九十]{1,3}"
_NUM = rf"(?:\d{{1,2}}|{_CN_SMALL})"
_YEAR = rf"(?:(?:19|20)\d{{2}}|{_CN_YEAR})"

_CN_DATE = re.compile(rf"({_YEAR})\s*年\s*({_NUM})\s*月\s*({_NUM})\s*[日号]")
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.．]\s*(\d{1,2})\s*[-/.．]\s*(\d{1,2})(?!\d)")
_JUNK = re.compile(r"^[\s?？*＊·.。,，]*$")

_UNTIL = re.compile(
    rf"(?:截至|截止到|截止)\s*(?:({_YEAR})\s*年\s*)?({_NUM})\s*月\s*(?:({_NUM})\s*日|(底|末|上旬|中旬|下旬))?")
_MONTHS = re.compile(rf"(?:({_YEAR})\s*年\s*)?({_NUM})\s*(?:-|—|–|－|~|～|至|到)\s*({_NUM})\s*月(?:份)?")
_QUARTER = re.compile(rf"(?:({_YEAR})\s*年\s*)?(?:第)?([一二三四1-4])\s*季度")
_HALF = re.compile(rf"(?:({_YEAR})\s*年\s*)?(上半年|下半年|前三季度)")
_MONTH = re.compile(rf"(?:({_YEAR})\s*年\s*)?(?<![\d一二三四五六七八九十])({_NUM})\s*月(?:份)?(?![\d日号])")
_TENTHS = {"上旬": (1, 10), "中旬": (11, 20)}
_HALVES = {"上半年": (1, 6), "下半年": (7, 12), "前三季度": (1, 9)}


@dataclass(frozen=True)
class Period:
    """A report date or period: the text as printed, its normalised form (None without a year), where it is."""

    text: str
    value: str | None
    start: int
    end: int


def cn_int(text: str) -> int | None:
    """A number printed in Arabic or Chinese numerals ("12", "十二", "二十八", "二○一一" digit by digit)."""
    text = unicodedata.normalize("NFKC", text.strip())
    if text.isdigit():
        return int(text)
    if not text or any(char not in _CN_DIGITS and char != "十" for char in text):
        return None
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[char]) for char in text))
    tens, _, units = text.partition("十")
    high = _CN_DIGITS.get(tens, 0) if tens else 1
    low = _CN_DIGITS.get(units, 0) if units else 0
    return high * 10 + low if len(tens) <= 1 and len(units) <= 1 else None


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None or month is None or day is None:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first full date printed in the text: (YYYY-MM-DD, start, end)."""
    found = []
    for pattern in (_CN_DATE, _ISO_DATE):
        for match in pattern.finditer(text):
            value = _iso(*(cn_int(part) for part in match.groups()))
            if value:
                found.append((value, match.start(), match.end()))
                break
    return min(found, key=lambda item: item[1]) if found else None


def whole_date(text: str) -> str | None:
    """The date when the text is a date and nothing else (a signature date; junk such as "????" is ignored)."""
    found = find_date(text)
    if found is None:
        return None
    value, start, end = found
    return value if _JUNK.match(text[:start]) and _JUNK.match(text[end:]) else None


def _year(printed: str | None, year: int | None) -> int | None:
    return cn_int(printed) if printed else year


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _until(match: re.Match[str], year: int | None) -> str | None:
    y, month, day = _year(match.group(1), year), cn_int(match.group(2)), match.group(3)
    part = match.group(4)
    if y is None or month is None or not 1 <= month <= 12:
        return None
    if day:
        return _iso(y, month, cn_int(day))
    if part in ("底", "末"):
        return _iso(y, month, _month_end(y, month))
    if part in _TENTHS:
        first, last = _TENTHS[part]
        return f"{_iso(y, month, first)}/{_iso(y, month, last)}"
    if part == "下旬":
        return f"{_iso(y, month, 21)}/{_iso(y, month, _month_end(y, month))}"
    return f"{y:04d}-{month:02d}"


def _months(match: re.Match[str], year: int | None) -> str | None:
    y, first, last = _year(match.group(1), year), cn_int(match.group(2)), cn_int(match.group(3))
    if y is None or first is None or last is None or not 1 <= first <= last <= 12:
        return None
    return f"{y:04d}-{first:02d}/{y:04d}-{last:02d}"


def _quarter(match: re.Match[str], year: int | None) -> str | None:
    y, number = _year(match.group(1), year), cn_int(match.group(2))
    return f"{y:04d}-Q{number}" if y is not None and number else None


def _half(match: re.Match[str], year: int | None) -> str | None:
    y = _year(match.group(1), year)
    if y is None:
        return None
    first, last = _HALVES[match.group(2)]
    return f"{y:04d}-{first:02d}/{y:04d}-{last:02d}"


def _month(match: re.Match[str], year: int | None) -> str | None:
    y, month = _year(match.group(1), year), cn_int(match.group(2))
    if y is None or month is None or not 1 <= month <= 12:
        return None
    return f"{y:04d}-{month:02d}"


_PERIODS = ((_UNTIL, _until), (_MONTHS, _months), (_HALF, _half), (_QUARTER, _quarter), (_MONTH, _month))


def find_periods(text: str, year: int | None) -> list[Period]:
    """Every report period printed in the text, most specific kind first (截至… before ranges before months)."""
    out: list[Period] = []
    taken: list[tuple[int, int]] = []
    for pattern, normalise in _PERIODS:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            printed = match.group(0).strip()
            out.append(Period(printed, normalise(match, year), match.start(), match.end()))
            taken.append((match.start(), match.end()))
    return out


_QUARTER_VALUE = re.compile(r"^(\d{4})-Q([1-4])$")
_DAY_VALUE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH_VALUE = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_VALUE = re.compile(r"^(\d{4})$")


def period_end(value: str | None) -> date | None:
    """The last day of a normalised period ("2022-09-30", "2022-10", "2022-Q3", "2022-01/2022-09", "2022")."""
    if not value:
        return None
    last = value.rsplit("/", 1)[-1].strip()
    try:
        if found := _DAY_VALUE.match(last):
            return date(int(found[1]), int(found[2]), int(found[3]))
        if found := _MONTH_VALUE.match(last):
            year, month = int(found[1]), int(found[2])
            return date(year, month, _month_end(year, month))
        if found := _QUARTER_VALUE.match(last):
            year, month = int(found[1]), int(found[2]) * 3
            return date(year, month, _month_end(year, month))
        if found := _YEAR_VALUE.match(last):
            return date(int(found[1]), 12, 31)
    except ValueError:
        return None
    return None
