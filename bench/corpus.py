"""A national synthetic corpus of responsibility tables: real issuers, several years each, varied text layouts.

Issuers are real county-, city- and province-level divisions of the code lists govkg ships (in force 2019–2024),
drawn for the seed; each gets a plan document per year (2019–2024, as many as the size allows) and, for some
years, a separate 民生实事 document (sidecar `part = "民生实事"`). Tasks, goals, units, groups and leaders are
re-drawn every year from per-issuer pools (leaders rotate, units are renamed from a year on: 城管局 →
综合行政执法局 …). Each document is written in one of seven layouts modelled on data/samples and the development
corpus (TAB-opened cells, pipe rows, tab-separated rows, blank-line cells under leader headings, numbered items
with a trailing role parenthesis or with role lines, cells one per line); every document has a sidecar
`NAME.meta.toml` with the division code and year, and `expected.json` lists the tasks written per document.
The same arguments give the same bytes.

    .venv/bin/python bench/corpus.py --docs 100 --seed 1 --out bench/.work/corpus-100-1
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from govkg.divisions import Division, load_divisions

YEARS = tuple(range(2019, 2025))
#: Earlier years (latest first), for the divisions in force then, when 2019–2024 give fewer documents than asked:
#: every issuer's plans of those years come to about 21,400 documents, and a decade of the country to 25,000 or more.
EARLIER_YEARS = tuple(range(2018, 2012, -1))
LIVELIHOOD_SHARE = 0.35

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
            "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "建国志强伟明海平军华文杰红霞丽娟静敏燕玲秀英桂兰立新永胜春林雪琴亚旭锋庆菁益涛振宇晓峰丽萍金芳行益德荣德忠安宏"
PLACE_CHARS = "东西南北新城湖山河桥港泉溪塘花园安宁和平兴华丰庆长青龙凤阳光明金石云松柏竹梅兰"

#: The bureaus every issuer has (the names printed; an issuer prints some of them with its level prefix).
BUREAUS = ("发改局", "财政局", "住建局", "教育局", "卫健局", "民政局", "人社局", "商务局", "工信局", "科技局",
           "农业农村局", "交通运输局", "水利局", "文旅局", "市场监管局", "应急管理局", "自然资源局", "统计局",
           "审计局", "司法局", "医保局", "退役军人事务局", "行政审批局", "城管局", "生态环境局", "公安局", "税务局")
#: Renamed from a year drawn per issuer: the old name is printed before it, the new one from it.
RENAMES = {"城管局": "综合行政执法局", "行政审批局": "数据局", "文旅局": "文广旅体局"}

GOALS = ("主要预期目标", "推动创新动能更加充实", "加快产业转型升级", "扎实推进乡村振兴", "持续推进城市更新",
         "深化重点领域改革", "扩大高水平对外开放", "加强生态环境保护", "保障和改善民生", "统筹发展和安全",
         "建设人民满意政府", "提升社会治理水平")
TARGETS = ("地区生产总值增长{p}%左右", "一般公共预算收入增长{p}%", "固定资产投资增长{p}%",
           "社会消费品零售总额增长{p}%", "城乡居民人均可支配收入增长{p}%", "城镇新增就业{n}人",
           "全社会研发投入占地区生产总值比重达{f}%", "城镇调查失业率控制在{f}%以内", "规上工业增加值增长{p}%",
           "实际使用外资{f}亿美元", "单位地区生产总值能耗下降完成上级下达任务")
VERBS = ("加快推进", "深入实施", "全面完成", "持续推进", "积极培育", "着力提升", "稳步推进", "高标准建设", "大力发展",
         "统筹推进", "启动实施", "完善")
OBJECTS = ("{place}片区城市更新", "老旧小区改造{n}个", "{place}产业园二期工程", "数字经济核心产业项目{n}个",
           "高标准农田{n}万亩", "义务教育学校{n}所", "农村公路{n}公里", "污水管网{n}公里", "智慧养老服务中心{n}家",
           "省市重点项目{n}个", "{place}河道综合整治", "“一网通办”事项{n}项", "{place}科创中心", "人才公寓{n}套",
           "口袋公园{n}个", "{place}综合交通枢纽", "城乡供水一体化工程", "营商环境改革举措{n}项", "农村人居环境整治",
           "“专精特新”企业{n}家", "安全生产专项整治", "社区嵌入式服务设施{n}处")
SUFFIXES = ("", "，年内完成投资{n}亿元", "，确保按期建成投用", "，力争取得突破性进展", "，形成一批可复制经验",
            "，新增{n}家以上", "，全年完成{p}%以上")
LIVELIHOOD = ("新建{place}幼儿园{n}所，新增学位{m}个", "改造提升农贸市场{n}家", "新增公共停车泊位{m}个",
              "建成{place}社区卫生服务中心", "为{m}名老年人提供免费体检", "新改建城乡公厕{n}座",
              "新开通公交线路{n}条", "建设“15分钟健身圈”{n}个", "完成{n}个老旧小区加装电梯{m}台",
              "新增普惠托位{m}个", "实施农村饮用水提标工程{n}处", "新建{place}口袋公园{n}个")


@dataclass
class Issuer:
    """One issuing government and its pools."""

    division: Division
    name: str
    level: str
    places: list[str]
    towns: list[str]
    people: list[str]
    bureaus: list[str]
    prefixed: set[str]
    renamed: dict[str, int] = field(default_factory=dict)


@dataclass
class Task:
    """One generated task: goal, statement, leader, lead units and cooperating units (as printed)."""

    goal: str
    text: str
    leader: str
    lead: list[str]
    coop: list[str]


def issuers(rng: random.Random, count: int) -> list[Issuer]:
    """`count` real divisions in force 2019–2024, drawn for the seed, each with its pools."""
    index = load_divisions()
    candidates = sorted((d for d in index.divisions if d.first <= YEARS[0] and d.last >= index.latest),
                        key=lambda d: d.code)
    seen: set[str] = set()
    unique = [d for d in candidates if not (d.code in seen or seen.add(d.code))]
    out = []
    for division in rng.sample(unique, min(count, len(unique))):
        level = "区" if division.name.endswith("区") else "县" if division.name.endswith(("县", "旗")) else \
            "省" if division.level == "province" else "市"
        local = random.Random(f"{rng.random()}:{division.code}")
        places = sorted({"".join(local.sample(PLACE_CHARS, 2)) for _ in range(8)})
        towns = [p + local.choice(("镇", "街道")) for p in places[:5]]
        people = sorted({local.choice(SURNAMES) + "".join(local.sample(GIVEN, local.choice((1, 2, 2))))
                         for _ in range(12)})
        bureaus = sorted(local.sample(BUREAUS, local.randint(16, len(BUREAUS))))
        prefixed = {b for b in bureaus if local.random() < 0.3}
        renamed = {old: local.randint(2020, 2023) for old in RENAMES if old in bureaus and local.random() < 0.6}
        out.append(Issuer(division, index.qualified(division), level, places, towns, people, bureaus, prefixed,
                          renamed))
    return out


def unit(issuer: Issuer, name: str, year: int) -> str:
    """A unit as printed in `year`: renamed from its year on, sometimes with the issuer's level prefix."""
    if name in issuer.renamed and year >= issuer.renamed[name]:
        name = RENAMES[name]
    return issuer.level + name if name in issuer.prefixed or RENAMES.get(name) in issuer.prefixed else name


def fill(rng: random.Random, template: str, issuer: Issuer) -> str:
    """A template with its numbers and place drawn."""
    return template.format(p=rng.randint(3, 12), n=rng.randint(2, 60), m=rng.randint(100, 3000),
                           f=round(rng.uniform(1.5, 5.5), 1), place=rng.choice(issuer.places))


def tasks(rng: random.Random, issuer: Issuer, year: int, livelihood: bool) -> list[Task]:
    """The tasks of one document: goals in order, statements, leaders and units redrawn for the year."""
    leaders = rng.sample(issuer.people, 6)
    bureaus = [b for b in issuer.bureaus]
    groups = ["各街道", "各镇", f"{issuer.level}有关部门", "各镇、街道"] if issuer.level != "省" else ["各设区市"]
    out: list[Task] = []
    goals = [GOALS[0], *rng.sample(GOALS[1:], rng.randint(2, 5))] if not livelihood else ["民生实事"]
    seen: set[str] = set()
    for number, goal in enumerate(goals):
        for _ in range(rng.randint(3, 9)):
            if livelihood:
                text = fill(rng, rng.choice(LIVELIHOOD), issuer)
            elif number == 0:
                text = fill(rng, rng.choice(TARGETS), issuer)
            else:
                text = rng.choice(VERBS) + fill(rng, rng.choice(OBJECTS), issuer) + fill(rng, rng.choice(SUFFIXES),
                                                                                           issuer)
            if text in seen:
                continue
            seen.add(text)
            lead = [unit(issuer, b, year) for b in rng.sample(bureaus, 1 if rng.random() < 0.85 else 2)]
            coop = [unit(issuer, b, year) for b in rng.sample(bureaus, rng.randint(0, 3))
                    if unit(issuer, b, year) not in lead]
            if rng.random() < 0.3:
                coop.append(rng.choice(issuer.towns))
            if rng.random() < 0.3:
                coop.append(rng.choice(groups))
            out.append(Task(goal, text + "。", rng.choice(leaders), lead, coop))
    return out


def spaced(name: str) -> str:
    """A two-character person name as tables print it (周  庆)."""
    return f"{name[0]}  {name[1]}" if len(name) == 2 else name


def title(issuer: Issuer, year: int, livelihood: bool) -> str:
    """The table's title line."""
    if livelihood:
        return f"{issuer.division.short or issuer.name}{year}年民生实事项目目标任务责任分解表"
    return f"{year}年《政府工作报告》主要目标任务责任分解表"


def tabcell(issuer: Issuer, year: int, items: list[Task], livelihood: bool, rng: random.Random) -> str:
    """TAB-opened cells, one row per blank-line block, 序号 and goal printed once per group (sample 000)."""
    lines = ["附件1" if not livelihood else "附件2", title(issuer, year, livelihood),
             "\t序号", "\t目标名称" if not livelihood else "\t项目名称", "\t工  作  标  准",
             f"\t{issuer.level}政府", "分管领导", "\t牵头单位", "\t配合单位", ""]
    group = 0
    previous = ""
    for number, task in enumerate(items, start=1):
        first = task.goal != previous
        if first:
            group += 1
            previous = task.goal
        lines += [f"\t{group}" if first else "\t", f"\t{task.goal}" if first else "\t",
                  f"\t（{number}）{task.text}", f"\t{spaced(task.leader)}", "\t" + "\n".join(task.lead),
                  "\t" + "\n".join(task.coop), ""]
    return "\n".join(lines) + "\n"


def pipe(issuer: Issuer, year: int, items: list[Task], livelihood: bool, rng: random.Random) -> str:
    """Pipe rows, one per line, with a goal column (dev corpus 11, 13)."""
    head = "类别" if not livelihood else "项目类别"
    lines = [f"{issuer.name}人民政府", title(issuer, year, livelihood),
             f"序号 | {head} | 工作任务 | 责任领导 | 牵头单位 | 配合单位 |"]
    for number, task in enumerate(items, start=1):
        lines.append(f"{number} | {task.goal} | {task.text} | {task.leader} | {'、'.join(task.lead)} | "
                     f"{'、'.join(task.coop)} |")
    return "\n".join(lines) + "\n"


def tsv(issuer: Issuer, year: int, items: list[Task], livelihood: bool, rng: random.Random) -> str:
    """Tab-separated rows with a header row."""
    lines = [title(issuer, year, livelihood), "序号\t目标任务\t具体内容\t责任领导\t牵头单位\t配合单位"]
    for number, task in enumerate(items, start=1):
        lines.append(f"{number}\t{task.goal}\t{task.text}\t{task.leader}\t{'、'.join(task.lead)}\t"
                     f"{'、'.join(task.coop)}")
    return "\n".join(lines) + "\n"


def cells(issuer: Issuer, year: int, items: list[Task], livelihood: bool, rng: random.Random) -> str:
    """Blank-line cells under leader-named headings, numbering per heading (dev corpus 15)."""
    lines = [f"{issuer.name}{year}年政府工作报告主要任务责任清单" if not livelihood else title(issuer, year, True), ""]
    numerals = "一二三四五六七八九十"
    by_leader: dict[str, list[Task]] = {}
    for task in items:
        by_leader.setdefault(task.leader, []).append(task)
    for heading, (leader, group) in enumerate(by_leader.items()):
        role = f"{issuer.level}长" if heading == 0 else f"副{issuer.level}长"
        lines += [f"{numerals[heading % 10]}、{role}{leader}牵头重点工作", ""]
        for cell in ("序号", "目标任务", "牵头单位", "配合单位"):
            lines += [cell, ""]
        for number, task in enumerate(group, start=1):
            for cell in (str(number), task.text.rstrip("。"), "、".join(task.lead), "，".join(task.coop)):
                lines += [cell, ""]
    return "\n".join(lines) + "\n"


def numbered(number: int) -> str:
    """A Chinese ordinal for goal headings."""
    numerals = "一二三四五六七八九十"
    return numerals[number - 1] if number <= 10 else "十" + numerals[number - 11]


def with_goal_headings(items: list[Task]) -> list[tuple[int, Task, str | None]]:
    """Each item with its number, and the heading ("一、goal") to print before it when its goal changes."""
    out: list[tuple[int, Task, str | None]] = []
    previous, goal_no = "", 0
    for number, task in enumerate(items, start=1):
        heading = None
        if task.goal != previous:
            goal_no, previous = goal_no + 1, task.goal
            heading = f"{numbered(goal_no)}、{task.goal}"
        out.append((number, task, heading))
    return out


def items_paren(issuer: Issuer, year: int, items: list[Task], livelihood: bool, rng: random.Random) -> str:
    """Numbered items under goal headings, each closed by a role parenthesis (dev corpus 09)."""
    lines = [f"{issuer.name}人民政府关于印发{year}年《政府工作报告》重点工作责任分工的通知", "",
             f"各{'镇、街道' if issuer.level != '省' else '设区市'}，{issuer.level}各有关部门：", "",
             "  现将有关事项通知如下，请认真抓好落实。", "", f"{issuer.name}人民政府", f"{year}年2月20日", ""]
    for number, task, heading in with_goal_headings(items):
        if heading:
            lines += [heading, ""]
        roles = f"责任领导:{task.leader};牵头单位:{'、'.join(task.lead)}"
        if task.coop:
            roles += f";责任单位:{'、'.join(task.coop)}"
        lines += [f"{number}.{task.text}({roles})", ""]
    return "\n".join(lines) + "\n"


def items_lines(issuer: Issuer, year: int, items: list[Task], livelihood: bool, rng: random.Random) -> str:
    """Numbered items each followed by role lines (dev corpus 04, 07)."""
    lines = [f"{issuer.name}{year}年《政府工作报告》重点工作分解落实方案", ""]
    for number, task, heading in with_goal_headings(items):
        if heading:
            lines.append(heading)
        lines += [f"{number}.{task.text}", f"责任领导:{task.leader}", f"牵头单位:{'、'.join(task.lead)}"]
        if task.coop:
            lines.append(f"责任单位:{'、'.join(task.coop)}")
    return "\n".join(lines) + "\n"


def per_line(issuer: Issuer, year: int, items: list[Task], livelihood: bool, rng: random.Random) -> str:
    """Cells one per line without separators: a PDF's text (sample 001)."""
    lines = [f"{issuer.name}人民政府", f"{year}年2月10日", "附件1" if not livelihood else "附件2",
             title(issuer, year, livelihood), "序号", "目标名称", "工 作 标 准", f"{issuer.level}政府", "分管领导",
             "牵头单位", "配合单位"]
    previous = ""
    group = 0
    for number, task in enumerate(items, start=1):
        if task.goal != previous:
            group += 1
            previous = task.goal
            lines += [str(group), task.goal]
        leader = spaced(task.leader)
        lines += [f"({number}){task.text}", leader, "、".join(task.lead)]
        if task.coop:
            lines.append("、".join(task.coop))
    return "\n".join(lines) + "\n"


LAYOUTS: dict[str, Callable[[Issuer, int, list[Task], bool, random.Random], str]] = {
    "tabcell": tabcell, "pipe": pipe, "tsv": tsv, "cells": cells, "paren": items_paren, "lines": items_lines,
    "perline": per_line}
LIVELIHOOD_LAYOUTS = ("tabcell", "pipe", "tsv", "cells", "perline")


def plan(docs: int, seed: int) -> list[tuple[Issuer, int, bool]]:
    """The documents to write, in order: (issuer, year, livelihood)."""
    rng = random.Random(f"govkg-corpus:{seed}")
    chosen = issuers(rng, docs)
    out: list[tuple[Issuer, int, bool]] = []
    for issuer in chosen:
        years = YEARS[rng.randint(0, 2):]
        for year in years:
            out.append((issuer, year, False))
            if rng.random() < LIVELIHOOD_SHARE:
                out.append((issuer, year, True))
        if len(out) >= docs:
            break
    # more only when every issuer is taken: smaller corpora stay what they were
    for year in EARLIER_YEARS:
        for issuer in chosen:
            if len(out) >= docs:
                return out[:docs]
            if issuer.division.first <= year:
                out.append((issuer, year, False))
                if rng.random() < LIVELIHOOD_SHARE:
                    out.append((issuer, year, True))
    if len(out) < docs:
        raise SystemExit(f"the division list gives at most {len(out)} documents, not {docs}")
    return out[:docs]


def generate(docs: int, seed: int, out: Path) -> dict[str, int]:
    """Write the corpus into `out` (emptied first) and return the tasks written per document file."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    expected: dict[str, int] = {}
    for number, (issuer, year, livelihood) in enumerate(plan(docs, seed)):
        rng = random.Random(f"{seed}:{issuer.division.code}:{year}:{livelihood}")
        layout = rng.choice(LIVELIHOOD_LAYOUTS if livelihood else tuple(LAYOUTS))
        items = tasks(rng, issuer, year, livelihood)
        name = f"{number:05d}_{issuer.division.code}_{year}{'_ms' if livelihood else ''}_{layout}"
        (out / f"{name}.txt").write_text(LAYOUTS[layout](issuer, year, items, livelihood, rng), encoding="utf-8")
        sidecar = f'issuer = "{issuer.division.code}"\nyear = {year}\n'
        if livelihood:
            sidecar += 'part = "民生实事"\n'
        (out / f"{name}.meta.toml").write_text(sidecar, encoding="utf-8")
        expected[f"{name}.txt"] = len(items)
    (out / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return expected


def main() -> None:
    """Command line: --docs N --seed S --out DIR."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    expected = generate(args.docs, args.seed, args.out)
    print(f"{len(expected)} documents, {sum(expected.values())} tasks written to {args.out}")


if __name__ == "__main__":
    main()
