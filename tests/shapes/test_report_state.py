"""validation.txt remade from the changed issuers only (govkg.reportstate): the state updated with some issuers'
new summaries is the state of all the summaries merged from scratch, or says it cannot tell."""

from __future__ import annotations

import json
import random

import pytest

from govkg.reportstate import ReportState
from govkg.validate import Finding, merge_summaries, report_lines, summarise

EXAMPLES = 3
#: Kinds of warning: (shape, English message, component, Chinese message).
KINDS = [(f"Shape{n}", f"Message {n}.", "sh:MinCountConstraintComponent", f"消息{n}。") for n in range(4)]


def _warning(kind: int, gov: str, line: int) -> Finding:
    shape, message_en, component, message_zh = KINDS[kind]
    return Finding("warning", f"https://example.org/{gov}/{line}", None, component, shape, message_zh, message_en,
                   None, document=f"{gov}.txt", first_line=line, last_line=line)


def _violation(gov: str, line: int) -> Finding:
    return Finding("violation", f"https://example.org/{gov}/{line}", "https://w3id.org/govkg/ontology#year",
                   "sh:DatatypeConstraintComponent", "PlanShape", "年份不是年份。", "The year is not a year.", "20x2",
                   document=f"{gov}.txt", first_line=line, last_line=line)


def _summary(gov: str, counts: dict[int, int], violations: int = 0) -> dict:
    """An issuer's summary as its file keeps it: `counts` warnings of each kind, then `violations`."""
    findings = [_warning(kind, gov, 10 * kind + n) for kind, count in counts.items() for n in range(count)]
    findings += [_violation(gov, 100 + n) for n in range(violations)]
    return json.loads(json.dumps(summarise(findings, EXAMPLES)))


def _random_summary(rng: random.Random, gov: str) -> dict:
    return _summary(gov, {kind: rng.choice((0, 0, 1, 2, 4)) for kind in range(len(KINDS))},
                    rng.choice((0, 0, 0, 1)))


def _state(summaries: dict[str, dict]) -> ReportState:
    return ReportState.of(((gov, summaries[gov]) for gov in sorted(summaries)), EXAMPLES)


def test_a_change_after_the_places_shown_updates_the_counts_by_hand():
    summaries = {"a": _summary("a", {0: 2}), "b": _summary("b", {0: 2, 1: 1}), "c": _summary("c", {0: 4})}
    state = _state(summaries)
    # kind 0: 8 in all, shown from a (2) then b (1 of 2); kind 1: 1, from b
    assert [(e[4], [gov for gov, _ in e[5]]) for e in state.kinds.values()] == [(8, ["a", "a", "b"]), (1, ["b"])]
    updated = state.updated({"c": summaries["c"]}, {"c": _summary("c", {0: 1, 1: 2})})
    assert updated is not None
    assert [(e[4], [gov for gov, _ in e[5]]) for e in updated.kinds.values()] == [(5, ["a", "a", "b"]),
                                                                                 (3, ["b", "c", "c"])]


def test_a_change_thinning_the_places_shown_cannot_be_told_without_the_others():
    summaries = {"a": _summary("a", {0: 2}), "b": _summary("b", {0: 3})}
    state = _state(summaries)
    # a now has one place of kind 0: the third place shown would be b's second, which the state does not hold
    assert state.updated({"a": summaries["a"]}, {"a": _summary("a", {0: 1})}) is None
    # an issuer going away that showed nothing is told: the counts fall
    summaries["c"] = _summary("c", {0: 1}, violations=1)
    state = _state(summaries)
    gone = state.updated({"c": summaries["c"]}, {})
    assert gone is not None and gone.violations == [] and next(iter(gone.kinds.values()))[4] == 5


@pytest.mark.parametrize("seed", range(40))
def test_updated_is_the_state_made_from_scratch(seed):
    rng = random.Random(seed)
    govs = [f"{n:03d}" for n in range(rng.randint(2, 12))]
    summaries = {gov: _random_summary(rng, gov) for gov in govs}
    state = ReportState.from_record(json.loads(json.dumps(_state(summaries).record())))  # as the manifest keeps it
    assert state is not None
    changed = rng.sample(govs, rng.randint(1, min(3, len(govs))))
    before = {gov: summaries[gov] for gov in changed}
    after = {gov: _random_summary(rng, gov) for gov in changed if rng.random() < 0.8}  # the others went
    for gov in [f"{rng.randint(0, 20):03d}x" for _ in range(rng.randint(0, 2))]:  # issuers that came
        after[gov] = _random_summary(rng, gov)
    now = {gov: summary for gov, summary in summaries.items() if gov not in before} | after
    updated = state.updated(before, after)
    scratch = _state(now)
    if updated is not None:
        assert updated.merged() == scratch.merged()
        assert updated.record() == scratch.record()
    # either way, the report is the one made from every summary in the issuers' order
    assert report_lines([scratch.merged()], EXAMPLES) == report_lines([now[gov] for gov in sorted(now)], EXAMPLES)
    merged = merge_summaries([now[gov] for gov in sorted(now)], EXAMPLES)  # the same, kinds in another order
    assert scratch.merged()["violations"] == merged["violations"]
    assert sorted(scratch.merged()["warnings"], key=str) == sorted(merged["warnings"], key=str)


def test_most_random_changes_are_told_without_the_other_summaries():
    told = 0
    for seed in range(40):
        rng = random.Random(seed)
        govs = [f"{n:03d}" for n in range(12)]
        summaries = {gov: _random_summary(rng, gov) for gov in govs}
        gov = rng.choice(govs)
        told += _state(summaries).updated({gov: summaries[gov]}, {gov: _random_summary(rng, gov)}) is not None
    assert told >= 20  # one issuer of twelve changed: the state usually suffices


def test_a_malformed_record_is_none():
    assert ReportState.from_record({"examples": 3}) is None
    assert ReportState.from_record({"examples": "x", "violations": [], "kinds": []}) is None
    assert ReportState.from_record([]) is None
