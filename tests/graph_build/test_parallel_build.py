"""`govkg build --jobs N` and `--dask ADDRESS`: the same bytes as a build in one process, errors that name the
file, nothing written when a worker fails."""

from __future__ import annotations

import shutil

import pytest

import govkg
from govkg import executors
from govkg.cli import main
from govkg.executors import Runner
from sample_docs import SAMPLES, sample_path


def test_worker_processes_give_the_same_dataset(built, tmp_path):
    out = tmp_path / "out"
    result = govkg.build([SAMPLES], out, runner=Runner(jobs=2))
    assert sorted(result.rebuilt) == sorted(p.name for p in SAMPLES.glob("*.txt"))
    assert (out / "dataset.nq").read_bytes() == (built / "dataset.nq").read_bytes()
    assert (out / "validation.txt").read_text(encoding="utf-8") == (built / "validation.txt").read_text(
        encoding="utf-8")


def test_a_failing_document_in_a_worker_is_named_and_nothing_is_written(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    for prefix in ("001", "004"):
        shutil.copy(sample_path(prefix), folder)
    (folder / "zz_empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    code = main(["build", str(folder), "--out", str(out), "--jobs", "2", "-q"])
    assert code == 2
    error = capsys.readouterr().err
    assert "zz_empty.txt" in error and "Traceback" not in error
    assert not out.exists() and not any(p.name.startswith(".out") for p in tmp_path.iterdir())


def test_runner_keeps_the_order_and_reports_every_item():
    seen: list[tuple[int, int, int]] = []
    results = Runner(jobs=1).map(pow, [2, 3, 4], 2, done=lambda n, total, i: seen.append((n, total, i)))
    assert results == [4, 9, 16]
    assert seen == [(1, 3, 0), (2, 3, 1), (3, 3, 2)]



def test_progress_says_where_the_items_of_a_round_run():
    """One item runs in the calling process whatever --jobs says (Runner.imap), and a round of 3 items on 8 jobs
    starts 3 workers: the progress line says so instead of the jobs asked for."""
    assert Runner(jobs=8).describe(1) == "in this process"
    assert Runner(jobs=8).describe(3) == "in 3 worker processes"
    assert Runner(jobs=8).describe() == "in 8 worker processes"
    assert Runner(jobs=1).describe(5) == "in this process"

def test_workers_draw_items_only_a_few_ahead_of_the_results():
    """A round's items may be made as they are drawn (a build's graph jobs, its matching jobs): the workers are
    handed a few per worker ahead of the results taken, so a round never holds every item and result at once."""
    drawn: list[int] = []

    def items():
        for number in range(40):
            drawn.append(number)
            yield number

    results = Runner(jobs=2).imap(pow, items(), 2, total=40)
    assert next(results) == 0
    assert len(drawn) == executors.AHEAD_PER_WORKER * 2  # not 40
    assert list(results) == [number ** 2 for number in range(1, 40)]
    assert len(drawn) == 40


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_dataset(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = tmp_path / "docs"
    folder.mkdir()
    for prefix in ("001", "004"):
        shutil.copy(sample_path(prefix), folder)
    local = govkg.build([folder], tmp_path / "local")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        remote = govkg.build([folder], tmp_path / "dask", runner=Runner(dask=client))
    assert remote.tasks == local.tasks > 0
    assert (tmp_path / "dask" / "dataset.nq").read_bytes() == (tmp_path / "local" / "dataset.nq").read_bytes()


def test_dask_without_a_scheduler_is_a_clear_error(tmp_path, capsys, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "CONNECT_SECONDS", 1)
    code = main(["build", str(sample_path("000")), "--out", str(tmp_path / "out"), "--dask",
                 "tcp://127.0.0.1:9", "-q"])
    assert code == 2
    error = capsys.readouterr().err
    assert "--dask" in error and "tcp://127.0.0.1:9" in error and "Traceback" not in error
    assert not (tmp_path / "out").exists()


def test_jobs_must_be_positive(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", str(SAMPLES), "--out", "unused", "--jobs", "0"])
    assert exit_.value.code == 2
    assert "--jobs" in capsys.readouterr().err

