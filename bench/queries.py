"""Named-query latency as the store grows: every named query, p50 of N runs in one process, on several build
folders (the samples' build first, as the reference), with each query's growth against the reference.

    .venv/bin/python bench/queries.py bench/.work/build-100-1 bench/.work/build-1000-1
    .venv/bin/python bench/queries.py out big/ --runs 7 --only q01 q02
    .venv/bin/python bench/queries.py out big/ --selective     # no national forms (minutes each at scale)
    .venv/bin/python bench/queries.py out big/ --only q11 tracking   # Q11 with ten group names, govkg track

The parameters are those a user would give: unit 住建局 with the issuer and year of the build's first plan
(a selective question), and the same without issuer and year (a national one). A build folder of
bench/build.py (generated corpus) or of `govkg build` will do.

Before a named question runs, `govkg query`, the API and the Ask pages check the names it is given against the
data (govkg.query.names_check); a second column times those checks (p50), the rest of what the question costs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from build import documents_in, quads  # noqa: E402  (bench/build.py: a build's documents and quads)

from govkg.lexicon import Lexicon, load_lexicon  # noqa: E402
from govkg.query import EmbeddedStore, bind, load_catalog  # noqa: E402
from govkg.query.catalog import NamedQuery, parse_query  # noqa: E402
from govkg.query.names_check import Select, UnknownNameError, backend_select, check_names  # noqa: E402

#: The samples' build as bench/build.py makes it (built here when missing).
REFERENCE = ROOT / "bench" / ".work" / "build-samples"
EXAMPLES = {"unit": "住建局", "group": "各街道", "person": "王旭锋", "goal": "主要预期目标", "text": "停车"}
TEN_GROUPS = "各街道、各镇、各乡、各村、各社区、各部门、各单位、各开发区、各园区、各学校"


def first_record(build: Path) -> tuple[str, dict]:
    """The build's base IRI and the manifest record of its first plan (by file name)."""
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    return manifest["base"], min(manifest["documents"].values(), key=lambda r: r["file"])


def first_goal(build: Path, record: dict) -> str | None:
    """The goal of the first task of the plan `record` that has one."""
    # the build keeps a document's task profiles beside its graph file
    profiles = json.loads((build / record["graph_file"].replace(".nq", ".profiles.json")).read_text(encoding="utf-8"))
    return next((profile["goal"] for profile in profiles if profile.get("goal")), None)


#: A question as bench asks it: the query's text with its parameters bound, and the named query and parameters
#: whose names are checked first (None for the queries of `govkg track`, which checks nothing).
Asked = tuple[str, NamedQuery | None, dict[str, str]]


def texts(build: Path, only: list[str]) -> dict[str, Asked]:
    """Each named query bound with example values; '…+' marks the selective variant (the issuer given, and the year
    when the query takes one), Q4 with a goal of the first plan ('+goal', with its issuer), Q9 with the first
    plan's file ('+document'), and the questions about one task (Q12, Q15) with the first plan's first ('+task')."""
    base, record = first_record(build)
    issuer, year, document, goal = record["issuer"]["name"], str(record["year"]), record["file"], first_goal(
        build, record)
    task = f"{base}plan/{record['issuer']['code']}/{record['plan_key']}/main/1"  # Q12, Q15: the plan's first task
    lex = load_lexicon()
    bound: dict[str, Asked] = {}
    for query in load_catalog().values():
        if only and not any(query.name.startswith(prefix) for prefix in only):
            continue
        params: dict[str, str] = {}
        for param in query.params:
            if param.kind == "year" and param.name in ("year1", "year2"):
                params[param.name] = {"year1": str(int(year) - 1), "year2": year}[param.name]
            elif param.kind == "iri":
                params[param.name] = task
            elif param.required:
                params[param.name] = EXAMPLES.get(param.kind, issuer if param.kind == "issuer" else year)

        def ask(name: str, given: dict[str, str], query: NamedQuery = query) -> None:
            bound[name] = (bind(query, given, lex), query, given)

        ask(query.name + ("+task" if task in params.values() else ""), params)
        names = {p.name for p in query.params}
        if "issuer" in names and "issuer" not in params:
            ask(query.name + "+", {**params, "issuer": issuer, **({"year": year} if "year" in names else {})})
        if "goal" in names and goal and query.name.startswith("q04"):
            ask(query.name + "+goal", {**params, "goal": goal, "issuer": issuer})
        if "document" in names:
            ask(query.name + "+document", {**params, "document": document})
        if "group" in names:
            # ten group names: a VALUES clause of more than 9 rows, bound in parts (bind.values_parts)
            ask(query.name + "+10groups", {"group": TEN_GROUPS, "issuer": issuer})
    if not only or any("tracking".startswith(prefix) for prefix in only):
        # the queries of `govkg track` for one issuer: the unit named, its tasks (from its node), the issuer's
        # followed tasks, the plans' years and renames
        node = f"{base}gov/{record['issuer']['code']}/unit/{EXAMPLES['unit']}"
        for name, given in (("unit", {"unit": EXAMPLES["unit"], "issuer": issuer}), ("unit-tasks", {"unitNode": node}),
                            ("issuer-tasks", {"issuer": issuer}), ("context", {"issuer": issuer})):
            tracking = parse_query(ROOT / "queries" / "tracking" / f"{name}.rq")
            bound[f"tracking/{name}+"] = (bind(tracking, given, lex), None, given)
    return bound


def p50(store: EmbeddedStore, text: str, runs: int) -> tuple[float, int]:
    """Median milliseconds over `runs` (after one warm-up) and the row count."""
    rows = len(store.run(text).rows)
    return median_ms(lambda: store.run(text), runs), rows


def median_ms(work: Callable[[], object], runs: int) -> float:
    """Median milliseconds of `work` over `runs`, after one warm-up."""
    work()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(1000 * (time.perf_counter() - began))
    return statistics.median(times)


def check(query: NamedQuery, params: dict[str, str], select: Select, lex: Lexicon) -> None:
    """Check the question's names as `govkg query` does before it runs (an unknown one listed for suggestions)."""
    with suppress(UnknownNameError):
        check_names(query, params, select, lex)


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("builds", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=[], help="query name prefixes (e.g. q01 q04)")
    parser.add_argument("--selective", action="store_true",
                        help="leave out a query's national form when it has a selective one (issuer and year, a "
                             "goal or a document given): national answers grow with the store and take minutes")
    args = parser.parse_args()
    builds = [b.resolve() for b in args.builds]
    if not (REFERENCE / "store").is_dir():
        from govkg import build as build_folder

        build_folder([ROOT / "data" / "samples"], REFERENCE)
    if REFERENCE not in builds:
        builds.insert(0, REFERENCE)
    table: dict[str, list[str]] = {}
    first: dict[str, float] = {}
    for build in builds:
        store = EmbeddedStore(build)
        bound = texts(build, args.only)
        if args.selective:
            bound = {name: text for name, text in bound.items()
                     if "+" in name or not any(other.startswith(name + "+") for other in bound)}
        select, lex = backend_select(store), load_lexicon()
        for name, (text, query, params) in bound.items():
            ms, rows = p50(store, text, args.runs)
            checks = median_ms(partial(check, query, params, select, lex), args.runs) if query else 0.0
            print(f"{build.name} {name}: {ms:.1f} ms ({rows} rows), names checked in {checks:.1f} ms",
                  file=sys.stderr, flush=True)
            first.setdefault(name, ms)
            table.setdefault(name, []).append(f"{ms:8.1f} ({rows}) ×{ms / first[name]:.1f} {checks:6.1f}")
        print(f"measured {build}", file=sys.stderr)
    header = "".join(f"{f'{documents_in(b):,} docs, {quads(b):,} quads':>37}" for b in builds)
    print(f"{'query':<28}{header}")
    for name, cells in table.items():
        print(f"{name:<28}" + "".join(f"{cell:>37}" for cell in cells))
    print("\np50 ms of", args.runs, "runs (rows) ×growth against the first build, then the p50 ms of the checks of its "
          "names; '+': issuer (and year) given")


if __name__ == "__main__":
    main()
