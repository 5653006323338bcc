"""How soon `govkg serve --follow` answers from a rebuild, as the build grows.

For each build folder that bench/build.py left (its corpus beside it in bench/.work, or given by --corpus): start
`govkg serve --follow` on it and time its start (until it answers); change one document of the corpus, rebuild
(`govkg build --dumps shares`, timed as bench/build.py times it) and time how long the server takes, once the
build has committed (its manifest written), to open the new build and switch to it (its log line "now serving …
(opened in S s)"), and how long its names and statements indexes then take (read whole when the server starts,
updated for the changed issuer after a switch; its log lines "the … index of the build …: … in S s"); finally put
the document back and rebuild, leaving the folder as the corpus is. The reference line is the samples (a copy of
data/samples/, built and served the same way) in the same run.

    .venv/bin/python bench/follow.py --sizes 5000 --builds /tmp/benchruns/b5k
    .venv/bin/python bench/follow.py --sizes 25000 --builds DIR --repeat 3
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from build import SAMPLES, WORK, build, change_one, quads

#: The server looks for a new build this often (seconds): the switch is timed from its log, not from this.
FOLLOW = 0.2
OPENED = re.compile(r"now serving the build whose store is .* \(opened in ([\d.]+) s\)")
INDEXED = re.compile(r"the (\w+) index of the build whose store is .*?: (.*) in ([\d.]+) s$")
#: The indexes timed: names (completion, search) and task statements (search).
INDEXES = ("names", "tasks")


class Served:
    """`govkg serve --follow` on a build folder, its log lines read as they come."""

    def __init__(self, out: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.origin = f"http://127.0.0.1:{port}"
        began = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "govkg", "serve", "--store", str(out), "--port", str(port), "--follow",
             str(FOLLOW)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.lines: list[tuple[float, str]] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.started = self._until_answering(began, 600)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for raw in iter(self.process.stderr.readline, b""):
            self.lines.append((time.time(), raw.decode("utf-8", "replace").rstrip("\n")))

    def _until_answering(self, since: float, seconds: float) -> float:
        """Seconds from `since` until the server answers a query."""
        end = time.perf_counter() + seconds
        while True:
            try:
                urllib.request.urlopen(f"{self.origin}/sparql?query=ASK%7B%7D", timeout=5).read()
                return time.perf_counter() - since
            except OSError:
                if self.process.poll() is not None or time.perf_counter() > end:
                    raise SystemExit(f"govkg serve did not answer: {self.lines[-3:]}") from None
                time.sleep(0.05)

    def switched(self, after: int, seconds: float = 600) -> tuple[float, float]:
        """Wait for the switch logged after line `after`: (its clock time, the opening seconds it logged)."""
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            for at, line in self.lines[after:]:
                found = OPENED.search(line)
                if found:
                    return at, float(found.group(1))
                if "could not be opened" in line:
                    raise SystemExit(line)
            time.sleep(0.05)
        raise SystemExit("the server did not switch to the rebuild")

    def indexed(self, after: int, seconds: float = 900) -> dict[str, tuple[float, float, str]]:
        """Wait for the names and statements indexes logged after line `after`: per index, (its clock time, the
        seconds it logged, how it was made)."""
        end = time.perf_counter() + seconds
        found: dict[str, tuple[float, float, str]] = {}
        while time.perf_counter() < end:
            for at, line in self.lines[after:]:
                match = INDEXED.search(line)
                if match and match.group(1) in INDEXES:
                    found.setdefault(match.group(1), (at, float(match.group(3)), match.group(2)))
            if len(found) == len(INDEXES):
                return found
            time.sleep(0.05)
        raise SystemExit(f"the server did not log its indexes: {self.lines[-3:]}")

    def stop(self) -> None:
        """Stop the server."""
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(label: str, documents: int, corpus: Path, out: Path, *, repeat: int, jobs: int) -> None:
    """Serve `out`, then rebuild it with one document of `corpus` changed, `repeat` times; print one line each."""
    served = Served(out)
    try:
        whole = served.indexed(0)
        print(f"{label + ', started':<31} {documents:>6} {quads(out):>11,} {served.started:>8.2f} {'':>9} {'':>7} "
              f"{'':>9} {whole['names'][1]:>8.2f} {whole['tasks'][1]:>8.2f}   {whole['names'][2]}", flush=True)
        for attempt in range(repeat):
            path, original = change_one(corpus, f"f{attempt}")
            try:
                seen = len(served.lines)
                rebuilt = build([corpus], out, None, jobs, "shares")
                if rebuilt.status != 0:
                    raise SystemExit("\n".join(rebuilt.lines[-5:]))
                committed = (out / "manifest.json").stat().st_mtime  # the build's commit
                at, opened = served.switched(seen)
                indexes = served.indexed(seen)
                ready = max(at for at, _, _ in indexes.values())
                print(f"{label + ', one changed':<31} {documents:>6} {quads(out):>11,} {'':>8} {rebuilt.seconds:>9.2f} "
                      f"{opened:>7.2f} {at - committed:>9.2f} {indexes['names'][1]:>8.2f} {indexes['tasks'][1]:>8.2f} "
                      f"{ready - committed:>9.2f}   {indexes['names'][2]}", flush=True)
            finally:
                path.write_text(original, encoding="utf-8")
                seen = len(served.lines)
                build([corpus], out, None, jobs, "shares")  # the folder left as the corpus is
                served.switched(seen)
                served.indexed(seen)
    finally:
        served.stop()


def main() -> None:
    """Command line: --sizes N … --builds DIR [--repeat N]."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[], help="the builds bench/build.py made")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--builds", type=Path, default=WORK, help=f"where they are (default: {WORK})")
    parser.add_argument("--repeat", type=int, default=1, help="rebuilds timed per size (default: 1)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(f"{'served build':<31} {'docs':>6} {'quads':>11} {'start s':>8} {'rebuild s':>9} {'open s':>7} "
          f"{'→served s':>9} {'names s':>8} {'texts s':>8} {'→indexed s':>9}", flush=True)
    with tempfile.TemporaryDirectory(prefix="govkg-follow-") as work:
        corpus, out = Path(work) / "samples", Path(work) / "out"
        shutil.copytree(SAMPLES, corpus)
        build([corpus], out, None, args.jobs, "shares")
        measure("reference: samples", 5, corpus, out, repeat=args.repeat, jobs=args.jobs)
    for size in args.sizes:
        out = args.builds / f"build-{size}-{args.seed}"
        corpus = WORK / f"corpus-{size}-{args.seed}"
        if not (out / "manifest.json").is_file() or not corpus.is_dir():
            raise SystemExit(f"{out}: no build of {size} documents (run bench/build.py --sizes {size} --dumps "
                             f"shares --builds {args.builds} first)")
        measure("served", size, corpus, out, repeat=args.repeat, jobs=args.jobs)
    print("\nstart: until the server answers (its facts read); open: the new build's store opened and its facts "
          "read, as the server logs it; →served: from the build's commit (its manifest written) until the server "
          "switched to it; names, texts: the seconds the server took to make its names and statements indexes (read "
          "whole when it started, updated after a switch); →indexed: from the build's commit until both were made")


if __name__ == "__main__":
    main()
