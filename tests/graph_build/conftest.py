"""Fixtures shared by the build tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from sample_docs import copy_samples

#: The samples most build tests work on: 000 (常州市钟楼区) and 002 (常州市武进区), with their sidecars.
TWO_DOCUMENTS = ("000", "002")


@pytest.fixture
def source(tmp_path) -> Path:
    """The two samples in a folder of their own, which a test may change."""
    folder = tmp_path / "source"
    folder.mkdir()
    return copy_samples(TWO_DOCUMENTS, folder)
