"""The three tab-cell samples written as originals read to the same tasks, goals and roles as their text export,
with the merged cells of the original recorded as merged (not inherited)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import makers
import pytest

import govkg
from govkg.model import ASSIGNMENT_FIELDS, Document, Task
from govkg.read.formats.legacy import soffice_path

needs_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def documents() -> dict[str, makers.Document]:
    """The tab-cell samples as paragraphs and generated tables, keyed by "000", "002", "003"."""
    return {prefix: makers.sample_document(prefix) for prefix in makers.TABCELL_SAMPLES}


@pytest.fixture(scope="module")
def references() -> dict[str, Document]:
    """The text exports extracted (read as tab-cell text), keyed by "000", "002", "003"."""
    return {prefix: govkg.extract_document(makers.sample_path(prefix), layout="tabcell")
            for prefix in makers.TABCELL_SAMPLES}


@pytest.fixture
def save(tmp_path: Path) -> Callable[[str, str, bytes], Path]:
    """Write an original beside a copy of its sample's sidecar (same issuer and year as the text export)."""

    def write(prefix: str, suffix: str, data: bytes) -> Path:
        sample = makers.sample_path(prefix)
        path = tmp_path / f"{sample.stem}{suffix}"
        path.write_bytes(data)
        sidecar = sample.with_suffix(".meta.toml")
        if sidecar.exists():
            shutil.copy(sidecar, tmp_path / sidecar.name)
        return path

    return write


def key(task: Task, drop: str = "") -> tuple:
    """What must match: statement, goal path, leaders, lead and cooperating units (canonical names)."""
    record = task.record
    text = "".join(char for char in record.text if char not in drop)
    return (text, tuple(record.goal), tuple(p.name for p in task.leaders),
            tuple(p.name for p in task.lead_units), tuple(p.name for p in task.coop_units))


def assert_same(reference: Document, original: Document, drop: str = "") -> None:
    """Role-exact: every task equal; every value the text inherits is merged in the original."""
    assert original.layout == "grid"
    assert [key(t, drop) for t in original.tasks] == [key(t, drop) for t in reference.tasks]
    for ref, got in zip(reference.tasks, original.tasks, strict=True):
        assert not set(got.record.inherited) & set(ASSIGNMENT_FIELDS), got.record.text
        for name in ASSIGNMENT_FIELDS:
            if name in ref.record.inherited and getattr(ref.record, name):
                assert name in got.record.merged, (name, got.record.text)
    assert any(set(got.record.merged) & set(ASSIGNMENT_FIELDS) for got in original.tasks) == any(
        name in ref.record.inherited and getattr(ref.record, name)
        for ref in reference.tasks for name in ASSIGNMENT_FIELDS)


WRITERS = {".docx": makers.write_docx, ".xlsx": makers.write_xlsx, ".html": makers.write_html}


@pytest.mark.parametrize("prefix", makers.TABCELL_SAMPLES)
@pytest.mark.parametrize("suffix", list(WRITERS))
def test_original_reads_like_the_text_export(prefix, suffix, documents, references, save):
    path = save(prefix, suffix, WRITERS[suffix](documents[prefix]))
    original = govkg.extract_document(path)
    assert original.format == suffix[1:]
    assert_same(references[prefix], original)


@pytest.mark.slow
@pytest.mark.parametrize("prefix", makers.TABCELL_SAMPLES)
def test_pdf_drawn_by_reportlab(prefix, documents, references, save):
    """An untagged PDF: merges from cell geometry, cells split by page breaks joined (reportlab prints their text
    again). The CID font has no glyph for U+0387 (a Greek ano teleia that 000 prints as a middle dot), so reportlab
    leaves it out and so does the comparison."""
    path = save(prefix, ".pdf", makers.write_pdf_reportlab(documents[prefix]))
    assert_same(references[prefix], govkg.extract_document(path), drop="\u0387")


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("prefix", makers.TABCELL_SAMPLES)
def test_pdf_exported_by_libreoffice(prefix, documents, references, save):
    """A tagged PDF exported from the .docx (as Word does by default): merges and page-split cells are facts."""
    path = save(prefix, ".pdf", makers.write_pdf_libreoffice(documents[prefix]))
    original = govkg.extract_document(path)
    assert original.format == "pdf"
    assert_same(references[prefix], original)
    pages = {original.locations[line].page for task in original.tasks for line in (task.record.span.first,)}
    assert len(pages) > 1


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize(("suffix", "fmt"), [(".xls", "xls"), (".doc", "doc"), (".wps", "wps"), (".et", "et")])
def test_legacy_formats(suffix, fmt, documents, references, save):
    """.xls (read by xlrd) and .doc / .wps / .et (converted by LibreOffice), written by LibreOffice from 003; a
    .wps or .et file here is a .doc or .xls under the WPS name (the OLE container tells no more)."""
    data = makers.write_xls(documents["003"]) if suffix in (".xls", ".et") else makers.write_doc(documents["003"])
    original = govkg.extract_document(save("003", suffix, data))
    assert original.format == fmt
    assert_same(references["003"], original)
