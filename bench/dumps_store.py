"""The last two steps of a build, the dump shares and the store load, one after the other and at the same time.

A build writes the shares of the dumps (worker processes) while it bulk-loads the store (Oxigraph's loader releases
the interpreter; one slice at a time kept about 1.2 CPUs busy, bench/store_load.py times several). This times both
ways on the graph files of a build folder, in
alternating rounds (the machine's speed drifts), and prints each round and the medians with their ratio:

    .venv/bin/python bench/dumps_store.py bench/.work/build-1000-1 --rounds 3

Nothing in the build folder is changed: the shares are made and dropped, the store is loaded into a temporary
folder.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from govkg.build import _DUMPS  # noqa: E402
from govkg.executors import Runner, default_jobs  # noqa: E402
from govkg.rdf.serialize import dump_fragments  # noqa: E402
from govkg.store import bulk_load_nquads, open_store  # noqa: E402


def make_shares(files: list[Path], jobs: int) -> int:
    """Every graph file's shares of the dumps, made by `jobs` worker processes; their bytes."""
    formats = tuple(fmt for _, fmt in _DUMPS)
    return sum(len(fragment) for fragments in Runner(jobs=jobs).imap(dump_fragments, files, formats)
               for fragment in fragments)


def load(files: list[Path], folder: Path, threads: int | None = None) -> int:
    """The graph files bulk-loaded into a new store at `folder` (`threads` slices at once; None: the build's
    default); its quads."""
    shutil.rmtree(folder, ignore_errors=True)
    store = open_store(folder)
    bulk_load_nquads(store, files, threads=threads)
    quads = len(store)
    del store
    return quads


def main() -> None:
    """Time the rounds and print them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build", type=Path, help="a build folder (govkg build --out)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="worker processes for the shares")
    args = parser.parse_args()
    manifest = args.build / "manifest.json"
    if not manifest.is_file():
        raise SystemExit(f"{args.build}: no manifest.json (not a build folder)")
    files = [args.build / part for part in json.loads(manifest.read_bytes())["parts"]]
    apart, together = [], []
    with tempfile.TemporaryDirectory(prefix="govkg-bench-") as scratch:
        folder = Path(scratch) / "store"
        for number in range(1, args.rounds + 1):
            began = time.perf_counter()
            make_shares(files, args.jobs)
            quads = load(files, folder)
            apart.append(time.perf_counter() - began)
            began = time.perf_counter()
            with ThreadPoolExecutor(1) as background:
                shares = background.submit(make_shares, files, args.jobs)
                load(files, folder)
                shares.result()
            together.append(time.perf_counter() - began)
            print(f"round {number}: {len(files):,} graph files, {quads:,} quads: one after the other "
                  f"{apart[-1]:.1f} s, together {together[-1]:.1f} s", flush=True)
    first, second = statistics.median(apart), statistics.median(together)
    print(f"median: one after the other {first:.1f} s, together {second:.1f} s ({second / first:.2f} ×)")


if __name__ == "__main__":
    main()
