"""Web pages: main content without site chrome, rowspan / colspan, <br> in cells, declared encodings."""

from __future__ import annotations

import makers
import pytest

from govkg.model import Grid, Source
from govkg.read import read_bytes


def grids(source: Source) -> list[Grid]:
    return [block for block in source.blocks if isinstance(block, Grid)]


def page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def test_site_chrome_is_left_out():
    source = read_bytes(makers.write_html(makers.sample_document("003")), "page.html")
    text = "\n".join(line.text for line in source.lines)
    for chrome in ("门户网站", "首页", "当前位置", "脚本里的单元格", "相关链接", "版权所有", "网站标识码"):
        assert chrome not in text
    assert source.lines[0].text == "附件" and "目标任务分解表" in source.lines[1].text
    assert len(grids(source)) == 1


def test_rowspan_colspan_and_line_breaks():
    body = ("<table><tr><th>序号</th><th colspan=2>工作任务</th></tr>"
            "<tr><td rowspan=0>1</td><td>甲<br>乙</td><td><p>丙</p><p>丁</p></td></tr>"
            "<tr><td>戊</td><td style='display:none'>藏</td><td>己</td></tr></table>")
    (grid,) = grids(read_bytes(page(body), "t.html"))
    assert [len(row) for row in grid.rows] == [3, 3, 3]
    assert grid.rows[0][0].text == "序号" and grid.rows[0][1].col_span == 2 and grid.rows[0][2].covered == (0, 1)
    assert grid.rows[1][0].row_span == 2 and grid.rows[2][0].covered == (1, 0)
    assert grid.rows[1][1].text == "甲\n乙" and grid.rows[1][2].text == "丙\n丁"
    assert [cell.text for cell in grid.rows[2][1:]] == ["戊", "己"]


def test_layout_tables_are_read_as_blocks():
    body = ("<table><tr><td><div class='nav'>栏目导航</div></td><td><h1>通知</h1>"
            "<table><tr><td>序号</td><td>工作任务</td></tr><tr><td>1</td><td>任务</td></tr></table>"
            "<p>某某区人民政府办公室</p></td></tr></table>")
    source = read_bytes(page(body), "layout.html")
    assert [type(block).__name__ for block in source.blocks] == ["Line", "Grid", "Line"]
    assert [line.text for line in source.lines] == ["通知", "序号", "工作任务", "1", "任务", "某某区人民政府办公室"]


@pytest.mark.parametrize("head", [
    '<meta charset="gb2312">',
    '<meta http-equiv="Content-Type" content="text/html; charset=GB2312">',
])
def test_gb2312_page(head):
    text = "<p>关于印发2023年政府工作报告目标任务分解的通知</p><p>镕（GBK 字）</p>"
    data = f"<html><head>{head}</head><body>{text}</body></html>".encode("gbk")
    source = read_bytes(data, "gb.htm")
    assert source.format == "html" and source.encoding == "gb2312"
    assert [line.text for line in source.lines] == ["关于印发2023年政府工作报告目标任务分解的通知", "镕（GBK 字）"]


def test_xml_declaration_and_undeclared_gbk():
    declared = '<?xml version="1.0" encoding="gbk"?><html><body><p>牵头单位</p></body></html>'.encode("gbk")
    assert read_bytes(declared, "x.html").lines[0].text == "牵头单位"
    undeclared = "<html><body><p>配合单位</p></body></html>".encode("gbk")
    source = read_bytes(undeclared, "y.html")
    assert source.lines[0].text == "配合单位" and source.encoding == "gb18030"


def test_page_saved_as_utf8_whatever_it_declares():
    data = '<html><head><meta charset="gb2312"></head><body><p>区住建局</p></body></html>'.encode()
    assert read_bytes(data, "z.html").lines[0].text == "区住建局"


def test_list_style_page():
    body = ("<h2>一、经济发展</h2><ol><li>推动制造业高质量发展。（牵头单位：区工信局）</li>"
            "<li>扩大有效投资。（区发改局牵头，各街道配合）</li></ol><p>（3）优化营商环境。责任单位：区行政审批局</p>")
    source = read_bytes(page(body), "list.html")
    assert not grids(source)
    assert [line.text for line in source.lines] == [
        "一、经济发展", "1. 推动制造业高质量发展。（牵头单位：区工信局）",
        "2. 扩大有效投资。（区发改局牵头，各街道配合）", "（3）优化营商环境。责任单位：区行政审批局"]


def test_characters_that_print_nothing_are_left_out_of_cells_and_paragraphs():
    body = ("<p>某区重点工作\u200b任务分解表</p><table><tr><th>工作任务</th><th>牵头单位</th></tr>"
            "<tr><td>新建公园2个。</td><td>区住\u200b建局\u2028区财政\ufeff局</td></tr></table>")
    source = read_bytes(page(body), "t.html")
    (grid,) = grids(source)
    assert source.lines[0].text == "某区重点工作任务分解表"
    assert grid.rows[1][1].text == "区住建局\n区财政局"


MERGED = """<html><head><meta charset="utf-8"></head><body><p>某区2023年政府工作报告重点任务分解表</p><table>
<tr><td>序号</td><td>目标任务</td><td>工作内容</td><td>责任领导</td><td>牵头单位</td><td>配合单位</td></tr>
<tr><td>1</td><td rowspan="2">扩大有效投资</td><td>新建公园2个。</td><td>张伟</td><td>区住建局</td>
<td>区财政局</td></tr>
<tr><td>2</td><td>改造小区3个。</td><td rowspan="2">李明（副区长）</td><td>区住建局</td><td>各街道</td></tr>
<tr><td>3</td><td>民生保障</td><td>新建学校1所。</td><td>区教育局</td><td>区财政局</td></tr>
</table></body></html>"""


@pytest.mark.parametrize("inherit", [True, False])
def test_merged_cells_are_facts_of_the_original_whatever_the_inheritance_policy(tmp_path, inherit):
    """A rowspan gives its value to every row it covers, as merged (not inherited) for goals too, and with
    inheritance off (--no-inherit), which is about empty cells, not merged ones."""
    import govkg
    from govkg.model import LayoutPolicy

    path = tmp_path / "merged.html"
    path.write_text(MERGED, encoding="utf-8")
    document = govkg.extract_document(path, issuer="钟楼区", year=2023, policy=LayoutPolicy(inherit=inherit))
    records = [task.record for task in document.tasks]
    assert [(r.goal, [p.name for p in t.leaders]) for r, t in zip(records, document.tasks, strict=True)] == [
        (["扩大有效投资"], ["张伟"]), (["扩大有效投资"], ["李明"]), (["民生保障"], ["李明"])]
    assert [(r.inherited, r.merged) for r in records] == [([], []), ([], ["goal"]), ([], ["leaders"])]
