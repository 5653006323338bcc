"""`govkg extract` records carry deadline, progress and status, and mark values of an original's merged cells."""

from __future__ import annotations

from govkg.export import task_to_dict
from progress_report import progress_report, sample_000


def _record(document, number: str) -> dict:
    (task,) = [t for t in document.tasks if t.record.table == "main" and t.record.task_no == number]
    return task_to_dict(document, task)


def test_progress_fields_and_merged_cells_in_records():
    report = progress_report(sample_000())
    record = _record(report, "27")
    assert (record["deadline"], record["progress"], record["status"]) == ("12月底", "完成年度目标的60%。", "部分滞后")
    merged = _record(report, "26")["fields"]["coop_units"]
    assert merged["merged"] is True and merged["inherited"] is False
    plain = _record(sample_000(), "26")
    assert (plain["progress"], plain["status"]) == (None, None)
    assert plain["fields"]["coop_units"] == {"lines": [242, 245], "inherited": True}  # no "merged" key for text
