"""Matching tasks across documents of one issuer: a progress report's rows to the plan they report on, and a
plan's tasks to the tasks of the issuer's previous plan that they continue.

The evidence, in order: the task number a report prints (only where its statement agrees), the statement's
character bigrams (the mean of the Dice and overlap coefficients, so a report's shortened restatement still
scores; across years without the numbers, which a new plan changes: 增长6.5% → 增长6%), and as a bonus the lead
units (followed through the lexicon's renames), the goal and the table kind.
A link is made only when the best candidate reaches the threshold and no other comes within the margin; a tie is
returned as an ambiguous match with its candidates, never forced.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ..lexicon import Rename
from ..model import MatchKind, TaskMatch, TaskProfile

#: Combined score (statement similarity plus evidence) a link needs.
THRESHOLD = 0.55
#: Statement similarity a link needs whatever the evidence, so agreeing units alone never link two tasks.
TEXT_FLOOR = 0.35
#: Statement similarity a match by printed task number needs (the number is checked, not trusted).
NUMBER_FLOOR = 0.3
#: A second candidate scoring less than this below the best makes the match ambiguous (so an agreeing lead unit,
#: worth as much, settles a tie of statements).
MARGIN = 0.1
#: Evidence bonuses: a lead unit in common, the same innermost goal, the same kind of table.
UNIT_BONUS, GOAL_BONUS, TABLE_BONUS = 0.1, 0.05, 0.05

_ENUMERATOR = re.compile(
    r"^\s*(?:[(（]\s*[0-9一二三四五六七八九十]+\s*[)）]|[0-9]+\s*[.、．]|[一二三四五六七八九十]+\s*、)")
def normalise(text: str, numbers: bool = True) -> str:
    """The statement as compared: NFKC, without a leading enumerator, whitespace or punctuation, and without
    numbers unless `numbers` (a report restates the plan's figures; the next year's plan changes them)."""
    text = _ENUMERATOR.sub("", unicodedata.normalize("NFKC", text))
    kept = ("L", "N") if numbers else ("L",)
    return "".join(char for char in text if unicodedata.category(char)[0] in kept)


@lru_cache(maxsize=65536)
def bigrams(text: str, numbers: bool = True) -> frozenset[str]:
    """The character bigrams of a normalised statement (a one-character statement is its own gram)."""
    clean = normalise(text, numbers)
    if len(clean) < 2:
        return frozenset([clean]) if clean else frozenset()
    return frozenset(clean[i:i + 2] for i in range(len(clean) - 1))


def similarity(first: str, second: str, numbers: bool = True) -> float:
    """Statement similarity in 0–1: the mean of the Dice and overlap coefficients of the bigram sets (of the
    statements without their numbers unless `numbers`)."""
    a, b = bigrams(first, numbers), bigrams(second, numbers)
    return _coefficients(len(a & b), len(a), len(b)) if a and b else 0.0


def _coefficients(common: int, first: int, second: int) -> float:
    """The mean of the Dice and overlap coefficients of two sets of these sizes sharing `common` members."""
    return (2 * common / (first + second) + common / min(first, second)) / 2


@dataclass(frozen=True)
class _Scored:
    """A candidate's statement similarity and its score with the evidence (ranked uncapped, reported capped)."""

    candidate: TaskProfile
    text: float
    score: float

    @property
    def reported(self) -> float:
        """The score as recorded: at most 1."""
        return round(min(1.0, self.score), 3)


def _successors(renames: Iterable[Rename], issuer: str) -> dict[str, str]:
    """Old unit name → new name, for the renames that apply to the issuer."""
    return {old: rename.new for rename in renames if rename.applies_to(issuer) for old in rename.old}


class _Candidates:
    """The tasks a task may match, indexed by bigram, so only those sharing some of its text are scored (the
    others cannot reach the statement floors) and each pair costs a count, not a set intersection."""

    def __init__(self, tasks: Sequence[TaskProfile], renames: Iterable[Rename], numbers: bool) -> None:
        self.tasks, self.numbers = list(tasks), numbers
        self.renames = tuple(renames)
        self.grams = [bigrams(task.statement, numbers) for task in self.tasks]
        self.index: dict[str, list[int]] = defaultdict(list)
        for position, grams in enumerate(self.grams):
            for gram in grams:
                self.index[gram].append(position)
        self.numbered: dict[tuple[str, str], int] = defaultdict(int)
        for task in self.tasks:
            if task.number:
                self.numbered[(task.table, task.number)] += 1
        self.units: dict[str, list[set[str]]] = {}

    def _units(self, issuer: str) -> tuple[dict[str, str], list[set[str]]]:
        """The renames of the issuer, and each candidate's lead units through them."""
        successor = _successors(self.renames, issuer)
        if issuer not in self.units:
            self.units[issuer] = [{successor.get(n, n) for n in task.lead_units} for task in self.tasks]
        return successor, self.units[issuer]

    def scored(self, task: TaskProfile) -> list[_Scored]:
        """The candidates sharing a bigram with the task's statement, with their similarity and score."""
        grams = bigrams(task.statement, self.numbers)
        shared: dict[int, int] = defaultdict(int)
        for gram in grams:
            for position in self.index.get(gram, ()):
                shared[position] += 1
        successor, units = self._units(task.issuer)
        own = {successor.get(name, name) for name in task.lead_units}
        out = []
        for position, common in shared.items():
            text = _coefficients(common, len(grams), len(self.grams[position]))
            candidate = self.tasks[position]
            bonus = UNIT_BONUS if own & units[position] else 0.0
            if task.goal and task.goal == candidate.goal:
                bonus += GOAL_BONUS
            if task.table == candidate.table:
                bonus += TABLE_BONUS
            out.append(_Scored(candidate, text, text + bonus))
        return out


def _decide(task: TaskProfile, kind: MatchKind, scored: list[_Scored]) -> TaskMatch | None:
    """The match by statement: the best candidate over the threshold, or an ambiguity, or nothing."""
    eligible = sorted((s for s in scored if s.text >= TEXT_FLOOR and s.score >= THRESHOLD),
                      key=lambda s: (-s.score, s.candidate.ref))
    if not eligible:
        return None
    best = eligible[0]
    close = [s for s in eligible if best.score - s.score < MARGIN - 1e-9]
    refs = tuple(s.candidate.ref for s in close)
    matched = best.candidate.ref if len(close) == 1 else None
    return TaskMatch(task.ref, kind, matched, "statement", best.reported, refs)


def _by_number(task: TaskProfile, scored: list[_Scored], candidates: _Candidates) -> TaskMatch | None:
    """The match by the task number a report prints: one plan task of that number whose statement agrees."""
    if not task.number or candidates.numbered.get((task.table, task.number)) != 1:
        return None
    same = [s for s in scored if s.candidate.number == task.number and s.candidate.table == task.table]
    if len(same) != 1 or same[0].text < NUMBER_FLOOR:
        return None
    hit = same[0]
    return TaskMatch(task.ref, "reports_on", hit.candidate.ref, "number", hit.reported, (hit.candidate.ref,))


def match_report(rows: Sequence[TaskProfile], plan: Sequence[TaskProfile],
                 renames: Iterable[Rename] = ()) -> list[TaskMatch]:
    """Each report row's match among the tasks of the plan it reports on (same issuer and year)."""
    candidates = _Candidates(plan, renames, numbers=True)
    out: list[TaskMatch] = []
    for row in rows:
        scored = candidates.scored(row)
        found = _by_number(row, scored, candidates) or _decide(row, "reports_on", scored)
        if found is not None:
            out.append(found)
    return out


def match_continuity(later: Sequence[TaskProfile], earlier: Sequence[TaskProfile],
                     renames: Iterable[Rename] = ()) -> list[TaskMatch]:
    """Each task of a later plan's match among the tasks of the issuer's previous plan it continues."""
    candidates = _Candidates(earlier, renames, numbers=False)
    out: list[TaskMatch] = []
    for task in later:
        found = _decide(task, "continues", candidates.scored(task))
        if found is not None:
            out.append(found)
    return out


def match_all(profiles: Iterable[TaskProfile], renames: Iterable[Rename] = ()) -> list[TaskMatch]:
    """Every match among the tasks of all documents: report rows to their plan, plans to the previous plan.

    The work is per issuer (and per year within it), so it grows with the documents, not with their square.
    """
    renames = tuple(renames)
    plans: dict[tuple[str, int], list[TaskProfile]] = defaultdict(list)
    reports: dict[tuple[str, int, str], list[TaskProfile]] = defaultdict(list)
    for profile in profiles:
        if profile.year is None:
            continue
        if profile.report is None:
            plans[(profile.issuer, profile.year)].append(profile)
        else:
            reports[(profile.issuer, profile.year, profile.report)].append(profile)
    out: list[TaskMatch] = []
    for (issuer, year, _), rows in sorted(reports.items()):
        out += match_report(rows, plans.get((issuer, year), []), renames)
    years: dict[str, list[int]] = defaultdict(list)
    for issuer, year in sorted(plans):
        years[issuer].append(year)
    for issuer, known in years.items():
        for previous, year in pairwise(known):
            out += match_continuity(plans[(issuer, year)], plans[(issuer, previous)], renames)
    return out
