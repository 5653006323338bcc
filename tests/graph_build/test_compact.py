"""Issue 14: a store updated in place by many rebuilds is compacted (`govkg compact`) into the next generation's
store, committed as a build commits: the same quads and answers, the update count back to 0, the old store gone,
and a server following the folder finds no issuer changed."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pyoxigraph as oxi
import pytest

import govkg
from govkg.build import COMPACT_HINT_AFTER, BuildResult
from govkg.cli import main
from govkg.compact import compact
from govkg.inplace import FolderBusyError, build_lock
from govkg.web.follow import changed_issuers, committed

OLD_NAME, NEW_NAME = "住建局", "住房城乡建设局"


def _document(source: Path, key: str) -> Path:
    return next(source.glob(f"{key}_*.txt"))


def _rename_unit(document: Path, old: str, new: str) -> None:
    text = document.read_text(encoding="utf-8")
    assert old in text
    document.write_text(text.replace(old, new, 1), encoding="utf-8")


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _quads(out: Path) -> list[str]:
    return sorted(str(quad) for quad in oxi.Store.read_only(str(out / "store")))


def _answers(out: Path) -> list:
    return [govkg.query(name, store=out, unit=unit) for name in ("q01", "q02") for unit in (OLD_NAME, NEW_NAME)]


@pytest.mark.parametrize("dumps", ["shares", "whole"])
def test_a_store_updated_in_place_is_compacted_into_the_next_generation(source, tmp_path, dumps):
    """Updated in place (dumps as shares: `store` a link to `.store@N`) or built beside (whole dumps: `store` a
    folder); then rebuilt once more from the compacted store."""
    out = tmp_path / "out"
    assert govkg.build([source], out, dumps=dumps).store_updates == 0
    changed = _document(source, "002")
    _rename_unit(changed, OLD_NAME, NEW_NAME)
    assert govkg.build([source], out, dumps=dumps).store_updates == 1
    _rename_unit(changed, NEW_NAME, OLD_NAME)
    second = govkg.build([source], out, dumps=dumps)
    assert second.store_update == "incremental" and second.store_updates == 2
    assert _manifest(out)["store_updates"] == 2
    assert govkg.build([source], out, dumps=dumps).store_updates == 2  # nothing changed: still counted
    before, quads, answers = _manifest(out), _quads(out), _answers(out)
    was = committed(out)
    result = compact(out)
    after = _manifest(out)
    generation = before["generation"] + 1
    assert result.updates == 2 and result.store == f".store@{generation}"
    assert after == {**before, "generation": generation, "store": f".store@{generation}", "store_updates": 0}
    assert os.readlink(out / "store") == f".store@{generation}"
    assert [path.name for path in out.glob(".store@*")] == [f".store@{generation}"]  # the old store removed
    assert _quads(out) == quads and _answers(out) == answers and any(answers)
    now = committed(out)
    assert now.store != was.store and changed_issuers(was, now) == {}  # a server reads nothing again
    _rename_unit(changed, OLD_NAME, NEW_NAME)
    again = govkg.build([source], out, dumps=dumps)
    assert again.store_update == "incremental" and again.store_updates == 1
    assert govkg.query("q01", store=out, unit=NEW_NAME) or govkg.query("q02", store=out, unit=NEW_NAME)


def test_the_summary_suggests_compacting_after_many_updates(tmp_path):
    def hint(updates: int) -> list[str]:
        return [line for line in BuildResult(tmp_path, store_updates=updates).summary() if "govkg compact" in line]

    assert hint(COMPACT_HINT_AFTER - 1) == []
    assert hint(COMPACT_HINT_AFTER) == [
        f"the store has been updated in place by {COMPACT_HINT_AFTER} builds since it was loaded; "
        f"`govkg compact {tmp_path}` makes its queries as fast as after a load"]


def test_a_folder_another_process_holds_is_refused_and_left_as_it_was(source, tmp_path):
    out = tmp_path / "out"
    govkg.build([source], out, dumps="shares")
    manifest = (out / "manifest.json").read_bytes()
    with build_lock(out.resolve()), pytest.raises(FolderBusyError, match="being written by another build"):
        compact(out)
    assert (out / "manifest.json").read_bytes() == manifest and not list(out.glob(".store@*"))


def test_the_command_compacts_a_build_and_refuses_what_is_not_one(source, tmp_path, capsys):
    out = tmp_path / "out"
    govkg.build([source], out, dumps="shares")
    assert main(["compact", str(out), "--quiet"]) == 0
    printed = capsys.readouterr()
    assert printed.out.startswith(f"compacted the store of {out} (0 updates in place since it was loaded)")
    assert printed.err == ""
    assert main(["compact", str(tmp_path / "nothing")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'nothing'}: not a build folder (no manifest.json)" in err and "Traceback" not in err


def test_with_wait_a_busy_folder_is_waited_for_then_compacted_and_built(source, tmp_path, capsys):
    """--wait (scheduled jobs): the build or compaction runs once the other process lets go of the folder."""
    out = tmp_path / "out"
    govkg.build([source], out, dumps="shares")
    generation = _manifest(out)["generation"]
    for argv in (["compact", str(out), "--wait"],
                 ["build", str(source), "--out", str(out), "--dumps", "shares", "--wait"]):
        held, free = threading.Event(), threading.Event()

        def hold(held: threading.Event, free: threading.Event) -> None:
            with build_lock(out.resolve()):
                held.set()
                free.wait(60)

        holder = threading.Thread(target=hold, args=(held, free))
        holder.start()
        assert held.wait(60)
        threading.Timer(1.0, free.set).start()  # let go while the command waits
        assert main(argv) == 0
        holder.join(60)
        assert free.is_set()  # the command ended after the holder let go, not before
        assert f"waiting for the build (or compaction) writing {out.resolve()} to finish" in capsys.readouterr().err
    assert _manifest(out)["generation"] == generation + 1  # compacted; the build after it found nothing changed
    assert os.readlink(out / "store") == f".store@{generation + 1}"
