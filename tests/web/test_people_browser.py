"""Headless Chromium with networking off: a task page and a unit page render without errors or outside requests."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_task_and_unit_pages_in_a_browser(server, offline_page):
    page = offline_page.page
    page.goto(server + "/id/plan/320404/2022/main/3")
    assert page.locator("h1.statement").inner_text().startswith("“两湖”创新先行区要强基础")
    assert page.locator("table.source-lines tr.own").count() == 4
    assert not page.locator("details.rdf table.properties").first.is_visible()  # RDF details folded
    offline_page.screenshot("task-page")
    page.click("tr.coop a:text-is('住建局')")
    page.wait_for_url("**/unit/**")
    assert page.locator("h1").inner_text() == "住建局 · 常州市钟楼区"
    assert page.locator(".neighbourhood svg circle.partner").count() > 0
    offline_page.screenshot("unit-page")
    assert offline_page.refused == [] and offline_page.errors == []
