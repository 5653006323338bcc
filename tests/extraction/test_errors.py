"""Bad input: a one-line message naming the file, exit status 2, no output file; encodings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from govkg.cli import main
from sample_docs import sample_path

FIXTURES = Path(__file__).parent / "fixtures"


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "the file is empty"),
    (b"   \n\n  ", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP container"),
    (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
    (b"abc\x80\xff\xfe" * 50, "cannot decode"),
])
def test_unreadable_files(tmp_path, capsys, content, expected):
    document = tmp_path / "bad.txt"
    document.write_bytes(content)
    output = tmp_path / "out.jsonl"
    code, _, err = run(["extract", str(document), "-o", str(output)], capsys)
    assert code == 2
    assert expected in err and "bad.txt" in err
    assert len(err.strip().splitlines()) == 1
    assert not output.exists() and list(tmp_path.iterdir()) == [document]


def test_text_without_a_table(tmp_path, capsys):
    output = tmp_path / "out.jsonl"
    code, _, err = run(["extract", str(FIXTURES / "no_table.txt"), "-o", str(output)], capsys)
    assert code == 2 and "no_table.txt" in err and "no responsibility table" in err
    assert not output.exists()


def test_table_cut_off_after_its_header(tmp_path, capsys):
    output = tmp_path / "out.jsonl"
    code, _, err = run(["extract", str(FIXTURES / "header_only.txt"), "-o", str(output)], capsys)
    assert code == 2 and "header_only.txt:2" in err and "no rows" in err
    assert not output.exists()


def test_one_bad_file_among_good_ones_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    output = tmp_path / "out.jsonl"
    code, _, err = run(["extract", str(sample_path("000")), str(bad), "-o", str(output)], capsys)
    assert code == 2 and "empty.txt" in err
    assert not output.exists()


def test_missing_file(capsys):
    code, _, err = run(["extract", "no/such/file.txt"], capsys)
    assert code == 2 and "no/such/file.txt: no such file" in err


def test_malicious_strings_are_data(tmp_path, capsys):
    document = tmp_path / "evil.txt"
    evil = '<script>alert(1)</script>" onmouseover="x'
    document.write_text(f"\t序号\n\t工作标准\n\t牵头单位\n\n\t1\n\t（1）{evil}\n\t{evil}局\n\n", encoding="utf-8")
    code, out, _ = run(["extract", str(document)], capsys)
    assert code == 0
    record = json.loads(out)
    assert record["text"] == evil
    assert "".join(unit["text"] for unit in record["lead_units"]) == f"{evil}局".replace(" ", "")


def _jsonl(path: Path, capsys) -> list[dict]:
    code, out, _ = run(["extract", str(path)], capsys)
    assert code == 0
    return [json.loads(line) for line in out.splitlines()]


@pytest.mark.parametrize(("prefix", "encoding"), [
    ("002", "gbk"), ("000", "gb18030"), ("000", "utf-16"), ("003", "utf-8-sig")])
def test_other_encodings_extract_like_utf8(tmp_path, capsys, prefix, encoding):
    original = sample_path(prefix)
    copy = tmp_path / original.name
    copy.write_bytes(original.read_text(encoding="utf-8").encode(encoding))
    shutil.copy(original.with_suffix(".meta.toml"), copy.with_suffix(".meta.toml"))
    assert _jsonl(copy, capsys) == _jsonl(original, capsys)


def test_gbk_copy_of_a_flat_sample(tmp_path, capsys):
    original = sample_path("001")
    copy = tmp_path / original.name
    copy.write_bytes(original.read_text(encoding="utf-8").encode("gbk"))
    assert _jsonl(copy, capsys) == _jsonl(original, capsys)
