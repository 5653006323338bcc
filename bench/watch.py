"""How soon `govkg build --watch` has rebuilt after one document is written, as the build grows.

For each build folder that bench/build.py left (its corpus beside it in bench/.work): start `govkg build --watch
--dumps shares` (or the mode `--dumps` names) on it, wait until it watches (its first build finds nothing
changed), then change one document --repeat times (each a different change, each time after the previous rebuild
was reported) and time each from the write to the watch's report line (the rebuild committed: manifest written,
store switched); finally put the document back and wait for that rebuild too, leaving the folder as the corpus
is. The same one-changed rebuild as a separate `govkg build` process is timed beside it. The reference line is
the samples (a copy of data/samples/, built and watched the same way) in the same run.

    .venv/bin/python bench/watch.py --sizes 5000 --builds /tmp/benchruns/b5k
    .venv/bin/python bench/watch.py --sizes 25000 --builds /tmp/benchruns/b25k --repeat 5
    .venv/bin/python bench/watch.py --sizes 25000 --builds /tmp/benchruns/b25lazy --dumps lazy
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from build import SAMPLES, WORK, build, built, change_one, documents_in

from govkg.dumps import DUMP_MODES

REPORTED = re.compile(r"^\d\d:\d\d:\d\d (built|nothing changed|govkg:)")
READY = "watching "


class Watching:
    """`govkg build --watch` on a corpus and build folder, its report lines read as they come."""

    def __init__(self, corpus: Path, out: Path, jobs: int, dumps: str) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1", SOURCE_DATE_EPOCH="1767225600")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "govkg", "build", str(corpus), "--out", str(out), "--dumps", dumps, "--jobs",
             str(jobs), "--watch", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: object) -> None:
        for raw in iter(stream.readline, b""):  # type: ignore[attr-defined]
            self.lines.put((time.perf_counter(), raw.decode("utf-8", "replace").rstrip("\n")))

    def until(self, wanted: re.Pattern[str] | str, seconds: float) -> tuple[float, str]:
        """The time and text of the next line matching `wanted` (a pattern, or a prefix)."""
        end = time.perf_counter() + seconds
        while True:
            try:
                at, line = self.lines.get(timeout=max(0.0, end - time.perf_counter()))
            except queue.Empty:
                raise SystemExit(f"no line {wanted!r} from the watch within {seconds:.0f} s") from None
            if line.startswith(wanted) if isinstance(wanted, str) else wanted.match(line):
                return at, line

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def changed_once(watching: Watching, folder: Path, tag: str) -> tuple[float, str, Path, str]:
    """Change one document; the seconds from the write to the watch's report line, and the line."""
    path, original = change_one(folder, tag)
    written = time.perf_counter()  # after the change: finding the document to change lists the whole corpus
    at, line = watching.until(REPORTED, 600)
    return at - written, line, path, original


def measure(label: str, corpus: Path, out: Path, *, repeat: int, jobs: int, reference: float | None,
            verbose: bool = False, dumps: str = "shares") -> float:
    """Print one line: the watch's seconds per one-document change (p50 and worst) beside a separate build's."""
    watching = Watching(corpus, out, jobs, dumps)
    try:
        watching.until(READY, 3600)
        seconds: list[float] = []
        path, original = None, ""
        for attempt in range(repeat):
            took, line, changed, text = changed_once(watching, corpus, f"w{attempt}")
            path, original = (changed, text) if path is None else (path, original)
            if " built " not in line:
                raise SystemExit(f"the watch did not rebuild: {line}")
            seconds.append(took)
            if verbose:
                print(f"  {took:.2f} s: {line}", flush=True)
        if path is not None:  # put back; its rebuild waited for
            path.write_text(original, encoding="utf-8")
            watching.until(REPORTED, 600)
    finally:
        watching.stop()
    # the same change made by a separate process, as bench/build.py times it
    path, original = change_one(corpus, "separate")
    try:
        separate = build([corpus], out, None, jobs, dumps).seconds
    finally:
        path.write_text(original, encoding="utf-8")
    build([corpus], out, None, jobs, dumps)
    p50 = statistics.median(seconds)
    ratio = f"{p50 / reference:8.1f}" if reference else f"{'':>8}"
    print(f"{label:<22} {documents_in(out):>6} {p50:>9.2f} {max(seconds):>9.2f} {separate:>11.2f} {ratio}", flush=True)
    return p50


def main() -> None:
    """Command line: --sizes N … [--builds DIR] [--repeat N]."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="changes timed per size (default: 5)")
    parser.add_argument("--jobs", type=int, default=2, help="govkg build --jobs (default: 2)")
    parser.add_argument("--dumps", choices=DUMP_MODES, default="shares",
                        help="govkg build --dumps, as the builds were made (default: shares)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each change's report line")
    parser.add_argument("--builds", type=Path, default=WORK,
                        help=f"where bench/build.py left its builds (default: {WORK})")
    args = parser.parse_args()
    print(f"{'watch':<22} {'docs':>6} {'p50 s':>9} {'worst s':>9} {'separate s':>11} {'x ref':>8}", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        samples = Path(scratch) / "samples"
        shutil.copytree(SAMPLES, samples)
        out = Path(scratch) / "build"
        build([samples], out, None, args.jobs, args.dumps)
        reference = measure("reference: samples", samples, out, repeat=args.repeat, jobs=args.jobs, reference=None,
                            verbose=args.verbose, dumps=args.dumps)
    for size, corpus, out in built(args.sizes, args.builds, args.seed):
        measure(f"one changed, {size}", corpus, out, repeat=args.repeat, jobs=args.jobs, reference=reference,
                verbose=args.verbose, dumps=args.dumps)


if __name__ == "__main__":
    main()
