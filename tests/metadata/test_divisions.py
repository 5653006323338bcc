"""Division names as printed → codes, names, short names and levels, from the official code lists."""

from __future__ import annotations

import pytest

from govkg.divisions import load_divisions

INDEX = load_divisions()


@pytest.mark.parametrize(("text", "code", "qualified", "short", "level"), [
    ("无锡市", "320200", "无锡市", "无锡", "city"),
    ("江苏省无锡市", "320200", "无锡市", "无锡", "city"),
    ("婺城区", "330702", "金华市婺城区", "婺城", "county"),
    ("金华市婺城区", "330702", "金华市婺城区", "婺城", "county"),
    ("湖州市吴兴区人民政府办公室", "330502", "湖州市吴兴区", "吴兴", "county"),
    ("洪湖市", "421083", "洪湖市", "洪湖", "county"),
    ("河北省", "130000", "河北省", "河北", "province"),
    ("内蒙古自治区赤峰市", "150400", "赤峰市", "赤峰", "city"),
    ("赤峰市", "150400", "赤峰市", "赤峰", "city"),
    ("路桥区", "331004", "台州市路桥区", "路桥", "county"),
    ("三门县", "331022", "三门县", "三门", "county"),
    ("宣城市民生办", "341800", "宣城市", "宣城", "city"),
    ("北京市朝阳区", "110105", "北京市朝阳区", "朝阳", "county"),
    ("婺城", "330702", "金华市婺城区", "婺城", "county"),  # a short name on its own
    ("金华婺城", "330702", "金华市婺城区", "婺城", "county"),
    ("330702", "330702", "金华市婺城区", "婺城", "county"),  # a code
    ("仙桃市", "429004", "仙桃市", "仙桃", "county"),  # a county-level city under its province
])
def test_names_resolve_to_one_division(text, code, qualified, short, level):
    resolution = INDEX.resolve(text)
    division = resolution.division
    assert division is not None, resolution.message
    assert (division.code, INDEX.qualified(division), division.short, division.level) == (code, qualified, short, level)


def test_codes_are_six_digit_strings():
    assert all(len(d.code) == 6 and d.code.isdigit() for d in INDEX.divisions)


def test_the_lists_are_complete_at_every_level():
    current = [d for d in INDEX.divisions if d.last == INDEX.latest]
    levels = {level: sum(1 for d in current if d.level == level) for level in ("province", "city", "county")}
    assert INDEX.latest >= 2024
    assert levels["province"] == 34  # 31 on the mainland, 台湾, 香港, 澳门
    assert 330 <= levels["city"] <= 340
    assert 2840 <= levels["county"] <= 2860


def test_duplicate_names_are_ambiguous_without_a_parent():
    resolution = INDEX.resolve("鼓楼区")
    assert resolution.division is None and resolution.ambiguous
    assert {d.code for d in resolution.candidates} == {"320106", "320302", "350102", "410204"}
    assert "南京市鼓楼区 (320106)" in resolution.message and "give the issuer in full" in resolution.message
    assert INDEX.resolve("朝阳区").ambiguous


def test_a_parent_printed_in_the_text_or_elsewhere_decides():
    assert INDEX.resolve("南京市鼓楼区").division.code == "320106"
    assert INDEX.resolve("福建省鼓楼区").division.code == "350102"
    assert INDEX.resolve("鼓楼区", hints=["江西省", "福州市"]).division.code == "350102"
    assert INDEX.resolve("朝阳区", hints=["长春市"]).division.code == "220104"
    # Two candidates' cities both printed: still ambiguous, no guess.
    assert INDEX.resolve("鼓楼区", hints=["南京市", "徐州市"]).ambiguous


def test_renamed_and_abolished_divisions_resolve_by_year():
    assert INDEX.resolve("吴江市", year=2010).division.code == "320584"  # 吴江区 (320509) since 2012
    assert INDEX.resolve("吴江区").division.code == "320509"
    assert INDEX.resolve("巢湖市", year=2009).division.level == "city"  # abolished as a city in 2011
    assert INDEX.resolve("巢湖市", year=2020).division.code == "340181"
    assert INDEX.resolve("庐江县", year=2010).division.code == "341421"
    assert INDEX.resolve("庐江县").division.code == "340124"
    assert INDEX.resolve("襄樊市", year=2009).division.code == "420600"


def test_not_a_division():
    for text in ("某某公司", "区政府办", "星辰娱乐平", "县教育局"):
        resolution = INDEX.resolve(text)
        assert resolution.division is None and not resolution.ambiguous
        assert "not the name of an administrative division" in resolution.message
    assert INDEX.resolve("999999").division is None


def test_unit_prefixes_follow_name_and_level():
    assert set(INDEX.unit_prefixes(INDEX.resolve("无锡市").division)) == {"无锡市", "无锡", "市委", "市政府", "市"}
    prefixes = INDEX.unit_prefixes(INDEX.resolve("婺城区").division)
    assert set(prefixes) == {"金华市婺城区", "婺城区", "婺城", "区委", "区政府", "区"}
    assert list(prefixes) == sorted(prefixes, key=len, reverse=True)
    assert {"县委", "县"} <= set(INDEX.unit_prefixes(INDEX.resolve("三门县").division))
    assert {"省政府", "省"} <= set(INDEX.unit_prefixes(INDEX.resolve("河北省").division))


def test_chain_and_mentions():
    end, links = INDEX.chain("江西省九江市人民政府办公室关于")
    assert end == 6 and [link[0].code for link in links] == ["360000", "360400"]
    assert INDEX.mentions("经南京市政府同意,江苏省各地") == ["南京市", "江苏省"]


def test_document_number_prefix_is_supporting_evidence():
    assert INDEX.docno_agrees("锡", INDEX.resolve("无锡市").division)
    assert INDEX.docno_agrees("冀", INDEX.resolve("河北省").division)
    assert INDEX.docno_agrees("柯", INDEX.resolve("柯城区").division)
    assert not INDEX.docno_agrees("苏", INDEX.resolve("河北省").division)
    assert [d.name for d in INDEX.docno_candidates("许")] == ["许昌市"]
