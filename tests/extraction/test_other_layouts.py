"""Documents written for the tests: a key-value list and a single 责任单位 column."""

from __future__ import annotations

from pathlib import Path

import govkg
from govkg.model import LayoutPolicy
from sample_docs import names, printed

FIXTURES = Path(__file__).parent / "fixtures"


def test_keyvalue_list():
    document = govkg.extract_document(FIXTURES / "keyvalue.txt", issuer="钟楼区")
    assert document.layout == "list" and document.year == 2024
    first, second, third = document.tasks
    assert [t.record.task_no for t in document.tasks] == ["1", "2", "3"]
    assert first.record.goal == ["主要预期目标"]
    assert first.record.text == "地区生产总值增长5.5%左右。"
    assert printed(first.leaders) == ["王明"]  # "王 明"
    assert names(first.lead_units) == ["发改局"]
    assert [(p.name, p.kind) for p in first.coop_units] == [("各街道", "group"), ("统计局", "unit")]
    assert names(second.lead_units) == ["财政局"] and second.coop_units == []
    assert third.record.goal == ["推进产业升级", "壮大先进制造业"]
    assert third.record.text == "新增高新技术企业50家，力争新增上市企业2家。"  # continued on the next line
    assert third.leaders == []  # nothing inherited in key-value lists
    assert names(third.coop_units) == ["工信局", "地方金融监管局"]
    assert third.record.deadline == "2024年12月"
    assert (third.record.span.first, third.record.span.last) == (12, 18)  # from its headings to 完成时限


def test_single_responsible_column_default_follows_the_convention_and_says_so():
    document = govkg.extract_document(FIXTURES / "single_resp.txt", issuer="钟楼区")
    first, second = document.tasks
    # With no rule printed, every listed unit leads (the corpus conventions, SPEC.md): a convention, not a guess,
    # recorded as the rule that decided the split, with a warning that names the option for the other reading.
    assert names(first.lead_units) == ["住建局", "各街道", "财政局"] and first.coop_units == []
    assert first.record.role_certain and second.record.role_certain
    assert "no rule printed" in (first.record.sources["lead_units"].rule or "")
    assert any("--first-listed-lead" in d.message for d in document.diagnostics)


def test_single_responsible_column_first_listed_lead():
    policy = LayoutPolicy(first_listed_lead=True)
    document = govkg.extract_document(FIXTURES / "single_resp.txt", issuer="钟楼区", policy=policy)
    first, second = document.tasks
    assert names(first.lead_units) == ["住建局"] and names(first.coop_units) == ["各街道", "财政局"]
    assert names(second.lead_units) == ["城管局"] and names(second.coop_units) == ["公安分局"]
    assert first.record.role_certain and second.record.role_certain
