"""Numbering at the start of a paragraph, its outline rank, and cutting a run-on line before it."""

from __future__ import annotations

import pytest

from govkg.recognise.enumerators import enumerator, run_on_cuts, strip_enumerator


@pytest.mark.parametrize(("text", "style", "number", "rank"), [
    ("一、主要预期目标", "cn", "一", 1),
    ("（一）经济总量指标。", "pcn", "一", 2),
    ("(二)发展质效指标", "pcn", "二", 2),
    ("1.全市生产总值增长9%。", "num", "1", 3),
    ("14、新建城南学校", "num", "14", 3),
    ("204. 推进数字化改革", "num", "204", 3),
    ("（3）新增就业5000人", "pnum", "3", 4),
    ("①建成社区食堂", "circled", "①", 5),
    ("一是新建幼儿园2所", "cnshi", "一", 6),
    ("第二部分 重点任务", "part", "二", 0),
])
def test_styles_and_ranks(text, style, number, rank):
    found = enumerator(text)
    assert found is not None and (found.style, found.number, found.rank) == (style, number, rank)


@pytest.mark.parametrize("text", ["2022年主要发展指标", "1.2%以上", "十二五规划", "全市生产总值", "（2023年底前）"])
def test_not_numbering(text):
    assert enumerator(text) is None


def test_strip():
    assert strip_enumerator("（一）经济总量指标。") == "经济总量指标。"
    assert strip_enumerator("经济总量指标") == "经济总量指标"


def test_run_on_line_is_cut_before_each_numbering_after_a_sentence_or_space():
    line = "现将任务分解如下。 一、经济发展 1.生产总值增长6%(区发改局)。 2.收入增长5%(区财政局)。"
    cuts = run_on_cuts(line)
    assert [line[cut:cut + 2] for cut in cuts] == ["一、", "1.", "2."]


def test_run_on_keeps_numbers_inside_sentences():
    # "、60. 5%" follows a list separator and "1.2%" is a decimal: neither is cut.
    assert run_on_cuts("分别达到80.5%、60. 5%和1.2%以上") == []


def test_yi_shi_items_after_a_clause_end():
    line = "办好民生实事。一是新建幼儿园2所；二是新增学位1000个。"
    assert [line[cut:cut + 2] for cut in run_on_cuts(line)] == ["一是", "二是"]
