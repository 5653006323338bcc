"""Graphs of the built samples through the store: filters, group handling, identities. Expected values were
read from data/samples/000_8726cfd2ff1c199e.txt (钟楼区 2021, 92 tasks)."""

from __future__ import annotations

import pytest

from govkg.network import Filters, NetworkError, build_network, fetch

ID = "https://w3id.org/govkg/id/gov/320404/unit/"
GROUP = "https://w3id.org/govkg/id/gov/320404/group/"
# The 33 units printed in the 牵头单位 / 配合单位 columns of 000, as canonical names (高新园（邹区镇）is
# 高新区（邹区镇）, 自然资源和规划分局 is 资规分局), and its three groups (区各有关部门 = 区有关部门).
UNITS_000 = {"人社局", "住建局", "信访局", "公安分局", "农业农村局", "医保分局", "卫健局", "发改局", "司法局", "商务局",
             "地方金融监管局", "城管局", "宣传部", "工信局", "市场监管局", "应急管理局", "政府办", "政法委", "教育局",
             "文体旅局", "新运集团", "民政局", "消防救援大队", "生态环境局", "科技局", "组织部", "经开区", "编办",
             "资规分局", "行政审批局", "财政局", "退役军人事务局", "高新区（邹区镇）"}
GROUPS_000 = {"各街道", "相关街道", "区有关部门"}
STREETS = {"南大街街道", "荷花池街道", "五星街道", "永红街道", "北港街道", "西林街道", "新闸街道"}  # groups.toml


def names(graph) -> set[str]:
    return {attributes["name"] for _, attributes in graph.nodes(data=True)}


def test_zhonglou_2021_is_document_000(zhonglou_2021):
    assert len(zhonglou_2021.tasks) == 92  # (1) … (92)
    assert {task.year for task in zhonglou_2021.tasks.values()} == {"2021"}


def test_units_of_000(zhonglou_2021):
    graph = build_network(zhonglou_2021, "coparticipation").graph
    assert names(graph) == UNITS_000 | GROUPS_000
    assert all(node.startswith(("https://w3id.org/govkg/id/gov/320404/unit/", GROUP)) for node in graph)


def test_cooperation_edges_of_000(zhonglou_2021):
    graph = build_network(zhonglou_2021, "cooperation").graph
    # 科技局 leads (13) with 经开区 cooperating; (14) and (15) inherit (13)'s 配合单位 (merged cells); it is among
    # the lead units of (17), (18) and (25), whose 配合单位 name 经开区.
    edge = graph.edges[ID + "科技局", ID + "经开区"]
    assert edge["shared_tasks"] == edge["weight"] == 6
    assert [task.rsplit("/", 1)[1] for task in edge["task_list"]] == ["13", "14", "15", "17", "18", "25"]
    # The other way: (10) 经开区、高新园（邹区镇）lead, 科技局 cooperates.
    assert graph.edges[ID + "经开区", ID + "科技局"]["task_list"][0].endswith("/main/10")
    # 科技局 is printed on 8 tasks: cooperating on (10), (12), leading (13)–(15), (17), (18), (25).
    node = graph.nodes[ID + "科技局"]
    assert (node["workload"], node["lead_tasks"], node["coop_tasks"]) == (8, 6, 2)
    assert node["label"] == "科技局" and node["issuer"] == "常州市钟楼区" and node["unit_type"] == "bureau"


def test_groups_keep_expand_drop(sample_store):
    kept = build_network(fetch(sample_store, Filters(issuer="钟楼区", year=2021)), "cooperation").graph
    assert kept.nodes[GROUP + "各街道"]["unit_type"] == "group"
    assert kept.has_edge(ID + "发改局", GROUP + "各街道")  # (1) 发改局 → 经开区、高新园（邹区镇）、各街道
    expanded = build_network(fetch(sample_store, Filters(issuer="钟楼区", year=2021, groups="expand")),
                             "cooperation").graph
    assert GROUP + "各街道" not in expanded
    assert names(expanded) >= STREETS
    for street in STREETS:
        assert expanded.edges[ID + "发改局", ID + street]["task_list"][0].endswith("/main/1")
        assert expanded.nodes[ID + street]["unit_type"] == "subdistrict"
    dropped = build_network(fetch(sample_store, Filters(issuer="钟楼区", year=2021, groups="drop")),
                            "coparticipation").graph
    assert names(dropped) == UNITS_000


def test_same_name_units_of_two_issuers_stay_apart(sample_store):
    graph = build_network(fetch(sample_store, Filters()), "coparticipation").graph
    zhujianju = [node for node, name in graph.nodes(data="name") if name == "住建局"]
    assert sorted(zhujianju) == ["https://w3id.org/govkg/id/gov/320404/unit/住建局",
                                 "https://w3id.org/govkg/id/gov/320412/unit/住建局"]
    assert {graph.nodes[node]["label"] for node in zhujianju} == {"钟楼区·住建局", "武进区·住建局"}


def test_table_goal_and_role_filters(sample_store):
    livelihood = fetch(sample_store, Filters(table="livelihood"))
    assert livelihood.tasks and {task.table for task in livelihood.tasks.values()} == {"livelihood"}
    goal = fetch(sample_store, Filters(issuer="钟楼区", year=2021, goal="主要预期目标"))
    assert sorted(int(task.number) for task in goal.tasks.values()) == list(range(1, 10))  # (1)–(9)
    lead = build_network(fetch(sample_store, Filters(issuer="钟楼区", year=2021, role="lead")), "bipartite").graph
    assert {role for _, _, role in lead.edges(data="role")} == {"lead"}
    assert GROUP + "各街道" not in lead  # 各街道 is only ever a cooperating unit in 000


def test_leader_graph(zhonglou_2021):
    graph = build_network(zhonglou_2021, "leader").graph
    person = "https://w3id.org/govkg/id/gov/320404/person/王旭锋"
    assert graph.nodes[person]["kind"] == "leader"
    # Of 科技局's eight tasks, 王旭锋 is the leader of (10), (12)–(15), (17), (18); (25) is 韩雪琴's.
    assert graph.edges[person, ID + "科技局"]["weight"] == 7
    assert graph.edges["https://w3id.org/govkg/id/gov/320404/person/韩雪琴", ID + "科技局"]["weight"] == 1


@pytest.mark.parametrize("filters", [Filters(issuer="钟楼区", year=2030), Filters(goal="不存在的目标"),
                                     Filters(issuer="不存在区")])
def test_empty_selection_is_an_error(sample_store, filters):
    with pytest.raises(NetworkError, match="no tasks match"):
        fetch(sample_store, filters)


def test_bad_filters_are_errors(sample_store):
    with pytest.raises(NetworkError, match="--role"):
        fetch(sample_store, Filters(role="boss"))
    with pytest.raises(NetworkError, match="--graph"):
        build_network(fetch(sample_store, Filters(issuer="钟楼区", year=2021)), "ring")


def test_hostile_filter_value_is_just_a_string(sample_store):
    with pytest.raises(NetworkError, match="no tasks match"):
        fetch(sample_store, Filters(goal='"} ; DROP ALL #'))
