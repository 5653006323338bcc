"""Finding targets takes linear time (a 1.1 MB goal cell took 62 s: every number counted the quote marks before
it, walked back to its clause's start and copied the rest of the text)."""

from __future__ import annotations

import gc
import time

import pytest

from govkg.lexicon import load_lexicon
from govkg.resolve.targets import extract_targets


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


def _short(text: str, lex) -> list[tuple[str, str, str]]:
    return [(t.metric, t.value, t.unit_text) for t in extract_targets(text, lex)]


@pytest.mark.parametrize(("text", "expected"), [
    ("新建公园2个。", [("新建公园", "2", "个")]),
    ("实施“333”行动，新增企业5家。", [("新增企业", "5", "家")]),
    ("落实“12个没有”，新建道路3条。", [("新建道路", "3", "条")]),
    ("“新建公园2个。”，新建道路3条。", [("新建道路", "3", "条")]),  # the first is quoted
    ("《新建公园2个》，新建道路3条。", [("新建道路", "3", "条")]),
    ('"新建公园2个"，新建道路3条。', [("新建道路", "3", "条")]),
    ('"a"，新建公园2个。', [("新建公园", "2", "个")]),  # an even number of straight quotes before
    ('"a"b"，新建公园2个。', []),  # an odd number
    ("“未闭合的引号，新建公园2个。", []),  # an opening mark never closed: inside to the end
    ("新增企业5家、 培育龙头企业2家。", [("新增企业", "5", "家"), ("培育龙头企业", "2", "家")]),
    ("新增企业5家、7家。", []),  # a respectively list
])
def test_quoted_and_unquoted_values(text: str, expected: list[tuple[str, str, str]], lex) -> None:
    assert _short(text, lex) == expected


def _cell(size: int) -> str:
    """A goal cell of about `size` characters: values in one long 、 list, and values in quotes."""
    unit = "新建公园2个、新增企业5家、“道路3条，”"
    return unit * (size // len(unit)) + "。"


def _seconds(text: str, lex) -> float:
    """The shortest of two runs of extract_targets on `text`, without the garbage collector: in a full test run
    its passes over everything earlier tests keep alive grow with the objects the large cell makes, which measured
    the test run's heap rather than the algorithm (13 times once, in a run where alone it was 4 times)."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(2):
            began = time.perf_counter()
            extract_targets(text, lex)
            best = min(best, time.perf_counter() - began)
    finally:
        gc.enable()
    return best


def test_time_grows_linearly_with_the_cell(lex) -> None:
    """Four times the text may take four times as long, not sixteen (the quadratic search took ~13 times)."""
    small, large = _cell(100_000), _cell(400_000)
    assert len(extract_targets(large, lex)) == 2 * (len(large) // len("新建公园2个、新增企业5家、“道路3条，”"))
    assert _seconds(large, lex) < 8 * _seconds(small, lex)
