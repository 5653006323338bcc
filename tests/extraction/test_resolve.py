"""Aliases resolve within one issuer, never across issuers; unit types come from the lexicon."""

from __future__ import annotations

from govkg.lexicon import load_lexicon
from govkg.resolve import canonical_unit, issuer_from, unit_type
from sample_docs import task

LEX = load_lexicon()
ZHONGLOU, WUJIN = "320404", "320412"


def test_spellings_of_one_zhonglou_unit():
    assert canonical_unit("住建局", ZHONGLOU, LEX) == canonical_unit("区住建局", ZHONGLOU, LEX) == "住建局"
    for spelling in ("资规分局", "钟楼资规分局", "自然资源和规划分局"):
        assert canonical_unit(spelling, ZHONGLOU, LEX) == "资规分局"
    assert canonical_unit("编 办", ZHONGLOU, LEX) == canonical_unit("区委编办", ZHONGLOU, LEX) == "编办"


def test_aliases_are_per_issuer():
    # 自然资源和规划分局 is 资规分局 in 钟楼区 only; 武进区 keeps its own name.
    assert canonical_unit("自然资源和规划分局", WUJIN, LEX) == "自然资源和规划分局"
    assert canonical_unit("西太湖科技产业园", WUJIN, LEX) == "西太湖"
    assert canonical_unit("西太湖科技产业园", ZHONGLOU, LEX) == "西太湖科技产业园"


def test_zhujianju_of_two_districts_are_two_units(samples):
    zhonglou = task(samples["000"], "41").lead_units[0]
    wujin = task(samples["003"], "42").lead_units[0]
    assert zhonglou.name == wujin.name == "住建局"
    assert samples["000"].issuer.code == ZHONGLOU and samples["003"].issuer.code == WUJIN
    # One unit per issuer: (issuer, canonical name) is the unit's key.
    assert (samples["000"].issuer.key, zhonglou.name) != (samples["003"].issuer.key, wujin.name)


def test_zhujianju_spellings_in_zhonglou_documents(samples):
    spellings = {p.text for doc in (samples["000"], samples["001"], samples["004"]) for t in doc.tasks
                 for p in t.lead_units + t.coop_units if p.name == "住建局"}
    assert spellings == {"住建局", "区住建局"}


def test_unit_types():
    assert unit_type("五星街道", ZHONGLOU, LEX) == "subdistrict"
    assert unit_type("邹区镇", ZHONGLOU, LEX) == "town"
    assert unit_type("高新区（邹区镇）", ZHONGLOU, LEX) == "devzone"
    assert unit_type("新运集团", ZHONGLOU, LEX) == "soe"
    assert unit_type("组织部", ZHONGLOU, LEX) == "party"
    assert unit_type("公安分局", ZHONGLOU, LEX) == "branch"
    assert unit_type("生态环境局", ZHONGLOU, LEX) == "branch"  # per-issuer entry
    assert unit_type("住建局", ZHONGLOU, LEX) == "bureau"
    assert unit_type("总工会", ZHONGLOU, LEX) == "massorg"
    assert unit_type("政府办", ZHONGLOU, LEX) == "office"


def test_issuers():
    assert issuer_from("钟楼区", LEX).code == ZHONGLOU
    assert issuer_from("常州市武进区", LEX).code == WUJIN
    unknown = issuer_from("某某县人民政府", LEX)
    assert (unknown.name, unknown.code) == ("某某县", None)
