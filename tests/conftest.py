"""Shared fixtures: the sample documents and their extraction (done once per test session)."""

from __future__ import annotations

from pathlib import Path

import pytest

import govkg
from govkg.model import Document, Task

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


def sample_path(prefix: str) -> Path:
    """The sample document whose file name starts with `prefix` ("000" … "004")."""
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture(scope="session")
def samples() -> dict[str, Document]:
    """The five samples extracted with the default conventions, keyed by "000" … "004"."""
    return {prefix: govkg.extract_document(sample_path(prefix)) for prefix in ("000", "001", "002", "003", "004")}


def task(document: Document, task_no: str, table: str = "main", sub_no: int | None = None) -> Task:
    """The task with this printed number (and sub-item) in a document's table."""
    found = [t for t in document.tasks if t.record.table == table and t.record.task_no == task_no
             and (sub_no is None or t.record.sub_no == sub_no)]
    assert len(found) == 1, f"{len(found)} tasks numbered {task_no} in {document.file}"
    return found[0]


def names(parties) -> list[str]:
    """Canonical names of a list of parties."""
    return [p.name for p in parties]


def printed(parties) -> list[str]:
    """Names as printed."""
    return [p.text for p in parties]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The samples built once per session (a build folder with dumps and store)."""
    out = tmp_path_factory.mktemp("built")
    govkg.build([SAMPLES], out)
    return out
