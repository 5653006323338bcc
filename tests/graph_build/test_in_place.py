"""A rebuild keeping the dumps as shares updates its folder in place (govkg.inplace): new files under generation
names, the manifest as the commit, the old files removed; a killed update is finished or undone by the next."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as oxi
import pytest

import govkg
from govkg import inplace
from govkg.model import InputError

build_module = importlib.import_module("govkg.build")  # the module (govkg.build is also the function)

DOCUMENTS = ("000", "002")
OLD_NAME, NEW_NAME = "住建局", "住房城乡建设局"


def _changed(source: Path) -> Path:
    return next(source.glob(f"{DOCUMENTS[1]}_*.txt"))


def _rename_unit(source: Path) -> None:
    """Rename a unit in the second document (the change every test makes)."""
    document = _changed(source)
    text = document.read_text(encoding="utf-8")
    assert OLD_NAME in text and NEW_NAME not in text
    document.write_text(text.replace(OLD_NAME, NEW_NAME, 1), encoding="utf-8")


def _files(out: Path) -> dict[str, int]:
    """Every file of the build folder (the store's excepted), with its inode."""
    found = {}
    for path in out.rglob("*"):
        relative = path.relative_to(out).as_posix()
        if path.is_file() and not path.is_symlink() and not relative.startswith(("store", ".store")):
            found[relative] = path.stat().st_ino
    return found


def _quads(out: Path) -> list[str]:
    return sorted(str(quad) for quad in oxi.Store.read_only(str(out / "store")))


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _consistent(out: Path) -> None:
    """The folder holds exactly the files its manifest names, one store, and no journal."""
    manifest = _manifest(out)
    named = build_module.manifest_files(manifest)
    for folder in inplace.FILE_FOLDERS:
        for path in (out / folder).iterdir():
            if path.is_file():
                assert f"{folder}/{path.name}" in named, path
    assert not (out / inplace.JOURNAL).exists()
    stores = sorted(path.name for path in out.glob(".store@*"))
    assert stores == ([manifest["store"]] if manifest["store"] != "store" else [])
    if manifest["store"] != "store":
        assert os.readlink(out / "store") == manifest["store"]


def test_a_changed_document_is_updated_in_place(source, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    govkg.build([source], out, dumps="shares")
    folder = out.stat().st_ino
    before = _files(out)
    _rename_unit(source)
    result = govkg.build([source], out, dumps="shares")
    govkg.build([source], fresh, dumps="shares")
    assert result.rebuilt == [_changed(source).name] and result.store_update == "incremental"
    assert out.stat().st_ino == folder  # the same folder, not one built beside it and switched in
    manifest = _manifest(out)
    generation = manifest["generation"]
    assert generation >= 1 and manifest["store"] == f".store@{generation}"
    after = _files(out)
    changed = manifest["documents"][str(_changed(source).resolve())]
    assert changed["graph_file"].endswith(f"@{generation}.nq") and changed["graph_file"] not in before
    unchanged = next(r for r in manifest["documents"].values() if r is not changed)
    assert after[unchanged["graph_file"]] == before[unchanged["graph_file"]]  # untouched, the same file
    assert not any(name.endswith(f"@{generation}.nq") for name in before)
    _consistent(out)
    assert len(after) == len(_files(fresh))  # no file more than a build from scratch has
    assert _quads(out) == _quads(fresh)
    for name in ("dataset.nq", "dataset.trig"):
        assert b"".join(govkg.dumps.dump_chunks(out, name)) == b"".join(govkg.dumps.dump_chunks(fresh, name))
    assert govkg.query("q01", store=out, unit=NEW_NAME) or govkg.query("q02", store=out, unit=NEW_NAME)
    # the report in place, of every document as a build from scratch gives it (not only of the one rebuilt)
    assert (out / "validation.txt").read_text(encoding="utf-8") == (fresh / "validation.txt").read_text(
        encoding="utf-8")


#: A process building a folder that dies (os._exit, no clean-up) on reaching a function of govkg.build.
KILLED_BUILD = """
import importlib, os, sys
build = importlib.import_module("govkg.build")
setattr(build, sys.argv[3], lambda *args, **kwargs: os._exit(3))
build.build([sys.argv[1]], sys.argv[2], dumps="shares")
"""


def _run_killed(source: Path, out: Path, at: str) -> None:
    done = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(source), str(out), at], check=False,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 3, done.stderr


def test_an_update_killed_before_its_commit_is_undone(source, tmp_path):
    out = tmp_path / "out"
    govkg.build([source], out, dumps="shares")
    manifest, files, quads = (out / "manifest.json").read_bytes(), _files(out), _quads(out)
    _rename_unit(source)
    _run_killed(source, out, "save_manifest")  # dies as it would write the new manifest
    assert (out / inplace.JOURNAL).exists() and list(out.glob(".store@*"))  # what the killed build left
    # Until the next build the folder still reads as the previous build: its manifest, files and store.
    assert (out / "manifest.json").read_bytes() == manifest and _quads(out) == quads
    assert all(_files(out).get(name) == inode for name, inode in files.items())
    result = govkg.build([source], out, dumps="shares")
    assert result.rebuilt == [_changed(source).name]
    _consistent(out)
    assert govkg.query("q01", store=out, unit=NEW_NAME) or govkg.query("q02", store=out, unit=NEW_NAME)


def test_an_update_killed_after_its_commit_is_finished(source, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    govkg.build([source], out, dumps="shares")
    _rename_unit(source)
    _run_killed(source, out, "finish")  # dies after writing the new manifest
    assert (out / inplace.JOURNAL).exists()
    again = govkg.build([source], out, dumps="shares")
    assert again.store_update == "unchanged"  # the killed build's update stands
    _consistent(out)
    govkg.build([source], fresh, dumps="shares")
    assert _quads(out) == _quads(fresh)
    assert (out / "validation.txt").read_text(encoding="utf-8") == (fresh / "validation.txt").read_text(
        encoding="utf-8")


def test_a_failed_update_leaves_the_previous_build(source, tmp_path, monkeypatch):
    out = tmp_path / "out"
    govkg.build([source], out, dumps="shares")
    manifest, files, quads = (out / "manifest.json").read_bytes(), _files(out), _quads(out)
    _rename_unit(source)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "save_manifest", broken)
    with pytest.raises(OSError, match="No space"):
        govkg.build([source], out, dumps="shares")
    assert (out / "manifest.json").read_bytes() == manifest and _quads(out) == quads
    assert _files(out) == files  # nothing it wrote is left
    _consistent(out)


def test_a_folder_being_built_is_not_built_twice_at_once(source, tmp_path):
    out = tmp_path / "out"
    govkg.build([source], out, dumps="shares")
    with inplace.build_lock(out.resolve()), pytest.raises(InputError, match="another build"):
        govkg.build([source], out, dumps="shares")


def test_a_build_beside_replaces_an_in_place_one(source, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    govkg.build([source], out, dumps="shares")
    _rename_unit(source)
    govkg.build([source], out, dumps="shares")
    assert (out / "store").is_symlink()
    result = govkg.build([source], out)  # whole dumps: built beside the folder and switched in
    govkg.build([source], fresh)
    assert not (out / "store").is_symlink() and not list(out.glob(".store@*"))
    assert result.store_update == "incremental" and _quads(out) == _quads(fresh)
    assert (out / "dataset.nq").read_bytes() == (fresh / "dataset.nq").read_bytes()


def test_the_command_names_the_busy_folder_and_exits_2(source, tmp_path):
    out = tmp_path / "out"
    govkg.build([source], out, dumps="shares")
    manifest = (out / "manifest.json").read_bytes()
    with inplace.build_lock(out.resolve()):
        done = subprocess.run([sys.executable, "-m", "govkg", "build", str(source), "--out", str(out), "--dumps",
                               "shares"], check=False, capture_output=True, text=True, timeout=600)
    assert done.returncode == 2
    assert done.stderr.strip() == f"govkg: error: --out: {out.resolve()} is being written by another build (or " \
                                  "`govkg compact`); run again when it has finished"
    assert (out / "manifest.json").read_bytes() == manifest


def test_a_removed_document_leaves_no_file_and_no_graph(source, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    govkg.build([source], out, dumps="shares")
    removed = _changed(source)
    record = _manifest(out)["documents"][str(removed.resolve())]
    for path in source.glob(removed.stem + "*"):  # the document and its sidecar
        path.unlink()
    result = govkg.build([source], out, dumps="shares")
    govkg.build([source], fresh, dumps="shares")
    assert result.removed == [removed.name] and result.store_update == "incremental"
    assert not (out / record["graph_file"]).exists() and not (out / record["statistics_file"]).exists()
    assert not list((out / "graphs").glob(Path(record["graph_file"]).stem.split("@")[0] + "*"))
    issuer = record["issuer"]["code"]  # its issuer had no other document: its lexicon and links shares went too
    assert not list((out / "graphs" / "lexicon").glob(f"{issuer}*")) and not list(
        (out / "graphs" / "links").glob(f"{issuer}*"))
    _consistent(out)
    assert len(_files(out)) == len(_files(fresh))
    assert _quads(out) == _quads(fresh)
    graphs = {quad.graph_name.value for quad in oxi.Store.read_only(str(out / "store"))}
    # the other document's graph and statistics, and the lexicon (a single document has no links)
    (other,) = _manifest(out)["documents"].values()
    assert graphs == {other["graph"], other["statistics_graph"], _manifest(out)["base"] + "graph/lexicon"}


def test_a_copied_folder_keeps_one_store_after_its_next_update(source, tmp_path):
    out, copy = tmp_path / "out", tmp_path / "copy"
    govkg.build([source], out, dumps="shares")
    _rename_unit(source)
    govkg.build([source], out, dumps="shares")  # out/store is now a link to out/.store@N
    shutil.copytree(out, copy)  # as `cp -r` does: the link followed, the store copied twice
    assert not (copy / "store").is_symlink() and len(list(copy.glob(".store@*"))) == 1
    text = _changed(source).read_text(encoding="utf-8")
    _changed(source).write_text(text.replace(NEW_NAME, "住建委", 1), encoding="utf-8")
    result = govkg.build([source], copy, dumps="shares")
    assert result.store_update == "incremental"
    _consistent(copy)  # one store, the one its manifest names, linked from store
    assert govkg.query("q01", store=copy, unit="住建委") or govkg.query("q02", store=copy, unit="住建委")


def test_the_report_of_a_rebuild_reads_the_summaries_of_the_changed_issuer_only(source, tmp_path, monkeypatch):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    govkg.build([source], out, dumps="shares")
    issuers = sorted(_manifest(out)["issuers"])
    assert len(issuers) == 2  # the two documents are of two issuers: one is not read again
    read: list[tuple[str, str]] = []
    real = build_module._summary
    monkeypatch.setattr(build_module, "_summary",
                        lambda folder, shard: read.append((shard.gov, shard.validation_file)) or real(folder, shard))
    _rename_unit(source)
    govkg.build([source], out, dumps="shares")
    changed = _manifest(out)["documents"][str(_changed(source).resolve())]["issuer"]["code"]
    assert {gov for gov, _ in read} == {next(gov for gov in issuers if changed in gov)}
    assert len(read) == 2  # its summary before the change and after it
    monkeypatch.setattr(build_module, "_summary", real)
    govkg.build([source], fresh, dumps="shares")
    assert (out / "validation.txt").read_text(encoding="utf-8") == (fresh / "validation.txt").read_text(
        encoding="utf-8")
    assert _manifest(out)["report"] == _manifest(fresh)["report"]


@pytest.mark.parametrize("suffix", [".nq", ".profiles.json", ".parties.json"])
def test_an_unchanged_document_whose_file_is_gone_is_read_again(source, tmp_path, suffix):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    govkg.build([source], out, dumps="shares")
    kept = next(source.glob(f"{DOCUMENTS[0]}_*.txt"))
    graph_file = _manifest(out)["documents"][str(kept.resolve())]["graph_file"]
    (out / graph_file.removesuffix(".nq")).with_name(Path(graph_file).stem + suffix).unlink()
    result = govkg.build([source], out, dumps="shares")
    govkg.build([source], fresh, dumps="shares")
    assert result.rebuilt == [kept.name] and result.reused == [_changed(source).name]
    assert result.store_update == "incremental"
    _consistent(out)
    assert _quads(out) == _quads(fresh)
