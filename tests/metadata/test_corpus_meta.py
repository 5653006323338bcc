"""Issuer, year, dates and report periods of the development corpus, as each document prints them.

Checked by eye against each text (SOURCES.md names each twin's place): where the place is not printed (04: only
the 文号 prefix 许; 10: only a spam 发布机构; 12: only 县府办 and 县 units) the issuer must be missing and said so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govkg.layout.meta import read_meta
from govkg.lexicon import load_lexicon
from govkg.model import Sheet
from govkg.read import read_source
from govkg.resolve import Supplied, resolve_meta

ROOT = Path(__file__).resolve().parents[2]
CORPUS = next((p for p in (ROOT / "tests" / "corpus" / "raw", ROOT.parent / "shared" / "corpus" / "raw")
               if p.is_dir()), None)
LEX = load_lexicon()

#: file: (issuer code, issuer name, year, what the year was read from, issue date, report date)
EXPECTED = {
    "01_jingzhou.txt": ("360400", "九江市", 2009, "text", None, None),
    "02_baotou.txt": ("150400", "赤峰市", 2011, "title", "2011-04-08", None),
    "03_suzhou.txt": ("320200", "无锡市", 2011, "title", "2011-04-02", None),
    "04_pingdingshan.txt": (None, None, 2013, "文号", None, None),
    "05_shandong.txt": ("130000", "河北省", 2015, "文号", "2015-03-30", None),
    "06_luan.txt": ("341800", "宣城市", 2017, "text", None, "2017-01/2017-07"),
    "07_guangdong.txt": ("350000", "福建省", 2021, "title", "2021-04-01", None),
    "08_luan2021.txt": ("341800", "宣城市", 2021, "text", None, "2021-01/2021-09"),
    "09_jianli.txt": ("421083", "洪湖市", 2022, "title", "2022-01-10", None),
    "10_zhaoyuan.txt": (None, None, 2022, "成文日期", "2022-10-12", "2022-01/2022-09"),
    "11_linan.txt": ("330702", "金华市婺城区", 2022, "title", "2022-10-28", "2022-09-30"),
    "12_cangnan.txt": (None, None, 2022, "title", "2022-12-20", "2022-11-11/2022-11-20"),
    "13_keqiao.txt": ("330402", "嘉兴市南湖区", 2023, "title", "2023-05-08", "2023-Q1"),
    "14_longwan.txt": ("331004", "台州市路桥区", 2023, "title", "2023-03-10", None),
    "15_yinzhou.txt": ("330502", "湖州市吴兴区", 2024, "title", "2024-01-31", None),
    "16_haishu.txt": ("330802", "衢州市柯城区", 2024, "title", "2024-01-31", None),
    "17_beilun.txt": ("330902", "舟山市定海区", 2024, "title", "2024-11-15", "2024-10"),
    "18_xinjian.txt": ("361103", "上饶市广丰区", 2024, "title", None, None),
}

pytestmark = pytest.mark.skipif(CORPUS is None, reason="development corpus not found")


def _read(name: str):
    source = read_source(CORPUS / name)
    sheet = Sheet(source.file, "flat", source.encoding, preamble=[], tables=[], lines=source.lines)
    meta = read_meta(sheet, LEX)
    return meta, resolve_meta(source.file, meta, Supplied(), LEX)


def test_every_corpus_document_is_listed():
    assert sorted(p.name for p in CORPUS.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_metadata(name):
    code, issuer, year, year_rule, issued, report = EXPECTED[name]
    meta, resolved = _read(name)
    assert (resolved.issuer.code if resolved.issuer else None) == code
    assert (resolved.issuer.name if resolved.issuer else None) == issuer
    assert (resolved.year, meta.year.rule) == (year, year_rule)
    assert resolved.issued == issued
    assert resolved.report_date == report
    messages = [d.message for d in resolved.diagnostics]
    if code is None:
        assert any(m.startswith("issuer not stated in the document") for m in messages)
    else:
        assert messages == []


def test_document_numbers():
    numbers = {name: _read(name)[1].docno for name in EXPECTED}
    assert {name: number for name, number in numbers.items() if number} == {
        "03_suzhou.txt": "锡政发〔2011〕48号",
        "04_pingdingshan.txt": "许政办〔2013〕9号",
        "05_shandong.txt": "冀政办字〔2015〕38号",
        "07_guangdong.txt": "闽政〔2021〕9号",
        "15_yinzhou.txt": "吴政办发〔2024〕5号",
        "16_haishu.txt": "柯政发〔2024〕6号",
    }


def test_titles_are_the_documents_titles():
    titles = {name: _read(name)[0].title.value for name in ("02_baotou.txt", "05_shandong.txt", "14_longwan.txt")}
    assert titles == {
        "02_baotou.txt": "赤峰市人民政府关于下发2011年全市重点工作责任分工方案的通知",
        "05_shandong.txt": "河北省人民政府办公厅关于《政府工作报告》主要任务分工的意见",
        "14_longwan.txt": "路桥区2023年政府工作报告重点工作任务分解表",
    }


def test_unstated_issuer_points_at_the_document_number():
    _, resolved = _read("04_pingdingshan.txt")
    assert any("许政办 may stand for 许昌市 (411000)" in d.message for d in resolved.diagnostics)
