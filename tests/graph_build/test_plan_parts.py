"""Two documents of one issuer and year: an error unless a sidecar's `part` says how they differ; a published
plan's IRI never changes because another document appears beside it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import govkg
from govkg.build import _Entry, _plan_keys
from govkg.cli import main
from govkg.model import InputError, Issuer
from sample_docs import sample_path

ID = "https://w3id.org/govkg/id/"
MAIN, OTHER = "main.txt", "livelihood.txt"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A folder with the 2021 plan of 钟楼区 (sample 000) built into tmp_path/out."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(sample_path("000"), folder / MAIN)
    shutil.copy(sample_path("000").with_suffix(".meta.toml"), folder / "main.meta.toml")
    govkg.build([folder], tmp_path / "out")
    return folder


def _add_second(docs: Path, sidecar: str) -> None:
    """A second 2021 document of 钟楼区 (sample 000 with one statement changed)."""
    text = (docs / MAIN).read_text(encoding="utf-8")
    changed = text.replace("。", "！", 1)
    assert changed != text
    (docs / OTHER).write_text(changed, encoding="utf-8")
    (docs / "livelihood.meta.toml").write_text(sidecar, encoding="utf-8")


def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out.parent)): p.read_bytes() for p in sorted(out.parent.rglob("*"))
            if p.is_file() and "docs" not in p.parts}


def test_same_issuer_and_year_is_an_error_and_nothing_is_written(docs: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = docs.parent / "out"
    before = _snapshot(out)
    _add_second(docs, 'issuer = "钟楼区"\n')
    with pytest.raises(InputError, match="plan key") as caught:
        govkg.build([docs], out)
    assert MAIN in str(caught.value) and OTHER in str(caught.value)
    assert main(["build", str(docs), "--out", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and MAIN in err and OTHER in err and 'part = "' in err and "Traceback" not in err
    assert _snapshot(out) == before  # the previous build intact, nothing left beside it
    assert sorted(p.name for p in out.parent.iterdir()) == ["docs", "out"]


def test_a_part_keeps_the_main_plan_where_it_was(docs: Path) -> None:
    out = docs.parent / "out"
    main_graph = (out / "graphs" / "320404_2021.nq").read_bytes()
    _add_second(docs, 'issuer = "钟楼区"\npart = "民生实事"\n')
    result = govkg.build([docs], out)
    assert result.reused == [MAIN] and result.rebuilt == [OTHER]
    assert (out / "graphs" / "320404_2021.nq").read_bytes() == main_graph
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]
    records = {Path(path).name: record for path, record in manifest.items()}
    assert records[MAIN]["graph"] == f"{ID}graph/plan/320404/2021" and records[MAIN]["part"] is None
    assert records[OTHER]["graph"] == f"{ID}graph/plan/320404/2021-民生实事"
    assert (records[OTHER]["plan_key"], records[OTHER]["part"]) == ("2021-民生实事", "民生实事")
    nquads = (out / "dataset.nq").read_text(encoding="utf-8")
    assert f"<{ID}plan/320404/2021> " in nquads and f"<{ID}plan/320404/2021-民生实事> " in nquads
    assert (out / "graphs" / "320404_2021-民生实事.nq").is_file()


def test_a_part_with_spaces_and_latin_letters_is_percent_encoded(docs: Path) -> None:
    _add_second(docs, 'issuer = "钟楼区"\npart = " Annex B "\n')
    govkg.build([docs], docs.parent / "out")
    manifest = json.loads((docs.parent / "out" / "manifest.json").read_text(encoding="utf-8"))["documents"]
    graphs = sorted(record["graph"] for record in manifest.values())
    assert graphs == [f"{ID}graph/plan/320404/2021", f"{ID}graph/plan/320404/2021-Annex%20B"]


def test_the_same_part_twice_is_an_error(docs: Path) -> None:
    (docs / "main.meta.toml").write_text('issuer = "钟楼区"\npart = "民生实事"\n', encoding="utf-8")
    _add_second(docs, 'issuer = "钟楼区"\npart = "民生实事"\n')
    with pytest.raises(InputError, match="2021-民生实事"):
        govkg.build([docs], docs.parent / "out")


def _entry(path: str, year: int | None, report: str | None = None, part: str | None = None) -> _Entry:
    """A document of 钟楼区 as the build sees it before its plan key is given."""
    entry = _Entry(Path(path), "0" * 64, None, Issuer("钟楼区", "320404", "钟楼"), year, 0, [], report=report)
    entry.part = part
    return entry


def test_plan_keys() -> None:
    entries = [_entry("a/plan.txt", 2021), _entry("a/q2.txt", 2021, "2021-06-30"),
               _entry("a/q2-extra.txt", 2021, "2021-06-30", "民生实事"), _entry("a/extra.txt", 2021, None, "民生实事"),
               _entry("a/undated.txt", None), _entry("a/undated-report.txt", None, "2021-Q3", "x")]
    _plan_keys(entries)
    assert [e.plan_key for e in entries] == ["2021", "2021-report-2021-06-30", "2021-report-2021-06-30-民生实事",
                                             "2021-民生实事", "undated", "report-2021-Q3-undated-report-x"]


@pytest.mark.parametrize(("first", "second"), [
    (("a/x.txt", None), ("b/x.txt", None)),            # no year, the same file stem in two folders
    (("a/2021.txt", None), ("a/plan.txt", 2021)),       # a stem that reads like the year
    (("a/q3.txt", 2021, "2021-Q3"), ("b/q3b.txt", 2021, "2021-Q3")),  # two reports on one period
])
def test_ambiguous_keys_are_refused(first: tuple, second: tuple) -> None:
    with pytest.raises(InputError, match='add part = "…"') as caught:
        _plan_keys([_entry(*first), _entry(*second)])
    assert first[0] in str(caught.value) and second[0] in str(caught.value)


def test_an_undated_document_given_under_another_name_is_keyed_by_it_and_read_again(tmp_path: Path) -> None:
    # mini.txt's title without its year: the plan is keyed by the name the document is given under
    text = (Path(__file__).resolve().parents[1] / "rdf" / "fixtures" / "mini.txt").read_text(encoding="utf-8")
    assert "2024年《政府工作报告》" in text
    target = tmp_path / "stored" / "plan.txt"
    target.parent.mkdir()
    target.write_text(text.replace("2024年《政府工作报告》", "《政府工作报告》"), encoding="utf-8")
    folder, out = tmp_path / "docs", tmp_path / "out"
    folder.mkdir()
    (folder / "甲.txt").symlink_to(target)
    first = govkg.build([folder], out, issuer="钟楼区")
    # its leaders' posts have no year either: a warning, as for the plan, not a violation refusing the build
    shapes = {(f.shape or "").rsplit("#", 1)[-1] for f in first.report.findings}
    assert {"WorkPlan-year-warning", "Post-year-warning"} <= shapes and not first.report.violations
    (record,) = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"].values()
    assert record["year"] is None and record["plan_key"] == "甲" and record["graph"] == ID + "graph/plan/320404/甲"
    (folder / "甲.txt").rename(folder / "乙.txt")  # the same file (its key, the resolved path) under a new name
    result = govkg.build([folder], out, issuer="钟楼区")
    assert result.rebuilt == ["乙.txt"]
    (record,) = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"].values()
    assert record["plan_key"] == "乙" and record["graph"] == ID + "graph/plan/320404/乙"
    assert result.removed == ["甲.txt"]
