"""The store load of a build, its slices loaded one at a time and several at once (govkg.store.LOAD_THREADS).

Oxigraph's bulk loader parses a slice on the thread that calls it and keeps about 1.2 CPUs busy; slices handed to
it from several threads keep more CPUs busy. This loads a build folder's graph files (the first `--files` of
them, or all) into a temporary store both ways in alternating rounds (the machine's speed drifts), optionally with
the dump shares made at the same time as a build does (`--with-shares`), and prints each round, the medians and
their ratio, and each way's peak memory (a process of its own per load):

    .venv/bin/python bench/store_load.py bench/.work/build-1000-1 --rounds 3
    .venv/bin/python bench/store_load.py /tmp/build-25000-1 --files 2500 --rounds 2 --with-shares

Nothing in the build folder is changed.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from dumps_store import load, make_shares  # noqa: E402  (bench/dumps_store.py)

from govkg.executors import default_jobs  # noqa: E402
from govkg.store import LOAD_THREADS  # noqa: E402


def one_load(files: list[Path], threads: int, shares: bool, jobs: int) -> tuple[float, int, float]:
    """Seconds, quads and peak GB of one load into a temporary store (with the shares made meanwhile)."""
    with tempfile.TemporaryDirectory(prefix="govkg-bench-") as scratch:
        began = time.perf_counter()
        with ThreadPoolExecutor(1) as background:
            made = background.submit(make_shares, files, jobs) if shares else None
            quads = load(files, Path(scratch) / "store", threads)
            if made is not None:
                made.result()
        return time.perf_counter() - began, quads, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def main() -> None:
    """Time the rounds and print them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build", type=Path, help="a build folder (govkg build --out)")
    parser.add_argument("--files", type=int, help="load only the first N graph files")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=max(2, LOAD_THREADS),
                        help=f"slices at once in the second way (default: {max(2, LOAD_THREADS)})")
    parser.add_argument("--with-shares", action="store_true", help="make the dump shares during each load")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="worker processes for the shares")
    parser.add_argument("--one", nargs=2, type=int, metavar=("THREADS", "FILES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    manifest = args.build / "manifest.json"
    if not manifest.is_file():
        raise SystemExit(f"{args.build}: no manifest.json (not a build folder)")
    files = [args.build / part for part in json.loads(manifest.read_bytes())["parts"]]
    if args.one:  # the child process of one load
        seconds, quads, peak = one_load(files[:args.one[1]], args.one[0], args.with_shares, args.jobs)
        print(json.dumps({"seconds": seconds, "quads": quads, "peak": peak}))
        return
    files = files[:args.files] if args.files else files
    times: dict[int, list[float]] = {1: [], args.threads: []}
    peaks: dict[int, float] = {}
    for number in range(1, args.rounds + 1):
        for threads, taken in times.items():
            command = [sys.executable, __file__, str(args.build), "--one", str(threads), str(len(files)),
                       "--jobs", str(args.jobs), *(["--with-shares"] if args.with_shares else [])]
            found = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
            taken.append(found["seconds"])
            peaks[threads] = max(peaks.get(threads, 0.0), found["peak"])
            print(f"round {number}: {len(files):,} graph files, {found['quads']:,} quads, {threads} at once: "
                  f"{found['seconds']:.1f} s, peak {found['peak']:.2f} GB", flush=True)
    one, several = (statistics.median(times[threads]) for threads in times)
    print(f"median: one slice at a time {one:.1f} s ({peaks[1]:.2f} GB), {args.threads} at once {several:.1f} s "
          f"({peaks[args.threads]:.2f} GB): {several / one:.2f} ×")


if __name__ == "__main__":
    main()
