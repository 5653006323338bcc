"""How long the server's pages take as the build grows: each page's first request (the server's per-build caches
empty) and the median of the next ones, on builds of growing size served by `govkg serve` on loopback.

The pages are those a person opens (home, browse, search, the network, the Ask page and a named question, an
issuer, a plan, a unit, a task, a goal) and the dataset's descriptions (VoID, DCAT); the issuer, plan and unit are
the build's first plan's. Questions asked of every issuer ("all") answer their first page on a build of more than
9 issuers (the whole answer on the samples); `--downloads` times whole national answers as CSV. The samples'
build (bench/.work/build-samples, made when missing) is the reference.
The server starts reading the names, the task statements and the class counts of the build in the background.
Until they are read, the Ask pages come without their prefilled names, completion and search answer 503 after a
moment, and VoID waits for the class counts, so the first requests right after the start differ from the later
ones (`--settled` times them once the reads are done).

    .venv/bin/python bench/pages.py bench/.work/build-5000-1 [--runs 3] [--deadline 30] [--settled] [--downloads]
        [--only all]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from local_servers import start_server  # noqa: E402  (tests/local_servers.py: govkg serve on a free port)

sys.path.insert(0, str(ROOT / "bench"))
from build import documents_in  # noqa: E402  (bench/build.py: the documents a build holds)

REFERENCE = ROOT / "bench" / ".work" / "build-samples"


def first_plan(build: Path) -> tuple[str, str]:
    """The issuer code and year of the build's first plan (by file name)."""
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    record = min(manifest["documents"].values(), key=lambda r: r["file"])
    return record["issuer"]["code"], str(record["year"])


def two_years(build: Path) -> tuple[int, int]:
    """Two years one after the other that some issuer of the build has plans of (Q8 compares them; a year with no
    plan is an unknown name, 404), the earliest such pair; else the first plan's year and the one before."""
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    plans = {(r["issuer"]["code"], r["year"]) for r in manifest["documents"].values() if r.get("year")}
    pairs = sorted(year for code, year in plans if (code, year - 1) in plans)
    year = pairs[0] if pairs else int(first_plan(build)[1])
    return year - 1, year


def pages(build: Path) -> dict[str, str]:
    """Each page's name and path (with its query string)."""
    code, year = first_plan(build)
    before, after = two_years(build)
    unit = quote(f"gov/{code}/unit/住建局")
    return {
        "home": "/", "browse": "/browse", "browse issuer": f"/browse?{urlencode({'issuer': code})}",
        "search 住建局": f"/search?{urlencode({'q': '住建局'})}", "network": "/graph",
        "ask": "/ask", "ask q01+": f"/ask/q01?{urlencode({'unit': '住建局', 'issuer': code, 'year': year})}",
        "api q01+": f"/api/q01?{urlencode({'unit': '住建局', 'issuer': code, 'year': year})}",
        # an issuer the store has no plan of (a code of seven digits): 404 saying so, with issuers that have
        "api q01 no issuer": f"/api/q01?{urlencode({'unit': '住建局', 'issuer': code + '9'})}",
        "names 住": f"/api/names?{urlencode({'kind': 'unit', 'prefix': '住'})}",
        "issuer": f"/id/gov/{code}", "plan": f"/id/plan/{code}/{year}", "unit": f"/id/{unit}",
        "task": f"/id/plan/{code}/{year}/main/1", "goal": f"/id/plan/{code}/{year}/goal/main/1",
        "void": "/void?format=ttl", "catalog": "/catalog?format=ttl",
        # asked of every issuer: a national build answers the first page (govkg.query.pages)
        "api q01 all": f"/api/q01?{urlencode({'unit': '住建局'})}",
        "api q02 all": f"/api/q02?{urlencode({'unit': '住建局'})}",
        "api q04 all": "/api/q04", "api q05 all": "/api/q05", "api q09 all": "/api/q09", "api q14 all": "/api/q14",
        "api q16 all": f"/api/q16?{urlencode({'unit': '住建局', 'year': year})}",
        "api q08 all": f"/api/q08?{urlencode({'unit': '住建局', 'year1': before, 'year2': after})}",
    }


#: The downloads of national answers timed with --downloads: every page, sent as the pages come.
DOWNLOADS = {"csv q05 all": "/ask/q05?run=1&format=csv",
             "csv q01 all": f"/ask/q01?{urlencode({'unit': '住建局', 'format': 'csv'})}"}


def timed(client: httpx.Client, path: str) -> tuple[float, int]:
    """Milliseconds and status of one GET (HTML preferred)."""
    began = time.perf_counter()
    response = client.get(path, headers={"Accept": "text/html"})
    return 1000 * (time.perf_counter() - began), response.status_code


#: Seconds a settled run waits for the server's background reads at most.
INDEX_WAIT = 900


def settle(client: httpx.Client) -> None:
    """Wait until the server's background reads are done: a search answers (it says 503 after a few seconds while
    the names and statements are being read, so it is asked again) and VoID has its class counts (it waits)."""
    end = time.perf_counter() + INDEX_WAIT
    while client.get("/search?q=%E5%B1%80", timeout=INDEX_WAIT).status_code == 503 and time.perf_counter() < end:
        time.sleep(1)
    client.get("/void?format=ttl", timeout=INDEX_WAIT)


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("builds", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3, help="requests after the first, per page (default: 3)")
    parser.add_argument("--deadline", type=float, default=10, help="govkg serve --deadline (default: 10 s)")
    parser.add_argument("--downloads", action="store_true",
                        help="also time the CSV downloads of national answers (every page; minutes at 25,000 "
                             "documents)")
    parser.add_argument("--settled", action="store_true",
                        help="wait until the server's background reads of the build (names, statements, class "
                             "counts) are done before timing: a server that has run for a while")
    parser.add_argument("--only", nargs="+", metavar="WORD",
                        help="time only the pages whose name holds one of the words (e.g. --only all: the national "
                             "questions' first pages)")
    args = parser.parse_args()
    if not (REFERENCE / "manifest.json").is_file():
        from govkg import build as build_folder

        build_folder([ROOT / "data" / "samples"], REFERENCE)
    builds = [REFERENCE, *(b.resolve() for b in args.builds if b.resolve() != REFERENCE)]
    table: dict[str, list[str]] = {}
    for build in builds:
        began = time.perf_counter()
        origin, process = start_server(build, "--deadline", str(args.deadline), "--follow", "0")
        started = time.perf_counter() - began
        table.setdefault("server start", []).append(f"{1000 * started:>10.0f}")
        try:
            with httpx.Client(base_url=origin, timeout=args.deadline + 60) as client:
                if args.settled:
                    waited = time.perf_counter()
                    settle(client)
                    table.setdefault("settled after", []).append(
                        f"{1000 * (time.perf_counter() - waited):>10.0f}")
                for name, path in {**pages(build), **(DOWNLOADS if args.downloads else {})}.items():
                    if args.only and not any(word in name for word in args.only):
                        continue
                    first, status = timed(client, path)
                    later = [timed(client, path)[0] for _ in range(args.runs)]
                    cell = f"{first:>10.0f} {statistics.median(later):>8.0f}" + ("" if status == 200 else f" {status}")
                    table.setdefault(name, []).append(cell)
                    print(f"{build.name} {name}: {cell}", file=sys.stderr, flush=True)
        finally:
            process.terminate()
            process.wait(timeout=30)
    print(f"{'page':<16}" + "".join(f"{b.name:>24}" for b in builds))
    print(f"{'documents':<16}" + "".join(f"{documents_in(b):>24,}" for b in builds))
    for name, cells in table.items():
        print(f"{name:<16}" + "".join(f"{cell:>24}" for cell in cells))
    print(f"\nms: the first request, then the median of {args.runs} more (a status other than 200 after them)"
          + ("; timed once the background reads were done ('settled after' the server started)" if args.settled
             else ""))


if __name__ == "__main__":
    main()
