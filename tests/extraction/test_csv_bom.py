"""CSV with a UTF-8 byte-order mark by default (`--no-bom` drops it) and `--format xlsx`, for `govkg extract` and
the tables of `govkg network report`; the shared CSV and workbook writers of govkg.query.results."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from govkg.cli import main
from govkg.export import CSV_COLUMNS
from govkg.network.cli import main as network_main
from govkg.query.results import csv_text, write_workbook
from sample_docs import sample_path

BOM = b"\xef\xbb\xbf"
SAMPLE = str(sample_path("001"))


def test_csv_text_starts_with_a_byte_order_mark_only_when_asked():
    assert csv_text(("a", "b"), [[1, "住建局"], [None, "x,y"]], bom=True) == '\ufeffa,b\n1,住建局\n,"x,y"\n'
    assert csv_text(("a", "b"), [[1, "2"]], delimiter="\t") == "a\tb\n1\t2\n"


def test_extract_csv_has_a_bom_by_default_and_none_with_no_bom(tmp_path, capsys):
    with_bom, without = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["extract", SAMPLE, "--format", "csv", "-o", str(with_bom), "-q"]) == 0
    assert main(["extract", SAMPLE, "--format", "csv", "-o", str(without), "-q", "--no-bom"]) == 0
    data = with_bom.read_bytes()
    assert data.startswith(BOM + b"doc,table,") and data.count(BOM) == 1
    assert without.read_bytes() == data[len(BOM):]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(CSV_COLUMNS) and len(rows) == 1 + 116
    capsys.readouterr()
    assert main(["extract", SAMPLE, "--format", "csv", "-q"]) == 0  # stdout too
    assert capsys.readouterr().out.startswith("\ufeffdoc,table,")


def test_extract_xlsx_holds_the_csv_rows(tmp_path, capsys):
    table, book = tmp_path / "t.csv", tmp_path / "t.xlsx"
    assert main(["extract", SAMPLE, "--format", "csv", "-o", str(table), "-q", "--no-bom"]) == 0
    assert main(["extract", SAMPLE, "--format", "xlsx", "-o", str(book)]) == 0
    assert "116 records from 1 document written to" in capsys.readouterr().err
    sheet = load_workbook(book).active
    values = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    with table.open(encoding="utf-8", newline="") as stream:
        assert values == list(csv.reader(stream))
    assert sheet.title == "tasks" and sheet.freeze_panes == "A2"
    first = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert first[CSV_COLUMNS.index("row_no")] == 1  # numbers stay numbers


def test_extract_xlsx_needs_an_output_file(tmp_path, capsys):
    assert main(["extract", SAMPLE, "--format", "xlsx"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "-o FILE" in err and err.count("\n") == 1


def test_network_report_csv_bom_no_bom_and_xlsx(built, tmp_path, capsys):
    filters = ["--store", str(built), "--issuer", "钟楼区", "--year", "2021"]
    assert network_main(["report", *filters, "--out", str(tmp_path / "bom")]) == 0
    assert network_main(["report", *filters, "--no-bom", "--out", str(tmp_path / "plain")]) == 0
    assert network_main(["report", *filters, "--format", "xlsx", "--out", str(tmp_path / "book")]) == 0
    capsys.readouterr()
    for name in ("nodes", "edges", "communities"):
        data = (tmp_path / "bom" / f"{name}.csv").read_bytes()
        assert data.startswith(BOM) and (tmp_path / "plain" / f"{name}.csv").read_bytes() == data[len(BOM):]
    assert sorted(p.name for p in (tmp_path / "book").iterdir()) == [
        "communities.xlsx", "edges.xlsx", "nodes.xlsx", "summary.html", "summary.md"]
    with (tmp_path / "plain" / "nodes.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    sheet = load_workbook(tmp_path / "book" / "nodes.xlsx").active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == rows[0] and len(values) == len(rows) == 37
    science = next(row for row in values if row[rows[0].index("name")] == "科技局")
    assert science[rows[0].index("workload")] == 8 and science[rows[0].index("unit_type")] == "bureau"


def test_workbook_widths_and_wrapped_columns(tmp_path):
    path = tmp_path / "w.xlsx"
    write_workbook(path, ("year", "statement", "note"), [[2021, "完成老旧小区改造20个。", None]], title="t",
                   widths={"statement": 60}, wrap=("statement",))
    sheet = load_workbook(path).active
    assert sheet.title == "t" and sheet.column_dimensions["B"].width == 60
    assert sheet.column_dimensions["A"].width == 8  # fitted: at least 8
    assert sheet["B2"].alignment.wrap_text and not sheet["A2"].alignment.wrap_text
    assert [c.value for c in sheet[2]] == [2021, "完成老旧小区改造20个。", None] and sheet["A1"].font.bold
