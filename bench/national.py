"""`govkg query` asked of every issuer: in pages (the default on a build of more than 9 issuers) against one query
(`--whole`), on builds of growing size; the samples' build (bench/.work/build-samples, made when missing) is the
reference line.

Each run is `govkg query NAME --format csv -o FILE` in a process of its own, timed from the start to its first
progress line with rows (pages) or to the end, with its peak RSS (/usr/bin/time); the two answers are then checked
to hold the same rows. Prints, per build and question: rows, first rows (s), whole answer (s), peak RSS (GB) of each
way, and the pages' time and memory as a ratio of the whole query's.

    .venv/bin/python bench/national.py bench/.work/build-5000-1 [--questions q01:unit=住建局 q04 q05] [--no-whole]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "bench" / ".work" / "build-samples"
TIME = Path("/usr/bin/time")
_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_ROWS = re.compile(r"\] issuers answered, ([\d,]+) rows|^(\d+) rows written")


@dataclass
class Run:
    """One `govkg query` process: seconds to its first rows and to its end, peak RSS (GB), rows, the file written."""

    first: float
    seconds: float
    rss_gb: float
    rows: int
    out: Path


def ask(build: Path, question: str, params: list[str], whole: bool, folder: Path) -> Run:
    """Run `govkg query QUESTION --param … [--whole] --store BUILD --format csv -o FILE` and time it."""
    out = folder / f"{question}{'-whole' if whole else ''}.csv"
    command = [sys.executable, "-m", "govkg", "query", question, *(f"--param={p}" for p in params), "--store",
               str(build), "--format", "csv", "-o", str(out), *(["--whole"] if whole else [])]
    if TIME.exists():
        command = [str(TIME), "-v", *command]
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                               env=dict(os.environ, PYTHONUNBUFFERED="1"))
    assert process.stderr is not None
    first, rows, rss, lines = None, 0, 0.0, []
    for line in process.stderr:
        lines.append(line)
        found = _ROWS.search(line.strip())
        if found:
            first = first if first is not None else time.perf_counter() - began
            rows = int((found[1] or found[2]).replace(",", ""))
        size = _RSS.search(line)
        if size:
            rss = int(size[1]) / 1024 / 1024
    seconds = time.perf_counter() - began
    if process.wait() != 0:
        raise SystemExit(f"govkg query {question} failed on {build}:\n{''.join(lines[-20:])}")
    return Run(first if first is not None else seconds, seconds, rss, rows, out)


def same_rows(one: Path, other: Path) -> bool:
    """Whether two CSV answers hold the same lines, whatever their order."""
    with one.open("rb") as a, other.open("rb") as b:
        return sorted(a) == sorted(b)


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("builds", nargs="*", type=Path)
    parser.add_argument("--questions", nargs="+", default=["q01:unit=住建局", "q04", "q05"], metavar="NAME[:P=V,…]",
                        help="named questions and their parameters (default: q01:unit=住建局 q04 q05)")
    parser.add_argument("--no-whole", action="store_true", help="time the pages only (the whole query takes "
                                                                "minutes at 25,000 documents)")
    args = parser.parse_args()
    if not (REFERENCE / "manifest.json").is_file():
        from govkg import build as build_folder

        build_folder([ROOT / "data" / "samples"], REFERENCE)
    builds = [REFERENCE, *(b.resolve() for b in args.builds if b.resolve() != REFERENCE)]
    print(f"{'build':<28} {'question':<16} {'rows':>10}   {'pages: first / all s, GB':>26}   "
          f"{'whole: all s, GB':>18}   pages × whole (time, memory)")
    with tempfile.TemporaryDirectory(prefix="govkg-national-") as temporary:
        folder = Path(temporary)
        for build in builds:
            for spec in args.questions:
                question, _, given = spec.partition(":")
                params = [p for p in given.split(",") if p]
                paged = ask(build, question, params, False, folder)
                cells = f"{paged.first:>9.2f} / {paged.seconds:>7.1f}, {paged.rss_gb:>4.2f}"
                if args.no_whole:
                    print(f"{build.name:<28} {spec:<16} {paged.rows:>10,}   {cells:>26}")
                    continue
                whole = ask(build, question, params, True, folder)
                check = "" if same_rows(paged.out, whole.out) else "   THE ROWS DIFFER"
                print(f"{build.name:<28} {spec:<16} {whole.rows:>10,}   {cells:>26}   "
                      f"{whole.seconds:>10.1f}, {whole.rss_gb:>4.2f}   "
                      f"{paged.seconds / whole.seconds:>5.2f} ×, {paged.rss_gb / max(whole.rss_gb, 1e-9):>4.2f} ×"
                      f"{check}", flush=True)


if __name__ == "__main__":
    main()
