"""`govkg extract`: formats, options and the per-document summary."""

from __future__ import annotations

import csv
import io
import json

import pytest

from govkg.cli import main
from govkg.textutil import display_width
from sample_docs import sample_path


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_jsonl_record_fields(capsys):
    code, out, err = run(["extract", str(sample_path("000"))], capsys)
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 92
    first = records[0]
    assert first["doc"] == "000_8726cfd2ff1c199e.txt" and first["table"] == "main"
    assert (first["row_no"], first["task_no"], first["goal"]) == (1, "1", ["主要预期目标"])
    assert first["text"] == "地区生产总值增长6.5%左右。"
    assert first["leaders"] == [{"text": "韩雪琴", "name": "韩雪琴", "kind": "person"}]
    assert first["lead_units"] == [{"text": "发改局", "name": "发改局", "kind": "unit", "type": "bureau"}]
    assert first["coop_units"][2] == {"text": "各街道", "name": "各街道", "kind": "group"}
    assert first["source"] == {"file": "000_8726cfd2ff1c199e.txt", "lines": [11, 19]}
    assert (first["issuer"], first["issuer_code"], first["year"]) == ("常州市钟楼区", "320404", 2021)
    assert first["role_certain"] is True
    assert records[1]["inherited"] == ["goal", "coop_units"]
    assert records[1]["fields"]["coop_units"] == {"lines": [16, 19], "inherited": True}
    assert "supplied by the sidecar file" in err and "92 main tasks" in err


def test_csv_flattens_lists(capsys):
    code, out, _ = run(["extract", str(sample_path("000")), "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["coop_units"] == "经开区、高新区（邹区镇）、各街道"
    assert rows[9]["goal"] == "提升发展内生动力 > 激发创新活力"
    assert (rows[0]["first_line"], rows[0]["last_line"]) == ("11", "19")


def test_table_columns_align_with_wide_characters(capsys):
    code, out, _ = run(["extract", str(sample_path("003")), "--format", "table"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 88
    text_column = display_width(lines[0].split("text")[0])
    for line in lines[1:]:
        prefix = ""
        for char in line:
            if display_width(prefix) >= text_column:
                break
            prefix += char
        assert display_width(prefix) == text_column


def test_no_inherit_keeps_merged_cells_empty(capsys):
    code, out, _ = run(["extract", str(sample_path("000")), "--no-inherit"], capsys)
    assert code == 0
    record = [json.loads(line) for line in out.splitlines()][13]
    assert record["task_no"] == "14"
    assert record["coop_units"] == [] and record["inherited"] == ["goal"]


def test_strict_turns_warnings_into_errors(tmp_path, capsys):
    output = tmp_path / "out.jsonl"
    code, _, err = run(["extract", str(sample_path("002")), "--strict", "-o", str(output)], capsys)
    assert code == 2 and "002_f805794b5a88dfe4.txt:815" in err and "--strict" in err
    assert not output.exists()


def test_supplied_issuer_does_not_override_the_document_and_warns(capsys):
    code, out, err = run(["extract", str(sample_path("001")), "--issuer", "武进区"], capsys)
    assert code == 0
    assert json.loads(out.splitlines()[0])["issuer_code"] == "320404"
    assert "001_087f41aba7939677.txt:5: the document says issuer '常州市钟楼区', --issuer says '武进区'" in err


def test_missing_issuer_is_a_warning_with_the_sidecar_name(tmp_path, capsys):
    document = tmp_path / "doc.txt"
    document.write_bytes(sample_path("002").read_bytes())
    code, out, err = run(["extract", str(document), "--quiet"], capsys)
    assert code == 0 and len(out.splitlines()) == 114
    assert "issuer not stated" in err and "doc.meta.toml" in err
    (tmp_path / "doc.meta.toml").write_text('issuer = "武进区"\nyear = 2018\n', encoding="utf-8")
    code, out, err = run(["extract", str(document), "--quiet"], capsys)
    assert json.loads(out.splitlines()[0])["year"] == 2018 and "issuer not stated" not in err


def test_bad_sidecar_is_an_input_error(tmp_path, capsys):
    document = tmp_path / "doc.txt"
    document.write_bytes(sample_path("002").read_bytes())
    (tmp_path / "doc.meta.toml").write_text('year = "twenty"\n', encoding="utf-8")
    code, _, err = run(["extract", str(document)], capsys)
    assert code == 2 and "doc.meta.toml" in err and "year must be int" in err


def test_output_file(tmp_path, capsys):
    output = tmp_path / "sub" / "tasks.jsonl"
    code, out, err = run(["extract", str(sample_path("004")), "-o", str(output)], capsys)
    assert code == 0 and out == ""
    assert len(output.read_text(encoding="utf-8").splitlines()) == 107
    assert f"written to {output}" in err


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["extract", "--help"])
    assert stop.value.code == 0
    assert "examples:" in capsys.readouterr().out
