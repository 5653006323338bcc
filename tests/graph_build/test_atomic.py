"""A build switches its folder in one step: killed at any moment, the folder is exactly the old build or the new one."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

import govkg
from govkg.fileio import clean_leftovers, staging_dir, switch_in
from sample_docs import SAMPLES, sample_path

#: The previous build of the kill test: three of the samples.
SUBSET = [sample_path(prefix) for prefix in ("000", "002", "003")]


def _quads(out: Path) -> int:
    store = pyoxigraph.Store.read_only(str(out / "store"))
    try:
        return len(store)
    finally:
        del store


def _leftovers(out: Path) -> list[str]:
    """Temporaries beside the build folder or inside it."""
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    inside = [str(p.relative_to(out)) for p in out.rglob(".*.tmp")]
    return beside + inside


@pytest.fixture(scope="module")
def old_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("old") / "out"
    govkg.build(SUBSET, out)
    return out


def test_switch_in_replaces_a_folder_in_one_step(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "a").write_text("old")
    stage = staging_dir(target)
    (stage / "a").write_text("new")
    switch_in(stage, target)
    assert (target / "a").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o777 & ~mask  # not mkdtemp's 0700


def test_leftovers_of_dead_runs_are_removed_and_a_stranded_old_build_put_back(tmp_path):
    target = tmp_path / "out"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    pid = int(dead.stdout)
    (tmp_path / f".out.building-{pid}-abc").mkdir()
    (tmp_path / f".out.building-{pid}-abc" / "dataset.nq").write_text("half")
    (tmp_path / f".out.retired-{pid}-abc").mkdir()  # the old build, caught between two renames
    (tmp_path / f".out.retired-{pid}-abc" / "dataset.nq").write_text("old")
    (tmp_path / f".out.building-{os.getppid()}-xyz").mkdir()  # a live process's: left alone
    clean_leftovers(target)
    assert (target / "dataset.nq").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".out.building-{os.getppid()}-xyz", "out"]


def test_files_others_put_in_the_folder_are_kept_and_unchanged_graphs_linked(old_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(old_build, out)
    (out / "network.html").write_text("<html></html>")
    (out / "dumps").mkdir()  # as `govkg serve` leaves it: the gzipped dumps it served
    (out / "dumps" / "dataset.nq.gz").write_bytes(b"gz")
    (out / ".dataset.nq.123.tmp").write_text("a temporary of an older version")
    govkg.build(SUBSET[:2], out)
    assert (out / "network.html").read_text() == "<html></html>"
    assert (out / "dumps" / "dataset.nq.gz").read_bytes() == b"gz"
    assert _leftovers(out) == []
    graph = out / "graphs" / "320404_2021.nq"
    before = graph.read_bytes(), graph.stat().st_ino
    again = govkg.build(SUBSET[:2], out)
    assert again.rebuilt == [] and (graph.read_bytes(), graph.stat().st_ino) == before  # linked, not rewritten


def test_out_naming_a_file_is_refused(tmp_path, capsys):
    from govkg.cli import main

    (tmp_path / "f").write_text("x")
    assert main(["build", str(SUBSET[0]), "--out", str(tmp_path / "f"), "-q"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.slow
def test_build_killed_at_10_random_points_leaves_the_old_or_the_new_build(old_build, built, tmp_path):
    """The samples built over a build of three of them, killed (SIGKILL) at 10 moments: each time `out/` is exactly
    the old build or the new one, and the next build completes and leaves no temporaries."""
    references = {"old": ((old_build / "dataset.nq").read_bytes(), _quads(old_build)),
                  "new": ((built / "dataset.nq").read_bytes(), _quads(built))}
    command = [sys.executable, "-m", "govkg", "build", str(SAMPLES), "--out", "OUT", "-q"]
    out = tmp_path / "out"

    def start() -> subprocess.Popen:
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(old_build, out)
        return subprocess.Popen([part if part != "OUT" else str(out) for part in command], start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    began = time.monotonic()
    whole = start()
    assert whole.wait(timeout=600) == 0
    duration = time.monotonic() - began
    assert ((out / "dataset.nq").read_bytes(), _quads(out)) == references["new"]

    rng = random.Random(12)
    seen = []
    for _ in range(10):
        process = start()
        time.sleep(rng.uniform(0.0, duration * 1.05))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        state = ((out / "dataset.nq").read_bytes(), _quads(out))
        found = [name for name, reference in references.items() if state == reference]
        assert found, f"out/ is neither the old build nor the new one ({state[1]} quads)"
        seen.append(found[0])
        govkg.build(SUBSET, out)
        assert ((out / "dataset.nq").read_bytes(), _quads(out)) == references["old"]
        assert _leftovers(out) == []
    assert "old" in seen  # some kills came before the switch


def test_a_store_load_failing_while_the_dumps_are_written_stops_them_and_leaves_the_old_build(
        old_build, tmp_path, monkeypatch):
    """The dumps are written by another thread while the store loads; when the load fails, the dumps stop at the
    next graph file, the build waits for them, and the folder is the old build with nothing left beside it."""
    import importlib
    import threading

    build_module = importlib.import_module("govkg.build")  # the module (govkg.build is also the function)
    out = tmp_path / "out"
    shutil.copytree(old_build, out)
    before = ((out / "dataset.nq").read_bytes(), _quads(out))
    serialised: list[str] = []
    first, failed = threading.Event(), threading.Event()
    real_fragments = build_module.dump_fragments

    def fragments(path, formats):  # the first graph file's shares made as the load fails
        serialised.append(Path(path).name)
        if len(serialised) == 1:
            first.set()
            assert failed.wait(60)
            time.sleep(0.2)  # the failure has reached the build
        return real_fragments(path, formats)

    def failing_load(*args, **kwargs):
        assert first.wait(60)  # the dumps under way in their thread
        failed.set()
        raise OSError("no space left on device")

    monkeypatch.setattr(build_module, "dump_fragments", fragments)
    monkeypatch.setattr(build_module, "bulk_load_nquads", failing_load)
    monkeypatch.setattr(build_module, "_updated_store", lambda *args, **kwargs: None)  # a full load
    with pytest.raises(OSError, match="no space left"):
        govkg.build([SAMPLES], out)
    assert serialised == serialised[:1]  # no graph file's shares made after the failure (unstopped: every new one's)
    assert ((out / "dataset.nq").read_bytes(), _quads(out)) == before
    assert _leftovers(out) == []
