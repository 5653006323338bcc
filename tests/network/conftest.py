"""Fixtures of the network tests: a hand-made selection whose answers were worked out by hand, the sample
networks, and a tiny build whose unit names are HTML/JS injection attempts."""

from __future__ import annotations

import pytest

import govkg
from govkg.network import Filters, NetworkData, analyse, build_network, fetch
from govkg.network.data import Agent, Participation, TaskInfo
from govkg.query import EmbeddedStore

# The hand-made selection: five units A–E of one issuer, two leaders, five tasks.
#   t1: A leads, B and C cooperate, leader L1      t4: D leads, E cooperates, leader L2
#   t2: A leads, B cooperates,       leader L1      t5: B leads, C cooperates, leader L2
#   t3: C leads, D and E cooperate,  leader L2
HAND_TASKS = {
    "t1": ("A", ["B", "C"], "L1"),
    "t2": ("A", ["B"], "L1"),
    "t3": ("C", ["D", "E"], "L2"),
    "t4": ("D", ["E"], "L2"),
    "t5": ("B", ["C"], "L2"),
}

EVIL_SCRIPT = "<script>alert(1)</script>局"
EVIL_ATTRIBUTE = '" onmouseover="x局'
EVIL_DOCUMENT = f"""附件
2024年《政府工作报告》重点任务责任分解表

一、主要预期目标
1. 地区生产总值增长5.5%左右。
牵头单位：{EVIL_SCRIPT}
责任单位：{EVIL_ATTRIBUTE}、区统计局
分管领导：王 明
2. 一般公共预算收入增长3%。
牵头单位：{EVIL_ATTRIBUTE}
责任单位：区财政局、{EVIL_SCRIPT}
分管领导：李强
"""


def hand_data(filters: Filters | None = None, groups: dict[str, list[str]] | None = None) -> NetworkData:
    """The hand-made selection as fetched data (no store needed)."""
    data = NetworkData(filters or Filters())
    for unit in "ABCDE":
        data.agents[unit] = Agent(unit, unit, "unit", "bureau", "X区", "X区")
    for leader in ("L1", "L2"):
        data.agents[leader] = Agent(leader, leader, "person", None, "X区", "X区")
    for task, (lead, coops, leader) in HAND_TASKS.items():
        data.tasks[task] = TaskInfo(task, f"({task[1:]}) 任务{task[1:]}", task[1:], "X区", "X区", "2021", "main")
        data.participations.append(Participation(task, "lead", lead))
        data.participations += [Participation(task, "cooperating", coop) for coop in coops]
        data.participations.append(Participation(task, "leader", leader))
    for group, members in (groups or {}).items():
        data.agents[group] = Agent(group, group, "group", None, "X区", "X区")
        data.members[group] = members
    return data


@pytest.fixture(scope="session")
def sample_store(built):
    """The embedded store of the five samples."""
    return EmbeddedStore(built)


@pytest.fixture(scope="session")
def zhonglou_2021(sample_store):
    """Fetched data of 钟楼区 2021 (the sample 000)."""
    return fetch(sample_store, Filters(issuer="钟楼区", year=2021))


@pytest.fixture(scope="session")
def sample_page_network(sample_store):
    """The page's default network of all five samples (co-participation), analysed."""
    network = build_network(fetch(sample_store, Filters()), "coparticipation")
    return network, analyse(network)


@pytest.fixture(scope="session")
def evil_store(tmp_path_factory):
    """A tiny build whose unit names are <script>alert(1)</script>局 and " onmouseover="x局 (issuer 钟楼区)."""
    folder = tmp_path_factory.mktemp("evil")
    document = folder / "evil.txt"
    document.write_text(EVIL_DOCUMENT, encoding="utf-8")
    govkg.build([document], folder / "out", issuer="钟楼区")
    return EmbeddedStore(folder / "out")


@pytest.fixture(scope="session")
def hand():
    """The builder of the hand-made selection: hand(filters=None, groups=None) -> NetworkData."""
    return hand_data


@pytest.fixture(scope="session")
def evil_names() -> tuple[str, str]:
    """The two hostile unit names as printed in the evil document."""
    return EVIL_SCRIPT, EVIL_ATTRIBUTE
