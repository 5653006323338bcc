"""Cost of `govkg build` on national synthetic corpora (bench/corpus.py) as the number of documents grows.

For each size: generate the corpus (cached under bench/.work/corpus-N-S/), build it from scratch in a subprocess
and report wall time, peak RSS, quads and the time and peak RSS of each stage (from the build's progress lines); check
that every document gave the tasks written (manifest.json against the corpus' expected.json); then time an
unchanged rebuild and a rebuild with one document changed, into the same folder. The reference line is the build
of data/samples/ (5 documents) in the same run, after an untimed one. Each build's stderr is kept in
bench/.work/build-N-S.stderr.txt.
Ends with the scaling exponent (log-log slope of wall time against documents) and the extrapolation to 25,000 documents.

    .venv/bin/python bench/build.py --sizes 100 1000 [5000] [--seed 1] [--timeout 1500]
    .venv/bin/python bench/build.py --sizes 25000 --dumps shares --builds DIR --reuse --repeat 3   # rebuilds only
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus import generate
from govkg.dumps import DUMP_MODES
from govkg.executors import default_jobs

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".work"
SAMPLES = ROOT / "data" / "samples"
TIME = Path("/usr/bin/time")
TARGET = 25_000

#: Progress lines of `govkg build` that open a stage (the stage lasts until the next one opens).
STAGES = (("extract", re.compile(r"^extracting \d+ documents?\b")), ("lexicon", re.compile(r"^remaking the lexicon")),
          ("graph", re.compile(r"^making and validating")), ("match", re.compile(r"^matching tasks")),
          ("nq", re.compile(r"^writing dataset.nq")),
          ("dumps", re.compile(r"^writing (dumps|the shares of the dumps)")),
          ("store", re.compile(r"^loading the store")),
          ("summary", re.compile(r"^documents \d+")))


@dataclass
class Run:
    """One build: wall time, peak RSS, exit status, seconds per stage and the stderr lines."""

    seconds: float
    rss_mb: float
    status: int
    stages: dict[str, float] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    #: The peak summed RSS (MB) of the process tree while each stage ran.
    stage_rss: dict[str, float] = field(default_factory=dict)
    timed_out: bool = False


def build(paths: list[Path], out: Path, timeout: float | None, jobs: int = 1, dumps: str = "whole") -> Run:
    """Run `govkg build PATHS --out OUT --jobs N --dumps MODE` in a subprocess, timing each stage from its progress
    lines; the peak RSS is that of the whole process tree (the build and its workers)."""
    command = [sys.executable, "-m", "govkg", "build", *map(str, paths), "--out", str(out), "--jobs", str(jobs),
               "--dumps", dumps]
    timed = TIME.exists()
    if timed:
        command = [str(TIME), "-v", *command]
    env = dict(os.environ, PYTHONUNBUFFERED="1", SOURCE_DATE_EPOCH="1767225600")
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    marks: list[tuple[str, float]] = []
    lines: list[str] = []
    peak = [0.0]
    stage_rss: dict[str, float] = {}

    def read() -> None:
        assert process.stderr is not None
        for raw in iter(process.stderr.readline, b""):
            now = time.perf_counter() - start
            line = raw.decode("utf-8", "replace").rstrip("\n")
            lines.append(line)
            for stage, pattern in STAGES:
                if pattern.match(line) and (not marks or marks[-1][0] != stage):
                    marks.append((stage, now))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    threading.Thread(target=_poll_rss, args=(process.pid, peak, marks, stage_rss), daemon=True).start()
    timed_out = False
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        timed_out = True
    seconds = time.perf_counter() - start
    reader.join()
    end = marks[-1][1] if marks and marks[-1][0] == "summary" else seconds
    stages = {stage: (marks[i + 1][1] if i + 1 < len(marks) else end) - at
              for i, (stage, at) in enumerate(marks) if stage != "summary"}
    if marks:
        stages = {"start": marks[0][1], **stages}
    out.parent.joinpath(f"{out.name}.stderr.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rss = peak[0]
    for line in lines:
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", line)
        if found:
            rss = max(rss, int(found.group(1)) / 1024)  # the largest single process
    return Run(seconds, rss, process.returncode, stages, lines, timed_out=timed_out, stage_rss=stage_rss)


def _poll_rss(pid: int, peak: list[float], marks: list[tuple[str, float]], stage_rss: dict[str, float]) -> None:
    """Sample the summed RSS of the process tree (psutil) until it ends; the peak of each stage too (the stage
    the progress lines last opened)."""
    try:
        import psutil
    except ImportError:
        return
    try:
        root = psutil.Process(pid)
        while root.is_running():
            total = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]) / 2**20
            peak[0] = max(peak[0], total)
            stage = marks[-1][0] if marks else "start"
            stage_rss[stage] = max(stage_rss.get(stage, 0.0), total)
            time.sleep(0.05)
    except psutil.Error:
        return


def quads(out: Path) -> int:
    """Lines of the build's dataset.nq, whole or as shares (the manifest counts each graph file's)."""
    try:
        return sum(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["lines"].values())
    except (OSError, ValueError, KeyError):
        return 0


def documents_in(out: Path) -> int:
    """The documents a build holds (its manifest's records), whatever size its corpus was asked for."""
    try:
        return len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"])
    except (OSError, ValueError, KeyError):
        return 0


def corpus(size: int, seed: int) -> tuple[Path, dict[str, int]]:
    """The generated corpus of `size` documents (generated once, then read from bench/.work; generated again when
    the folder holds another number, as a corpus of an earlier generator may)."""
    folder = WORK / f"corpus-{size}-{seed}"
    expected_file = folder / "expected.json"
    if expected_file.exists() and len(json.loads(expected_file.read_text(encoding="utf-8"))) == size:
        return folder, json.loads(expected_file.read_text(encoding="utf-8"))
    return folder, generate(size, seed, folder)


def built(sizes: list[int], builds: Path, seed: int) -> Iterator[tuple[int, Path, Path]]:
    """Each size's build folder in `builds` and its corpus in bench/.work, as this script left them: (size,
    corpus, build folder); a size without either is said and skipped."""
    for size in sizes:
        out = builds / f"build-{size}-{seed}"
        folder = WORK / f"corpus-{size}-{seed}"
        if not (out / "manifest.json").is_file() or not folder.is_dir():
            print(f"no build of {size} documents in {builds} (run bench/build.py --sizes {size} first)")
            continue
        yield size, folder, out


def check_counts(out: Path, expected: dict[str, int]) -> str:
    """Compare the tasks the build's manifest records per document with those generated."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    got = {entry["file"]: entry["tasks"] for entry in manifest["documents"].values()}
    wrong = [name for name, count in expected.items() if got.get(name) != count]
    total = sum(got.get(name, 0) for name in expected)
    verdict = "all match" if not wrong else f"{len(wrong)} differ, e.g. {wrong[0]}: {got.get(wrong[0])}"
    return f"tasks {total} read / {sum(expected.values())} written ({verdict})"


def change_one(folder: Path, tag: str = "") -> tuple[Path, str]:
    """Change one task statement of one document (the middle one holding a 。; `tag` makes the change differ from
    an earlier one); return it and its original text."""
    files = sorted(folder.glob("*.txt"))
    for path in files[len(files) // 2:] + files[: len(files) // 2]:
        text = path.read_text(encoding="utf-8")
        at = text.rfind("。")
        if at > 0:
            path.write_text(text[:at] + f"，按期完成{tag}。" + text[at + 1:], encoding="utf-8")
            return path, text
    raise SystemExit(f"no document of {folder} can be changed")


def stage_text(run: Run) -> str:
    """Stage seconds on one line, each with its peak RSS (GB) when sampled."""
    rss = {stage: f"/{mb / 1024:.2f}G" for stage, mb in run.stage_rss.items()}
    return " ".join(f"{stage} {seconds:.1f}{rss.get(stage, '')}" for stage, seconds in run.stages.items())


def report(label: str, documents: int, run: Run, out: Path, reference: float | None) -> None:
    """One line of the table."""
    ratio = f"{run.seconds / reference:8.1f}" if reference else f"{'':>8}"
    state = " TIMED OUT" if run.timed_out else "" if run.status == 0 else f" exit {run.status}"
    print(f"{label:<22} {documents:>6} {run.seconds:>9.1f} {1000 * run.seconds / documents:>9.0f} "
          f"{run.rss_mb:>8.0f} {quads(out) if run.status == 0 else 0:>10} {ratio}   {stage_text(run)}{state}",
          flush=True)


def main() -> None:
    """Command line: --sizes N … [--seed S] [--timeout SECONDS]."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=None, help="give up a build after this many seconds")
    parser.add_argument("--no-rebuilds", action="store_true", help="time the cold builds only")
    parser.add_argument("--reuse", action="store_true",
                        help="time only the rebuilds of the builds an earlier run left in --builds (e.g. a 25,000-"
                             "document build), building cold only the sizes that have none")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="time the one-changed rebuild N times, each a different change (default: 1)")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="govkg build --jobs (default: the CPUs this process may use)")
    parser.add_argument("--dumps", choices=DUMP_MODES, default="whole",
                        help="govkg build --dumps (shares: no whole dump rewritten; the national configuration)")
    parser.add_argument("--builds", type=Path, default=WORK,
                        help=f"where the builds are written (default: {WORK}; the corpora stay there)")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    args.builds.mkdir(parents=True, exist_ok=True)

    print(f"{'build':<22} {'docs':>6} {'wall s':>9} {'ms/doc':>9} {'RSS MB':>8} {'quads':>10} {'x ref':>8}   "
          f"stages (s/peak RSS)", flush=True)
    out = args.builds / "build-samples"
    # Untimed first: the first run of freshly installed code compiles its bytecode and fills the user's cache (its
    # samples' build took 4.5 s against 2.7 s later in the same session), which would skew every ratio.
    for timed in (False, True):
        shutil.rmtree(out, ignore_errors=True)
        samples = build([SAMPLES], out, args.timeout, args.jobs, args.dumps)
        if samples.status != 0 or timed:
            break
    report("reference: samples", 5, samples, out, None)
    reference = samples.seconds

    sizes: list[int] = []
    seconds: list[float] = []
    for size in args.sizes:
        folder, expected = corpus(size, args.seed)
        out = args.builds / f"build-{size}-{args.seed}"
        if not (args.reuse and (out / "manifest.json").is_file()):
            shutil.rmtree(out, ignore_errors=True)
            cold = build([folder], out, args.timeout, args.jobs, args.dumps)
            report("cold build", len(expected), cold, out, reference)
            if cold.status != 0:
                print("\n".join(cold.lines[-5:]), flush=True)
                break
            print(f"{'':<22} {check_counts(out, expected)}", flush=True)
            sizes.append(size)
            seconds.append(cold.seconds)
        if args.no_rebuilds:
            continue
        documents = len(expected)
        unchanged = build([folder], out, args.timeout, args.jobs, args.dumps)
        report("unchanged rebuild", documents, unchanged, out, reference)
        for repeat in range(args.repeat):
            path, original = change_one(folder, str(repeat) if repeat else "")
            try:
                changed = build([folder], out, args.timeout, args.jobs, args.dumps)
                report(f"one changed ({path.name[:5]})", documents, changed, out, reference)
            finally:
                path.write_text(original, encoding="utf-8")
        if args.reuse:  # the build left as the corpus is, for the next run
            report("changed back", documents, build([folder], out, args.timeout, args.jobs, args.dumps), out, reference)

    for i in range(1, len(sizes)):
        exponent = math.log(seconds[i] / seconds[i - 1]) / math.log(sizes[i] / sizes[i - 1])
        print(f"scaling exponent {exponent:.2f} over {sizes[i - 1]}–{sizes[i]} documents")
    if len(sizes) > 1:
        exponent = math.log(seconds[-1] / seconds[-2]) / math.log(sizes[-1] / sizes[-2])
        at_target = seconds[-1] * (TARGET / sizes[-1]) ** exponent
        print(f"extrapolated to {TARGET:,} documents (exponent {exponent:.2f} from the last two sizes): "
              f"{at_target:,.0f} s = {at_target / 3600:.1f} h; linear from {sizes[-1]}: "
              f"{seconds[-1] * TARGET / sizes[-1]:,.0f} s")


if __name__ == "__main__":
    main()
