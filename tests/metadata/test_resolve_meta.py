"""Issuers resolved nationwide (lexicon issuers keep their data); supplied values; warnings."""

from __future__ import annotations

from govkg.lexicon import load_lexicon
from govkg.model import DocumentMeta, Line, MetaValue, Sheet
from govkg.resolve import Supplied, canonical_unit, issuer_from, resolve_meta
from govkg.resolve.issuers import resolve_issuer

LEX = load_lexicon()
MISSING = MetaValue(None, "missing")


def printed(issuer: str | None = None, year: int | None = None, places: tuple[str, ...] = (),
            docno: str | None = None) -> DocumentMeta:
    """Metadata as if read from a document (line 3 for the issuer, line 1 for the year)."""
    return DocumentMeta(
        title=MISSING,
        issuer=MetaValue(issuer, "read", 3, rule="title") if issuer else MISSING,
        year=MetaValue(year, "read", 1, rule="title") if year else MISSING,
        issued=MISSING,
        docno=MetaValue(docno, "read", 2, rule="文号") if docno else MISSING,
        places=places,
    )


def test_lexicon_issuers_keep_their_data():
    for text in ("钟楼区", "常州市钟楼区人民政府", "320404", "zhonglou"):
        issuer = issuer_from(text, LEX)
        assert (issuer.name, issuer.code, issuer.name_en) == ("常州市钟楼区", "320404", "Zhonglou District, Changzhou")
    assert "钟楼" in LEX.prefixes_for("320404")


def test_any_division_resolves_nationwide():
    assert issuer_from("无锡市", LEX) == issuer_from("江苏省无锡市人民政府", LEX) == issuer_from("320200", LEX)
    issuer = issuer_from("湖州市吴兴区人民政府办公室", LEX)
    assert (issuer.name, issuer.code, issuer.short) == ("湖州市吴兴区", "330502", "吴兴区")
    assert issuer_from("婺城", LEX).code == "330702"
    assert issuer_from("河北省", LEX).code == "130000"


def test_unknown_issuers_get_default_prefixes_from_name_and_level():
    wuxi, wucheng = issuer_from("无锡市", LEX).code, issuer_from("婺城区", LEX).code
    assert set(LEX.prefixes_for(wuxi)) == {"无锡市", "无锡", "市委", "市政府", "市"}
    assert {"婺城区", "婺城", "区委", "区政府", "区"} <= set(LEX.prefixes_for(wucheng))
    assert canonical_unit("市发改委", wuxi, LEX) == canonical_unit("无锡市发改委", wuxi, LEX) == "发改委"
    assert canonical_unit("婺城区教育局", wucheng, LEX) == canonical_unit("区教育局", wucheng, LEX) == "教育局"


def test_not_a_division_is_kept_without_code_and_said():
    match = resolve_issuer("某某公司", LEX)
    assert (match.issuer.name, match.issuer.code) == ("某某公司", None)
    assert "not a province, city, county or district" in match.warning
    unknown = issuer_from("某某县人民政府", LEX)
    assert (unknown.name, unknown.code) == ("某某县", None)


def test_ambiguity_is_a_warning_not_a_guess():
    result = resolve_meta("doc.txt", printed("鼓楼区", 2023), Supplied(), LEX)
    assert result.issuer is not None and result.issuer.code is None
    (warning,) = [d for d in result.diagnostics if "鼓楼区" in d.message]
    assert warning.line == 3 and "福州市鼓楼区 (350102)" in warning.message
    decided = resolve_meta("doc.txt", printed("鼓楼区", 2023, places=("福建省", "福州市")), Supplied(), LEX)
    assert decided.issuer.code == "350102" and not decided.diagnostics


def test_year_decides_a_renamed_issuer():
    assert resolve_meta("doc.txt", printed("吴江市", 2010), Supplied(), LEX).issuer.code == "320584"


def test_printed_values_win_over_options_and_conflicts_are_warned():
    result = resolve_meta("doc.txt", printed("无锡市", 2023), Supplied({"issuer": "330702", "year": None}), LEX)
    assert (result.issuer.code, result.origin["issuer"], result.year) == ("320200", "read", 2023)
    assert any("the document says issuer '无锡市', --issuer says '330702'" in d.message for d in result.diagnostics)
    same = resolve_meta("doc.txt", printed("鼓楼区", 2023), Supplied({"issuer": "南京市鼓楼区"}), LEX)
    assert same.issuer.code == "320106"
    assert not any("the document says" in d.message for d in same.diagnostics)  # a narrowing, not a conflict
    sidecar = resolve_meta("doc.txt", printed(), Supplied(sidecar={"issuer": "婺城区", "year": 2022}), LEX)
    assert (sidecar.issuer.code, sidecar.origin["issuer"], sidecar.year) == ("330702", "sidecar", 2022)


def test_nothing_printed_says_so():
    result = resolve_meta("notice.txt", printed(), Supplied(), LEX)
    messages = [d.message for d in result.diagnostics]
    assert any(m.startswith("issuer not stated in the document and not supplied") and "notice.meta.toml" in m
               for m in messages)
    assert any(m.startswith("year not stated") for m in messages)
    hinted = resolve_meta("notice.txt", printed(docno="许政办〔2013〕9号", year=2013), Supplied(), LEX)
    assert any("许昌市 (411000)" in d.message for d in hinted.diagnostics)


def test_report_date_takes_a_supplied_year():
    meta = printed()
    meta.report_date = MetaValue(None, "read", 4, "截至9月30日", "title")
    result = resolve_meta("doc.txt", meta, Supplied({"year": 2022}), LEX)
    assert (result.report_date, result.origin["report_date"]) == ("2022-09-30", "read")


def test_how_values_were_read_is_kept():
    from govkg.layout.meta import read_meta

    lines = [Line(1, "无锡市人民政府关于分解下达政府工作目标任务的通知"), Line(2, "(锡政发〔2011〕48号)")]
    meta = read_meta(Sheet("doc.txt", "flat", "utf-8", [], [], lines=lines))
    result = resolve_meta("doc.txt", meta, Supplied(), LEX)
    assert (result.issuer.code, result.year, result.docno) == ("320200", 2011, "锡政发〔2011〕48号")
    assert result.source["year"] == "文号 锡政发〔2011〕48号, line 2"
    assert result.source["issuer"].startswith("title 无锡市人民政府, line 1")
