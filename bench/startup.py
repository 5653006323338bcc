"""What compiling govkg's bytecode at every start costs: commands timed with and without the compiled bytecode.

`make setup` compiles src/ (`make bytecode`), because where Python is told not to write bytecode
(PYTHONDONTWRITEBYTECODE, as on some CI and container images) every command and worker process would otherwise
compile govkg's modules again. This times, in alternating rounds (the machine's speed drifts), `import govkg.cli`
and `govkg build` of one changed document (the samples' copy, and each build bench/build.py left whose corpus is
in bench/.work) once with the bytecode in src/ and once without it (a copy of src/govkg without __pycache__,
first on PYTHONPATH, with PYTHONDONTWRITEBYTECODE set; the installed libraries keep theirs, as pip compiled them),
and prints each way's median, their ratio and the rounds:

    .venv/bin/python bench/startup.py --rounds 5
    .venv/bin/python bench/startup.py --sizes 25000 --builds /tmp/benchruns/b25new --dumps lazy --rounds 4
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from build import SAMPLES, WORK, built, change_one  # noqa: E402  (bench/build.py)

from govkg.dumps import DUMP_MODES  # noqa: E402

WAYS = ("compiled", "compiling")


def timed(command: list[str], env: dict[str, str]) -> float:
    """Seconds a command took; its failure ends the benchmark with its error."""
    began = time.perf_counter()
    done = subprocess.run(command, check=False, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def rebuild(corpus: Path, out: Path, jobs: int, dumps: str, tag: str) -> Callable[[dict[str, str]], float]:
    """A separate `govkg build` of the corpus after one document changed (put back afterwards; its rebuild is
    made then too, untimed, so that each timed build has exactly one changed document)."""
    command = [sys.executable, "-m", "govkg", "build", str(corpus), "--out", str(out), "--jobs", str(jobs),
               "--dumps", dumps, "--quiet"]
    rounds = [0]

    def run(env: dict[str, str]) -> float:
        rounds[0] += 1
        path, original = change_one(corpus, f"{tag}{rounds[0]}")
        try:
            return timed(command, env)
        finally:
            path.write_text(original, encoding="utf-8")
            timed(command, env)

    return run


def uncompiled_copy(scratch: Path) -> Path:
    """A copy of src/govkg without bytecode (its src folder returned), beside links to the folders of the source
    tree it reads its resources from (govkg.resources: the shapes, ontology, queries, lexicon)."""
    root = scratch / "tree"
    shutil.copytree(ROOT / "src" / "govkg", root / "src" / "govkg", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("data", "shapes", "ontology", "queries", "vendor"):
        if (ROOT / name).exists():
            (root / name).symlink_to(ROOT / name)
    return root / "src"


def compare(label: str, run: Callable[[dict[str, str]], float], rounds: int, uncompiled: Path) -> None:
    """Time `run` both ways in alternating rounds and print one line."""
    base = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
    base.pop("PYTHONPYCACHEPREFIX", None)
    base.pop("PYTHONPATH", None)
    envs = {"compiled": base, "compiling": dict(base, PYTHONPATH=str(uncompiled))}
    seconds: dict[str, list[float]] = {way: [] for way in WAYS}
    for _ in range(rounds):
        for way in WAYS:
            seconds[way].append(run(envs[way]))
    medians = {way: statistics.median(values) for way, values in seconds.items()}
    ratio = medians["compiled"] / medians["compiling"]
    rounds_text = "  ".join(f"{way}: " + " ".join(f"{s:.2f}" for s in seconds[way]) for way in WAYS)
    print(f"{label:<28} {medians['compiled']:>10.2f} {medians['compiling']:>10.2f} {ratio:>7.2f}   {rounds_text}",
          flush=True)


def main() -> None:
    """Command line: [--sizes N …] [--builds DIR] [--dumps MODE] [--rounds N]."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[],
                        help="also rebuild these builds of bench/build.py (build-N-SEED in --builds)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--builds", type=Path, default=WORK,
                        help=f"where bench/build.py left its builds (default: {WORK})")
    parser.add_argument("--dumps", choices=DUMP_MODES, default="lazy",
                        help="govkg build --dumps, as the builds were made (default: lazy)")
    parser.add_argument("--jobs", type=int, default=2, help="govkg build --jobs (default: 2)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each way (default: 5)")
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "src", quiet=1)  # what `make bytecode` does: the first way's bytecode is there
    print(f"{'seconds (median)':<28} {'compiled':>10} {'compiling':>10} {'ratio':>7}   rounds", flush=True)
    with tempfile.TemporaryDirectory(prefix="govkg-bench-") as scratch:
        empty = uncompiled_copy(Path(scratch))
        check = [sys.executable, "-c", "import govkg; print(govkg.__file__)"]
        shown = subprocess.run(check, check=True, capture_output=True, text=True, env=dict(
            os.environ, PYTHONPATH=str(empty))).stdout.strip()
        if not shown.startswith(str(empty)):  # e.g. an install that puts its finder before PYTHONPATH
            raise SystemExit(f"the copy without bytecode is not the govkg imported ({shown})")
        compare("import govkg.cli", lambda env: timed([sys.executable, "-c", "import govkg.cli"], env),
                args.rounds, empty)
        samples, out = Path(scratch) / "samples", Path(scratch) / "build"
        shutil.copytree(SAMPLES, samples)
        timed([sys.executable, "-m", "govkg", "build", str(samples), "--out", str(out), "--jobs", str(args.jobs),
               "--dumps", args.dumps, "--quiet"], dict(os.environ))
        compare("one changed, samples", rebuild(samples, out, args.jobs, args.dumps, "startup"), args.rounds, empty)
        for size, corpus, out in built(args.sizes, args.builds, args.seed):
            compare(f"one changed, {size}", rebuild(corpus, out, args.jobs, args.dumps, "startup"), args.rounds,
                    empty)


if __name__ == "__main__":
    main()
