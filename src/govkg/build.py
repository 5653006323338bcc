"""build: documents → validated named graphs, dump files and an embedded store, rebuilding only what changed.

Output folder layout::

    DIR/manifest.json     what was built from what (content hashes and file status, options, issuer shards), for
                          incremental rebuilds
    DIR/graphs/*.nq       one sorted N-Quads file per document and one per plan's statistics, with the document's
                          task profiles, named entities and dump shares (not with `dumps="lazy"`) beside it;
                          lexicon.nq and links.nq whole (only with `dumps="whole"`)
    DIR/graphs/lexicon/   each issuer's share of the lexicon graph;  DIR/graphs/links/  of the links graph
    DIR/graphs/validation/ each issuer's summaries of its documents' and its own findings, which validation.txt
                          is made from
    DIR/dataset.nq        the graph files one after another, in the order of the graphs' names (byte-identical
                          for identical inputs)
    DIR/dataset.trig      the same as TriG;  DIR/dataset.ttl  every graph's triples;  DIR/dataset.jsonld
                          (none of the four with `dumps="shares"` or "lazy": govkg.dumps makes them when read)
    DIR/validation.txt    the SHACL report of every document
    DIR/store/            the Oxigraph store (a link to DIR/.store@N/ once the folder was updated in place)

The whole folder is written beside DIR (".DIR.building-…") and switched in with one step, so DIR is always
either the previous build or the new one, even if the build is killed; unchanged documents' graph files are
hard-linked from the previous build, and what a killed build left beside DIR is removed by the next one. A
rebuild keeping no whole dumps instead updates DIR in place under a journal (govkg.inplace): files under
generation names, the new manifest the commit.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import orjson
from pyoxigraph import NamedNode, Store
from rdflib import URIRef

from . import __version__
from .dumps import DUMP_MODES, DUMPS, FROM_PARTS, dump_pieces, share_file
from .executors import Runner, default_jobs
from .extract import expand_paths
from .fileio import (
    atomic_bytes,
    atomic_text,
    clean_leftovers,
    concatenate,
    link_or_copy,
    remove_tree,
    staging_dir,
    switch_in,
)
from .inplace import (
    FILE_FOLDERS,
    STORE,
    begin,
    build_lock,
    finish,
    keep_held_stores,
    mark,
    recover,
    remove_stores,
    report_name,
    store_name,
)
from .inputs import InputFile, InputReader, Listings, file_status
from .lexicon import Lexicon, load_lexicon
from .model import InputError, Issuer, LayoutName, LayoutPolicy, TaskProfile
from .rdf import (
    DEFAULT_BASE,
    Minter,
    issuer_key,
    normalise_base,
)
from .rdf.iris import segment
from .rdf.mentions import Mention
from .rdf.serialize import dump_fragments, parse_nquads
from .rdf.statistics import statistics_graph
from .rdf.vocab import GW
from .read.files import display_name
from .read.limits import MAX_FILE_BYTES
from .read.sidecar import read_sidecar
from .reportstate import ReportState
from .resolve.meta import RULES_REVISION
from .resources import resource_dir
from .shards import LexiconPart, LinksJob, LinksOptions, LinksPart, Shard, ambiguity, lexicon_part, links_part
from .stages import Extracted, ExtractOptions, GraphJob, GraphOptions, extract_one, graph_one
from .store import bulk_load_nquads, copy_store, open_store
from .typecounts import TypeChanges, TypeCounts, count_types
from .validate import Finding, Report, default_engine, merge_summaries, report_lines, summarise

MANIFEST = "manifest.json"

#: What a build folder holds changed (2: statistics graphs and sources/; 3: issuer shards, profile files; 4: the
#: issuers' summaries of findings; 5: the issuers' warnings counted, not listed, in the manifest; 6: source and
#: extraction IRIs by plan, not by content hash; 7: an assignment's default flags left out; 8: weak records
#: counted in the statistics, and so in the profiles; 9: a plan's link to its weak-record count; 10: documents
#: read anew, without invisible characters, with character references, full-width bars and CJK radicals decoded
#: and merged category cells of short pipe rows kept; 11: a closing bracket nothing opened left out of unit
#: names; 12: role annotations on lines of their own, lines inside an open bracket joined, readings ranked by
#: their rows with roles, text in paragraphs not read one cell per line): an older build is rebuilt in full.
_OUTPUT_REVISION = 12

Progress = Callable[[str], None]


class InvalidGraphError(Exception):
    """The graph has SHACL violations and --allow-invalid was not given; nothing was written."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(f"{len(report.violations)} SHACL violations; nothing written (use --allow-invalid)")


@dataclass
class BuildResult:
    """What a build did and what the graph holds."""

    out: Path
    documents: int = 0
    rebuilt: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    tasks: int = 0
    units: int = 0
    groups: int = 0
    people: int = 0
    triples: int = 0
    #: How the store was made: "full" (bulk load of every quad), "incremental" (the previous store with the
    #: changed graphs replaced) or "unchanged" (the same documents unchanged: the previous build is kept as it is,
    #: nothing written); "unchanged" dumps were shared with the previous build.
    store_update: str = "full"
    dumps: str = "written"
    #: How the dumps are kept: "whole" files, "shares" or "lazy" (govkg.dumps.DUMP_MODES).
    dump_mode: str = "whole"
    violations: int = 0
    warnings: int = 0
    report: Report = field(default_factory=Report)
    extraction_warnings: list[str] = field(default_factory=list)
    #: Links between documents: report rows matched to plan tasks, tasks continuing the previous plan's, and
    #: the ambiguous matches left for review (one line each).
    reports_on: int = 0
    continues: int = 0
    ambiguous: list[str] = field(default_factory=list)
    #: The builds that have updated the store in place since it was last loaded whole or compacted.
    store_updates: int = 0

    def summary(self) -> list[str]:
        """Readable lines for the command line."""
        return [
            f"documents {self.documents} ({len(self.rebuilt)} built, {len(self.reused)} unchanged"
            + (f", {len(self.removed)} removed" if self.removed else "") + ")",
            f"tasks {self.tasks}   units {self.units}   groups {self.groups}   people {self.people}",
            f"triples {self.triples}",
            f"links: {self.reports_on} report rows matched to plan tasks, {self.continues} tasks continuing the "
            f"previous plan's, {len(self.ambiguous)} ambiguous (left for review)",
            f"SHACL: {self.violations} violations, {self.warnings} warnings (see {self.out / 'validation.txt'})",
            f"written to {self.out} (dataset.nq .trig .ttl .jsonld, store/)" if self.dump_mode == "whole" else
            f"written to {self.out} (store/; the dumps {_MODE_WORDS[self.dump_mode]}: "
            f"`govkg dump {self.out} dataset.nq`)",
        ] + ([f"the store has been updated in place by {self.store_updates} builds since it was loaded; "
              f"`govkg compact {self.out}` makes its queries as fast as after a load"]
             if self.store_updates >= COMPACT_HINT_AFTER else [])


#: Updates in place after which the summary suggests `govkg compact`: on a copy of the 5,000-document store, a
#: join over every cooperating task took 9.1–9.3 s after the load, 10.3 s after 100 updates and 13.0 s after 200.
COMPACT_HINT_AFTER = 200

#: How the summary says the dumps are kept when they are not whole files.
_MODE_WORDS = {"shares": "kept as shares", "lazy": "made from the graph files when read"}


def _fingerprint(base: str, policy: LayoutPolicy, *, layout: str | None, issuer: str | None, year: int | None,
                 lex: Lexicon) -> str:
    """What, besides a document's own bytes, decides its graph and findings: options, software and lexicon
    versions, and the SHACL shapes."""
    digest = hashlib.sha256()
    digest.update(json.dumps([__version__, RULES_REVISION, _OUTPUT_REVISION, base, asdict(policy), layout, issuer,
                              year]).encode())
    for path in [*sorted(lex.folder.glob("*.toml")), *sorted(resource_dir("shapes").glob("*.ttl"))]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@dataclass
class _Entry:
    """One document of a build: from the manifest (unchanged) or freshly extracted."""

    path: Path
    sha256: str
    sidecar: str | None
    issuer: Issuer
    year: int | None
    tasks: int
    mentions: list[Mention]
    #: The extracted document, pickled (stages.Extracted.packed): set for a document to build until its graph
    #: is written, then None with `rebuilt` set; None for an unchanged document.
    packed: bytes | None = None
    report: str | None = None
    plan_key: str = ""
    part: str | None = None
    findings: dict[str, int] = field(default_factory=dict)
    #: What validating its graph found, from when it is made until its issuer's summaries are written.
    found: list[Finding] = field(default_factory=list)
    rebuilt: bool = False
    #: True when its plan's statistics file was written anew by this build (its lines differ from the previous
    #: build's); the files are written as soon as matching makes them, so the build never holds every plan's.
    statistics_changed: bool = False
    graph_file: str = ""
    #: Its resolved path, which names it in the manifest.
    key: str = ""
    #: The file status of the document and of its sidecar (inputs.file_status), recorded so that the next build
    #: need not read it again.
    status: list[int] | None = None
    sidecar_status: list[int] | None = None
    #: Its named graph.
    graph: str = ""
    #: The previous build's record of it, while it is reused unchanged.
    known: dict[str, Any] | None = None
    #: Its plan's statistics file: the previous build's while its lines are the same, else one written anew.
    statistics_file: str = ""

    @property
    def gov(self) -> str:
        return issuer_key(self.issuer.code, self.issuer.name)

    def record(self, graph: str, graph_file: str) -> dict[str, Any]:
        return {"file": self.path.name, "sha256": self.sha256, "sidecar": self.sidecar,
                "issuer": asdict(self.issuer), "year": self.year, "part": self.part, "plan_key": self.plan_key,
                "graph": graph, "graph_file": graph_file, "tasks": self.tasks,
                "findings": self.findings, "report": self.report, "status": self.status,
                "sidecar_status": self.sidecar_status}


#: A document to read in this build: its index among the entries, its path and its sidecar's part.
_Job = tuple[int, Path, str | None]


def _to_read(index: int, path: Path, item: InputFile) -> tuple[_Job, _Entry]:
    """A document to read (extract) in this build: its job (its index among the entries, its path, its sidecar's
    part) and its entry."""
    job = (index, path, read_sidecar(path).get("part") if item.sidecar else None)
    return job, _Entry(path, item.sha256, item.sidecar_sha256, Issuer("", None, ""), None, 0, [], key=item.key,
                       status=item.status, sidecar_status=item.sidecar_status)


def _scan(files: list[Path], inputs: InputReader, previous: dict[str, Any], *, vouched: dict[Path, InputFile],
          changed: set[Path] | None) -> tuple[list[InputFile], list[_Entry], list[_Job]]:
    """Each input's file (hashes and status), its entry (the previous build's record when its content is the
    recorded one) and the documents to read; `vouched`: what a resident process holds of the inputs, taken as
    they were unless `changed` names them."""
    entries: list[_Entry] = []
    items: list[InputFile] = []
    todo: list[_Job] = []
    for path in files:
        # (a path is hashed only when there is a table to look it up in: 0.2 s for 25,000 inputs)
        item = vouched.get(path) if vouched and path not in (changed or ()) else None
        item = item or inputs.read(path)
        items.append(item)
        known = previous.get(item.key)
        entry: _Entry | None = None
        if known is not None and _current(known, item):
            entry = _Entry(path, item.sha256, item.sidecar_sha256, Issuer(**known["issuer"]), known["year"],
                           known["tasks"], [], part=known.get("part"), key=item.key)
            entry.plan_key, entry.findings, entry.report = known["plan_key"], known.get("findings", {}), known["report"]
            entry.known = known
            entry.status, entry.sidecar_status = item.status, item.sidecar_status
        if entry is None or (entry.year is None and _plan_key(entry) != entry.plan_key):
            # new or changed; or without a year, keyed by its name, and given under another one now (a link)
            job, entry = _to_read(len(entries), path, item)
            todo.append(job)
        entries.append(entry)
    return items, entries, todo


def _plan_key(entry: _Entry) -> str:
    """A document's plan key: "{year}", a progress report "{year}-report-{period}"; without a year the file stem
    stands in for it ("report-{period}-{stem}", "{stem}"); a sidecar's `part` is appended ("{year}-民生实事")."""
    parts = [str(entry.year)] if entry.year is not None else []
    if entry.report is not None:
        parts += ["report", entry.report.replace("/", "_")]
    if entry.year is None:
        parts.append(entry.path.stem)
    if entry.part is not None:
        parts.append(entry.part)
    return "-".join(parts)


def _plan_keys(entries: list[_Entry]) -> None:
    """Give every document its plan key; two documents of one issuer with the same key are an InputError (a
    published plan is never renamed because another document appears beside it)."""
    seen: dict[tuple[str, str], _Entry] = {}
    for entry in entries:
        if entry.known is None:  # a reused document's key is the recorded one (its own, checked when it was read)
            entry.plan_key = _plan_key(entry)
        other = seen.setdefault((entry.gov, entry.plan_key), entry)
        if other is not entry:
            raise InputError(display_name(entry.path), (
                f"same issuer ({entry.issuer.name}) and plan key ({entry.plan_key}) as {display_name(other.path)}: "
                f"add part = \"…\" to the sidecar of one of them (e.g. {entry.path.stem}.meta.toml: "
                f"part = \"民生实事\")"))


def _current(known: dict[str, Any], item: InputFile) -> bool:
    """True when the manifest's record of a document has its content hashes (the same sidecar too: its part is
    the one recorded)."""
    return known["sha256"] == item.sha256 and known["sidecar"] == item.sidecar_sha256


def _files_missing(entries: list[_Entry], out: str, listings: Listings) -> list[int]:
    """The indexes of the reused entries whose files (graph, profiles, parties, side by side) are not all in the
    build folder's listings: one set comparison per folder when they are, as in every rebuild."""
    by_folder: dict[str, list[tuple[int, str]]] = defaultdict(list)  # folder → (index, graph file's stem)
    for index, entry in enumerate(entries):
        if entry.known is not None:
            folder, _, name = entry.known["graph_file"].rpartition("/")
            by_folder[folder].append((index, name.removesuffix(".nq")))
    missing: list[int] = []
    for folder, stems in by_folder.items():
        names = listings.names(f"{out}/{folder}")
        if not names.issuperset(stem + suffix for _, stem in stems for suffix in _ENTRY_FILE_SUFFIXES):
            missing += [index for index, stem in stems
                        if not all(stem + suffix in names for suffix in _ENTRY_FILE_SUFFIXES)]
    return missing


def _profiles_file(graph_file: str) -> str:
    """The file of a document's task profiles (what matching needs of it), beside its graph file."""
    return graph_file.removesuffix(".nq") + ".profiles.json"


def _parties_file(graph_file: str) -> str:
    """The file of the entities a document names (what the lexicon graph needs of it), beside its graph file."""
    return graph_file.removesuffix(".nq") + ".parties.json"


#: What the names of a document's three files add to its graph file's stem (_profiles_file, _parties_file).
_ENTRY_FILE_SUFFIXES = (".nq", ".profiles.json", ".parties.json")


def _load_mentions(path: Path) -> list[Mention]:
    """The entities a previous build recorded for a document."""
    return [Mention.from_record(record) for record in json.loads(path.read_text(encoding="utf-8"))]


def _load_profiles(path: Path) -> list[TaskProfile]:
    """The task profiles a previous build wrote."""
    return [TaskProfile(**{**record, "lead_units": tuple(record["lead_units"]),
                           "coop_units": tuple(record["coop_units"])})
            for record in json.loads(path.read_text(encoding="utf-8"))]


def _reusable_shard(shard: Shard | None, group: list[_Entry], out: str, listings: Listings | None) -> Shard | None:
    """The previous build's shard of an issuer when none of its documents changed, came or went, else None
    (`listings` None: its files are vouched for)."""
    if shard is None or any(entry.packed is not None for entry in group):
        return None
    if shard.documents != _plan_graphs(group):
        return None
    files = [shard.lexicon_file, shard.links_file, shard.validation_file,
             *(entry.statistics_file for entry in group)]
    return shard if listings is None or all(listings.has(f"{out}/{name}") for name in files) else None


def _shared_graphs(minter: Minter) -> set[str]:
    """The graphs every issuer writes into (lexicon and links), whose findings are its shard's."""
    return {str(minter.lexicon_graph()), str(minter.links_graph())}


def _plan_graphs(group: list[_Entry]) -> list[str]:
    """The named graphs of an issuer's documents, sorted: what its shard was made from."""
    return sorted(entry.graph for entry in group)


def _links_job(gov: str, group: list[_Entry], lexicon: LexiconPart, minter: Minter, *, old: Path,
               stage: Path) -> LinksJob:
    """What matching an issuer's documents needs: their task profiles, read from their files (a rebuilt
    document's in `stage`, an unchanged one's in `old`), and their plans."""
    profiles = [profile for entry in group for profile in _load_profiles(
        (stage if entry.rebuilt else old) / _profiles_file(entry.graph_file))]
    plans = {str(minter.plan(gov, entry.plan_key)): minter.plan_graph(gov, entry.plan_key) for entry in group}
    return LinksJob(profiles, plans, lexicon.report)


def _make_shard(gov: str, group: list[_Entry], lexicon: LexiconPart, links: LinksPart, *, minter: Minter,
                stage: Path, old: Path, old_shard: Shard | None, generation: int | None) -> Shard:
    """An issuer's shard from its lexicon and links parts; its files and its plans' statistics files written into
    `stage` (a statistics file with the same lines as in `old` is that file: hard-linked, or kept where it is when
    the folder is updated in place, as generation `generation`; None when it is built beside), and the summaries of
    its findings (an unchanged document's from `old_shard`'s)."""
    for entry in group:
        lines = links.statistics[str(minter.plan(gov, entry.plan_key))]
        if _same_lines(old / entry.statistics_file, lines):
            if stage != old:
                link_or_copy(old / entry.statistics_file, stage / entry.statistics_file)
        else:
            entry.statistics_file = _statistics_file(entry.graph_file, generation)
            _write_lines(stage / entry.statistics_file, lines)
            entry.statistics_changed = True
    findings = lexicon.report.findings + links.report.findings
    shared = _shared_graphs(minter)
    shard = Shard(gov, _plan_graphs(group), findings,
                  warnings=sum(1 for f in findings if f.severity != "violation" and f.graph in shared),
                  reports_on=sum(1 for m in links.matches if m.kind == "reports_on" and not m.ambiguous),
                  continues=sum(1 for m in links.matches if m.kind == "continues" and not m.ambiguous),
                  ambiguous=[ambiguity(match) for match in links.matches if match.ambiguous],
                  generation=generation or 0)
    _write_lines(stage / shard.lexicon_file, lexicon.lines)
    _write_lines(stage / shard.links_file, links.lines)
    before = dict(_document_summaries(old / old_shard.validation_file)) if old_shard else {}
    documents = []
    for entry in group:
        summary = summarise(entry.found, REPORT_EXAMPLES) if entry.rebuilt else before.get(entry.key)
        documents.append([entry.key, summary or summarise([], REPORT_EXAMPLES)])
        entry.found = []
    # The issuer's findings in one summary (its documents' in order, then its own), which the report reads, on the
    # first line; each document's on the second, which only remaking the issuer reads.
    parts = [summary for _, summary in documents] + [summarise(shard.findings, REPORT_EXAMPLES)]
    shard.summary = merge_summaries(parts, REPORT_EXAMPLES)
    with atomic_bytes(stage / shard.validation_file) as binary:
        binary.write(orjson.dumps(shard.summary) + b"\n" + orjson.dumps(documents) + b"\n")
    return shard


#: Places shown per kind of warning in validation.txt.
REPORT_EXAMPLES = 5


def _document_summaries(path: Path) -> list[list[Any]]:
    """The [document key, summary] pairs of an issuer's summaries file (Shard.validation_file); none without it."""
    try:
        with path.open("rb") as stream:
            stream.readline()
            return orjson.loads(stream.readline())  # type: ignore[no-any-return]
    except (FileNotFoundError, orjson.JSONDecodeError):
        return []


def _report_state(out: Path, old: Path, shards: dict[str, Shard], old_shards: dict[str, Shard],
                  recorded: Any) -> ReportState:
    """What validation.txt is made from: the previous build's state (`recorded`, its manifest's) with the summaries
    of the issuers whose shards changed, came or went put in (their old summaries read from `old`, the new ones
    from `out`); else every issuer's summary, issuers in order (an issuer whose shard is the previous build's read
    from the first line of its file and kept with the shard, for a resident process's next build). The report is
    the same for a build from scratch and a rebuild."""
    state = ReportState.from_record(recorded) if recorded is not None else None
    if state is not None and state.examples == REPORT_EXAMPLES:
        try:  # an old summary gone or damaged: every summary is read, as for a build from scratch
            before = {gov: _summary(old, shard) for gov, shard in old_shards.items() if shards.get(gov) is not shard}
        except (OSError, orjson.JSONDecodeError):
            before = None
        if before is not None:
            after = {gov: _summary(out, shard) for gov, shard in shards.items() if old_shards.get(gov) is not shard}
            updated = state.updated(before, after)
            if updated is not None:
                return updated
    return ReportState.of(((gov, _summary(out, shards[gov])) for gov in sorted(shards)), REPORT_EXAMPLES)


def _summary(out: Path, shard: Shard) -> dict[str, Any]:
    """An issuer's summary of findings: the one its shard holds, else read from the first line of its file and
    kept with the shard."""
    if shard.summary is None:
        with (out / shard.validation_file).open("rb") as stream:
            shard.summary = orjson.loads(stream.readline())
    return shard.summary


def load_manifest(out: Path) -> dict[str, Any]:
    """The build folder's manifest ({} when there is none or it cannot be read)."""
    try:
        with collector_paused():
            manifest = orjson.loads((out / MANIFEST).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection in the block (as it was after it): for work that makes many objects and little
    garbage, such as reading a national manifest, where each collection the allocations trigger walks those made
    so far."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Resident:
    """What a build process that stays running (`govkg build --watch`) keeps between its builds of one folder, so
    that a rebuild costs the documents that changed, not the build's size: the manifest it wrote, the documents
    it read, their hashes and file status, and the issuers' shards with their summaries of findings.

    It is used only while the folder's manifest is the one this process wrote (the same file status); after
    another build of the folder everything is read again. Between builds the caller says which documents may have
    changed (`touched`); the others are taken as they were, and the files the manifest names as present."""

    out: Path | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    #: The manifest file's status once written (inputs.file_status).
    stamp: list[int] | None = None
    #: The paths the documents were found from, and the documents.
    paths: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    inputs: dict[Path, InputFile] = field(default_factory=dict)
    shards: dict[str, Shard] = field(default_factory=dict)
    #: The documents that may have changed since the last build; None: any input may have (all looked at again).
    changed: set[Path] | None = None

    def touched(self, paths: Iterable[Path] | None) -> None:
        """Note documents that may have changed (file events); None: anything may have (a file came or went, a
        sidecar changed), so the next build lists and looks at every input."""
        if paths is None or self.changed is None:
            self.changed = None
            return
        paths = list(paths)
        if all(path in self.inputs for path in paths):
            self.changed.update(paths)
        else:
            self.changed = None

    def current(self, out: Path) -> bool:
        """True when the folder's manifest is the one this process last wrote there."""
        return self.out == out and self.stamp is not None and file_status(str(out / MANIFEST)) == self.stamp

    def remember(self, out: Path, manifest: dict[str, Any], *, paths: list[str], files: list[Path],
                 items: list[InputFile], shards: dict[str, Shard] | None) -> None:
        """What a build just committed (`shards`: None when they are the manifest's, read when next needed)."""
        self.out, self.manifest, self.stamp = out, manifest, file_status(str(out / MANIFEST))
        self.paths, self.files = paths, files  # the same list while no document came or went
        self.inputs = {item.path: item for item in items}
        self.shards = shards if shards is not None else {}
        for gov, shard in self.shards.items():  # written back as the record the manifest holds
            shard.recorded = manifest["issuers"][gov]
        self.changed = set()

    def prepare(self) -> None:
        """Make ahead, between builds, what the next one would otherwise make: the issuers' shards from the
        manifest (a build that found nothing changed keeps the manifest's records only) and their summaries of
        findings, which the report is made from."""
        if self.stamp is None or self.out is None:
            return
        if not self.shards and self.manifest.get("issuers"):
            self.shards = {gov: Shard.from_record(gov, record) for gov, record in self.manifest["issuers"].items()}
        for shard in self.shards.values():
            _summary(self.out, shard)

    def forget(self) -> None:
        """Drop what it holds (a build failed): the next build reads the folder and every input again."""
        self.out, self.manifest, self.stamp, self.changed = None, {}, None, None
        self.paths, self.files, self.inputs, self.shards = [], [], {}, {}


def build(paths: list[str | Path] | str | Path, out: str | Path, *, base: str = DEFAULT_BASE,
          policy: LayoutPolicy | None = None, layout: LayoutName | None = None, issuer: str | None = None,
          year: int | None = None, allow_invalid: bool = False, lex: Lexicon | None = None,
          progress: Progress | None = None, max_bytes: int = MAX_FILE_BYTES,
          runner: Runner | None = None, dumps: str = "whole", resident: Resident | None = None,
          wait: bool = False) -> BuildResult:
    """Build the knowledge graph of the documents into `out`; only changed documents are processed again.

    A document (or sidecar) that is not a regular file or is larger than `max_bytes` is refused (InputError).
    `runner` says where the per-document work runs (default: in this process; `Runner(jobs=4)`, `Runner(dask=…)`).
    `dumps` says how the dumps are kept (DUMP_MODES): "whole" files; "shares" (only each graph file's share;
    govkg.dumps makes a dump from them when it is read), which spares a rebuild copying the whole dataset; or
    "lazy" (no shares either: govkg.dumps serialises the graph files when a dump is read), which spares the build
    serialising every graph in three more formats.
    `resident` is what a process building the folder again and again keeps between its builds (Resident).
    `paths` may be one path (a document or a folder of documents).
    `wait`: when another process is writing `out` (a build, `govkg compact`), wait for it instead of raising
    FolderBusyError.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    if dumps not in DUMP_MODES:
        raise InputError("--dumps", f"must be one of {', '.join(DUMP_MODES)}, not {dumps!r}")
    runner = runner or Runner()
    lex = lex or load_lexicon()
    policy = policy or LayoutPolicy()
    try:
        base = normalise_base(base)
    except ValueError as exc:
        raise InputError("--base", str(exc)) from None
    shown = Path(out)
    out = shown.resolve()  # a symlink keeps naming the folder, which is switched; "." gets a name
    if out.exists() and not out.is_dir():
        raise InputError("--out", f"{out} is not a folder")
    say = progress or (lambda message: None)
    clean_leftovers(out)
    set_aside = not gc.get_freeze_count()  # else the caller (a watching process) set its own state aside
    with build_lock(out, on_wait=say if wait else None):
        try:
            result = _build(paths, out, base=base, policy=policy, layout=layout, issuer=issuer, year=year,
                            allow_invalid=allow_invalid, lex=lex, say=say, max_bytes=max_bytes, runner=runner,
                            dumps=dumps, resident=resident, set_aside=set_aside)
        except BaseException:
            if resident is not None:
                resident.forget()
            raise
        finally:
            if set_aside:
                gc.unfreeze()
    result.out = shown
    return result


def _build(paths: list[str | Path], out: Path, *, base: str, policy: LayoutPolicy, layout: LayoutName | None,
           issuer: str | None, year: int | None, allow_invalid: bool, lex: Lexicon, say: Progress, max_bytes: int,
           runner: Runner, dumps: str, resident: Resident | None, set_aside: bool) -> BuildResult:
    """`build` with its options checked, holding the lock of `out` (a resolved path); `set_aside`: exempt what the
    process holds once the manifest is read from the garbage collector's passes (see below)."""
    minter = Minter(base)
    fingerprint = _fingerprint(base, policy, layout=layout, issuer=issuer, year=year, lex=lex)
    given = [os.fspath(path) for path in paths]
    # what a resident process holds of the folder, when it is still the folder's state and the inputs are the same
    warm = resident if resident is not None and resident.current(out) and resident.paths == given else None
    manifest = warm.manifest if warm is not None else load_manifest(out)
    # A national manifest is millions of objects, and the build makes hundreds of thousands more that live until
    # it ends (each input's record and entry, the issuers' shards), which every full pass of the cyclic garbage
    # collector would walk again (1 s of a 3.5 s one-document rebuild at 25,000 documents): set aside as they are
    # made; they are freed by reference counting, and the build's unfreeze hands them back to the collector.
    set_aside_now = gc.freeze if set_aside else lambda: None
    set_aside_now()
    if recover(out, manifest, manifest_files):
        say(f"finished what a killed build left in {out}")
    elif manifest:  # stores of earlier builds that a server still read when they were replaced
        remove_stores(out, keep=manifest.get("store", STORE))
    previous = manifest.get("documents", {}) if manifest.get("fingerprint") == fingerprint else {}
    # A rebuild keeping no whole dumps updates the folder in place (govkg.inplace); files it writes carry
    # the generation in their names. Every build counts a generation, so that no name is ever used twice.
    generation = int(manifest.get("generation", 0)) + 1 if manifest else 0
    in_place = bool(previous) and dumps in FROM_PARTS and dumps == manifest.get("dumps") and (out / STORE).is_dir()

    read_ns = time.time_ns()
    inputs = InputReader(previous, max_bytes, manifest.get("inputs_read_ns", 0) if previous else 0)
    # a resident process told which documents may have changed: the others are as it read them
    vouched = warm.inputs if warm is not None and warm.changed is not None else {}
    listings = None if vouched else inputs.listings  # files the manifest names are there while it is vouched for
    with collector_paused():  # hundreds of thousands of objects and no garbage (2 full passes of 0.1 s spared)
        files = warm.files if vouched and warm is not None else expand_paths(paths)
        items, entries, todo = _scan(files, inputs, previous, vouched=vouched,
                                     changed=warm.changed if warm is not None else None)
        for index in _files_missing(entries, str(out), listings) if listings is not None else ():
            # a reused document whose files are gone from the build folder: read again
            job, entries[index] = _to_read(index, files[index], items[index])
            todo.append(job)
        set_aside_now()  # before the collector resumes, else its first pass walks them all
    todo.sort(key=lambda job: job[0])
    if previous and not todo:
        same = _nothing_changed(out, manifest, entries, dumps)
        if same is not None:
            manifest = _record_statuses(out, manifest, entries, read_ns)
            if resident is not None:
                resident.remember(out, manifest, paths=given, files=files, items=items,
                                  shards=warm.shards if warm is not None else None)
            say("nothing changed: the build is the previous one")
            return same

    options = ExtractOptions(lex, policy, layout, issuer, year, max_bytes)
    if todo:
        say(f"extracting {len(todo)} document{'s' * (len(todo) != 1)} {runner.describe(len(todo))}")
    extraction_warnings: list[str] = []
    extracted = runner.imap(extract_one, [path for _, path, _ in todo], options,
                            done=lambda n, total, i: say(f"[{n}/{total}] extracted {todo[i][1].name}"))
    for (index, _, part), read in zip(todo, extracted, strict=True):
        _take(entries[index], read, extraction_warnings)
        entries[index].part = part

    _plan_keys(entries)
    seen: dict[str, Path] = {}
    new_mark = mark(generation) if in_place else ""
    for entry in entries:
        if entry.known is not None:  # reused: its plan key and so its graph are the recorded ones
            entry.graph, entry.graph_file = entry.known["graph"], entry.known["graph_file"]
        else:
            entry.graph = str(minter.plan_graph(entry.gov, entry.plan_key))
            entry.graph_file = f"graphs/{segment(entry.gov)}_{segment(entry.plan_key)}{new_mark}.nq"
        entry.statistics_file = (entry.known["statistics_file"] if entry.known is not None
                                 else _statistics_file(entry.graph_file))
        if entry.graph in seen:
            raise InputError(entry.path.name, f"same graph as {seen[entry.graph].name}: {entry.graph}")
        seen[entry.graph] = entry.path

    report = Report()
    by_gov: dict[str, list[_Entry]] = defaultdict(list)
    for entry in entries:
        by_gov[entry.gov].append(entry)
    old_shards = (warm.shards if warm is not None and warm.shards else {
        gov: Shard.from_record(gov, record) for gov, record in manifest.get("issuers", {}).items()}) if previous else {}
    shards = {gov: _reusable_shard(old_shards.get(gov), group, str(out), listings)
              for gov, group in by_gov.items()}
    set_aside_now()
    touched = sorted(gov for gov, shard in shards.items() if shard is None)
    if touched and previous:
        say(f"remaking the lexicon and links of {len(touched)} of {len(by_gov)} issuers")
    lexicon_parts: dict[str, LexiconPart] = {}
    for gov in touched:
        named = [m for e in by_gov[gov] for m in (
            e.mentions if e.packed is not None else _load_mentions(out / _parties_file(e.graph_file)))]
        lexicon_parts[gov] = lexicon_part({e.issuer for e in by_gov[gov]}, gov, named, minter, lex)
    shared = GraphOptions(lex, minter.base, default_engine())

    stage = out if in_place else staging_dir(out)
    try:
        if in_place:
            begin(out, generation)
        for folder in FILE_FOLDERS:
            (stage / folder).mkdir(exist_ok=in_place)
        changed = [entry for entry in entries if entry.packed is not None]
        if changed:
            say(f"making and validating {len(changed)} document graph{'s' * (len(changed) != 1)} "
                f"{runner.describe(len(changed))}")
        for entry in changed:  # what the lexicon needs of it next time; then dropped
            with atomic_text(stage / _parties_file(entry.graph_file)) as stream:
                json.dump([m.record() for m in entry.mentions], stream, ensure_ascii=False)
        for entry in entries:
            entry.mentions = []

        def graph_jobs() -> Iterator[GraphJob]:  # made as the workers take them; a job's document then dropped
            for entry in changed:
                packed, entry.packed = entry.packed, None
                assert packed is not None
                yield GraphJob(packed, entry.path, entry.plan_key, entry.report, lexicon_parts[entry.gov].index,
                               lexicon_parts[entry.gov].report)

        made_graphs = runner.imap(graph_one, graph_jobs(), shared, total=len(changed),
                                  done=lambda n, total, i: say(f"[{n}/{total}] graph of {changed[i].path.name}"))
        for entry, made in zip(changed, made_graphs, strict=True):
            # written at once and dropped: the build never holds every document's quads
            _write_lines(stage / entry.graph_file, made.lines)
            _write_lines(stage / "sources" / f"{entry.sha256[:16]}.txt", made.source_lines)
            with atomic_text(stage / _profiles_file(entry.graph_file)) as stream:
                json.dump([asdict(p) for p in made.profiles], stream, ensure_ascii=False)
            entry.findings, entry.found, entry.rebuilt = made.findings, made.report.findings, True
            report.extend(made.report)
        del shared

        say("matching tasks across documents")
        links_jobs = (_links_job(gov, by_gov[gov], lexicon_parts[gov], minter, old=out, stage=stage)
                      for gov in touched)
        made_links = runner.imap(links_part, links_jobs, LinksOptions(minter, lex, default_engine()),
                                 total=len(touched))
        for gov, links in zip(touched, made_links, strict=True):
            shards[gov] = _make_shard(gov, by_gov[gov], lexicon_parts.pop(gov), links, minter=minter, stage=stage,
                                      old_shard=old_shards.get(gov),
                                      old=out, generation=generation if in_place else None)
        kept = {gov: shard for gov, shard in shards.items() if shard is not None}
        for shard in kept.values():
            report.extend(Report(shard.findings))
        if report.violations and not allow_invalid:
            raise InvalidGraphError(report)
        linked = {"reports_on": sum(s.reports_on for s in kept.values()),
                  "continues": sum(s.continues for s in kept.values()),
                  "ambiguous": [line for gov in sorted(kept) for line in kept[gov].ambiguous]}
        set_aside_now()
        result, saved = _write(stage, entries, kept, old_shards, report=report, minter=minter,
                        known=manifest if previous else {}, fingerprint=fingerprint, say=say, old=out,
                        linked=linked, runner=runner, dumps=dumps, read_ns=read_ns,
                        listings=inputs.listings, generation=generation, in_place=in_place)
        if not in_place:
            _carry_over(out, stage)
            switch_in(stage, out, retiring=lambda retired: keep_held_stores(retired, out))
        if resident is not None:
            resident.remember(out, saved, paths=given, files=files, items=items, shards=kept)
    except BaseException:
        if in_place:  # before the commit: its files removed; after: the old ones
            recover(out, load_manifest(out), manifest_files)
        else:
            remove_tree(stage)
        raise
    result.extraction_warnings = extraction_warnings
    return result


#: What a build's summary says, kept in the manifest so that a build finding nothing changed can say it again
#: (with the ambiguous matches, which the issuers' records hold).
_COUNTS = ("tasks", "units", "groups", "people", "triples", "violations", "warnings", "reports_on", "continues")


def _nothing_changed(out: Path, manifest: dict[str, Any], entries: list[_Entry], dumps: str) -> BuildResult | None:
    """The previous build, when it holds exactly these documents unchanged, keeps its dumps as asked (`dumps`) and
    is complete: nothing to do."""
    counts = manifest.get("result")
    complete = (out / "store").is_dir() and manifest.get("dumps", "whole") == dumps and (
        dumps in FROM_PARTS or all((out / name).is_file() for name in DUMPS))
    if not isinstance(counts, dict) or set(counts) != set(_COUNTS) or not complete or len(entries) != len(
            manifest.get("documents", {})):
        return None
    issuers = manifest.get("issuers", {})
    ambiguous = [line for gov in sorted(issuers) for line in issuers[gov]["ambiguous"]]
    return BuildResult(out=out, documents=len(entries), reused=[entry.path.name for entry in entries],
                       store_update="unchanged", dumps="unchanged", dump_mode=dumps, ambiguous=ambiguous,
                       store_updates=store_updates(manifest), **counts)


def _record_statuses(out: Path, manifest: dict[str, Any], entries: list[_Entry], read_ns: int) -> dict[str, Any]:
    """Record the file status of documents whose content was found unchanged under a new status (copied, touched),
    so that the next build need not read them again; the rest of the build stays as it was. The manifest now."""
    records = manifest["documents"]
    stale = [e for e in entries if [e.status, e.sidecar_status] != [records[e.key].get("status"),
                                                                     records[e.key].get("sidecar_status")]]
    if stale:
        for entry in stale:
            records[entry.key].update(status=entry.status, sidecar_status=entry.sidecar_status)
        manifest = {**manifest, "inputs_read_ns": read_ns}
        save_manifest(out, manifest)
    return manifest


def save_manifest(out: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest atomically: compact, keys sorted, UTF-8 (orjson: the same bytes as the standard
    library's encoder, ten times faster on the tens of megabytes of a national build)."""
    with atomic_bytes(out / MANIFEST) as binary:
        binary.write(orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS))


def _take(entry: _Entry, read: Extracted, warnings: list[str]) -> None:
    """Fill a document's entry from what extraction read."""
    entry.issuer, entry.year, entry.tasks, entry.mentions = read.issuer, read.year, read.tasks, read.mentions
    entry.packed, entry.report, entry.known = read.packed, read.report, None
    warnings += read.diagnostics


def _write_lines(path: Path, lines: list[str]) -> None:
    """A file of lines, each ended by a newline, written atomically."""
    with atomic_text(path) as stream:
        stream.write("".join(line + "\n" for line in lines))


#: What a build writes at the top of its folder; anything else there (e.g. `govkg network html --out
#: out/network.html`) is carried over to the next build.
_OWN = {MANIFEST, "graphs", "sources", "store", "dataset.nq", "dataset.trig", "dataset.ttl", "dataset.jsonld",
        "validation.txt"}


def _carry_over(old: Path, new: Path) -> None:
    """Keep the files others put in the build folder (hard links; temporaries and the build's own left out)."""
    if not old.is_dir():
        return
    for path in old.iterdir():
        if path.name in _OWN or path.name.startswith("."):
            continue
        if path.is_file() and not path.is_symlink():
            link_or_copy(path, new / path.name)
        elif path.is_dir() and not path.is_symlink():
            shutil.copytree(path, new / path.name, copy_function=link_or_copy, symlinks=True)


#: Fewer new graph files than this have their dump shares made in the build process, not by worker processes.
_SHARES_HERE = 8

#: The dumps besides dataset.nq (whose shares are the graph files), and their formats (rdf.serialize.DUMP_FORMATS).
_DUMPS = tuple((name, fmt) for name, (_, fmt) in DUMPS.items() if name != "dataset.nq")


def _statistics_file(graph_file: str, generation: int | None = None) -> str:
    """The file of a plan's statistics graph, beside its graph file (written by generation `generation` of a
    folder updated in place: with its mark)."""
    return graph_file.removesuffix(".nq") + ".statistics" + (mark(generation) if generation else "") + ".nq"


def _same_lines(path: Path, lines: list[str]) -> bool:
    """True when the file holds exactly these N-Quads lines (a previous build's statistics)."""
    try:
        return path.read_text(encoding="utf-8").splitlines() == lines
    except (OSError, UnicodeDecodeError):
        return False


def _read_lines(path: Path) -> list[str]:
    """The lines of a previous build's file; none when it is missing."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def _updated_store(old: Path, new: Path, replaced: dict[str, int], *, removed: list[str], added: list[str],
                   counts: TypeCounts | None = None, sized: dict[str, int] | None = None
                   ) -> tuple[Store, TypeCounts | None] | None:
    """The previous build's store copied to `new` with the `replaced` graphs emptied, the `removed` N-Quads lines
    taken out and the `added` ones loaded: a changed document costs the quads that differ and its issuer's share of
    the lexicon and links, not a reload of everything. None (and nothing at `new`) when there is no previous store,
    or the result is not what was asked: each replaced graph, and each graph in `sized` (changed by lines, not
    emptied), holding exactly the quads given (graph IRI → count), no removed line left and every added one there.
    The check costs the changes, not the store's size.

    With the store, its type counts from the previous store's (`counts`; None when not known), found from the
    resources the changes type, not by counting the store."""
    if not old.is_dir():
        return None
    try:
        copy_store(old, new)
        store = open_store(new)
        gone = parse_nquads("".join(line + "\n" for line in set(removed) - set(added)))
        new_quads = parse_nquads("".join(line + "\n" for line in added))
        changes = TypeChanges(store, replaced, gone, new_quads, counts) if counts is not None else None
        for graph in sorted(replaced):
            store.remove_graph(NamedNode(graph))
        for quad in gone:
            store.remove(quad)
        store.extend(new_quads)
        expected = replaced | (sized or {})
        if all(_graph_size(store, graph) == size for graph, size in expected.items()) and not any(
                quad in store for quad in gone) and all(quad in store for quad in new_quads):
            return store, changes.counts_after(store) if changes is not None else None
        del store
    except (OSError, ValueError, SyntaxError):
        pass
    remove_tree(new)
    return None


def store_updates(manifest: dict[str, Any]) -> int:
    """The builds that have updated a build's store in place since it was loaded whole or compacted (0 when its
    manifest does not say)."""
    updates = manifest.get("store_updates")
    return updates if type(updates) is int and updates >= 0 else 0


def _graph_size(store: Store, graph: str) -> int:
    """The quads of one named graph (read from the graph's own index entries)."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return int(next(iter(store.query(query)))["n"].value)


def _shard_changes(out: Path, old: Path, shards: dict[str, Shard], old_shards: dict[str, Shard]
                   ) -> tuple[list[str], list[str]]:
    """The lexicon and links lines the previous build's shards had and these do not (removed), and the reverse
    (added); shards kept unchanged from the previous build are skipped."""
    removed: list[str] = []
    added: list[str] = []
    for gov in sorted(set(shards) | set(old_shards)):
        now, then = shards.get(gov), old_shards.get(gov)
        for kind in ("lexicon_file", "links_file"):
            before_file = getattr(then, kind) if then else None
            after_file = getattr(now, kind) if now else None
            if before_file and after_file and ((before_file == after_file and old == out)
                                               or _same_file(old / before_file, out / after_file)):
                continue
            gone, new = _changed_lines(_read_lines(old / before_file) if before_file else [],
                                       _read_lines(out / after_file) if after_file else [])
            removed += gone
            added += new
    return removed, added


def _changed_lines(before: list[str], after: list[str]) -> tuple[list[str], list[str]]:
    """The lines `before` has and `after` lacks, and the reverse, each sorted."""
    then, now = set(before), set(after)
    return sorted(then - now), sorted(now - then)


def _same_file(first: str | Path, second: str | Path) -> bool:
    """True when both paths name the same file (a hard link)."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def _line_counts(out: Path, parts: list[str], fresh: set[str], known: dict[str, int],
                 renamed: dict[str, str] | None = None) -> dict[str, int]:
    """The lines of each graph file: counted for the files new in this build, the previous build's count for the
    others (the same files). `renamed`: `parts` is the previous build's list with these files renamed, and `known`
    counts exactly that list's files."""
    if renamed is not None:
        counts = dict(known)
        for part in renamed:
            counts.pop(part, None)
        for part in fresh.union(renamed.values()):
            counts[part] = _count_lines(out / part)
        if counts.keys() == set(parts):
            return counts
    counts = {}
    for part in parts:
        counts[part] = _count_lines(out / part) if part in fresh or part not in known else known[part]
    return counts


def _count_lines(path: Path) -> int:
    """The lines of a file."""
    with path.open("rb") as stream:
        return sum(chunk.count(b"\n") for chunk in iter(partial(stream.read, 1 << 20), b""))


def _renamed_files(documents: dict[str, Any], previous: dict[str, Any], shards: dict[str, Shard],
                   old_shards: dict[str, Shard]) -> dict[str, str] | None:
    """The graph files of the previous build that this one replaces by others (previous name → new name), when
    it has the same documents, graphs and issuers, so that its list of graph files is the previous one with those
    renamed (the graphs' order unchanged: 0.1 s less for each rebuild at 25,000 documents than listing and
    sorting 56,000 graphs); None otherwise."""
    if documents.keys() != previous.keys() or shards.keys() != old_shards.keys():
        return None
    renamed: dict[str, str] = {}
    for key, record in documents.items():
        before = previous[key]
        if record is before:  # kept as it was (most records, at scale)
            continue
        for graph, file in _RECORDED_GRAPHS:
            if record.get(graph) != before.get(graph):
                return None
            if record.get(file) != before.get(file):
                renamed[before[file]] = record[file]
    for gov, shard in shards.items():
        before_shard = old_shards[gov]
        if shard is not before_shard:
            renamed[before_shard.lexicon_file] = shard.lexicon_file
            renamed[before_shard.links_file] = shard.links_file
    return renamed


def _write_dumps(out: Path, old: Path, parts: list[str], fresh: set[str], *, unchanged: bool, whole: bool,
                 runner: Runner, listings: Listings, stop: threading.Event | None = None) -> None:
    """Each graph file's share of the dumps, then (`whole`) each dump as one file: only the shares of graph files
    new in this build are serialised (by `runner`'s local workers), the others are the previous build's (in a
    folder updated in place, `out` is `old`: they are where they were); an unchanged build's dump files are the
    previous ones. Once `stop` is set (the build failed meanwhile) nothing more is written."""
    stop = stop or threading.Event()
    names = [name for name, _ in _DUMPS]
    formats = tuple(fmt for _, fmt in _DUMPS)
    todo = []
    was, now = str(old), str(out)
    for part in parts if out != old else ():
        shares = [share_file(part, name) for name in names]
        if part not in fresh and all(listings.has(f"{was}/{share}") for share in shares):
            for share in shares:
                link_or_copy(f"{was}/{share}", f"{now}/{share}")
        else:
            todo.append(part)
    if out == old:
        todo = [part for part in parts if part in fresh]
    # the graph files are in the build folder, which Dask workers elsewhere may not see: local processes; a few
    # files (a rebuild's) are serialised here in less time than starting the processes takes
    local = Runner() if len(todo) < _SHARES_HERE else runner if runner.dask is None else Runner(jobs=default_jobs())
    made = local.imap(dump_fragments, [out / part for part in todo], formats)
    try:
        for part, fragments in zip(todo, made, strict=True):
            if stop.is_set():
                return
            for name, fragment in zip(names, fragments, strict=True):
                with atomic_bytes(out / share_file(part, name)) as binary:
                    binary.write(fragment)
    finally:
        close = getattr(made, "close", None)
        if close is not None:  # the workers' pending shares cancelled when the loop ends early
            close()
    for name in names if whole and not stop.is_set() else ():
        if unchanged:  # the same data as the previous build: its dump files, never modified in place, are shared
            link_or_copy(old / name, out / name)
            continue
        head, separator, tail = dump_pieces(name)
        with atomic_bytes(out / name) as binary:
            concatenate((out / share_file(part, name) for part in parts), binary, head=head, separator=separator,
                        tail=tail)


def _write(out: Path, entries: list[_Entry], shards: dict[str, Shard], old_shards: dict[str, Shard], *,
           report: Report, minter: Minter, known: dict[str, Any], fingerprint: str, say: Progress, old: Path,
           linked: dict[str, Any], runner: Runner, dumps: str, read_ns: int, listings: Listings, generation: int,
           in_place: bool) -> tuple[BuildResult, dict[str, Any]]:
    """Write a whole build into `out` (the staging folder, which holds the graph files made in this build);
    unchanged documents' and issuers' files come from `old`, whose manifest is `known` (empty when it was built
    with other options or software). `in_place`: `out` is `old`, updated in place as generation `generation`
    (govkg.inplace): unchanged files stay where they are, the manifest is the commit. The result and the manifest
    written."""
    previous: dict[str, Any] = known.get("documents", {})
    result = BuildResult(out=out, report=report, dump_mode=dumps, **linked)
    graphs_dir = out / "graphs"
    documents: dict[str, Any] = {}
    changed_statistics: dict[str, str] = {}  # statistics graphs whose lines differ from the previous build's: file
    was, now = str(old), str(out)  # tens of thousands of files are linked: plain strings, not Path objects
    for entry in entries:
        statistics_file = entry.statistics_file
        if entry.known is not None:  # its record with the file status read now (the record itself when the same)
            known_record = entry.known
            same = (known_record.get("status") == entry.status and known_record.get("sidecar_status") ==
                    entry.sidecar_status and known_record.get("statistics_file") == statistics_file)
            documents[entry.key] = known_record if same else {
                **known_record, "status": entry.status, "sidecar_status": entry.sidecar_status,
                "statistics_file": statistics_file}
        else:
            documents[entry.key] = {
                **entry.record(entry.graph, entry.graph_file), "statistics_file": statistics_file,
                "statistics_graph": str(statistics_graph(URIRef(entry.graph)))}
        if entry.statistics_changed:
            changed_statistics[documents[entry.key]["statistics_graph"]] = statistics_file
        elif not in_place and not os.path.exists(f"{now}/{statistics_file}"):  # its issuer's shard is the previous
            link_or_copy(f"{was}/{statistics_file}", f"{now}/{statistics_file}")
        (result.rebuilt if entry.rebuilt else result.reused).append(entry.path.name)
        if not entry.rebuilt and not in_place:  # reused: its graph file (the plan key is unchanged, else rebuilt)
            for name in (entry.graph_file, _profiles_file(entry.graph_file), _parties_file(entry.graph_file)):
                link_or_copy(f"{was}/{name}", f"{now}/{name}")
            source = f"sources/{entry.sha256[:16]}.txt"
            if listings.has(f"{was}/{source}"):
                link_or_copy(f"{was}/{source}", f"{now}/{source}")
    same_shards = set(shards) == set(old_shards)
    for shard in shards.values() if not in_place else ():  # in place: the shards kept are where they were
        for name in (shard.lexicon_file, shard.links_file, shard.validation_file):
            if not (out / name).exists():  # an issuer whose shard is the previous build's
                link_or_copy(old / name, out / name)
            same_shards = same_shards and (name == shard.validation_file or _same_file(old / name, out / name))
    for shared, folder in (("lexicon.nq", "lexicon"), ("links.nq", "links")) if dumps == "whole" else ():
        # each graph whole, for publish (which reads the issuers' shares of a build keeping its dumps as shares)
        if same_shards and (old / "graphs" / shared).is_file():
            link_or_copy(old / "graphs" / shared, graphs_dir / shared)
        else:
            with atomic_bytes(graphs_dir / shared) as binary:
                concatenate(sorted((graphs_dir / folder).iterdir()), binary)
    # the same documents and graphs as before (any rebuild where documents only changed): none gone
    renamed = _renamed_files(documents, previous, shards, old_shards) if known.get("parts") else None
    stale_graphs: set[str] = set()
    if renamed is None:
        stale_graphs = {record["graph"] for record in previous.values()} - {r["graph"] for r in documents.values()}
        stale_graphs |= {str(statistics_graph(URIRef(graph))) for graph in stale_graphs}
    result.removed = sorted(record["file"] for record in previous.values()
                            if record["graph"] in stale_graphs) if stale_graphs else []

    whole = dumps == "whole"
    if whole:
        say("writing dataset.nq")
    if renamed is not None:  # the same graphs and issuers as before: the previous list, its changed files renamed
        parts = [renamed.get(part, part) for part in known["parts"]]
    else:
        named = _graph_files(minter, shards, documents)
        parts = [part for graph in sorted(named) for part in named[graph]]
    # a file shared with a build of other options or software (a different fingerprint) still has its shares made
    written = mark(generation) + "."
    fresh = [part for part in parts if written in part] if in_place else [
        part for part in parts if not previous or not _same_file(f"{was}/{part}", f"{now}/{part}")]
    lines = _line_counts(out, parts, set(fresh), known.get("lines", {}), renamed)
    if whole:
        with atomic_bytes(out / "dataset.nq") as binary:
            concatenate((out / part for part in parts), binary)
    unchanged = bool(previous) and not fresh and known.get("parts") == parts and (not whole or all(
        (old / name).is_file() for name, _ in _DUMPS)) and (dumps == "lazy" or known.get("dumps") != "lazy")
    report_state = _report_state(out, old, shards, old_shards, known.get("report"))
    with atomic_text(out / (report_name(generation) if in_place else "validation.txt")) as stream:
        stream.write("\n".join(report_lines([report_state.merged()], REPORT_EXAMPLES)) + "\n")
    lazy = dumps == "lazy"  # no shares to write: the dumps are serialised from the graph files when read
    if not unchanged and not lazy:
        say(f"writing {'dumps' if whole else 'the shares of the dumps'} ({len(fresh)} of {len(parts)} graph files new)")
    # The dumps are written by another thread (and its worker processes) while this one loads the store: Oxigraph's
    # bulk loader releases the interpreter and keeps about 1.2 CPUs busy, so on two CPUs the dumps' serialising
    # fills the rest instead of waiting for its turn (196 s of a 2,141 s build of 25,000 documents).
    stop = threading.Event()
    with ThreadPoolExecutor(1, thread_name_prefix="govkg-dumps") as background:
        writing = None if lazy else background.submit(
            _write_dumps, out, old, parts, set(fresh), unchanged=unchanged, whole=whole, runner=runner,
            listings=listings, stop=stop)
        try:
            say("loading the store")
            store_folder, counts = _load_store(
                out, old, result, entries=entries, documents=documents, shards=shards, old_shards=old_shards,
                known=known, stale_graphs=stale_graphs, changed_statistics=changed_statistics, lines=lines,
                parts=parts, generation=generation, in_place=in_place)
        except BaseException:
            stop.set()  # the dumps stop at the next graph file; leaving the block waits for them
            raise
        if writing is not None:
            writing.result()  # the dumps' own error, if any
    result.dumps = ("unchanged" if unchanged else "written" if whole else "made when read" if lazy
                    else "shares written")
    result.documents = len(entries)
    shared = _shared_graphs(minter)
    result.violations = sum(e.findings.get("violations", 0) for e in entries) + sum(
        1 for f in report.violations if f.graph in shared)
    result.warnings = sum(e.findings.get("warnings", 0) for e in entries) + sum(s.warnings for s in shards.values())
    obsolete = _obsolete(previous, documents, old_shards, shards) if in_place else []
    manifest = {
        "govkg": __version__, "fingerprint": fingerprint, "base": minter.base, "dumps": dumps,
        "inputs_read_ns": read_ns, "documents": documents, "generation": generation, "store": store_folder,
        "issuers": {gov: shards[gov].record() for gov in sorted(shards)}, "parts": parts, "lines": lines,
        "result": {name: getattr(result, name) for name in _COUNTS}, "typed": counts.record(),
        "store_updates": result.store_updates,
        "report": report_state.record(),
        # when what the dumps hold last changed: the dumps' version (govkg.dumps.dumps_changed_ns)
        "content_ns": known["content_ns"] if unchanged and isinstance(known.get("content_ns"), int)
        else time.time_ns()}
    save_manifest(out, manifest)
    if in_place:  # committed: the store link and the report in place, what only the previous build used removed
        finish(out, generation, obsolete)
    return result, manifest


#: The graphs a document's manifest record names, each with the key of its file in the record.
_RECORDED_GRAPHS = (("graph", "graph_file"), ("statistics_graph", "statistics_file"))


def _recorded_files(records: Iterable[dict[str, Any]]) -> dict[str, str]:
    """The file of each graph (a document's, its statistics) that manifest records name: graph IRI → file."""
    return {record[graph]: record[file] for record in records for graph, file in _RECORDED_GRAPHS
            if record.get(graph) and record.get(file)}


def _load_store(out: Path, old: Path, result: BuildResult, *, entries: list[_Entry], documents: dict[str, Any],
                shards: dict[str, Shard], old_shards: dict[str, Shard], known: dict[str, Any],
                stale_graphs: set[str], changed_statistics: dict[str, str], lines: dict[str, int], parts: list[str],
                generation: int, in_place: bool) -> tuple[str, TypeCounts]:
    """The store of the build being written in `out`: the previous build's (in `old`, its manifest `known`) updated
    with the graphs that changed, else every graph file loaded; its size and class counts set on `result`. The
    store's folder name and its type counts (the previous build's and the difference, else counted)."""
    previous: dict[str, Any] = known.get("documents", {})
    quads = sum(lines.values())
    updated: tuple[Store, TypeCounts | None] | None = None
    store_folder = store_name(generation) if in_place else STORE
    if previous:
        replaced = {graph: 0 for graph in stale_graphs}  # each graph emptied, with the quads it holds after
        removed, added = _shard_changes(out, old, shards, old_shards)
        # A changed graph the previous build had in a file of its own takes the lines that differ: a document
        # edited in one statement changes a few of its quads, not the thousands its graph holds.
        changed = list(changed_statistics.items()) + [
            (documents[e.key]["graph"], e.graph_file) for e in entries if e.rebuilt]
        # the changed documents' own previous records, not the tens of thousands of others
        was = _recorded_files(previous[e.key] for e in entries
                              if (e.rebuilt or e.statistics_changed) and e.key in previous)
        if any(graph not in was for graph, _ in changed):  # a new, moved or renamed document: look at every record
            was = _recorded_files(previous.values())
        diffed: dict[str, int] = {}
        for graph, name in changed:
            now_lines = _read_lines(out / name)
            before = _read_lines(old / was[graph]) if graph in was and (old / was[graph]).is_file() else None
            if before is None:
                replaced[graph] = lines[name]
                added += now_lines
                continue
            diffed[graph] = lines[name]
            gone, new = _changed_lines(before, now_lines)
            removed += gone
            added += new
        updated = _updated_store(old / STORE, out / store_folder, replaced, removed=removed, added=added,
                                 counts=TypeCounts.from_record(known.get("typed")), sized=diffed)
    # The store holds the quads of dataset.nq: no graph file repeats another's quad (each names its own graph, and
    # the lexicon and links shares of issuers name their own entities), so its size is the lines counted, not a
    # scan of every quad (4 s at 5,000 documents); a full load checks that once.
    result.triples = quads
    counts: TypeCounts | None = None
    if updated is None:
        store = open_store(out / store_folder)
        bulk_load_nquads(store, [out / part for part in parts])
        result.triples = len(store)
    else:
        store, counts = updated
        result.store_update = "incremental"
        result.store_updates = store_updates(known) + 1
    try:
        store.flush()
        if counts is None:  # a store loaded whole, or the previous build recorded none
            counts = count_types(store)
        for name, cls in CLASS_COUNTS.items():
            setattr(result, name, counts.classes.get(cls, 0))
    finally:
        del store
    return store_folder, counts


#: The counts of a build's summary that are distinct resources of a class in the store.
CLASS_COUNTS = {"tasks": str(GW.Task), "units": str(GW.Unit), "groups": str(GW.UnitGroup),
                 "people": "http://xmlns.com/foaf/0.1/Person"}


def _graph_files(minter: Minter, shards: dict[str, Shard], documents: dict[str, Any]) -> dict[str, list[str]]:
    """Each named graph of the build and the files (relative to the build folder) that hold its quads."""
    # The lexicon and links graphs issuer by issuer, so that their files are the shards' (in the dumps a graph's
    # block may then come several times, as TriG and JSON-LD allow).
    named = {str(minter.lexicon_graph()): [shards[gov].lexicon_file for gov in sorted(shards)],
             str(minter.links_graph()): [shards[gov].links_file for gov in sorted(shards)]}
    for record in documents.values():
        for graph, file in _RECORDED_GRAPHS:
            named[record[graph]] = [record[file]]
    return named


def graph_quads(manifest: dict[str, Any]) -> dict[str, int]:
    """Each named graph of a build's store and the quads it holds, from the build's manifest (the line counts of
    its files: no graph file repeats another's quad), without asking the store; a graph with no quads is not in
    the store, nor here."""
    shards = {gov: Shard.from_record(gov, record) for gov, record in manifest["issuers"].items()}
    lines = manifest["lines"]
    named = _graph_files(Minter(manifest["base"]), shards, manifest["documents"])
    sizes = {graph: sum(lines[name] for name in names) for graph, names in named.items()}
    return {graph: quads for graph, quads in sizes.items() if quads}


@dataclass(frozen=True)
class IssuerState:
    """What a build made of one issuer, from its manifest: a digest that differs whenever its shard's record or
    one of its documents' records differs (the documents' file statuses aside), and its documents' named graphs."""

    digest: bytes
    graphs: tuple[str, ...]


#: The fields of a document's manifest record that tell nothing of what was built from it.
_UNBUILT_FIELDS = ("status", "sidecar_status")


def issuer_states(manifest: dict[str, Any]) -> dict[str, IssuerState]:
    """Each issuer's state (by its key, as `manifest["issuers"]`) in a build's manifest: two builds of one folder
    with the same `fingerprint` made the same graphs of an issuer whose states are equal."""
    records: dict[str, list[bytes]] = defaultdict(list)
    for key in sorted(manifest["documents"]):
        record = manifest["documents"][key]
        issuer = record["issuer"]
        kept = {name: value for name, value in record.items() if name not in _UNBUILT_FIELDS}
        records[issuer_key(issuer.get("code"), issuer["name"])].append(orjson.dumps(kept, option=orjson.OPT_SORT_KEYS))
    states = {}
    for gov, shard in manifest["issuers"].items():
        digest = hashlib.blake2b(orjson.dumps(shard, option=orjson.OPT_SORT_KEYS), digest_size=16)
        for part in records.pop(gov, []):
            digest.update(part)
        states[gov] = IssuerState(digest.digest(), tuple(shard["documents"]))
    for gov, parts in records.items():  # documents of no shard: not in a manifest the build wrote, but told apart
        states[gov] = IssuerState(hashlib.blake2b(b"".join(parts), digest_size=16).digest(), ())
    return states


def _record_files(record: dict[str, Any]) -> set[str]:
    """The files of a document's manifest record: its graph, statistics and their shares, profiles, parties and
    kept text."""
    graph, statistics = record["graph_file"], record["statistics_file"]
    return {graph, statistics, _profiles_file(graph), _parties_file(graph), f"sources/{record['sha256'][:16]}.txt",
            *(share_file(part, name) for part in (graph, statistics) for name, _ in _DUMPS)}


def _shard_files(shard: Shard) -> set[str]:
    """The files of an issuer's shard: its lexicon and links lines and their shares, its summaries of findings."""
    return {share_file(part, name) for part in (shard.lexicon_file, shard.links_file) for name in DUMPS} | {
        shard.validation_file}


def manifest_files(manifest: dict[str, Any]) -> set[str]:
    """Every file of the folders govkg.inplace.FILE_FOLDERS that a build's manifest names."""
    files = {"graphs/lexicon.nq", "graphs/links.nq"}
    for record in manifest.get("documents", {}).values():
        files |= _record_files(record)
    for gov, record in manifest.get("issuers", {}).items():
        files |= _shard_files(Shard.from_record(gov, record))
    return files


def _obsolete(before: dict[str, Any], after: dict[str, Any], old_shards: dict[str, Shard],
              shards: dict[str, Shard]) -> list[str]:
    """The files the previous manifest's records (`before`, `old_shards`) name and these (`after`, `shards`) do
    not: only the records that changed are compared (a kept text may serve several documents)."""
    gone: set[str] = set()
    for key, record in before.items():
        now = after.get(key)
        if now is record:  # kept as it was (most of a national build's records)
            continue
        if now is None or any(now[field] != record[field] for field in ("graph_file", "statistics_file", "sha256")):
            gone |= _record_files(record) - (_record_files(now) if now else set())
    for gov, shard in old_shards.items():
        now_shard = shards.get(gov)
        if now_shard is None or now_shard.generation != shard.generation:
            gone |= _shard_files(shard) - (_shard_files(now_shard) if now_shard else set())
    sources = {f"sources/{record['sha256'][:16]}.txt" for record in after.values()}
    return sorted(name for name in gone if name not in sources)
