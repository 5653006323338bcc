"""Every task row of the samples is found: counts per document and table (extraction.md, issue 2)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("prefix", "main", "livelihood"),
    [
        ("000", 92, 0),   # (1)…(92)
        ("001", 88, 28),  # (1)…(88); 民生实事: 28 content items under 10 projects
        ("002", 114, 0),  # 114 rows, the last cut off
        ("003", 87, 0),   # 86 rows, row 24 holds two sub-items
        ("004", 77, 30),  # (1)…(77); 民生实事: 10 projects × 3 items
    ],
)
def test_task_counts(samples, prefix, main, livelihood):
    document = samples[prefix]
    assert document.count("main") == main
    assert document.count("livelihood") == livelihood


@pytest.mark.parametrize(("prefix", "last"), [("000", 92), ("001", 88), ("004", 77)])
def test_task_numbers_run_without_gaps(samples, prefix, last):
    numbers = [int(t.record.task_no) for t in samples[prefix].tasks if t.record.table == "main"]
    assert numbers == list(range(1, last + 1))


def test_layouts_detected(samples):
    assert {prefix: doc.layout for prefix, doc in samples.items()} == {
        "000": "tabcell", "001": "flat", "002": "tabcell", "003": "tabcell", "004": "flat"}


def test_livelihood_items_of_001_by_project(samples):
    projects = [t.record.goal[0] for t in samples["001"].tasks if t.record.table == "livelihood"]
    # Project names wrapped over two lines in the PDF text are joined ("优质教育" + "普惠工程").
    assert projects.count("优质教育普惠工程") == 1
    assert projects.count("人居环境优化工程") == 5
    assert projects.count("健康服务提优工程") == 5
    assert projects.count("老旧小区改造提升工程") == 2
    assert projects[-1] == "安居工程"


def test_metadata(samples):
    doc = samples["001"]
    assert (doc.issuer.name, doc.year, doc.issued) == ("常州市钟楼区", 2022, "2022-02-10")
    assert samples["001"].meta_origin["issuer"] == "read"
    assert (samples["004"].year, samples["004"].issued) == (2025, "2025-03-07")
    assert samples["003"].year == 2023 and samples["003"].meta_origin["year"] == "read"
    assert samples["000"].meta_origin["issuer"] == "sidecar" and samples["000"].issuer.code == "320404"
    assert samples["002"].meta_origin["year"] == "sidecar" and samples["002"].issuer.code == "320412"
