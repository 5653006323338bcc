"""shards: one issuer's share of the graphs every issuer writes into (lexicon, links, statistics).

A build remakes the shard of an issuer only when one of its documents changed, appeared or went; every other
issuer's shard is the previous build's (its files hard-linked, its findings and counts from the manifest). So a
changed document costs its issuer's lexicon, matching and statistics, not every issuer's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .lexicon import Lexicon
from .model import Issuer, TaskMatch, TaskProfile
from .rdf import LexiconIndex, graph_nquads, links_triples, match_context
from .rdf.iris import Minter, segment
from .rdf.mentions import Mention
from .rdf.shared import shared_triples
from .rdf.statistics import plan_statistics
from .resolve.matching import match_all
from .validate import Finding, Report, shacl_engine, validate_triples, without


@dataclass
class Shard:
    """An issuer's lexicon and links lines (files in the build folder), the findings of validating them, what
    its matching found, and the graphs of the documents it was made from.

    Its warnings are kept in full only by the build that makes it (for its summary of findings, which its
    validation file keeps); the manifest records its violations in full and its warnings counted, so a shard read
    back from the manifest holds only its violations in `findings` (at 25,000 documents the 39,000 warnings of the
    issuers' lexicon and links were 30 MB of a 64 MB manifest)."""

    gov: str
    documents: list[str]
    findings: list[Finding] = field(default_factory=list)
    #: Its findings of severity warning or info, counted.
    warnings: int = 0
    reports_on: int = 0
    continues: int = 0
    ambiguous: list[str] = field(default_factory=list)
    #: The generation of a build folder updated in place that wrote its files (0: a build made beside the folder),
    #: which their names carry (govkg.inplace).
    generation: int = 0

    #: The summary of its documents' and its own findings (validate.summarise), when this build made it.
    summary: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    #: The manifest record it was read from (a shard kept unchanged is written back as that record, not rebuilt
    #: from its findings: 3,000 issuers' records cost 0.3 s to remake).
    recorded: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    def _file(self, folder: str, suffix: str = ".nq") -> str:
        return f"graphs/{folder}/{self._name}{suffix}"

    @cached_property
    def _name(self) -> str:
        """Its files' name (a build lists every issuer's files: made once)."""
        return segment(self.gov) + (f"@{self.generation}" if self.generation else "")

    @property
    def lexicon_file(self) -> str:
        """Its lexicon lines, relative to the build folder."""
        return self._file("lexicon")

    @property
    def links_file(self) -> str:
        """Its links lines, relative to the build folder."""
        return self._file("links")

    @property
    def validation_file(self) -> str:
        """The summaries of its documents' findings and of its own, relative to the build folder."""
        return self._file("validation", ".json")

    def record(self) -> dict[str, Any]:
        """The shard as the manifest keeps it."""
        if self.recorded is not None:
            return self.recorded
        return {"documents": self.documents, "warnings": self.warnings,
                "violations": [dict(vars(f)) for f in self.findings if f.severity == "violation"],  # flat: no asdict
                "reports_on": self.reports_on, "continues": self.continues, "ambiguous": self.ambiguous,
                **({"generation": self.generation} if self.generation else {})}

    @classmethod
    def from_record(cls, gov: str, record: dict[str, Any]) -> Shard:
        """A shard from its manifest record (its violations as its findings)."""
        return cls(gov, list(record["documents"]), [Finding(**f) for f in record["violations"]], record["warnings"],
                   record["reports_on"], record["continues"], list(record["ambiguous"]),
                   record.get("generation", 0), recorded=record)


@dataclass
class LexiconPart:
    """An issuer's lexicon facts: indexed (what its documents' graphs are validated with), as lines, and the
    findings they gave."""

    index: LexiconIndex
    lines: list[str]
    report: Report


def lexicon_part(issuers: Iterable[Issuer], gov: str, mentions: Sequence[Mention], minter: Minter,
                 lex: Lexicon) -> LexiconPart:
    """The lexicon facts of one issuer (`issuers`: the spellings of it the documents give), validated."""
    triples = shared_triples(issuers, {gov: mentions}, minter, lex)
    name = minter.lexicon_graph()
    return LexiconPart(LexiconIndex(triples), graph_nquads(triples, name), validate_triples(triples, str(name)))


@dataclass
class LinksPart:
    """An issuer's links lines and findings, its matches, and the statistics lines of each of its plans."""

    lines: list[str]
    report: Report
    matches: list[TaskMatch]
    statistics: dict[str, list[str]]


@dataclass(frozen=True)
class LinksJob:
    """One issuer's matching: its documents' task profiles, its plans (plan IRI → named graph), and the findings its
    lexicon gave (not reported again)."""

    profiles: list[TaskProfile]
    plans: dict[str, Any]
    lexicon_report: Report


@dataclass(frozen=True)
class LinksOptions:
    """What every issuer's matching shares (the SHACL engine too: a worker does not see the build's choice)."""

    minter: Minter
    lex: Lexicon
    engine: str


def links_part(job: LinksJob, options: LinksOptions) -> LinksPart:
    """Match one issuer's tasks across its documents, validate the links, and count its plans' statistics (a plain
    function of picklable values: a Runner runs it in workers)."""
    minter, profiles = options.minter, job.profiles
    matches = match_all(profiles, options.lex.renames)
    by_ref = {profile.ref: profile for profile in profiles}
    links = links_triples(matches, by_ref)
    name = minter.links_graph()
    with shacl_engine(options.engine):
        report = without(validate_triples(links | match_context(profiles, minter), str(name)), job.lexicon_report)
    restated = {match.task for match in matches if match.kind == "reports_on" and match.matched is not None}
    return LinksPart(graph_nquads(links, name), report, matches,
                     plan_statistics(profiles, restated, minter, job.plans))


def ambiguity(match: TaskMatch) -> str:
    """One line for an ambiguous match: the task and its candidates."""
    what = "reports on" if match.kind == "reports_on" else "continues"
    return f"{match.task} {what} one of {', '.join(match.candidates)} (score {match.score:.3f}): review"
