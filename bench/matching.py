"""Cost of matching tasks across documents (resolve/matching.py) as the number of documents grows.

The tasks are the real ones of the samples' plans (钟楼区 2021, 2022, 2025; 武进区 2018, 2023), copied under
N made-up issuers; each issuer also gets two progress reports restating 30 tasks of its 2021 plan, shortened.
Matching is per issuer, so its cost should grow linearly with the issuers (exponent near 1). The reference in the
same run is an all-issuers matcher that ignores the issuer (what matching without grouping would cost), and the
extraction of the five samples (what a build spends reading them), for scale.

    .venv/bin/python bench/matching.py [--issuers 10 50 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import replace
from pathlib import Path

from timing import median_seconds

import govkg
from govkg.lexicon import load_lexicon
from govkg.model import TaskProfile
from govkg.resolve.matching import match_all, match_continuity, match_report

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


def sample_profiles() -> list[TaskProfile]:
    """One issuer's worth of tasks: the samples' plans, as the 钟楼区 plans of their years."""
    lex = load_lexicon()
    profiles: list[TaskProfile] = []
    for document in govkg.extract([SAMPLES], lex=lex):
        year = document.year or 0
        for index, task in enumerate(document.tasks):
            profiles.append(TaskProfile(
                ref=f"{document.file}#{index}", document=document.file, issuer="I", year=year, report=None,
                table=task.record.table, number=task.record.task_no, statement=task.record.text,
                goal=task.record.goal[-1] if task.record.goal else None,
                lead_units=tuple(p.name for p in task.lead_units), coop_units=()))
    plan_2021 = [p for p in profiles if p.year == 2021][:30]
    for period in ("2021-Q2", "2021-Q3"):
        profiles += [replace(p, ref=f"{p.ref}@{period}", report=period,
                             statement=p.statement[: max(8, len(p.statement) // 2)]) for p in plan_2021]
    return profiles


def corpus(base: list[TaskProfile], issuers: int) -> list[TaskProfile]:
    """The base profiles copied under `issuers` issuers."""
    return [replace(p, ref=f"{i}/{p.ref}", issuer=f"{i:06d}") for i in range(issuers) for p in base]


def ungrouped(profiles: list[TaskProfile]) -> None:
    """The reference: every report row against every plan task of its year, every task against every earlier one."""
    plans = [p for p in profiles if p.report is None]
    rows = [p for p in profiles if p.report is not None]
    match_report(rows, [p for p in plans if p.year == 2021])
    match_continuity([p for p in plans if p.year == 2022], [p for p in plans if p.year == 2021])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issuers", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    base = sample_profiles()
    extraction = time.perf_counter() - start
    documents = len({p.document for p in base if p.report is None}) + 2
    print(f"one issuer: {documents} documents, {len(base)} tasks and report rows; "
          f"extracting the five samples took {extraction:.2f} s")
    print(f"{'issuers':>8} {'documents':>10} {'matching s':>11} {'ms/document':>12} {'links':>7} "
          f"{'ungrouped s':>12} {'ratio':>7}")
    sizes, seconds = [], []
    for issuers in args.issuers:
        profiles = corpus(base, issuers)
        found: list = []
        took = median_seconds(lambda profiles=profiles, found=found: found.append(match_all(profiles)), args.repeat)
        reference = median_seconds(lambda profiles=profiles: ungrouped(profiles), 1) if issuers <= 50 else math.nan
        links = sum(1 for m in found[-1] if not m.ambiguous)
        print(f"{issuers:>8} {issuers * documents:>10} {took:>11.2f} {1000 * took / (issuers * documents):>12.1f} "
              f"{links:>7} {reference:>12.2f} {reference / took:>7.1f}")
        sizes.append(issuers * documents)
        seconds.append(took)
    if len(sizes) > 1:
        exponent = math.log(seconds[-1] / seconds[0]) / math.log(sizes[-1] / sizes[0])
        per_document = seconds[-1] / sizes[-1]
        print(f"scaling exponent {exponent:.2f} over {sizes[0]}–{sizes[-1]} documents; "
              f"at 25,000 documents about {per_document * 25000:.0f} s")


if __name__ == "__main__":
    main()
