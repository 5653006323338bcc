"""Progress of `govkg build`, `validate` and `publish`: a bar redrawn in place on a terminal, plain lines elsewhere;
the summary of extraction warnings per document after `govkg build`."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest

import govkg.cli
import govkg.cli_progress
from govkg.cli import _warnings_by_document, main
from govkg.cli_progress import Progress, bar_line, clock_text
from govkg.publish import PublishReport
from sample_docs import sample_path


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    """A clock the test moves on."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_terminal_gets_a_bar_redrawn_in_place_and_ended_by_a_newline():
    stream, clock = Terminal(), Clock()
    with Progress(stream, clock=clock, width=100) as progress:
        progress("extracting 4 documents in this process")
        for n in range(1, 5):
            clock.now += 10
            progress(f"[{n}/4] extracted {n:03}.txt")
        progress("writing dumps")
    text = stream.getvalue()
    lines = text.split("\n")
    assert lines[0] == "extracting 4 documents in this process" and lines[2:] == ["writing dumps", ""]
    frames = lines[1].split("\r")[1:]
    assert len(frames) == 4 and all(len(frame) <= 99 for frame in frames)
    assert frames[1].startswith("[##########..........] 2/4  50%  0:20 ETA 0:20  extracted 002.txt")
    assert frames[3].startswith("[####################] 4/4 100%  0:40  extracted 004.txt")


def test_the_bar_is_redrawn_at_most_ten_times_a_second_and_a_bar_cut_short_ends_its_line():
    stream, clock = Terminal(), Clock()
    with Progress(stream, clock=clock, width=80) as progress:
        for n in range(1, 101):
            clock.now += 0.01
            progress(f"[{n}/200] graph of {n}.txt")
    text = stream.getvalue()
    assert 8 <= text.count("\r") <= 12 and text.endswith("\n") and text.count("\n") == 1


def test_a_new_phase_starts_a_new_bar_on_its_own_line():
    stream = Terminal()
    progress = Progress(stream, clock=Clock(), width=80)
    progress("[1/3] extracted a.txt")
    progress("[1/2] graph of a.txt")
    progress.close()
    first, second, end = stream.getvalue().split("\n")
    assert "1/3" in first and "extracted a.txt" in first and "1/2" in second and "graph of" in second and end == ""


def test_a_pipe_gets_plain_lines_and_quiet_or_plain_false_nothing():
    messages = ["extracting 2 documents in this process", "[1/2] extracted a.txt", "[2/2] extracted b.txt"]
    pipe = io.StringIO()
    with Progress(pipe) as progress:
        for message in messages:
            progress(message)
    assert pipe.getvalue() == "".join(f"{m}\n" for m in messages) and not progress.live
    for stream, options in ((Terminal(), {"quiet": True}), (io.StringIO(), {"quiet": True}),
                            (io.StringIO(), {"plain": False})):
        with Progress(stream, **options) as progress:
            for message in messages:
                progress(message)
        assert stream.getvalue() == ""


def test_bar_line_fits_the_width_and_cuts_a_wide_label():
    line = bar_line(1, 3, "extracted " + "钟楼区" * 20, 30.0, 70)
    assert line.startswith("[#######.............] 1/3  33%  0:30 ETA 1:00  extracted 钟楼区")
    assert line.endswith("…") and len(line) <= 70
    assert clock_text(3725) == "1:02:05" and clock_text(59.6) == "1:00"


def test_warnings_grouped_by_document():
    warnings = ["a.txt:3: one", "a.txt:9: two", "b.txt: no table", "a.txt:12: three"]
    assert _warnings_by_document(warnings) == [
        "extraction warnings: a.txt 3, b.txt 1 (first: a.txt:3: one; all 4 with --verbose)"]
    assert _warnings_by_document(warnings, every=True) == [
        "extraction warnings: a.txt 3, b.txt 1", *(f"  {w}" for w in warnings)]
    assert _warnings_by_document([]) == []
    many = [f"{n:03}.txt:1: w" for n in range(12)]
    assert _warnings_by_document(many)[0].startswith("extraction warnings: 000.txt 1, 001.txt 1,")
    assert " 009.txt 1 and 2 more documents (first: 000.txt:1: w; all 12 with --verbose)" in \
        _warnings_by_document(many)[0]


@pytest.fixture(scope="module")
def one_built(tmp_path_factory) -> dict[str, object]:
    """Sample 001 (one extraction warning) built by the CLI with stderr a terminal, then with --verbose in a pipe."""
    out = tmp_path_factory.mktemp("one")
    terminal = Terminal()
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = io.StringIO(), terminal
    try:
        status = main(["build", str(sample_path("001")), "--out", str(out / "tty"), "--jobs", "1"])
        printed = sys.stdout.getvalue()
        sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
        verbose_status = main(["build", str(sample_path("001")), "--out", str(out / "pipe"), "--jobs", "1", "-v"])
        verbose, piped = sys.stdout.getvalue(), sys.stderr.getvalue()
    finally:
        sys.stdout, sys.stderr = stdout, stderr
    return {"out": out / "tty", "status": (status, verbose_status), "terminal": terminal.getvalue(),
            "printed": printed, "verbose": verbose, "piped": piped}


def test_build_on_a_terminal_draws_bars_and_summarises_the_extraction_warnings(one_built):
    assert one_built["status"] == (0, 0)
    terminal = one_built["terminal"]
    assert "\r[####################] 1/1 100%" in terminal and "extracted 001_087f41aba7939677.txt" in terminal
    assert "graph of 001_087f41aba7939677.txt" in terminal and terminal.endswith("\n")
    assert "\nloading the store\n" in terminal
    warning = "001_087f41aba7939677.txt:32: unit list ends with a separator and is not continued (cut off?)"
    assert one_built["printed"].splitlines()[-1] == \
        f"extraction warnings: 001_087f41aba7939677.txt 1 (first: {warning})"
    assert one_built["verbose"].splitlines()[-2:] == ["extraction warnings: 001_087f41aba7939677.txt 1",
                                                      f"  {warning}"]


def test_build_in_a_pipe_prints_plain_progress_lines(one_built):
    piped = one_built["piped"]
    assert "\r" not in piped
    assert "[1/1] extracted 001_087f41aba7939677.txt\n" in piped and "\nmatching tasks across documents\n" in piped


def test_validate_draws_a_bar_on_a_terminal_and_prints_no_progress_in_a_pipe(one_built, monkeypatch, capsys):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["validate", str(one_built["out"])]) == 0
    text = terminal.getvalue()
    # a build folder is checked issuer by issuer: the bar counts issuers (the sample's 常州市天宁区 is 320404)
    assert text.startswith("\r[") and "reading " not in text
    assert "validated 320404" in text and re.search(r"\] 1/1 100%", text) and text.endswith("\n")
    monkeypatch.undo()
    assert main(["validate", str(one_built["out"])]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "0 violations" in out


def test_publish_counts_the_graphs_it_sends_into_a_bar(tmp_path, monkeypatch, capsys):
    (tmp_path / "graphs").mkdir()
    for name in ("a", "lexicon"):
        (tmp_path / "graphs" / f"{name}.nq").write_text("", encoding="utf-8")
    manifest = {"base": "http://x/", "documents": {"a": {"graph": "http://x/graph/a", "graph_file": "graphs/a.nq"}}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    def fake_publish(source, store, **options):
        for name in ("http://x/graph/a", "http://x/graph/lexicon"):
            options["progress"](f"sending {name}")
        return PublishReport()

    monkeypatch.setattr(govkg.cli, "publish", fake_publish)
    monkeypatch.setattr(govkg.cli_progress, "REDRAW", 0.0)  # every frame drawn, however fast
    argv = ["publish", "--from", str(tmp_path), "--graph-store", "http://127.0.0.1:9/store"]
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(argv) == 0
    frames = terminal.getvalue().split("\r")
    assert len(frames) == 4 and "0/2   0%" in frames[1] and "sending http://x/graph/a" in frames[1]
    assert "1/2  50%" in frames[2] and "sending http://x/graph/lexicon" in frames[2]
    assert "2/2 100%" in frames[3] and frames[3].rstrip().endswith("sending 2 graphs: done") and \
        frames[3].endswith("\n")
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert main(argv) == 0
    assert sys.stderr.getvalue() == "sending http://x/graph/a\nsending http://x/graph/lexicon\n"
