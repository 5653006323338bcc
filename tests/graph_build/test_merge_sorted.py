"""dataset.nq is merged from the sorted graph files without holding them in memory (issue 14, part 4)."""

from __future__ import annotations

import hashlib
import random

from govkg import fileio


def test_merge_in_several_passes_equals_sorting_everything(tmp_path, monkeypatch):
    monkeypatch.setattr(fileio, "MERGE_FAN_IN", 3)  # 7 files: two passes
    randomly = random.Random(7)
    every: list[str] = []
    parts = []
    for index in range(7):
        lines = sorted({f"<urn:s{randomly.randrange(500)}> <urn:p> \"值{randomly.randrange(9)}\" <urn:g{index % 3}> ."
                        for _ in range(200)})
        every += lines
        path = tmp_path / f"part{index}.nq"
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        parts.append(path)
    (tmp_path / "empty.nq").write_text("", encoding="utf-8")
    parts.append(tmp_path / "empty.nq")
    expected = "".join(line + "\n" for line in sorted(set(every)))
    count, digest = fileio.merge_sorted(parts, tmp_path / "dataset.nq", tmp_path / "runs")
    assert (tmp_path / "dataset.nq").read_text(encoding="utf-8") == expected
    assert count == len(set(every)) < len(every)  # the same quad in two graph files is written once
    assert digest == hashlib.sha256(expected.encode("utf-8")).hexdigest()
    assert not (tmp_path / "runs").exists()
