"""Deadlines as printed → the end of the period they name (src/govkg/resolve/deadlines.py)."""

from __future__ import annotations

from datetime import date

import pytest

from govkg.resolve.deadlines import read_deadline


@pytest.mark.parametrize(("printed", "kind", "lexical"), [
    # years
    ("2023年底前", "gYear", "2023"),
    ("2023年", "gYear", "2023"),
    ("2023年度", "gYear", "2023"),
    ("年底前", "gYear", "2022"),
    ("年内", "gYear", "2022"),
    ("全年", "gYear", "2022"),
    ("2023年全年", "gYear", "2023"),
    ("明年", "gYear", "2023"),
    ("2023—2025年", "gYear", "2025"),
    ("二〇二三年", "gYear", "2023"),
    # months and parts of a year
    ("12月底", "gYearMonth", "2022-12"),
    ("十月底前", "gYearMonth", "2022-10"),
    ("2024年6月", "gYearMonth", "2024-06"),
    ("２０２４年６月底", "gYearMonth", "2024-06"),
    ("2023.10", "gYearMonth", "2023-10"),
    ("上半年", "gYearMonth", "2022-06"),
    ("下半年", "gYearMonth", "2022-12"),
    ("年中", "gYearMonth", "2022-06"),
    ("三季度末", "gYearMonth", "2022-09"),
    ("2024年第二季度", "gYearMonth", "2024-06"),
    ("前三季度", "gYearMonth", "2022-09"),
    ("明年6月", "gYearMonth", "2023-06"),
    ("6月下旬", "gYearMonth", "2022-06"),
    # days
    ("6月30日前", "date", "2022-06-30"),
    ("2023年12月31日", "date", "2023-12-31"),
    ("2023-12-31", "date", "2023-12-31"),
    ("9月中旬", "date", "2022-09-20"),
    ("10月上旬", "date", "2022-10-10"),
    ("十二月二十日", "date", "2022-12-20"),
])
def test_periods(printed, kind, lexical):
    deadline = read_deadline(printed, 2022)
    assert deadline is not None, printed
    assert (deadline.kind, deadline.lexical) == (kind, lexical)


@pytest.mark.parametrize("printed", [
    "长期坚持", "持续推进", "常态化开展", "每季度", "每月10日前", "3年内", "三年内", "2月30日", "", "   ",
])
def test_no_period(printed):
    assert read_deadline(printed, 2022) is None


def test_the_latest_period_named_wins_and_a_month_takes_the_year_printed_before_it():
    deadline = read_deadline("2023年6月底前完成方案，12月底前建成投用", 2022)
    assert (deadline.kind, deadline.lexical, deadline.end) == ("gYearMonth", "2023-12", date(2023, 12, 31))
    assert read_deadline("2023年底前完成方案，2024年6月底前建成", 2022).lexical == "2024-06"


def test_ends_of_periods():
    assert read_deadline("2024年2月", 2024).end == date(2024, 2, 29)
    assert read_deadline("2023年", None).end == date(2023, 12, 31)
    assert read_deadline("6月30日", 2023).end == date(2023, 6, 30)


def test_without_a_year_only_printed_years_are_read():
    assert read_deadline("12月底", None) is None
    assert read_deadline("年内", None) is None
    assert read_deadline("2024年6月", None).lexical == "2024-06"
