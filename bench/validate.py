"""`govkg validate DIR` as the build grows: wall time and peak memory (the whole process tree: the command and its
worker processes) on several build folders, the samples' build first as the reference, each with its growth
against it and its time per document.

    .venv/bin/python bench/validate.py bench/.work/build-1000-1 bench/.work/build-5000-1 [--jobs 2] [--timeout 3600]

A build folder is checked graph file by graph file (govkg.validate_build), so memory should stay that of one
issuer's files and time grow with the documents. `--whole DIR…` also times reading the folder's dataset.nq whole
(govkg.validate_build.validate_path on the file), as `govkg validate` did before: it is stopped at --timeout, and
past about 1,000 documents it needs more memory than a machine of 24 GB has.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from build import _poll_rss, documents_in, quads  # noqa: E402  (bench/build.py: process-tree RSS, build sizes)

REFERENCE = ROOT / "bench" / ".work" / "build-samples"
PYTHON = ROOT / ".venv" / "bin" / "python"


def timed(command: list[str], timeout: float) -> tuple[float, float, int | None, str]:
    """Seconds, peak RSS of the process tree (MB), exit status (None: stopped at `timeout`) and the output's last
    line of one command."""
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak: list[float] = [0.0]
    poller = threading.Thread(target=_poll_rss, args=(process.pid, peak, [], {}), daemon=True)
    poller.start()
    try:
        output, _ = process.communicate(timeout=timeout)
        status: int | None = process.returncode
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        status = None
    seconds = time.perf_counter() - began
    poller.join(timeout=1)
    last = (output or "").strip().splitlines()[-1:] or [""]
    return seconds, peak[0], status, last[0]


def ensure_reference() -> None:
    """Build the samples into REFERENCE when it is missing (as bench/build.py does)."""
    if not (REFERENCE / "manifest.json").is_file():
        subprocess.run([str(PYTHON), "-m", "govkg", "build", str(ROOT / "data" / "samples"), "--out", str(REFERENCE),
                        "-q"], check=True)


def main() -> None:
    """Time `govkg validate` on each build folder and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("builds", nargs="*", type=Path)
    parser.add_argument("--jobs", type=int, default=2, help="govkg validate --jobs (default: 2)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds a run may take (default: 3600)")
    parser.add_argument("--whole", nargs="*", type=Path, default=[],
                        help="build folders whose dataset.nq is also checked read whole (the way before)")
    args = parser.parse_args()
    ensure_reference()
    builds = [REFERENCE, *(b.resolve() for b in args.builds if b.resolve() != REFERENCE)]
    print(f"{'build':<24} {'docs':>7} {'quads':>12} {'how':<8} {'wall s':>9} {'ms/doc':>8} {'peak MB':>8} "
          f"{'× ref':>7}  last line")
    reference: dict[str, float] = {}
    for build in builds:
        docs, size = documents_in(build), quads(build)
        ways = [("by files", ["validate", str(build), "--jobs", str(args.jobs)])]
        if build == REFERENCE or build in [b.resolve() for b in args.whole]:
            script = ("import sys; from govkg.validate_build import validate_path; from govkg.dumps import "
                      "dump_chunks; from pathlib import Path; import tempfile; "
                      "f = tempfile.NamedTemporaryFile(suffix='.nq'); "
                      "[f.write(c) for c in dump_chunks(sys.argv[1], 'dataset.nq')]; f.flush(); "
                      "r = validate_path(f.name); print(len(r.violations), 'violations,', len(r.warnings), 'warnings')")
            ways.append(("whole", ["-c", script, str(build)]))
        for how, command in ways:
            seconds, rss, status, last = timed([str(PYTHON), *(["-m", "govkg"] if how == "by files" else []),
                                                *command], args.timeout)
            if build == REFERENCE:
                reference[how] = seconds
            ratio = seconds / reference[how] if how in reference else float("nan")
            state = "" if status in (0, 1) else (" (stopped at the timeout)" if status is None else f" (exit {status})")
            per_document = 1000 * seconds / max(docs, 1)
            print(f"{build.name:<24} {docs:>7,} {size:>12,} {how:<8} {seconds:>9.1f} {per_document:>8.0f} "
                  f"{rss:>8.0f} {ratio:>7.1f}  {last}{state}", flush=True)


if __name__ == "__main__":
    main()
