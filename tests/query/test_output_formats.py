"""CSV for spreadsheets (UTF-8 byte-order mark unless --no-bom) and XLSX from `govkg query` and `govkg sparql`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from govkg.query.backends import Results, Value
from govkg.query.results import BOM, render

BOM_BYTES = b"\xef\xbb\xbf"
UNITS = ("SELECT ?label (COUNT(?task) AS ?tasks) WHERE { ?u a <https://w3id.org/govkg/ontology#Unit> ; "
         "<http://www.w3.org/2000/01/rdf-schema#label> ?label . ?task <https://w3id.org/govkg/ontology#leadUnit> ?u "
         "FILTER(?label = \"住建局\"@zh) } GROUP BY ?label")


def govkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govkg", *args], check=False, capture_output=True,
                          timeout=120)


def q01(built, *extra: str) -> subprocess.CompletedProcess:
    return govkg("query", "q01", "--param", "unit=住建局", "--issuer", "钟楼区", "--year", "2022",
                 "--store", str(built), *extra)


def test_query_csv_starts_with_a_bom_unless_no_bom(built):
    with_bom = q01(built, "--format", "csv")
    assert with_bom.returncode == 0, with_bom.stderr.decode()
    assert with_bom.stdout.startswith(BOM_BYTES + b"issuer,year,task,")
    without = q01(built, "--format", "csv", "--no-bom")
    assert without.stdout == with_bom.stdout[len(BOM_BYTES):]
    # the three 钟楼区 2022 tasks 住建局 cooperates on
    assert without.stdout.decode("utf-8").count("/plan/320404/2022/main/") == 3


def test_query_xlsx_opens_with_the_header_and_rows(built, tmp_path):
    target = tmp_path / "q01.xlsx"
    done = q01(built, "--format", "xlsx", "-o", str(target))
    assert done.returncode == 0, done.stderr.decode()
    assert "3 rows written" in done.stderr.decode()
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("issuer", "year", "task", "number", "text")
    assert len(rows) == 4
    first = rows[1]
    assert first[0] == "常州市钟楼区" and first[1] == 2022  # a gYear literal is a number in the sheet
    assert first[2] == "https://w3id.org/govkg/id/plan/320404/2022/main/2"


def test_xlsx_needs_a_file(built):
    done = q01(built, "--format", "xlsx")
    assert done.returncode == 2 and b"-o FILE.xlsx" in done.stderr


def test_sparql_csv_and_xlsx(built, tmp_path):
    csv_out = govkg("sparql", UNITS, "--store", str(built), "--format", "csv")
    assert csv_out.returncode == 0, csv_out.stderr.decode()
    assert csv_out.stdout.startswith(BOM_BYTES)
    lines = csv_out.stdout[len(BOM_BYTES):].decode("utf-8").splitlines()
    assert lines[0] == "label,tasks" and lines[1].startswith("住建局,")
    target = tmp_path / "units.xlsx"
    assert govkg("sparql", UNITS, "--store", str(built), "--format", "xlsx", "-o", str(target)).returncode == 0
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0] == ("label", "tasks")
    assert rows[1][0] == "住建局" and rows[1][1] == int(lines[1].split(",")[1])  # an integer cell


def test_track_shares_the_output_options(built, tmp_path):
    target = tmp_path / "track.xlsx"
    done = govkg("track", "--unit", "住建局", "--issuer", "钟楼区", "--store", str(built), "--format", "xlsx",
                 "-o", str(target))
    assert done.returncode == 0, done.stderr.decode()
    assert load_workbook(target).active.cell(1, 1).value == "issuer"
    csv_out = govkg("track", "--unit", "住建局", "--issuer", "钟楼区", "--store", str(built), "--format", "csv",
                    "--no-bom")
    assert csv_out.returncode == 0 and csv_out.stdout.startswith(b"issuer,")


@pytest.mark.parametrize(("fmt", "bom", "starts"), [("csv", True, BOM + "n\n"), ("csv", False, "n\n"),
                                                     ("tsv", True, "n\n")])
def test_render_adds_the_bom_to_csv_only(fmt, bom, starts):
    results = Results(variables=["n"], rows=[{"n": Value("literal", "1")}])
    assert render(results, fmt, bom=bom).startswith(starts)


def _pages(*sizes: int) -> list[Results]:
    """Pages of a national answer: `sizes` rows each, numbered on from page to page."""
    pages, number = [], 0
    for size in sizes:
        rows = []
        for _ in range(size):
            number += 1
            rows.append({"issuer": Value("literal", f"常州市{number:02d}区", lang="zh"),
                         "tasks": Value("literal", str(number), "http://www.w3.org/2001/XMLSchema#integer")})
        pages.append(Results(variables=["issuer", "tasks"], rows=rows))
    return pages


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "table"])
def test_pages_written_as_they_come_read_as_the_whole_answer(fmt):
    from govkg.query.results import render_pages

    pages = _pages(2, 0, 3)
    whole = Results(variables=["issuer", "tasks"], rows=[row for page in pages for row in page.rows])
    pieces = list(render_pages(pages, fmt, bom=True))
    assert len(pieces) >= len(pages)  # a piece per page at least, written before the next page is asked
    assert "".join(pieces) == render(whole, fmt, bom=True) if fmt != "json" else \
        json.loads("".join(pieces)) == json.loads(render(whole, fmt))


@pytest.mark.parametrize(("fmt", "text"), [
    ("csv", BOM + "issuer,tasks\n"), ("tsv", "issuer\ttasks\n"), ("table", "issuer tasks\n------ -----\n(0 rows)\n")])
def test_pages_without_rows(fmt, text):
    from govkg.query.results import render_pages

    assert "".join(render_pages(_pages(0, 0), fmt, bom=True)) == text
    assert json.loads("".join(render_pages(_pages(0), "json"))) == {"head": {"vars": ["issuer", "tasks"]},
                                                                   "results": {"bindings": []}}
