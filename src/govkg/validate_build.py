"""validate_build: check a build folder (graph file by graph file) or an RDF file against the SHACL shapes
(`govkg validate`).

A national build holds tens of millions of quads; read into one rdflib dataset they took more memory than the
machine had (25,000 documents: killed at 19 GB). The build keeps each document's graph, and each issuer's shares
of the lexicon and links graphs, in files of their own (manifest.json lists them), so the folder is checked as the
build checks it: issuer by issuer, each share of the lexicon graph on its own, each document graph with the
lexicon facts it reaches, the links share with its documents' tasks and plans. Memory is then one issuer's files,
whatever the size of the build, and the issuers are checked in worker processes side by side.

The statistics graphs are derived from validated graphs and not checked (docs/rdf-model.md), as in the build.
An RDF file, or a folder whose manifest lists no graph files, is read whole (govkg.validate.validate_dataset).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from rdflib import Dataset, URIRef

from .dumps import dump_chunks, dump_shares
from .executors import Runner
from .model import InputError
from .rdf.iris import Minter, issuer_key
from .rdf.serialize import Triple, nquads_file_triples
from .rdf.shared import LexiconIndex
from .rdf.vocab import bind_prefixes
from .shards import Shard
from .validate import (
    LINK_CONTEXT,
    Finding,
    Report,
    load_rdf,
    shacl_engine,
    summarise,
    validate_dataset,
    validate_triples,
    without,
)


@dataclass(frozen=True)
class IssuerFiles:
    """One issuer's graph files in a build folder (paths relative to it): its lexicon and links shares, and each of
    its documents' named graph with the file that holds it."""

    gov: str
    lexicon_file: str
    links_file: str
    documents: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CheckOptions:
    """What every issuer's check shares: the build folder, its lexicon and links graph names, the SHACL engine,
    and whether every finding is kept (`every`) or only their summary (`examples` places per warning shape)."""

    folder: Path
    lexicon_graph: str
    links_graph: str
    engine: str | None
    every: bool
    examples: int
    #: Every plan's IRI → its graph file, to find a task of another issuer that a links share names.
    plan_files: dict[str, str]


@dataclass
class IssuerCheck:
    """One issuer's findings: all of them (CheckOptions.every), else their summary (validate.summarise)."""

    gov: str
    findings: list[Finding] | None
    summary: dict[str, Any] | None


@dataclass(frozen=True)
class BuildFiles:
    """A build folder's graph files: its base IRI, each issuer's files, and each plan's graph file by plan IRI."""

    base: str
    issuers: list[IssuerFiles]
    plan_files: dict[str, str]


def build_issuers(folder: str | Path) -> BuildFiles | None:
    """The build's graph files, issuer by issuer, from its manifest; None when the folder has no manifest that lists
    them (an RDF file, or a folder of dumps only)."""
    try:
        manifest = orjson.loads((Path(folder) / "manifest.json").read_bytes())
    except (OSError, ValueError):
        return None
    issuers, documents = manifest.get("issuers"), manifest.get("documents")
    if not isinstance(issuers, dict) or not isinstance(documents, dict) or not isinstance(manifest.get("base"), str):
        return None
    graph_files = {record["graph"]: record["graph_file"] for record in documents.values()}
    minter = Minter(manifest["base"])
    plan_files = {str(minter.plan(issuer_key(record["issuer"].get("code"), record["issuer"]["name"]),
                                  record["plan_key"])): record["graph_file"] for record in documents.values()}
    found = []
    for gov, record in sorted(issuers.items()):
        shard = Shard(gov, list(record["documents"]), generation=record.get("generation", 0))
        missing = [graph for graph in shard.documents if graph not in graph_files]
        if missing:
            raise InputError(str(Path(folder) / "manifest.json"), f"issuer {gov} lists {missing[0]}, which no "
                                                                  "document record holds; rebuild the folder")
        found.append(IssuerFiles(gov, shard.lexicon_file, shard.links_file,
                                 tuple((graph, graph_files[graph]) for graph in shard.documents)))
    return BuildFiles(manifest["base"], found, plan_files)


def _triples(folder: Path, name: str) -> set[Triple]:
    """The triples of one graph file of the build; InputError naming it (and the line) when it cannot be read."""
    path = folder / name
    try:
        return nquads_file_triples(path)
    except FileNotFoundError:
        raise InputError(str(path), "missing from the build folder; rebuild it with `govkg build`") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    except SyntaxError as exc:
        raise InputError(str(path), f"not N-Quads: {exc}") from None


def _foreign_context(links: set[Triple], issuer: IssuerFiles, options: CheckOptions) -> set[Triple]:
    """The plan and issuer of each task a links share names in another issuer's plan (a share written by hand or by
    a bug: its tasks' issuers are checked as when the whole dataset is read), from those plans' graph files."""
    own = {name for _, name in issuer.documents}
    wanted: dict[str, set[URIRef]] = {}
    for node in {node for triple in links for node in (triple[0], triple[2]) if isinstance(node, URIRef)}:
        prefix = str(node)
        while "/" in prefix and prefix not in options.plan_files:  # a plan's tasks are named under its IRI
            prefix = prefix.rsplit("/", 1)[0]
        name = options.plan_files.get(prefix)
        if name is not None and name not in own and prefix != str(node):
            wanted.setdefault(name, {URIRef(prefix)}).add(node)
    return {triple for name, nodes in wanted.items() for triple in _triples(options.folder, name)
            if triple[1] in LINK_CONTEXT and triple[0] in nodes}


def check_issuer(issuer: IssuerFiles, options: CheckOptions) -> IssuerCheck:
    """Validate one issuer's graph files as the build does (a plain function of picklable values: a Runner runs it
    in workers): its lexicon share, then each document graph with the lexicon facts it reaches (the share's own
    findings left out), then its links share with its documents' tasks and plans."""
    folder = options.folder
    with shacl_engine(options.engine):
        lexicon = _triples(folder, issuer.lexicon_file)
        lexicon_report = validate_triples(lexicon, options.lexicon_graph)
        index = LexiconIndex(lexicon)
        report = Report(list(lexicon_report.findings))
        link_context: set[Triple] = set()
        for graph, name in issuer.documents:
            triples = _triples(folder, name)
            link_context.update(triple for triple in triples if triple[1] in LINK_CONTEXT)
            triples |= index.context(triples)
            report.extend(without(validate_triples(triples, graph), lexicon_report))
        links = _triples(folder, issuer.links_file)
        if links:
            links |= link_context | _foreign_context(links, issuer, options)
            links |= index.context(links)
            report.extend(without(validate_triples(links, options.links_graph), lexicon_report))
    if options.every:
        return IssuerCheck(issuer.gov, report.findings, None)
    return IssuerCheck(issuer.gov, None, summarise(report.findings, options.examples))


def check_build(folder: str | Path, *, engine: str | None = None, runner: Runner | None = None, every: bool = False,
                examples: int = 3, progress: Callable[[str], None] | None = None) -> Iterator[IssuerCheck]:
    """Each issuer's findings in the build folder, in issuer order, as each is checked (`runner`: where; default in
    this process). `progress`, if given, is called with "[n/total] validated ISSUER" after each issuer.
    InputError when the folder lists no graph files (no build of this version) or one cannot be read."""
    folder = Path(folder)
    listed = build_issuers(folder)
    if listed is None:
        raise InputError(str(folder), "not a build folder (no manifest.json listing its graph files); run "
                                      "`govkg build` first")
    issuers, minter = listed.issuers, Minter(listed.base)
    options = CheckOptions(folder, str(minter.lexicon_graph()), str(minter.links_graph()), engine, every, examples,
                           listed.plan_files)

    def done(finished: int, total: int, index: int) -> None:
        if progress:
            progress(f"[{finished}/{total}] validated {issuers[index].gov}")

    return (runner or Runner()).imap(check_issuer, issuers, options, done)


def validate_path(path: str | Path, engine: str | None = None, progress: Callable[[str], None] | None = None,
                  runner: Runner | None = None) -> Report:
    """Validate a build folder (graph file by graph file, `runner`: where the issuers are checked) or an RDF file
    (read whole: every named graph with the lexicon graph); every finding.

    `progress`, if given, is called with "[n/total] validated …" as the work goes on (and "reading FILE")."""
    path = Path(path)
    if path.is_dir() and build_issuers(path) is not None:
        return Report([finding for check in check_build(path, engine=engine, runner=runner, every=True,
                                                        progress=progress) for finding in check.findings or []])
    shares = dump_shares(path, "dataset.nq") if path.is_dir() else None
    if shares is not None:  # a folder of an older build, its dataset.nq kept as shares
        if progress:
            progress(f"reading {path}: dataset.nq from {len(shares)} shares")
        dataset = Dataset(default_union=False)
        bind_prefixes(dataset)
        dataset.parse(data=b"".join(dump_chunks(path, "dataset.nq")), format="nquads")
    else:
        if path.is_dir():
            if not (path / "dataset.nq").is_file():
                raise FileNotFoundError(f"{path}: not a build folder (no dataset.nq); run `govkg build` first")
            path = path / "dataset.nq"
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
        if progress:
            progress(f"reading {path}")
        dataset = load_rdf(path)
    shared = [str(g.identifier) for g in dataset.graphs() if str(g.identifier).endswith("/graph/lexicon")]
    links = next((str(g.identifier) for g in dataset.graphs() if str(g.identifier).endswith("/graph/links")), None)
    return validate_dataset(dataset, shared, links, engine, progress)
