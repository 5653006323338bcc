"""Headless Chromium with networking off: home page, a unit page, and YASGUI running Q1."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_and_unit_pages(server, offline_page):
    page = offline_page.page
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "政府工作报告目标任务责任分解知识图谱"
    assert page.locator("table tbody tr").count() == 5
    offline_page.screenshot("web-home")
    page.fill("input[name=q]", "住建局")
    page.click("form.search button")
    page.wait_for_url("**/search?q=*")
    page.click("a:text-is('住建局') >> nth=0")
    page.wait_for_load_state()
    assert page.locator("h1 .name").inner_text() == "住建局"
    assert "任务 Tasks" in page.content()
    offline_page.screenshot("web-unit")
    assert offline_page.refused == [] and offline_page.errors == []


def test_yasgui_runs_q1(server, offline_page):
    page = offline_page.page
    page.goto(server + "/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.click("button.example[data-name='q01-cooperating-tasks']")
    page.click(".yasqe_queryButton")
    rows = page.locator(".yasr .dataTable tbody tr")
    rows.first.wait_for(timeout=15000)
    assert rows.count() == 3
    text = page.locator(".yasr").inner_text()
    assert "经开区" in text and "农业农村局" in text
    offline_page.screenshot("web-yasgui-q1")
    assert offline_page.refused == [] and offline_page.errors == []
