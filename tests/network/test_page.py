"""The interactive page: self-contained (no outside URL), escaped, deterministic, large graphs laid out in Python."""

from __future__ import annotations

import json
import re

import pytest

from govkg.network import Filters, NetworkError, analyse, build_network, collaboration_page, fetch, render_page
from govkg.network.data import UNIT_TYPES
from govkg.network.page import LAYOUT_THRESHOLD, TYPE_COLOURS, script_json, write_page

URL = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)


def page_data(page: str) -> dict:
    """The JSON the page's script draws (its escapes are valid JSON)."""
    match = re.search(r"const DATA = (\{.*?\});\n", page)
    assert match, "no DATA in the page"
    return json.loads(match.group(1))


def test_sample_page_is_self_contained(sample_page_network):
    network, analysis = sample_page_network
    page = render_page(network, analysis)
    assert URL.findall(page) == []  # no outside host, not even in the inlined vis-network
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert '<html lang="zh">' in page
    assert "<title>协作网络：共同参与（Newman 加权） — 全部</title>" in page
    data = page_data(page)
    assert len(data["nodes"]) == network.graph.number_of_nodes()
    assert len(data["edges"]) == network.graph.number_of_edges()
    assert data["legend"]["type"] and data["legend"]["community"]
    assert data["options"]["layout"]["randomSeed"] == 7 and data["fixed"] is False
    assert len(page.encode("utf-8")) < 1_500_000


def test_page_is_deterministic(sample_store):
    def page(kind):
        network = build_network(fetch(sample_store, Filters()), kind)
        return render_page(network, analyse(network))

    assert page("coparticipation") == page("coparticipation")
    large = page("bipartite")
    assert large == page("bipartite")
    data = page_data(large)
    assert len(data["nodes"]) > LAYOUT_THRESHOLD
    assert data["fixed"] is True and data["options"]["physics"]["enabled"] is False
    assert all("x" in node and "y" in node for node in data["nodes"])


def test_collaboration_page_names_its_filters(sample_store, tmp_path):
    page = collaboration_page(sample_store, graph="cooperation", issuer="钟楼区", year=2021)
    assert "<title>协作网络：牵头—配合关系（有向） — 钟楼区 · 2021</title>" in page
    assert page_data(page)["options"]["edges"]["arrows"]["to"]["enabled"] is True
    path = write_page(tmp_path / "sub" / "page.html", sample_store, issuer="钟楼区", year=2021)
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(NetworkError, match="no tasks match"):
        collaboration_page(sample_store, issuer="钟楼区", year=2030)


def test_every_unit_type_has_a_colour_and_legend_text():
    for key, label in UNIT_TYPES.values():
        assert TYPE_COLOURS[key][1] == label  # the ontology's zh labels
    assert {"group", "leader", "task"} <= set(TYPE_COLOURS)


def test_script_json_cannot_close_the_script():
    text = script_json({"label": "</script><script>alert(1)</script><!-- & '\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "'" not in text and "\u2028" not in text
    assert json.loads(text)["label"] == "</script><script>alert(1)</script><!-- & '\u2028"


def test_hostile_names_are_text(evil_store, evil_names):
    script, attribute = evil_names
    page = collaboration_page(evil_store, graph="cooperation")
    assert "alert(1)" not in page and "alert（1）" not in page.split("const DATA")[0]
    assert script not in page and attribute not in page and "<script>alert" not in page
    assert 'onmouseover="' not in page and "onmouseover=\\\"" in page  # only as an escaped JSON string
    labels = {node["label"] for node in page_data(page)["nodes"]}
    # the names as the graph holds them (canonical form: fullwidth brackets, no inner space)
    assert "<script>alert（1）</script>局" in labels and '"onmouseover="x局' in labels
    # two script elements, vis-network's and the page's own (core-js inside vis-network holds "<script>" in a string)
    assert len(re.findall(r"^<script>", page, re.MULTILINE)) == 2
