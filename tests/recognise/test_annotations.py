"""Role annotations printed in prose: labels, role words, bare unit lists, brackets, printed rules."""

from __future__ import annotations

import pytest

from govkg.lexicon import load_lexicon
from govkg.recognise.annotations import find_labels, parse_annotation, printed_rules, trailing_bracket

LEX = load_lexicon()


def parsed(text: str) -> list[tuple[str, str, bool]]:
    return [(a.role, a.text, a.certain) for a in parse_annotation(text, LEX)]


def test_labels_with_either_colon_and_separator():
    assert parsed("牵头单位：区发改局；责任单位：区财政局、各街道") == [
        ("lead", "区发改局", True), ("resp", "区财政局、各街道", True)]
    assert parsed("牵头单位:市发展和改革局;责任单位:市统计局,各乡、镇人民政府") == [
        ("lead", "市发展和改革局", True), ("resp", "市统计局,各乡、镇人民政府", True)]


def test_labels_run_together_on_one_line_and_ignored_labels():
    assert parsed("牵头领导:张伟 责任单位:区民政局 项目责任人:李明 配合单位:区财政局") == [
        ("leader", "张伟", True), ("resp", "区民政局", True), ("coop", "区财政局", True)]


@pytest.mark.parametrize(("text", "expected"), [
    ("市发改委牵头落实", [("lead", "市发改委", True)]),
    ("市国土资源局、市环保局牵头落实", [("lead", "市国土资源局、市环保局", True)]),
    ("省商务厅、省财政厅等负责", [("resp", "省商务厅、省财政厅", False)]),
    ("市住建局牵头，市财政局、各区配合", [("lead", "市住建局", True), ("coop", "市财政局、各区", True)]),
    ("市商务局主办,市海关、市税务局协办", [("lead", "市商务局", True), ("coop", "市海关、市税务局", True)]),
    ("分管副市长负责，市交通局牵头", [("lead", "市交通局", True)]),
    ("王明副市长负责，市交通局牵头", [("leader", "王明", True), ("lead", "市交通局", True)]),
    ("部门分工：省税务局牵头，各地、各部门配合。", [("lead", "省税务局", True), ("coop", "各地、各部门", True)]),
])
def test_role_words(text, expected):
    assert parsed(text) == expected


def test_bare_unit_list_leads_without_a_rule():
    assert parsed("市发改委,市直有关部门,各县市区政府,九江开发区") == [
        ("resp", "市发改委,市直有关部门,各县市区政府,九江开发区", True)]


@pytest.mark.parametrize("text", ["2023年底前", "暂命名", "5条路", "五一新村片区改造项目", "含农村公路", "详见附件"])
def test_brackets_that_are_not_unit_lists(text):
    assert parsed(text) == []


def test_prose_mentioning_a_label_without_colon_is_no_label():
    assert find_labels("各牵头单位要主动履职尽责，配合部门要积极支持", LEX) == []


def test_inline_label_in_a_sentence():
    hits = find_labels("1、农村电商提升工程,牵头部门:市商务局。站点覆盖率偏低", LEX)
    assert [(hit.label, hit.role) for hit in hits] == [("牵头部门", "lead")]


@pytest.mark.parametrize(("text", "content", "after"), [
    ("新建公园2个。(牵头单位:区住建局)", "牵头单位:区住建局", ""),
    ("新建公园2个（区住建局牵头落实）。", "区住建局牵头落实", "。"),
    ("新建公园2个。【牵头单位：各县（市、区）政府】", "牵头单位：各县（市、区）政府", ""),
    ("新建公园2个。[牵头单位:区住建局;配合单位:区城管局];", "牵头单位:区住建局;配合单位:区城管局", ";"),
])
def test_trailing_bracket_of_any_kind_keeps_inner_parentheses(text, content, after):
    found = trailing_bracket(text)
    assert found is not None and found.closed and found.content == content and found.after == after


def test_trailing_bracket_not_closed_at_the_end_of_a_cut_page():
    found = trailing_bracket("4.坚持集中集约发展。(市发改委牵头落")
    assert found is not None and not found.closed and found.content == "市发改委牵头落"


def test_no_trailing_bracket_when_text_follows():
    assert trailing_bracket("新建(改扩建)学校3所") is None


@pytest.mark.parametrize(("text", "kinds"), [
    ("（列第一位者为牵头或汇总单位，下同）", ["first_lead"]),
    ("责任单位中排在第一位的为牵头单位。", ["first_lead"]),
    ("标*的为牵头单位", ["star_lead"]),
    ("无牵头单位的，责任单位即为牵头单位", ["resp_lead"]),
    ("区经信局*、区财政局", []),
    ("各牵头单位要加强协调", []),
])
def test_printed_rules(text, kinds):
    assert printed_rules(text, LEX) == kinds
