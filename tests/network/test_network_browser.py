"""The page in a real browser: Debian's headless Chromium via Playwright, opened from disk with networking off."""

from __future__ import annotations

import pytest

from govkg.network import analyse, build_network, collaboration_page, fetch, render_page
from govkg.network.data import Filters

pytestmark = pytest.mark.browser
READY = "window.govkgReady === true"


def open_page(offline_page, path, timeout: float = 15_000):
    """Open a page file and wait until the network is laid out and drawn."""
    offline_page.page.goto(path.resolve().as_uri())
    offline_page.page.wait_for_function(READY, timeout=timeout)
    return offline_page.page


def test_sample_page_offline(offline_page, sample_page_network, tmp_path):
    network, analysis = sample_page_network
    path = tmp_path / "network.html"
    path.write_text(render_page(network, analysis), encoding="utf-8")
    page = open_page(offline_page, path)
    assert page.evaluate("window.govkg.nodes.length") == network.graph.number_of_nodes()
    assert page.evaluate("window.govkg.edges.length") == network.graph.number_of_edges()
    drawn = page.evaluate("Object.keys(window.govkg.network.getPositions()).length")
    assert drawn == network.graph.number_of_nodes()
    assert page.evaluate("document.querySelectorAll('#network canvas').length") == 1
    assert page.evaluate("document.querySelectorAll('#legend li').length") > 3
    # search and neighbourhood highlight: 科技局 of 钟楼区, its neighbours stay bright, the others are dimmed
    page.fill("#search", "钟楼区·科技局")
    page.press("#search", "Enter")
    assert "钟楼区·科技局" in page.inner_text("#details")
    dimmed = page.evaluate("window.govkg.nodes.get().filter(n => String(n.color).startsWith('rgba')).length")
    assert 0 < dimmed < network.graph.number_of_nodes()
    page.select_option("#colour", "community")
    assert page.inner_text("#legend").startswith("社区 1")
    assert offline_page.errors == []
    assert offline_page.refused == []
    assert (offline_page.screenshot("network-samples")).is_file()


def test_large_page_renders_at_once(offline_page, sample_store, tmp_path):
    network = build_network(fetch(sample_store, Filters()), "bipartite")
    path = tmp_path / "bipartite.html"
    path.write_text(render_page(network, analyse(network)), encoding="utf-8")
    page = open_page(offline_page, path, timeout=10_000)
    assert page.evaluate("window.govkg.nodes.length") == network.graph.number_of_nodes()
    assert page.evaluate("window.govkg.network.physics.physicsEnabled") is False
    offline_page.screenshot("network-bipartite")
    assert offline_page.errors == [] and offline_page.refused == []


def test_hostile_names_stay_text_in_the_browser(offline_page, evil_store, tmp_path):
    dialogs: list[str] = []
    offline_page.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    path = tmp_path / "evil.html"
    path.write_text(collaboration_page(evil_store, graph="cooperation"), encoding="utf-8")
    page = open_page(offline_page, path)
    options = page.evaluate("Array.from(document.querySelectorAll('#matches option'), o => o.textContent)")
    assert "<script>alert（1）</script>局" in options and '"onmouseover="x局' in options
    # the tooltip is a DOM element with the names as text: no element, no attribute made from them
    tip = page.evaluate("""() => { const tip = window.govkg.nodeTip(window.govkg.nodes.getIds()[0]);
        document.body.appendChild(tip);
        const found = {text: tip.textContent, elements: tip.querySelectorAll('script, [onmouseover]').length};
        tip.remove();
        return found; }""")
    assert tip["elements"] == 0 and "局" in tip["text"]
    page.fill("#search", "onmouseover")
    page.press("#search", "Enter")
    page.hover("#details")
    assert '"onmouseover="x局' in page.inner_text("#details")
    assert page.evaluate("document.querySelectorAll('[onmouseover]').length") == 0
    assert page.evaluate("document.scripts.length") == 2
    offline_page.screenshot("network-hostile-names")
    assert dialogs == []
    assert offline_page.errors == [] and offline_page.refused == []
