"""The page in a real browser: Debian's headless Chromium via Playwright, opened from disk with networking off."""

from __future__ import annotations

import time
from urllib.parse import unquote

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


# --- the served page: filters in the URL, unit links, phone layout, PNG export -------------------------------------

ZHONGLOU_2022_UNITS = """PREFIX gw: <https://w3id.org/govkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?name WHERE {
  ?plan gw:issuer/rdfs:label "常州市钟楼区"@zh ; gw:year ?year . FILTER(STR(?year) = "2022")
  ?task gw:inPlan ?plan ; gw:leadUnit|gw:cooperatingUnit ?unit .
  FILTER NOT EXISTS { ?task gw:reportsOn ?planned }
  ?unit rdfs:label ?name . FILTER(LANG(?name) = "zh")
}"""


def poll(page, expression: str, timeout: float = 15.0) -> None:
    """Wait until `expression` is true in the page; by evaluate, which the served page's CSP (no eval, which
    wait_for_function needs) allows."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def served(built):
    """The samples served by `govkg serve`; the origin URL."""
    from local_servers import start_server

    origin, process = start_server(built)
    yield origin
    process.terminate()
    process.wait(timeout=20)


def test_filtered_served_page(offline_page, served, sample_store):
    from govkg.network.page import LABEL_PIXELS, TOP_LABELS

    page = offline_page.page
    page.goto(f"{served}/graph?issuer=钟楼区&year=2022&role=both")
    poll(page, READY)
    # only that plan's lead and cooperating units, every one of them
    expected = {row["name"].value for row in sample_store.run(ZHONGLOU_2022_UNITS).rows}
    labels = page.evaluate("window.govkg.data.nodes.map(n => n.label)")
    assert len(labels) == len(expected) > 30 and set(labels) == expected
    assert page.input_value("select[name=issuer]") == "常州市钟楼区" and page.input_value("select[name=year]") == "2022"
    # first view: only the most central nodes are labelled, at least LABEL_PIXELS high on screen
    shown = page.evaluate("""() => { const scale = window.govkg.network.getScale();
        return window.govkg.nodes.get().filter(n => n.label).map(n => n.font.size * scale); }""")
    assert 0 < len(shown) <= TOP_LABELS and min(shown) >= LABEL_PIXELS - 0.01
    with page.expect_download() as download:
        page.click("#png")
    assert download.value.suggested_filename == "network.png"
    assert download.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    offline_page.screenshot("network-filtered")
    # a phone: the canvas takes the whole width
    refits = page.evaluate("window.govkg.refits()")
    page.set_viewport_size({"width": 390, "height": 844})
    poll(page, "document.querySelector('#network canvas').getBoundingClientRect().width === 390", 5.0)
    # the drawing refitted to the narrow canvas (a moment after the resize): no refit left to move the view later
    poll(page, f"window.govkg.refits() > {refits}", 5.0)
    poll(page, f"""(() => {{ const scale = window.govkg.network.getScale();
        return window.govkg.nodes.get().filter(n => n.label).every(n => n.font.size * scale >= {LABEL_PIXELS - 0.01});
        }})()""", 5.0)  # refitted to the narrow canvas, labels as readable as before
    offline_page.screenshot("network-filtered-phone")
    # a click on a unit opens its page
    target = page.evaluate("""() => { const g = window.govkg, top = g.data.nodes.find(n => n.rank === 0);
        g.network.moveTo({position: g.network.getPositions([top.id])[top.id], scale: 1.5});
        const dom = g.network.canvasToDOM(g.network.getPositions([top.id])[top.id]);
        const box = document.querySelector('#network canvas').getBoundingClientRect();
        return {x: box.left + dom.x, y: box.top + dom.y, href: top.href, label: top.label}; }""")
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(lambda url: unquote(url).endswith(target["href"]), timeout=10_000)
    assert target["label"] in page.inner_text("h1")
    assert offline_page.errors == [] and offline_page.refused == []


def test_served_default_view_and_unknown_names(offline_page, served):
    page = offline_page.page
    page.goto(f"{served}/graph")
    poll(page, READY)
    assert "默认视图：常州市武进区 2023" in page.inner_text("header")
    answer = page.goto(f"{served}/graph?issuer=天宁区&year=2022")
    assert answer.status == 404
    assert "did you mean 常州市武进区 (武进区), 常州市钟楼区 (钟楼区)?" in page.inner_text("body")
    assert offline_page.refused == []
