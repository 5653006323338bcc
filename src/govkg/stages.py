"""The per-document stages of a build as plain functions of picklable values, so that they run alike in the
build's process, in a pool of local worker processes, or on a Dask cluster.

A build runs two rounds over its changed documents:

1. `extract_one`: read → layout → resolve, and the names the document mentions (the lexicon graph is made from
   the mentions of every document, so it can only be made after this round);
2. `graph_one`: the document's RDF, its N-Quads lines, the task profiles matching needs, and its SHACL findings,
   validated with only the lexicon facts it reaches (the cost of a document does not grow with the others).

What every document of a round shares (the lexicon, the lexicon graph's index, the options) travels once per
worker, not once per document.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .extract import extract_document
from .lexicon import Lexicon
from .model import Document, InputError, Issuer, LayoutName, LayoutPolicy, TaskProfile
from .rdf import DocumentGraph, LexiconIndex, Minter, graph_nquads, issuer_key, task_profiles
from .rdf.mentions import Mention, mentions
from .read.files import display_name
from .validate import Report, shacl_engine, validate_triples, without


@dataclass(frozen=True)
class ExtractOptions:
    """What extraction needs besides the file: the command's options and the lexicon."""

    lex: Lexicon
    policy: LayoutPolicy
    layout: LayoutName | None
    issuer: str | None
    year: int | None
    max_bytes: int


@dataclass
class Extracted:
    """A document as read: what the build needs of it at once, and the document itself pickled (about a tenth
    of its size in memory) until its graph is made."""

    packed: bytes
    issuer: Issuer
    year: int | None
    tasks: int
    report: str | None
    mentions: list[Mention]
    diagnostics: list[str]


def report_key(document: Document) -> str | None:
    """A progress report's key: the period it reports on as normalised ("2021-Q3"), else its file stem."""
    return (document.report_date or Path(document.file).stem) if document.is_report else None


def extract_one(path: Path, options: ExtractOptions) -> Extracted:
    """Read one document (InputError when it cannot be read or its issuer is unknown)."""
    document = extract_document(path, layout=options.layout, policy=options.policy, issuer=options.issuer,
                                year=options.year, lex=options.lex, max_bytes=options.max_bytes)
    if document.issuer is None:
        raise InputError(display_name(path), "the issuer is unknown: supply --issuer or a sidecar file "
                                             f"{path.stem}.meta.toml (issuer = \"…\")")
    return Extracted(pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL), document.issuer, document.year,
                     len(document.tasks), report_key(document), mentions(document, options.lex),
                     [str(d) for d in document.diagnostics])


@dataclass(frozen=True)
class GraphOptions:
    """What making and validating a document graph needs besides the document."""

    lex: Lexicon
    base: str
    engine: str


@dataclass(frozen=True)
class GraphJob:
    """One document (pickled, as `Extracted.packed`) to turn into its named graph."""

    packed: bytes
    path: Path
    plan_key: str
    report: str | None
    #: Its issuer's lexicon facts, and the findings they gave (left out of the document's own).
    lexicon_index: LexiconIndex
    lexicon_report: Report


@dataclass
class Graphed:
    """A document's graph as sorted N-Quads lines, its task profiles, its own SHACL findings, and its text as read
    (Document.lines: what its source rows cite)."""

    lines: list[str]
    profiles: list[TaskProfile]
    report: Report
    findings: dict[str, int] = field(default_factory=dict)
    source_lines: list[str] = field(default_factory=list)


def ended_at(path: Path) -> datetime:
    """The extraction time recorded in the graph: SOURCE_DATE_EPOCH if set, else the file's modification time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else int(path.stat().st_mtime)
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def graph_one(job: GraphJob, options: GraphOptions) -> Graphed:
    """The named graph of one document, validated with the lexicon facts it reaches."""
    document: Document = pickle.loads(job.packed)  # made by extract_one in this build: trusted
    assert document.issuer is not None  # extract_one refuses documents without one
    minter = Minter(options.base)
    gov = issuer_key(document.issuer.code, document.issuer.name)
    builder = DocumentGraph(document, job.plan_key, minter, options.lex, ended_at(job.path))
    triples = builder.triples()
    profiles = task_profiles(document, builder.task_iris, minter.plan(gov, job.plan_key), gov, job.report)
    name = minter.plan_graph(gov, job.plan_key)
    lines = graph_nquads(triples, name)
    triples |= job.lexicon_index.context(triples)  # in place: the builder is not needed after this
    with shacl_engine(options.engine):
        report = without(validate_triples(triples, str(name)), job.lexicon_report)
    findings = {"violations": len(report.violations), "warnings": len(report.warnings)}
    return Graphed(lines, profiles, report, findings, document.lines)
