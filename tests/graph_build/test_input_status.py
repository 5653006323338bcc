"""A rebuild tells unchanged documents by their file status and reads only the others (govkg.inputs)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

import govkg
from govkg import inputs

DOCUMENTS = ("000", "002")


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names of the files the build reads to hash them."""
    seen: list[str] = []
    real = inputs.read_file

    def counted(path, **options):
        seen.append(Path(path).name)
        return real(path, **options)

    monkeypatch.setattr(inputs, "read_file", counted)
    return seen


def _document(source: Path, key: str) -> Path:
    return next(source.glob(f"{key}_*.txt"))


def _record(out: Path, document: Path) -> dict:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return manifest["documents"][str(document.resolve())]


def test_unchanged_files_are_not_read_again(source, tmp_path, reads, monkeypatch):
    monkeypatch.setattr(inputs, "RACY_NS", 0)  # the files were written just before the first build
    out = tmp_path / "out"
    govkg.build([source], out)
    assert sorted(reads) == sorted(p.name for p in source.iterdir())  # both documents and their sidecars
    reads.clear()
    again = govkg.build([source], out)
    assert again.store_update == "unchanged" and again.tasks > 0
    assert reads == []


def test_a_change_keeping_size_and_modification_time_is_seen(source, tmp_path, reads, monkeypatch):
    monkeypatch.setattr(inputs, "RACY_NS", 0)
    out = tmp_path / "out"
    govkg.build([source], out)
    document = _document(source, DOCUMENTS[1])
    before = document.stat()
    text = document.read_text(encoding="utf-8")
    assert "住建局" in text
    document.write_text(text.replace("住建局", "住房局", 1), encoding="utf-8")  # as many bytes
    os.utime(document, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = document.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    reads.clear()
    result = govkg.build([source], out)
    assert result.rebuilt == [document.name]
    assert document.name in reads
    assert govkg.query("q01", store=out, unit="住房局") or govkg.query("q02", store=out, unit="住房局")


def test_files_changed_shortly_before_the_previous_build_read_them_are_read_again(source, tmp_path, reads):
    out = tmp_path / "out"
    govkg.build([source], out)
    # The previous build read its inputs within RACY_NS of their last change: a change in the same clock tick as
    # that reading would have left the same status, so their status does not vouch for them.
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    changed_last = max(p.stat().st_ctime_ns for p in source.iterdir())
    manifest["inputs_read_ns"] = changed_last + inputs.RACY_NS // 2
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    reads.clear()
    again = govkg.build([source], out)
    assert again.store_update == "unchanged"
    assert sorted(reads) == sorted(p.name for p in source.iterdir())


def test_a_touched_file_is_read_once_and_its_new_status_recorded(source, tmp_path, reads, monkeypatch):
    monkeypatch.setattr(inputs, "RACY_NS", 0)
    out = tmp_path / "out"
    govkg.build([source], out)
    document = _document(source, DOCUMENTS[0])
    old_status = _record(out, document)["status"]
    os.utime(document, ns=(document.stat().st_atime_ns, document.stat().st_mtime_ns + 10**9))
    reads.clear()
    touched = govkg.build([source], out)
    assert touched.store_update == "unchanged" and not touched.rebuilt
    # its content (and its sidecar's) hashed again: the same as recorded
    assert sorted(reads) == [document.name.replace(".txt", ".meta.toml"), document.name]
    assert _record(out, document)["status"] == inputs.file_status(str(document)) != old_status
    reads.clear()
    govkg.build([source], out)
    assert reads == []


def test_a_documents_sidecar_is_found_beside_it_under_either_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    for name, text in {"a.txt": "a", "a.meta.toml": "x = 1", "sub/b.txt": "b", "sub/b.txt.meta.toml": "x = 2",
                       "c.txt": "c", "c.txt.meta.toml": "x = 3"}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    reader = inputs.InputReader({}, 1000, 0)
    found = {str(path): reader.read(path) for path in (Path("a.txt"), Path("sub/b.txt"), tmp_path / "c.txt")}
    assert {path: item.sidecar for path, item in found.items()} == {
        "a.txt": "a.meta.toml", "sub/b.txt": "sub/b.txt.meta.toml",
        str(tmp_path / "c.txt"): str(tmp_path / "c.txt.meta.toml")}
    assert found["sub/b.txt"].key == str((tmp_path / "sub" / "b.txt").resolve())
    assert found["a.txt"].sidecar_sha256 == hashlib.sha256(b"x = 1").hexdigest()
