"""The HTML task page of a progress report read from an original: the places ("工作表“附件1” 表1 第28行"), merged
cells, deadline and progress (sample 000 made into an .xlsx report, tests/progress_report.py, in memory)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape

from govkg import __version__
from govkg.web.pages import describe
from govkg.web.site import Dataset
from progress_report import MemoryStore, progress_report, sample_000

ID = "https://w3id.org/govkg/id/"
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "govkg" / "web" / "templates"


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    return MemoryStore(progress_report(sample_000()))


def task_page(store: MemoryStore, number: str) -> tuple[dict, str]:
    """What the server's page for a task holds, and its HTML."""

    async def select(query: str) -> list[dict]:
        return [{name: value.to_json() for name, value in row.items()} for row in store.run(query).rows]

    data = Dataset(Path("."), ID)
    # In a thread of its own: a browser test earlier in the session may leave an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        page = pool.submit(asyncio.run, describe(f"{ID}plan/320404/2021/main/{number}", select, data)).result()
    templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    return page, templates.get_template("resource.html").render(version=__version__, data=data, page=page)


def test_task_page_shows_the_place_in_the_original(store):
    page, html = task_page(store, "27")
    assert page["locations"] == ["工作表“附件1” 表1 第28行"]
    assert "工作表“附件1” 表1 第28行" in html and "virtual lines" in html
    lead = next(a for a in page["assignments"] if a["printed"] == "住建局")
    assert lead["places"] == "工作表“附件1” 表1 第28行 第4列" and not lead["merged"]
    assert "工作表“附件1” 表1 第28行 第4列" in html


def test_task_page_shows_deadline_and_progress(store):
    page, html = task_page(store, "27")
    assert page["deadline"] == {"printed": "12月底", "date": "2021-12-31"}
    (progress,) = page["progress"]
    assert (progress["printed"], progress["text"]) == ("部分滞后", "完成年度目标的60%。")
    assert progress["date"] == "2021-07-15"
    assert progress["status"].text == "滞后 behind schedule" and progress["status"].href == "/ontology#BehindSchedule"
    assert "进展情况 Progress" in html and "完成时限 Deadline: 12月底（截止 2021-12-31）" in html


def test_task_page_marks_values_of_merged_cells(store):
    page, html = task_page(store, "26")
    merged = [a for a in page["assignments"] if a["merged"]]
    assert len(merged) == 3 and not any(a["inherited"] for a in merged)
    assert "原件合并单元格 merged cell" in html and "继承自合并单元格 inherited" not in html
