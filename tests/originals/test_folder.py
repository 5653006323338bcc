"""A folder mixing text exports and originals is read whole, each file by its content."""

from __future__ import annotations

import json
import shutil

import makers
import pytest

import govkg
from govkg.cli import main
from govkg.extract import expand_paths


@pytest.mark.slow
def test_a_folder_of_mixed_formats(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    for prefix in makers.TABCELL_SAMPLES:
        sample = makers.sample_path(prefix)
        shutil.copy(sample.with_suffix(".meta.toml"), folder / sample.with_suffix(".meta.toml").name)
    shutil.copy(makers.sample_path("000"), folder)
    stem = {prefix: makers.sample_path(prefix).stem for prefix in makers.TABCELL_SAMPLES}
    (folder / f"{stem['002']}.docx").write_bytes(makers.write_docx(makers.sample_document("002")))
    (folder / f"{stem['003']}.xlsx").write_bytes(makers.write_xlsx(makers.sample_document("003")))
    pdf = folder / "other" / f"{stem['000']}.pdf"
    html = folder / "other" / f"{stem['002']}.html"
    pdf.parent.mkdir()
    pdf.write_bytes(makers.write_pdf_reportlab(makers.sample_document("000")))
    html.write_bytes(makers.write_html(makers.sample_document("002")))
    for name in (f"{stem['000']}.meta.toml", f"{stem['002']}.meta.toml"):
        shutil.copy(folder / name, pdf.parent / name)
    (folder / "~$lock.docx").write_bytes(b"\0lock")
    documents = govkg.extract([folder, pdf.parent])
    assert sorted((d.format, len(d.tasks)) for d in documents) == [
        ("docx", 114), ("html", 114), ("pdf", 92), ("text", 92), ("xlsx", 87)]
    output = tmp_path / "all.jsonl"
    assert main(["extract", str(folder), "-o", str(output)]) == 0
    capsys.readouterr()
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert {row["doc"].rsplit(".", 1)[1] for row in rows} == {"txt", "docx", "xlsx"}


def test_folder_suffixes(tmp_path):
    for name in ("a.txt", "b.DOCX", "c.xls", "d.htm", "e.pdf", "f.et", "g.wps", "h.png", ".i.docx", "~$j.docx"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in expand_paths([tmp_path])] == ["a.txt", "b.DOCX", "c.xls", "d.htm", "e.pdf", "f.et",
                                                         "g.wps"]
