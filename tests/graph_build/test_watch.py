"""Issue 14, one changed document at national scale: a build process that stays running (govkg.build.Resident,
`govkg build --watch`) rebuilds from what it kept and the documents file events name, and ends with exactly what
a build from scratch gives; what it kept is dropped when another build wrote the folder or a build failed."""

from __future__ import annotations

import importlib
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as oxi
import pytest
from watchfiles import Change

import govkg
from govkg.build import Resident
from govkg.cli import main
from govkg.inplace import build_lock
from govkg.watch import Rebuild, documents_touched, watch_build, watched_folders
from sample_docs import sample_path

build_module = importlib.import_module("govkg.build")  # the module (govkg.build is also the function)

DOCUMENTS = ("000", "002")
OLD_NAME, NEW_NAME = "住建局", "住房城乡建设局"


def _document(source: Path, key: str) -> Path:
    return next(source.glob(f"{key}_*.txt"))


def _rename_unit(document: Path, old: str = OLD_NAME, new: str = NEW_NAME) -> None:
    text = document.read_text(encoding="utf-8")
    assert old in text
    document.write_text(text.replace(old, new, 1), encoding="utf-8")


def _quads(out: Path) -> list[str]:
    return sorted(str(quad) for quad in oxi.Store.read_only(str(out / "store")))


def _same_as_fresh(out: Path, source: Path, fresh: Path, result) -> None:
    """The build in `out` holds what a build of `source` from scratch holds: quads, report and counts."""
    again = govkg.build([source], fresh, dumps="shares")
    assert _quads(out) == _quads(fresh)
    assert (out / "validation.txt").read_text(encoding="utf-8") == (fresh / "validation.txt").read_text(
        encoding="utf-8")
    counts = ("tasks", "units", "groups", "people", "triples", "violations", "warnings")
    assert [getattr(result, name) for name in counts] == [getattr(again, name) for name in counts]


@pytest.mark.parametrize("dumps", ["shares", "whole"])
def test_a_resident_rebuild_reads_only_the_documents_it_is_told_of(source, tmp_path, monkeypatch, dumps):
    """With the folder updated in place (dumps as shares) or built beside and switched in (whole dumps)."""
    out = tmp_path / "out"
    resident = Resident()
    govkg.build([source], out, dumps=dumps, resident=resident)
    assert resident.stamp is not None and len(resident.files) == 2
    changed = _document(source, DOCUMENTS[1])
    _rename_unit(changed)
    resident.touched([changed])
    read: list[Path] = []
    real_read = build_module.InputReader.read
    monkeypatch.setattr(build_module.InputReader, "read", lambda self, path: read.append(path) or real_read(
        self, path))
    result = govkg.build([source], out, dumps=dumps, resident=resident)
    assert read == [changed]  # the other document is as the resident read it: not looked at again
    assert result.rebuilt == [changed.name] and result.store_update == "incremental"
    _same_as_fresh(out, source, tmp_path / "fresh", result)
    assert govkg.query("q01", store=out, unit=NEW_NAME) or govkg.query("q02", store=out, unit=NEW_NAME)


def test_a_change_the_resident_is_not_told_of_is_not_seen_until_everything_is_looked_at(source, tmp_path):
    """The resident trusts the file events: a document written without one is the previous one until an event
    that may change anything (touched(None)) makes the build look at every input again."""
    out = tmp_path / "out"
    resident = Resident()
    govkg.build([source], out, dumps="shares", resident=resident)
    changed = _document(source, DOCUMENTS[1])
    _rename_unit(changed)
    quiet = govkg.build([source], out, dumps="shares", resident=resident)
    assert quiet.store_update == "unchanged" and not quiet.rebuilt
    resident.touched(None)
    seen = govkg.build([source], out, dumps="shares", resident=resident)
    assert seen.rebuilt == [changed.name]
    _same_as_fresh(out, source, tmp_path / "fresh", seen)


def test_another_build_of_the_folder_makes_the_resident_read_it_again(source, tmp_path):
    out = tmp_path / "out"
    resident = Resident()
    govkg.build([source], out, dumps="shares", resident=resident)
    first, second = _document(source, DOCUMENTS[0]), _document(source, DOCUMENTS[1])
    _rename_unit(second)
    govkg.build([source], out, dumps="shares")  # another process's build: a new manifest
    assert not resident.current(out.resolve())
    _rename_unit(first)  # and a change no event told the resident of
    result = govkg.build([source], out, dumps="shares", resident=resident)
    assert result.rebuilt == [first.name]  # found by reading everything, the other build's work kept
    _same_as_fresh(out, source, tmp_path / "fresh", result)


def test_a_failed_resident_build_is_forgotten_and_the_next_one_reads_everything(source, tmp_path):
    out = tmp_path / "out"
    resident = Resident()
    govkg.build([source], out, dumps="shares", resident=resident)
    changed = _document(source, DOCUMENTS[1])
    text = changed.read_text(encoding="utf-8")
    changed.write_bytes(b"\x00\x01binary\xff" * 64)
    resident.touched([changed])
    with pytest.raises(govkg.model.InputError, match=changed.name):
        govkg.build([source], out, dumps="shares", resident=resident)
    assert resident.stamp is None and resident.changed is None  # nothing vouched for any more
    changed.write_text(text.replace(OLD_NAME, NEW_NAME, 1), encoding="utf-8")
    result = govkg.build([source], out, dumps="shares", resident=resident)
    assert result.rebuilt == [changed.name]
    _same_as_fresh(out, source, tmp_path / "fresh", result)


def test_file_events_name_the_documents_written(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    known = {str(folder / "a.txt"): folder / "a.txt", str(folder / "b.docx"): folder / "b.docx"}
    for path in known.values():
        path.write_text("x", encoding="utf-8")
    folders = watched_folders([folder])
    assert folders == {str(folder): None}
    written = [(Change.modified, str(folder / "a.txt")), (Change.added, str(folder / "b.docx"))]
    assert documents_touched(written, folders, known) == {folder / "a.txt", folder / "b.docx"}
    # other files of the folder, and files elsewhere, are no change of the inputs
    assert documents_touched([(Change.added, str(folder / "notes.md")), (Change.modified, str(folder / "~$a.docx")),
                              (Change.added, str(tmp_path / "c.txt"))], folders, known) == set()
    # a document that came or went, or a sidecar: every input is looked at again
    assert documents_touched([(Change.added, str(folder / "new.txt"))], folders, known) is None
    assert documents_touched([(Change.modified, str(folder / "a.meta.toml"))], folders, known) is None
    (folder / "a.txt").unlink()
    assert documents_touched([(Change.deleted, str(folder / "a.txt"))], folders, known) is None
    # a document given as a file: only it and its sidecar count
    (folder / "b.docx").write_text("y", encoding="utf-8")
    one = watched_folders([folder / "b.docx"])
    assert one == {str(folder): frozenset({"b.docx", "b.meta.toml", "b.docx.meta.toml"})}
    assert documents_touched([(Change.modified, str(folder / "b.docx")), (Change.added, str(folder / "new.txt"))],
                             one, known) == {folder / "b.docx"}


def _next(reports: queue.Queue[Rebuild]) -> Rebuild:
    return reports.get(timeout=120)


def _watching(source: Path, out: Path, **options) -> tuple[threading.Thread, queue.Queue[Rebuild], threading.Event,
                                                            threading.Event]:
    """A watch of `source` into `out` (dumps as shares) started in a thread: it, its reports, ready and stop."""
    reports: queue.Queue[Rebuild] = queue.Queue()
    ready, stop = threading.Event(), threading.Event()
    watcher = threading.Thread(target=watch_build, args=([source], out), kwargs={
        "report": reports.put, "ready": ready.set, "stop": stop, "dumps": "shares", **options}, daemon=True)
    watcher.start()
    return watcher, reports, ready, stop


def test_watching_rebuilds_on_each_change_until_stopped(source, tmp_path):
    out = tmp_path / "out"
    watcher, reports, ready, stop = _watching(source, out)
    try:
        first = _next(reports)
        assert first.result is not None and first.result.store_update == "full" and first.touched is None
        assert ready.wait(60)
        changed = _document(source, DOCUMENTS[1])
        _rename_unit(changed)
        edited = _next(reports)
        assert edited.touched == [changed.name] and edited.result is not None
        assert edited.result.rebuilt == [changed.name] and edited.result.store_update == "incremental"
        (source / "notes.md").write_text("not a document", encoding="utf-8")  # no rebuild for it
        gone = _document(source, DOCUMENTS[0])
        kept = gone.read_bytes()
        gone.unlink()
        removed = _next(reports)
        assert removed.touched is None and removed.result is not None
        assert removed.result.removed == [gone.name] and removed.result.documents == 1
        changed.write_bytes(b"\x00\xff" * 100)  # unreadable: reported, and the watch goes on
        broken = _next(reports)
        assert broken.result is None and changed.name in broken.error
        changed.write_bytes(sample_path(DOCUMENTS[1]).read_bytes())
        gone.write_bytes(kept)
        back = _next(reports)
        while back.result is None or back.result.documents < 2:  # the two writes: one rebuild or two
            back = _next(reports)
        assert back.result is not None and back.result.documents == 2 and back.result.violations == 0
        _same_as_fresh(out, source, tmp_path / "fresh", back.result)
    finally:
        stop.set()
        watcher.join(60)
    assert not watcher.is_alive()


def test_the_command_refuses_to_watch_what_is_not_there(tmp_path, capsys):
    assert main(["build", str(tmp_path / "missing"), "--out", str(tmp_path / "out"), "--watch"]) == 2
    err = capsys.readouterr().err
    assert "missing" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_the_command_reports_each_rebuild_on_one_line_and_stops_on_ctrl_c(source, tmp_path):
    out = tmp_path / "out"
    # A shell without job control starts background commands with Ctrl-C ignored, and a child inherits that (CI
    # started with `… &` did): the command gets Ctrl-C's default handling, as from a terminal.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen([sys.executable, "-m", "govkg", "build", str(source), "--out", str(out), "--dumps",
                                    "shares", "--watch", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, encoding="utf-8")
    finally:
        signal.signal(signal.SIGINT, inherited)
    try:
        assert process.stderr is not None and process.stdout is not None
        assert process.stderr.readline().startswith(f"watching {source} for changes")
        changed = _document(source, DOCUMENTS[1])
        _rename_unit(changed)
        lines = []
        while not (lines and re.match(r"\d\d:\d\d:\d\d built ", lines[-1])) or len(lines) < 8:
            lines.append(process.stdout.readline().rstrip("\n"))
        # the first build's summary, its line, then the rebuild's line
        assert lines[0] == "documents 2 (2 built, 0 unchanged)"
        assert re.fullmatch(rf"\d\d:\d\d:\d\d built {re.escape(changed.name)} in [\d.]+ s: documents 2, tasks "
                            r"\d+, 0 violations, \d+ warnings", lines[-1]), lines
        time.sleep(1)  # Ctrl-C while the watch waits for events (watchfiles' own notice is not shown)
        process.send_signal(signal.SIGINT)
        assert process.wait(60) == 0
        assert process.stderr.read().strip() == "stopped watching"
    finally:
        process.kill()
        process.wait()


def test_a_polling_watch_sees_changes_without_file_events(source, tmp_path, monkeypatch):
    # file events from other machines never reach a folder on NFS or SMB: --poll looks at the files instead
    import watchfiles

    asked: list[dict] = []
    real_watch = watchfiles.watch

    def recorded(*folders, **kwargs):
        asked.append(kwargs)
        return real_watch(*folders, **kwargs)

    monkeypatch.setattr(watchfiles, "watch", recorded)
    watcher, reports, ready, stop = _watching(source, tmp_path / "out", poll=0.2)
    try:
        assert _next(reports).result is not None and ready.wait(60)
        assert asked[0]["force_polling"] is True and asked[0]["poll_delay_ms"] == 200
        changed = _document(source, DOCUMENTS[1])
        _rename_unit(changed)
        edited = _next(reports)
        assert edited.touched == [changed.name] and edited.result is not None
        assert edited.result.rebuilt == [changed.name] and edited.result.store_update == "incremental"
    finally:
        stop.set()
        watcher.join(60)
    assert not watcher.is_alive()


def test_poll_without_watch_is_refused(source, tmp_path, capsys):
    assert main(["build", str(source), "--out", str(tmp_path / "out"), "--poll", "2"]) == 2
    assert "--poll is for --watch" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_first_build_that_finds_the_folder_held_is_built_once_it_is_let_go(source, tmp_path):
    """The watch's first build, refused because another process holds the folder, is reported once and done when
    the folder is free, with no file event."""
    out = tmp_path / "out"
    out.mkdir()
    with build_lock(out.resolve()):
        watcher, reports, ready, stop = _watching(source, out)
        try:
            busy = _next(reports)
            assert busy.busy and busy.result is None and busy.touched is None
            assert "being written by another build" in busy.error and ready.wait(60)
            time.sleep(1.5)  # ticks of the watcher: the tries meanwhile are not reported
            assert reports.empty() and not (out / "manifest.json").exists()
        except BaseException:
            stop.set()
            raise
    try:
        built = _next(reports)
        assert built.result is not None and built.touched is None and built.result.store_update == "full"
        assert len(built.result.rebuilt) == built.result.documents >= len(DOCUMENTS) and not built.result.reused
        assert (out / "manifest.json").is_file()
    finally:
        stop.set()
        watcher.join(60)
    assert not watcher.is_alive()


def test_a_change_made_while_another_process_holds_the_folder_is_built_once_it_lets_go(source, tmp_path):
    """A rebuild refused because the folder is busy (`govkg compact`, another build) is reported once and tried
    again at each tick, without another file event, until it is done."""
    out = tmp_path / "out"
    watcher, reports, ready, stop = _watching(source, out)
    try:
        assert _next(reports).result is not None and ready.wait(60)
        changed = _document(source, DOCUMENTS[1])
        with build_lock(out.resolve()):  # what another process's build or compaction holds
            _rename_unit(changed)
            busy = _next(reports)
            assert busy.busy and busy.result is None and "being written by another build" in busy.error
            time.sleep(1.5)  # three ticks of the watcher: the tries meanwhile are not reported
            assert reports.empty()
        built = _next(reports)  # no file event since the lock was let go
        assert built.result is not None and built.touched == [changed.name]
        assert built.result.rebuilt == [changed.name] and built.result.store_update == "incremental"
        _same_as_fresh(out, source, tmp_path / "fresh", built.result)
    finally:
        stop.set()
        watcher.join(60)
    assert not watcher.is_alive()
