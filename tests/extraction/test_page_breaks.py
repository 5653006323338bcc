"""Page furniture repeated by an export (page numbers, titles, header rows) is not content."""

from __future__ import annotations

import json

from govkg.cli import main
from sample_docs import sample_path


def _records(path, capsys):
    assert main(["extract", str(path), "--issuer", "钟楼区", "--year", "2021"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def _without_lines(records):
    for record in records:
        record.pop("source"), record.pop("fields"), record.pop("doc")
    return records


def test_flat_text_with_page_breaks(tmp_path, capsys):
    lines = sample_path("004").read_text(encoding="utf-8").split("\n")
    # After line 100, as pdftotext prints a page break: form feed, page number, title, column names.
    repeat = ["\f", "— 5 —", lines[8], *lines[9:16]]
    copy = tmp_path / "paged.txt"
    copy.write_text("\n".join(lines[:100] + repeat + lines[100:]), encoding="utf-8")
    assert _without_lines(_records(copy, capsys)) == _without_lines(_records(sample_path("004"), capsys))


def test_tabcell_header_row_repeated(tmp_path, capsys):
    lines = sample_path("000").read_text(encoding="utf-8").split("\n")
    header = lines[2:10]  # the header row, lines 3–9, and its blank line
    copy = tmp_path / "paged.txt"
    copy.write_text("\n".join(lines[:437] + header + lines[437:]), encoding="utf-8")  # before row (47)
    assert _without_lines(_records(copy, capsys)) == _without_lines(_records(sample_path("000"), capsys))
