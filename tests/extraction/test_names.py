"""Splitting and recognising names (units, groups, people) in cells and lines."""

from __future__ import annotations

import pytest

from govkg.lexicon import load_lexicon
from govkg.names import looks_like_person, looks_like_unit, split_people, split_units

LEX = load_lexicon()


def units(text: str) -> list[tuple[str, str, str]]:
    return [(p.text, p.form, p.kind) for p in split_units(text, LEX)]


def test_one_name_per_line_with_qualifier_on_its_own_line():
    assert units("经开区\n高新园\n（邹区镇）\n各街道") == [
        ("经开区", "经开区", "unit"), ("高新园（邹区镇）", "高新园（邹区镇）", "unit"), ("各街道", "各街道", "group")]


def test_ascii_parentheses_normalised_in_form_only():
    assert units("高新园(邹区镇),发改局") == [
        ("高新园(邹区镇)", "高新园（邹区镇）", "unit"), ("发改局", "发改局", "unit")]


def test_separators_and_letter_spacing():
    assert [u[0] for u in units("新闸街道、五星街道,发改局；财政局;编  办")] == [
        "新闸街道", "五星街道", "发改局", "财政局", "编办"]


def test_names_wrapped_over_two_lines_are_joined():
    assert [u[0] for u in units("退役军人\n事务局")] == ["退役军人事务局"]
    assert [u[0] for u in units("住房公积金\n\n中心")] == ["住房公积金中心"]
    # A complete name is not joined with the next line's first name.
    assert [u[0] for u in units("人行\n\n各镇、开发区")] == ["人行", "各镇", "开发区"]


def test_names_run_together_are_split():
    assert [u[0] for u in units("自然资源和规划分局生态环境局")] == ["自然资源和规划分局", "生态环境局"]
    for whole in ("纪委监委", "区委组织部", "政府办（大数据管理局）", "春秋淹城旅游区管理办公室", "区委编办"):
        assert [u[0] for u in units(whole)] == [whole]


def test_quantifier_distributes_over_type_words():
    assert [(u[1], u[2]) for u in units("各镇、开发区、街道")] == [
        ("各镇", "group"), ("各开发区", "group"), ("各街道", "group")]
    assert [u[1] for u in units("相关镇、开发区")] == ["相关镇", "相关开发区"]
    # No quantifier before it: a development zone named 经开区 stays a unit.
    assert units("经开区、各街道")[0] == ("经开区", "经开区", "unit")


@pytest.mark.parametrize("text", ["区各部门", "区安委会各成员单位", "相关部门", "区各有关部门", "区攻坚办各成员单位"])
def test_groups(text):
    assert units(text)[0][2] == "group"


@pytest.mark.parametrize(("text", "unit"), [
    ("区住建局", True), ("钟楼资规分局", True), ("武进高新区", True), ("团 委", True), ("区残联", True),
    ("做强经开区", False), ("做大高新区", False), ("以改革提升", False), ("建设美丽乡村", False),
    ("我们将始终筑牢忠诚担当之基", False),
])
def test_looks_like_unit(text, unit):
    assert looks_like_unit(text, LEX) is unit


@pytest.mark.parametrize(("text", "person"), [
    ("吴 伟", True), ("是  峰", True), ("王行杰", True), ("欧阳修", True), ("全体区长", True),
    ("编 办", False), ("团 委", False), ("效能", False), ("富裕渠道", False), ("金融局", False),
])
def test_looks_like_person(text, person):
    assert looks_like_person(text, LEX) is person


def test_people_split_and_collectives():
    assert [(p.text, p.kind) for p in split_people("周  庆\n\n全体区长", LEX)] == [
        ("周庆", "person"), ("全体区长", "collective")]
    assert [p.text for p in split_people("王旭锋 胡金芳", LEX)] == ["王旭锋", "胡金芳"]


def test_collective_names_with_an_inner_separator_stay_whole():
    assert [u[0] for u in units("国家统计局洪湖调查队,各乡、镇人民政府,大同湖、大沙湖管理区")] == [
        "国家统计局洪湖调查队", "各乡、镇人民政府", "大同湖、大沙湖管理区"]
    assert [u[0] for u in units("市工信局,各县(市、区)政府")] == ["市工信局", "各县(市、区)政府"]
    # Two names that each stand alone are two: 各地、各部门.
    assert [u[0] for u in units("各地、各部门")] == ["各地", "各部门"]


def test_etc_closes_a_list_or_separates_a_group():
    assert [u[0] for u in units("省商务厅、省质监局等")] == ["省商务厅", "省质监局"]
    assert [(u[0], u[2]) for u in units("区经信局、区农业农村局等区级有关部门")] == [
        ("区经信局", "unit"), ("区农业农村局", "unit"), ("区级有关部门", "group")]


def test_lead_marker_and_a_rule_note_are_not_part_of_a_name():
    marked = split_units("区经信局*、区财政局", LEX)
    assert [(p.text, p.starred) for p in marked] == [("区经信局", True), ("区财政局", False)]
    assert [u[0] for u in units("花园街道、石梁镇(列第一位者为牵头或汇总单位,下同)")] == ["花园街道", "石梁镇"]
    # A qualifier that is no note stays with its name.
    assert [u[0] for u in units("区教育体育局(区城投集团代建)")] == ["区教育体育局(区城投集团代建)"]


def test_a_closing_bracket_nothing_opened_is_no_part_of_the_last_name():
    # the annotation's "(" was left at the end of the line above (a wrapped PDF text): its ")" ends the list
    assert [u[0] for u in units("市财政局,大同湖、大沙湖管理区,洪湖经济开发区)")] == [
        "市财政局", "大同湖、大沙湖管理区", "洪湖经济开发区"]
    assert [u[0] for u in units("各县（市、区）政府）")] == ["各县（市、区）政府"]


def test_a_bureau_and_its_sub_unit_printed_as_one_name_are_not_split():
    assert [u[0] for u in units("国家统计局洪湖调查队")] == ["国家统计局洪湖调查队"]
    assert [u[0] for u in units("市公安局钟楼分局")] == ["市公安局钟楼分局"]


@pytest.mark.parametrize(("text", "people"), [
    ("区长沈晓峰", ["沈晓峰"]), ("何振宇区长", ["何振宇"]), ("蒋丽萍常委、常务副区长", ["蒋丽萍"]),
    ("方志强区政府党组成员", ["方志强"]), ("分管副市长", []), ("全体区长", ["全体区长"]),
])
def test_leaders_lose_their_titles(text, people):
    assert [p.text for p in split_people(text, LEX)] == people


def test_a_one_character_prefix_that_begins_a_word_is_kept():
    from govkg.names import strip_prefix

    prefixes = ("市", "区")
    assert [strip_prefix(name, prefixes, LEX) for name in ("市场监管局", "市政公用局", "区域发展中心", "市发改委",
                                                           "区政府办")] == [
        "市场监管局", "市政公用局", "区域发展中心", "发改委", "政府办"]


def test_a_line_left_inside_an_open_bracket_goes_on_on_the_next():
    """A cell wrapped at a PDF's width inside a bracket: "各乡镇（" / "街道）" is one name, not "各乡镇（" and 街道."""
    assert [text for text, _, _ in units("区经信局、区级有关部门，各乡镇（\n街道）\n区财政局")] == [
        "区经信局", "区级有关部门", "各乡镇（街道）", "区财政局"]


def test_titles_in_brackets_after_a_leaders_name_are_no_part_of_it():
    assert [p.form for p in split_people("张伟（副区长）、李明(区委常委、常务副区长)", LEX)] == ["张伟", "李明"]


def test_a_note_saying_a_unit_cooperates_is_no_part_of_its_name():
    assert [form for _, form, _ in units("区教育局（牵头单位）、区自然资源局（配合）、区财政局(协办)")] == [
        "区教育局", "区自然资源局", "区财政局"]
