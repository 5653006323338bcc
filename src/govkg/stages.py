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
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .extract import extract_document
from .lexicon import Lexicon
from .model import Document, InputError, LayoutName, LayoutPolicy, TaskProfile
from .rdf import DocumentGraph, LexiconIndex, Minter, graph_nquads, issuer_key, task_profiles
from .rdf.mentions import Mention, mentions
from .read.files import display_name
from .validate import Report, shacl_engine, validate_graph, without


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
    """A document as read, and the names it mentions."""

    document: Document
    mentions: list[Mention]


def extract_one(path: Path, options: ExtractOptions) -> Extracted:
    """Read one document (InputError when it cannot be read or its issuer is unknown)."""
    document = extract_document(path, layout=options.layout, policy=options.policy, issuer=options.issuer,
                                year=options.year, lex=options.lex, max_bytes=options.max_bytes)
    if document.issuer is None:
        raise InputError(display_name(path), "the issuer is unknown: supply --issuer or a sidecar file "
                                             f"{path.stem}.meta.toml (issuer = \"…\")")
    return Extracted(document, mentions(document, options.lex))


@dataclass(frozen=True)
class GraphOptions:
    """What making and validating a document graph needs besides the document."""

    lex: Lexicon
    base: str
    lexicon_index: LexiconIndex
    lexicon_report: Report
    engine: str


@dataclass(frozen=True)
class GraphJob:
    """One document to turn into its named graph."""

    document: Document
    path: Path
    plan_key: str
    report: str | None


@dataclass
class Graphed:
    """A document's graph as sorted N-Quads lines, its task profiles and its own SHACL findings."""

    lines: list[str]
    profiles: list[TaskProfile]
    report: Report
    findings: dict[str, int] = field(default_factory=dict)


def ended_at(path: Path) -> datetime:
    """The extraction time recorded in the graph: SOURCE_DATE_EPOCH if set, else the file's modification time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else int(path.stat().st_mtime)
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def graph_one(job: GraphJob, options: GraphOptions) -> Graphed:
    """The named graph of one document, validated with the lexicon facts it reaches."""
    document = job.document
    assert document.issuer is not None  # extract_one refuses documents without one
    minter = Minter(options.base)
    gov = issuer_key(document.issuer.code, document.issuer.name)
    builder = DocumentGraph(document, job.plan_key, minter, options.lex, ended_at(job.path))
    graph = builder.build()
    profiles = task_profiles(document, builder.task_iris, minter.plan(gov, job.plan_key), gov, job.report)
    name = minter.plan_graph(gov, job.plan_key)
    lines = graph_nquads(graph, name)
    for triple in options.lexicon_index.context(graph):  # in place: the graph is not needed after this
        graph.add(triple)
    with shacl_engine(options.engine):
        report = without(validate_graph(graph, str(name)), options.lexicon_report)
    findings = {"violations": len(report.violations), "warnings": len(report.warnings)}
    return Graphed(lines, profiles, report, findings)
