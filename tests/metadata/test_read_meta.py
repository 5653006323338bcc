"""Metadata read from a document's lines, wherever and however it is printed (made-up inputs)."""

from __future__ import annotations

import pytest

from govkg.layout.dates import cn_int, find_date, find_periods, whole_date
from govkg.layout.meta import read_meta
from govkg.model import DocumentMeta, Line, Sheet


def meta(*texts: str) -> DocumentMeta:
    """read_meta on a sheet whose lines are `texts` (numbered from 1), with no tables."""
    lines = [Line(no, text) for no, text in enumerate(texts, start=1)]
    return read_meta(Sheet("doc.txt", "flat", "utf-8", preamble=[], tables=[], lines=lines))


# --- dates -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [
    ("2022年1月10日", "2022-01-10"),
    ("2022 年 1 月 10 日", "2022-01-10"),
    ("二○一一年四月八日", "2011-04-08"),
    ("二〇二三年十二月三十一日", "2023-12-31"),
    ("2022-01-10", "2022-01-10"),
    ("2022/1/10 16:42", "2022-01-10"),
    ("发布时间:2022-01-10 16:42", "2022-01-10"),
])
def test_dates(text, value):
    assert find_date(text)[0] == value


def test_whole_dates_and_numerals():
    assert whole_date("2022年1月10日????????") == "2022-01-10"
    assert whole_date("经2013年3月1日市政府常务会议研究") is None
    assert whole_date("2022年2月30日") is None
    assert (cn_int("十"), cn_int("十二"), cn_int("二十八"), cn_int("二○一一"), cn_int("12")) == (10, 12, 28, 2011, 12)


@pytest.mark.parametrize(("text", "printed", "value"), [
    ("(截至9月30日)", "截至9月30日", "2022-09-30"),
    ("截至9月底", "截至9月底", "2022-09-30"),
    ("(截至11月中旬)", "截至11月中旬", "2022-11-11/2022-11-20"),
    ("截止2月下旬", "截止2月下旬", "2022-02-21/2022-02-28"),
    ("1-9月份工作完成情况", "1-9月份", "2022-01/2022-09"),
    ("1至7月全市民生工程进展情况", "1至7月", "2022-01/2022-07"),
    ("10月推进情况", "10月", "2022-10"),
    ("一季度进度表", "一季度", "2022-Q1"),
    ("第三季度", "第三季度", "2022-Q3"),
    ("上半年推进情况", "上半年", "2022-01/2022-06"),
    ("前三季度", "前三季度", "2022-01/2022-09"),
    ("推进情况(2023年11月)", "2023年11月", "2023-11"),
])
def test_report_periods(text, printed, value):
    (period,) = find_periods(text, 2022)
    assert (period.text, period.value) == (printed, value)


def test_report_period_without_a_year_keeps_the_text():
    (period,) = find_periods("截至9月30日", None)
    assert (period.text, period.value) == ("截至9月30日", None)


# --- titles, issuers, years ---------------------------------------------------------------------------------


def test_notice_title_names_issuer_and_year():
    found = meta("金华市婺城区人民政府关于印发2023年政府工作报告重点工作责任分解的通知",
                 "各乡镇人民政府、街道办事处,区政府各部门:",
                 "现将…印发给你们,请认真贯彻落实。")
    assert found.title.value.startswith("金华市婺城区人民政府关于印发") and found.title.line == 1
    issuer = found.issuer
    assert (issuer.value, issuer.text, issuer.rule) == ("金华市婺城区", "金华市婺城区人民政府", "title")
    assert (found.year.value, found.year.rule) == (2023, "title")


@pytest.mark.parametrize(("title", "issuer", "year"), [
    ("无锡市2023年重点工作", "无锡市", 2023),
    ("婺城区2022年民生实事项目推进情况(截至9月30日)", "婺城区", 2022),
    ("2022年《政府工作报告》主要目标任务责任分解表", None, 2022),
    ("《2023年政府工作报告》目标任务分解表", None, 2023),
    ("宣城市1至9月份民生工程推进情况通报", "宣城市", None),
    ("2024年吴兴区民生实事项目分工方案", "吴兴区", 2024),
])
def test_title_forms(title, issuer, year):
    found = meta("首页 > 信息公开 > 通知公告", title, "序号 | 项目 | 责任单位 |")
    assert found.title.value == title
    assert (found.issuer.value, found.year.value) == (issuer, year)


def test_signature_before_the_date_and_chinese_numerals():
    found = meta("各旗、县、区政府,市直各委办局:", "现将方案下发给你们,请贯彻执行。",
                 "赤峰市人民政府", "二○一一年四月八日", "2011年全市重点工作责任分工方案", "一、工业方面")
    assert (found.issuer.value, found.issuer.line, found.issuer.rule) == ("赤峰市", 3, "signature")
    assert (found.issued.value, found.issued.line, found.issued.rule) == ("2011-04-08", 4, "signature")
    assert (found.year.value, found.year.rule) == (2011, "title")


def test_recipient_line_is_not_the_issuer():
    found = meta("各县、市、区政府,九江开发区,市直各部门:", "宜兴市人民政府:", "现将有关事项通知如下。")
    assert found.issuer.value is None


def test_chrome_and_spam_are_not_title_or_issuer():
    found = meta("法规网--中国法规信息检索网", "简体版 繁體版 无障碍阅读", "您现在的位置:首页 > 重点工作",
                 "发布机构: | 星辰娱乐平台 |")
    assert (found.title.value, found.issuer.value) == (None, None)


def test_pipe_metadata_rows():
    found = meta("索引号 | 000330702/2022-73415 | 公开方式 | 主动公开 |",
                 "发布单位 | 区政府办 | 发文日期 | 2022-10-28 |",
                 "婺城区2022年民生实事项目推进情况(截至9月30日)")
    assert (found.issued.value, found.issued.rule, found.issued.line) == ("2022-10-28", "发文日期", 2)
    assert found.issuer.value == "婺城区"  # 区政府办 names no government
    assert (found.report_date.value, found.report_date.text) == ("2022-09-30", "截至9月30日")


def test_metadata_at_the_end_gives_year_and_date():
    found = meta("类别 | 民生事项名称 | 2022年度任务目标 | 责任单位 | 1-9月份工作完成情况 |",
                 "四、优质教育 | 14.新建学校 | 完成主体施工。 | 教育和体育局 | 已封顶。 |",
                 "索引号: | 113707820042653218/2022-05631 | 成文日期: | 2022-10-12 |",
                 "发布机构: | 某某平台")
    assert (found.year.value, found.year.rule) == (2022, "成文日期")
    assert found.issued.value == "2022-10-12" and found.issuer.value is None
    report = found.report_date
    assert (report.value, report.text, report.line) == ("2022-01/2022-09", "1-9月份", 1)


def test_bulleted_metadata_and_document_number_year():
    found = meta("  • 文件编号:柯政发〔2024〕6号", "  • 发布单位:区府办", "  • 成文日期:2024-01-31",
                 "衢州市柯城区人民政府办公室关于下达政府工作报告任务清单的通知")
    assert (found.docno.value, found.docno.rule) == ("柯政发〔2024〕6号", "文件编号")
    assert (found.year.value, found.year.rule) == (2024, "文号")
    assert (found.issued.value, found.issued.rule) == ("2024-01-31", "成文日期")
    assert found.issuer.value == "衢州市柯城区"


def test_issuer_from_a_publisher_row():
    found = meta("组配分类 其他文件 发布机构 湖州市吴兴区人民政府办公室", "生成日期 2024-02-05 公开方式 主动公开",
                 "关于下达政府工作报告主要任务责任清单的通知")
    assert (found.issuer.value, found.issuer.rule) == ("湖州市吴兴区", "发布机构")
    assert (found.issued.value, found.issued.rule) == ("2024-02-05", "生成日期")
    assert (found.year.value, found.year.rule) == (2024, "生成日期")


def test_docno_on_its_own_line_or_before_the_title_not_in_prose():
    found = meta("冀政办字〔2015〕38号 河北省人民政府办公厅关于《政府工作报告》主要任务分工的意见")
    assert (found.docno.value, found.title.line, found.issuer.value, found.year.value) == (
        "冀政办字〔2015〕38号", 1, "河北省", 2015)
    assert meta("(锡政发〔2011〕48号)").docno.value == "锡政发〔2011〕48号"
    cited = meta("按照《关于加快发展的意见》(苏政发〔2020〕1号)要求,现将有关事项通知如下。")
    assert cited.docno.value is None and cited.year.value is None


def test_year_from_the_opening_text_only_as_the_plan_year():
    found = meta("为加快推进全市2017年民生工程建设,现将1至7月全市民生工程进展情况通报如下:", "一、排名")
    assert (found.year.value, found.year.rule) == (2017, "text")
    assert (found.report_date.value, found.report_date.rule) == ("2017-01/2017-07", "text")
    assert meta("2020年以来,我们坚持创新驱动。", "一、排名").year.value is None


def test_the_signed_date_comes_before_the_page_date():
    found = meta("发布日期:2024-02-06 09:15 信息来源: 区政府办", "湖州市吴兴区政府办公室", "2024年1月31日", "一、任务")
    assert (found.issued.value, found.issued.rule) == ("2024-01-31", "signature")
    assert meta("发布时间 : 2021-04-02 16:25:10 来源 : 省政府网站").issued.value == "2021-04-02"


def test_a_plan_is_no_progress_report():
    found = meta("路桥区2023年政府工作报告重点工作任务分解表", "1.全年完成固定资产投资。", "并于4月25日前报送。")
    assert found.report_date.value is None


def test_a_date_cell_inside_a_table_is_no_issue_date():
    found = meta("序号", "项目", "完成时限", "1", "新建公园", "2024年12月31日")
    assert found.issued.value is None


def test_wrapped_title():
    found = meta("福建省人民政府关于做好2021年", "《政府工作报告》重点工作", "分解落实的通知", "闽政〔2021〕9号")
    assert found.title.value == "福建省人民政府关于做好2021年《政府工作报告》重点工作分解落实的通知"
    assert (found.issuer.value, found.year.value, found.docno.value) == ("福建省", 2021, "闽政〔2021〕9号")


def test_places_printed_anywhere():
    found = meta("鼓楼区人民政府关于印发2023年重点工作的通知", "一、任务", "1.配合南京市做好…")
    assert "南京市" in found.places


def test_signature_and_date_on_one_line():
    found = meta("现将方案印发给你们。", "无锡市人民政府    2011年4月2日", "一、任务")
    assert (found.issuer.value, found.issuer.rule) == ("无锡市", "signature")
    assert (found.issued.value, found.issued.line) == ("2011-04-02", 2)


def test_title_subject_is_the_last_resort():
    found = meta("关于印发《吴兴区2024年政府工作报告主要任务责任清单》的通知", "各乡镇人民政府:")
    assert (found.issuer.value, found.issuer.rule, found.year.value) == ("吴兴区", "title subject", 2024)
    signed = meta("关于印发《吴兴区2024年民生实事项目分工方案》的通知", "湖州市吴兴区人民政府办公室", "2024年1月31日")
    assert (signed.issuer.value, signed.issuer.rule) == ("湖州市吴兴区", "signature")


def test_a_government_in_a_table_cell_is_no_signature():
    found = meta("序号", "项目", "牵头单位", "1", "新建公园", "上饶市人民政府")
    assert found.issuer.value is None
