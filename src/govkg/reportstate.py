"""validation.txt remade from the issuers whose findings changed, not from every issuer's summary.

The report is every issuer's summary of findings (validate.summarise) merged, issuers in order: every violation,
and per kind of warning its count and its first places. A national build has about 3,200 issuers, so making it
from all their summaries reads as many files at each rebuild (0.15 s with the files in the page cache, about 1 s
without). The merged summary is kept in the manifest with the issuer each violation and place came from
(`ReportState`), and a rebuild takes out the changed issuers' old summaries and puts in their new ones. A kind of
warning whose first places the change thins out may need places of issuers whose summaries were not read; then
`updated` says so and the report is made from every summary, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: A summary of findings (validate.summarise), as its file keeps it.
Summary = dict[str, Any]
#: What identifies a kind of warning in a summary: its shape and its English message.
Kind = tuple[str | None, str | None]


@dataclass
class ReportState:
    """Every issuer's summary merged, issuers in order, with the issuer of each violation and each place shown.

    `kinds` maps a kind of warning to [shape, message, component, message in Chinese, count, [[issuer, place],
    …]], the places being the kind's first `examples` across the issuers in order; the kinds are in the order of
    their keys as text (the report sorts them anyway), so that the state does not depend on how it was made."""

    examples: int
    violations: list[list[Any]]
    kinds: dict[Kind, list[Any]]

    @classmethod
    def of(cls, summaries: Iterable[tuple[str, Summary]], examples: int) -> ReportState:
        """The state of the issuers' summaries, given in the issuers' order."""
        state = cls(examples, [], {})
        for gov, summary in summaries:
            state.violations += [[gov, violation] for violation in summary["violations"]]
            for shape, message, component, message_zh, count, places in summary["warnings"]:
                entry = state.kinds.setdefault((shape, message), [shape, message, component, message_zh, 0, []])
                entry[4] += count
                entry[5] += [[gov, place] for place in places[: examples - len(entry[5])]]
        state.kinds = _ordered(state.kinds)
        return state

    def merged(self) -> Summary:
        """The issuers' summaries as one (validate.merge_summaries of them in order)."""
        return {"violations": [violation for _, violation in self.violations],
                "warnings": [[*entry[:5], [place for _, place in entry[5]]] for entry in self.kinds.values()]}

    def updated(self, before: Mapping[str, Summary], after: Mapping[str, Summary]) -> ReportState | None:
        """The state once the issuers of `before` (their summaries in this state) have the summaries of `after`
        instead (an issuer in only one of them came or went); None when the first places of a kind of warning
        would need issuers not in `after`, whose summaries were not read."""
        changed = set(before) | set(after)
        violations = [item for item in self.violations if item[0] not in changed]
        for gov, summary in after.items():
            violations += [[gov, violation] for violation in summary["violations"]]
        violations.sort(key=lambda item: item[0])  # stable: each issuer's in its own order
        kinds: dict[Kind, list[Any]] = {}
        bounds: dict[Kind, str] = {}
        for key, (shape, message, component, message_zh, count, places) in self.kinds.items():
            if len(places) >= self.examples:  # full: the places of issuers after the last one shown are unknown
                bounds[key] = places[-1][0]
            kinds[key] = [shape, message, component, message_zh, count,
                          [item for item in places if item[0] not in changed]]
        for summary in before.values():
            for shape, message, _, _, count, _ in summary["warnings"]:
                entry = kinds.get((shape, message))
                if entry is None:
                    return None  # not the state these summaries were merged into
                entry[4] -= count
        for gov, summary in after.items():
            for shape, message, component, message_zh, count, places in summary["warnings"]:
                entry = kinds.setdefault((shape, message), [shape, message, component, message_zh, 0, []])
                entry[4] += count
                entry[5] += [[gov, place] for place in places]
        state = ReportState(self.examples, violations, {})
        for key, entry in kinds.items():
            if entry[4] < 0 or (entry[4] == 0) != (not entry[5]):
                return None
            if entry[4] == 0:
                continue
            entry[5].sort(key=lambda item: item[0])  # stable: each issuer's places in its own order
            bound = bounds.get(key)
            if bound is not None:
                # here are every place of the issuers before the bound and the bound's first ones (all of them if it
                # changed): the first places of all, as long as there are enough of them
                entry[5] = [item for item in entry[5] if item[0] <= bound]
                if len(entry[5]) < self.examples:
                    return None
            entry[5] = entry[5][: self.examples]
            state.kinds[key] = entry
        state.kinds = _ordered(state.kinds)
        return state

    def record(self) -> dict[str, Any]:
        """The state as the manifest keeps it."""
        return {"examples": self.examples, "violations": self.violations, "kinds": list(self.kinds.values())}

    @classmethod
    def from_record(cls, record: Any) -> ReportState | None:
        """The state a manifest recorded; None when it recorded none (an earlier version) or a malformed one."""
        try:
            kinds = {(entry[0], entry[1]): [*entry[:5], [list(item) for item in entry[5]]]
                     for entry in record["kinds"]}
            return cls(int(record["examples"]), [list(item) for item in record["violations"]], kinds)
        except (TypeError, KeyError, IndexError, ValueError):
            return None


def _ordered(kinds: dict[Kind, list[Any]]) -> dict[Kind, list[Any]]:
    """The kinds in the order of their keys as text (a shape or message may be None)."""
    return dict(sorted(kinds.items(), key=lambda item: str(item[0])))
