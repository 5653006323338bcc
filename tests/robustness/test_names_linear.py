"""The run-together name splitter works in linear time (a 1.28 MB line of names used to take 71 s)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from govkg import names
from govkg.lexicon import load_lexicon

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


def _calls(monkeypatch: pytest.MonkeyPatch, form: str, lex) -> tuple[list[str], int]:
    """The split of a form and how many characters `looks_like_unit` was asked about in all."""
    seen = [0]
    real = names.looks_like_unit

    def counting(text: str, lexicon) -> bool:
        seen[0] += len(text)
        return real(text, lexicon)

    monkeypatch.setattr(names, "looks_like_unit", counting)
    return names._split_run_together(form, lex), seen[0]


def test_split_still_splits(lex) -> None:
    assert names._split_run_together("自然资源和规划分局生态环境局", lex) == ["自然资源和规划分局", "生态环境局"]
    assert [p.form for p in names.split_units("区发改委区财政局", lex)] == ["区发改委", "区财政局"]


def test_work_does_not_grow_with_the_length(monkeypatch: pytest.MonkeyPatch, lex) -> None:
    """Before: every cut of the form was tried, each looking at the whole rest (quadratic)."""
    small = "区发改委区财政局" * 10
    large = "区发改委区财政局" * 10_000
    small_parts, small_work = _calls(monkeypatch, small, lex)
    large_parts, large_work = _calls(monkeypatch, large, lex)
    assert large_parts[-1] == small_parts[-1] == "区财政局"
    assert large_work <= small_work + 100  # only cuts within a unit name's length of the end are tried


def test_one_megabyte_line_of_names_in_a_subprocess(tmp_path: Path) -> None:
    """A 1 MB cell of unit names run together, and one separated by 、, through the whole extraction."""
    run_together = "区发改委区财政局" * (1_000_000 // 24)
    separated = "区发改委、区财政局、" * (1_000_000 // 30)
    doc = tmp_path / "big.txt"
    doc.write_text("序号\t工作任务\t牵头单位\t责任单位\n"
                   f"1\t新建公园2个。\t区住建局\t{run_together}\n"
                   f"2\t新建道路1条。\t区交通局\t{separated}\n", encoding="utf-8")
    code = ("import sys, govkg; d = govkg.extract_document(sys.argv[1], issuer='钟楼区', year=2021); "
            "print(len(d.tasks))")
    result = subprocess.run([sys.executable, "-c", code, str(doc)], capture_output=True, check=False, timeout=20,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert result.stdout.strip() == b"2"
