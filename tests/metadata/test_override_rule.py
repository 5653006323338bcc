"""--issuer / --year fill in only what a document leaves unstated: a document's own issuer or year (its sidecar, else
its text) wins, and a differing option is a warning naming the document and both values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import govkg
from govkg.cli import main

MINI = Path(__file__).parents[1] / "rdf" / "fixtures" / "mini.txt"  # prints 2024 in its title, no issuer


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two documents: stated.txt with a sidecar naming 武进区 (and the printed year 2024), bare.txt stating nothing."""
    text = MINI.read_text(encoding="utf-8")
    assert "2024年" in text
    (tmp_path / "stated.txt").write_text(text, encoding="utf-8")
    (tmp_path / "stated.meta.toml").write_text('issuer = "武进区"\n', encoding="utf-8")
    (tmp_path / "bare.txt").write_text(text.replace("2024年", ""), encoding="utf-8")
    return tmp_path


def warnings_of(document) -> list[str]:
    return [str(d) for d in document.diagnostics]


def test_sidecar_issuer_wins_over_a_conflicting_option_with_a_warning(folder):
    document = govkg.extract_document(folder / "stated.txt", issuer="钟楼区")
    assert (document.issuer.code, document.meta_origin["issuer"]) == ("320412", "sidecar")
    (warning,) = [w for w in warnings_of(document) if "--issuer" in w]
    assert warning.startswith("stated.txt: its sidecar stated.meta.toml says issuer '武进区', --issuer says '钟楼区'")
    assert "using the sidecar's" in warning


def test_printed_year_wins_over_a_conflicting_option_with_a_warning(folder):
    document = govkg.extract_document(folder / "stated.txt", year=2020)
    assert (document.year, document.meta_origin["year"]) == (2024, "read")
    (warning,) = [w for w in warnings_of(document) if "--year" in w]
    assert "the document says year 2024, --year says 2020; using the document's" in warning
    assert warning.startswith("stated.txt:")


def test_a_document_stating_nothing_takes_the_options(folder):
    document = govkg.extract_document(folder / "bare.txt", issuer="钟楼区", year=2020)
    assert (document.issuer.code, document.year) == ("320404", 2020)
    assert (document.meta_origin["issuer"], document.meta_origin["year"]) == ("option", "option")
    assert not [w for w in warnings_of(document) if "--issuer" in w or "--year" in w or "not stated" in w]


def test_agreeing_options_are_no_conflict(folder):
    document = govkg.extract_document(folder / "stated.txt", issuer="常州市武进区", year=2024)
    assert (document.issuer.code, document.year) == ("320412", 2024)
    assert not [w for w in warnings_of(document) if "--issuer" in w or "--year" in w]


def test_extract_on_a_folder_applies_the_options_per_document_and_prints_the_warnings(folder, capsys):
    assert main(["extract", str(folder), "--issuer", "钟楼区", "--year", "2020", "--quiet"]) == 0
    captured = capsys.readouterr()
    years = {(record["doc"], record["issuer_code"], record["year"])
             for record in map(json.loads, captured.out.splitlines())}
    assert years == {("bare.txt", "320404", 2020), ("stated.txt", "320412", 2024)}
    assert "stated.txt: its sidecar stated.meta.toml says issuer '武进区', --issuer says '钟楼区'" in captured.err
    assert "the document says year 2024, --year says 2020" in captured.err
    assert "bare.txt" not in captured.err


def test_help_states_the_rule(capsys):
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "only for documents that state no issuer" in help_text
