"""The sample documents and small helpers on extracted documents, shared by test modules (a plain module, so that
test folders with a conftest.py of their own can import it without a clash of conftest modules)."""

from __future__ import annotations

import shutil
from pathlib import Path

from govkg.model import Document, Task

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


def sample_path(prefix: str) -> Path:
    """The sample document whose file name starts with `prefix` ("000" … "004")."""
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    return path


def copy_samples(keys: tuple[str, ...], folder: Path) -> Path:
    """The sample documents starting with `keys` (with their sidecars) copied into `folder`, which is returned."""
    for key in keys:
        document = sample_path(key)
        for path in document.parent.glob(document.stem + "*"):
            shutil.copy(path, folder / path.name)
    return folder


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
