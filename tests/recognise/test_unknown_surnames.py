"""Leaders whose surname the lexicon does not know (聿 is not in data/lexicon/people.toml): the layout still says
they are names. Found by the synthetic corpus (bench/corpus.py), where 傅 was missing from the surname list."""

from __future__ import annotations

from reading import roles

from govkg.lexicon import load_lexicon
from govkg.names import looks_like_person

# One cell per line (PDF text, like sample 001): a two-character name is letter-spaced to align it.
FLAT = """\
某某县人民政府
2024年2月10日
附件1
2024年《政府工作报告》主要目标任务责任分解表
序号
目标名称
工 作 标 准
县政府
分管领导
牵头单位
配合单位
1
主要预期目标
(1)地区生产总值增长6%左右。
聿  国
科技局
财政局、统计局
(2)一般公共预算收入增长5%。
王  伟
编  办
(3)城镇新增就业3000人。
编  办
人社局
"""


def test_spaced_two_character_name_with_unknown_surname_is_the_leader(read):
    document = read(FLAT)
    assert document.layout == "flat"
    assert roles(document) == [
        # Not one unit "聿国科技局": the letter-spaced pair is the leader, the next line the lead unit.
        ("地区生产总值增长6%左右。", ["聿国"], ["科技局"], ["财政局", "统计局"]),
        ("一般公共预算收入增长5%。", ["王伟"], ["编办"], []),
        # A letter-spaced unit in the leader's place stays a unit; the leader is inherited.
        ("城镇新增就业3000人。", ["王伟"], ["编办"], ["人社局"]),
    ]
    assert "leaders" in document.tasks[2].record.inherited


# Pipe rows: the last cell (配合单位) empty, the leader's surname unknown.
PIPE = """\
某县人民政府
2024年《政府工作报告》主要目标任务责任分解表
序号 | 类别 | 工作任务 | 责任领导 | 牵头单位 | 配合单位 |
1 | 主要预期目标 | 地区生产总值增长6%左右。 | 王伟 | 发改局 | 统计局 |
2 | 主要预期目标 | 一般公共预算收入增长5%。 | 聿明 | 财政局 |  |
3 | 深化改革 | 统筹推进青龙河道综合整治，新增22家以上。 | 聿明 | 生态环境局 |  |
"""


def test_pipe_row_with_empty_last_cell_keeps_an_unknown_name_in_the_leader_column(read):
    document = read(PIPE)
    assert document.layout == "pipe"
    assert roles(document) == [
        ("地区生产总值增长6%左右。", ["王伟"], ["发改局"], ["统计局"]),
        ("一般公共预算收入增长5%。", ["聿明"], ["财政局"], []),
        ("统筹推进青龙河道综合整治，新增22家以上。", ["聿明"], ["生态环境局"], []),
    ]
    assert [task.record.goal for task in document.tasks] == [["主要预期目标"], ["主要预期目标"], ["深化改革"]]


def test_fu_is_a_known_surname():
    lex = load_lexicon()
    assert looks_like_person("傅国", lex) and looks_like_person("傅丽益", lex)
    assert not looks_like_person("聿国", lex)  # the tests above rely on 聿 staying unknown
