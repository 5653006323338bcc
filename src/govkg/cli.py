"""The `govkg` command: a thin layer over the plain functions of the package."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import Any

from . import __version__
from .build import InvalidGraphError, build
from .cli_progress import Progress
from .compact import compact
from .dumps import DUMP_MODES, DUMPS, MissingDumpError, write_dump
from .executors import Runner, default_jobs
from .export import FORMATS, WRITERS, summary, write_csv, write_xlsx
from .extract import extract
from .fileio import atomic_bytes, atomic_text
from .model import InputError, LayoutPolicy
from .network.cli import add_network_commands
from .publish import DEFAULT_BATCH, PublishError, build_graphs, publish
from .query import EmbeddedStore, QueryError, find_query, load_catalog, national_answer, open_backend, render, run_named
from .query.backends import Results
from .query.names_check import backend_select
from .query.pages import GROUP, Page, national_issuers
from .query.results import FORMATS as QUERY_FORMATS
from .query.results import render_pages, sheet_rows, write_workbook
from .query.results import to_xlsx as results_to_xlsx
from .rdf import DEFAULT_BASE
from .read.limits import MAX_FILE_BYTES
from .recognise import RECOGNISERS
from .track import FORMATS as TRACK_FORMATS
from .track import track, write
from .validate import DEFAULT_ENGINE, ENGINES, Report, format_report, report_lines, shacl_engine
from .validate_build import build_issuers, check_build, validate_path

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT = 0, 1, 2
#: As a shell reports a command ended by SIGPIPE (128 + 13).
EXIT_BROKEN_PIPE = 141
#: Blocks of issuers a national question asks side by side (a thread each; the store answers on a CPU each).
QUERY_JOBS = 4

_EXTRACT_EXAMPLES = """\
examples:
  govkg extract data/samples/                        all samples as JSON Lines on stdout
  govkg extract 000.txt --format table               a readable table in the terminal
  govkg extract 002.txt --issuer 武进区 --year 2018 -o tasks.csv --format csv
  govkg extract data/samples/ --format xlsx -o tasks.xlsx          an Excel workbook
  govkg extract doc.txt --no-inherit                 keep empty merged cells empty
  govkg extract doc.txt --first-listed-lead          single 责任单位 column: first unit leads
  govkg extract notice.html --explain                how each field was read: recogniser, rule, lines

The summary of each document (layout, issuer and year with where they came from, counts,
warnings with file:line) goes to stderr; --quiet keeps only warnings.
CSV is UTF-8 with a byte-order mark (for Excel) unless --no-bom.
Exit status: 0 done, 2 a document could not be read (nothing is written then).
"""


def _command(commands: argparse._SubParsersAction, name: str, *, summary: str, description: str,
             examples: str) -> argparse.ArgumentParser:
    """A subcommand whose help ends with examples."""
    return commands.add_parser(name, help=summary, description=description, epilog=examples,
                               formatter_class=argparse.RawDescriptionHelpFormatter)


def _add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="document files, or folders of documents (.txt and the original .docx, .xlsx, .xls, "
                             ".html, .pdf, .doc, .wps, .et files)")


def _add_extract(commands: argparse._SubParsersAction) -> None:
    parser = _command(
        commands, "extract", summary="read responsibility tables and write one record per task",
        description="Read responsibility tables — text in any common layout (tab-cell, tab-separated, pipe or "
                    "box-drawn cells, one cell per paragraph, flat PDF text, numbered lists with role annotations) "
                    "or the original .docx / .xlsx / .xls / .html / .pdf / .doc files — and write one record per "
                    "task with its goal, leaders, lead and cooperating units.",
        examples=_EXTRACT_EXAMPLES)
    _add_paths(parser)
    parser.add_argument("--format", choices=FORMATS, default="jsonl",
                        help="output format (default: jsonl; csv is UTF-8 with a byte-order mark for Excel, xlsx an "
                             "Excel workbook written to -o FILE)")
    parser.add_argument("--no-bom", action="store_true", help="CSV without the UTF-8 byte-order mark")
    parser.add_argument("--explain", action="store_true",
                        help="print, per task, the recogniser and rule behind each field, with line numbers "
                             "(the same as --format explain)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout (xlsx needs it)")
    _add_input_options(parser)
    parser.add_argument("--strict", action="store_true", help="treat every warning as an error (exit 2)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print warnings only, no summary")
    parser.set_defaults(func=run_extract)


def _whole_number(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be {least} or more: {text!r}")
    return value


def _positive_int(text: str) -> int:
    """A whole number of 1 or more."""
    return _whole_number(text, 1)


def _natural_int(text: str) -> int:
    """A whole number of 0 or more."""
    return _whole_number(text, 0)


def _seconds(text: str) -> float:
    """A number of seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds: {text!r}")
    return value


def _log_to_stderr(name: str) -> None:
    """Show a module family's notices (INFO and up) on standard error, one line each."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _byte_count(text: str) -> int:
    """A positive byte count such as 1000, 512K, 64M or 1G (powers of 1024)."""
    units = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
    raw = text.strip().upper().removesuffix("B").removesuffix("I")
    factor = units.get(raw[-1:], 1)
    number = raw[:-1] if raw[-1:] in units else raw
    try:
        value = int(number) * factor
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a byte count: {text!r} (e.g. 1000, 512K, 64M)") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def _check_output(output: str | None) -> None:
    """Refuse an output path that cannot be written as a file, before any document is read."""
    if output and Path(output).is_dir():
        raise InputError(output, "is a folder: -o names the output file")


def _progress(quiet: bool):
    def report(index: int, total: int, path: Path) -> None:
        if not quiet and total > 1:
            print(f"[{index}/{total}] {path.name}", file=sys.stderr)
    return report


def run_extract(args: argparse.Namespace) -> int:
    """`govkg extract`: extract the documents and write their records."""
    policy = LayoutPolicy(inherit=not args.no_inherit, first_listed_lead=args.first_listed_lead)
    fmt = "explain" if args.explain else args.format
    _check_results_output(args)  # xlsx needs -o FILE; -o is no folder
    documents = extract(args.paths, layout=args.layout, policy=policy, issuer=args.issuer, year=args.year,
                        strict=args.strict, max_bytes=args.max_bytes, progress=_progress(args.quiet))
    writer = partial(write_csv, bom=not args.no_bom) if fmt == "csv" else WRITERS.get(fmt)
    try:
        if writer is None:
            count = write_xlsx(documents, args.output)
        elif args.output:
            with atomic_text(args.output) as stream:  # /dev/null, a FIFO: written into, never renamed over
                count = writer(documents, stream)
        else:
            count = writer(documents, sys.stdout)
    except OSError as exc:
        raise InputError(args.output or "-", f"cannot write the output: {exc.strerror or exc}") from None
    for document in documents:
        lines = summary(document)
        if args.quiet:
            lines = [str(d) for d in document.diagnostics]
        for line in lines:
            print(line, file=sys.stderr)
    if not args.quiet:
        where = f" to {args.output}" if args.output else ""
        plural = "" if len(documents) == 1 else "s"
        print(f"{count} records from {len(documents)} document{plural} written{where}", file=sys.stderr)
    return EXIT_OK


_BUILD_EXAMPLES = """\
examples:
  govkg build data/samples/ --out out/                 build the samples into out/
  govkg build reports/ --out kg/ --base https://data.example.gov.cn/id/
  govkg build 002.txt --issuer 武进区 --year 2018 --out kg/
  SOURCE_DATE_EPOCH=1767225600 govkg build data/samples --out out/   pin the extraction time
  govkg build corpus/ --out kg/ --jobs 8               eight worker processes
  govkg build /mnt/corpus/ --out kg/ --dask tcp://10.0.0.5:8786   on a Dask cluster (docs/scale.md)
  govkg build /mnt/corpus/ --out kg/ --dumps shares    a national build: no whole dumps rewritten (govkg dump)
  govkg build /mnt/corpus/ --out kg/ --dumps lazy      nor any share: dumps serialised when asked for
  govkg build corpus/ --out kg/ --dumps shares --watch   then rebuild on every saved document until Ctrl-C

Writes out/dataset.nq (N-Quads graph by graph, each sorted: byte-identical for identical inputs),
dataset.trig, dataset.ttl (every graph's triples), dataset.jsonld, validation.txt, the documents' text
(sources/) and the Oxigraph store out/store/, with a statistics graph per plan (unit pairs, unit load).
With --dumps shares the four dumps are kept as each graph file's share only; `govkg dump` and the
server's /dumps/ make them from the shares when asked. With --dumps lazy not even the shares are written:
dataset.nq is the graph files one after another, and the other three are serialised from them when asked
(a build spends no time on them; reading one costs what writing its shares would have). With either, a
rebuild updates out/ in place (new files under generation names, the new manifest.json the commit; a
killed update is undone or finished by the next build).
Unchanged documents (same bytes, sidecar and options; a file whose size and times are the recorded ones is
not read again) are not processed again; an issuer's lexicon, links and statistics are remade only when
one of its documents changed. One build at a time may write a folder.
Exit status: 0 built, 1 SHACL violations (nothing written unless --allow-invalid), 2 bad input.
"""

_VALIDATE_EXAMPLES = """\
examples:
  govkg validate out/                   a build folder: issuer by issuer, as the build checked it
  govkg validate out/ --jobs 1          in this process (default: one worker process per CPU)
  govkg validate graph.trig --all       any RDF file; list every warning, not only counts

A build folder is read graph file by graph file (its manifest lists them): each issuer's share of the lexicon,
each document graph with the lexicon facts it reaches, the issuer's links; memory stays that of one issuer at any
size of build. An RDF file is read whole.

Exit status: 0 no violations (warnings allowed), 1 violations, 2 unreadable input.
"""


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--layout", choices=tuple(RECOGNISERS),
                        help="force a text layout instead of detecting it (tabcell: TAB-opened cells; tsv: "
                             "tab-separated rows; pipe: | cells; cells / lines: one cell per paragraph / line; "
                             "spaced: cells separated by spaces; box: box-drawn; flat: PDF text; list: numbered "
                             "items with role annotations)")
    parser.add_argument("--no-inherit", action="store_true",
                        help="do not fill empty leader/unit cells of text from earlier rows (an original's "
                             "merged cells are facts and stay filled)")
    parser.add_argument("--first-listed-lead", action="store_true",
                        help="in a single 责任单位 column, the first-listed unit is the lead unit")
    parser.add_argument("--issuer",
                        help="issuing government (e.g. 钟楼区), used only for documents that state no issuer in "
                             "their text or sidecar; where one states another, its own is kept, with a warning")
    parser.add_argument("--year", type=int,
                        help="year of the work report, used only for documents that state no year in their text "
                             "or sidecar; where one states another, its own is kept, with a warning")
    parser.add_argument("--max-bytes", type=_byte_count, default=MAX_FILE_BYTES, metavar="N",
                        help="refuse a document larger than N bytes (suffixes K, M, G allowed; default: "
                             f"{MAX_FILE_BYTES // (1024 * 1024)}M)")


def _add_build(commands: argparse._SubParsersAction) -> None:
    parser = _command(
        commands, "build", summary="build the knowledge graph (RDF, SHACL-validated, embedded store)",
        description="Extract the documents, build one named graph per document plus one of shared lexicon "
                    "facts, validate them with SHACL and load them into an embedded Oxigraph store.",
        examples=_BUILD_EXAMPLES)
    _add_paths(parser)
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI of the data (default: {DEFAULT_BASE})")
    _add_input_options(parser)
    parser.add_argument("--allow-invalid", action="store_true", help="write the graph even with SHACL violations")
    _add_shacl_engine(parser)
    parser.add_argument("--jobs", type=_positive_int, default=default_jobs(), metavar="N",
                        help="read, make and validate documents in N worker processes (default: the CPUs this "
                             f"process may use, here {default_jobs()}; 1: in this process)")
    parser.add_argument("--dask", metavar="ADDRESS",
                        help="run the per-document work on a Dask cluster instead (scheduler address, e.g. "
                             "tcp://10.0.0.5:8786; the documents must be readable at the same paths on every "
                             "worker, and govkg installed there with the same version: docs/scale.md)")
    parser.add_argument("--dumps", choices=DUMP_MODES, default="whole",
                        help="whole: write dataset.nq .trig .ttl .jsonld as files (default); shares: keep only "
                             "each graph file's share of them, so that a rebuild does not copy the whole dataset "
                             "(`govkg dump` and the server's /dumps/ make a dump from its shares); lazy: no shares "
                             "either, the dumps are serialised from the graph files when asked for (the fastest "
                             "build)")
    parser.add_argument("--watch", action="store_true",
                        help="stay running after the build and build again each time a document or sidecar of "
                             "the inputs is written, added or removed (one line per rebuild; Ctrl-C stops); a "
                             "rebuild costs the changed documents, not the build's size, above all with --dumps "
                             "shares or lazy (docs/scale.md)")
    _add_wait(parser)
    parser.add_argument("--poll", type=_seconds, default=None, metavar="SECONDS",
                        help="with --watch: look at the inputs' files every SECONDS instead of waiting for file "
                             "events, for folders on a network file system (NFS, SMB), where changes made on "
                             "another machine send none")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress (a bar on a terminal, lines otherwise), only the summary")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="list every extraction warning after the summary, not only counts per document")
    parser.set_defaults(func=run_build)


def _run_watch(args: argparse.Namespace, policy: LayoutPolicy) -> int:
    """`govkg build --watch`: build, then build again on every change of the inputs until Ctrl-C."""
    import logging

    from .watch import Rebuild, watch_build

    # watchfiles logs its own notice when Ctrl-C lands while it waits; the command says "stopped watching" itself
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    reports = 0

    def report(rebuild: Rebuild) -> None:
        nonlocal reports
        reports += 1
        stamp = time.strftime("%H:%M:%S")
        if rebuild.refused is not None:
            for line in format_report(rebuild.refused.report):
                print(line, file=sys.stderr)
        if rebuild.result is None:
            print(f"{stamp} govkg: {rebuild.error} (still watching)", file=sys.stderr, flush=True)
            return
        result = rebuild.result
        if reports == 1:  # the first build: its whole summary
            for line in result.summary():
                print(line, flush=True)
        if result.store_update == "unchanged":
            print(f"{stamp} nothing changed ({rebuild.seconds:.2f} s)", flush=True)
            return
        done = "; ".join(f"{verb} {_named(names)}" for verb, names in (
            ("built", result.rebuilt), ("removed", result.removed)) if names) or "built"
        print(f"{stamp} {done} in {rebuild.seconds:.2f} s: documents {result.documents}, tasks {result.tasks}, "
              f"{result.violations} violations, {result.warnings} warnings", flush=True)

    def ready() -> None:
        print(f"watching {', '.join(map(str, args.paths))} for changes (Ctrl-C stops)", file=sys.stderr, flush=True)

    try:
        with shacl_engine(args.shacl_engine), Progress(quiet=args.quiet) as progress:
            watch_build(args.paths, args.out, report=report, ready=ready, progress=progress,
                        runner=Runner(jobs=args.jobs, dask=args.dask), base=args.base, policy=policy,
                        layout=args.layout, issuer=args.issuer, year=args.year, allow_invalid=args.allow_invalid,
                        max_bytes=args.max_bytes, dumps=args.dumps, poll=args.poll)
    except KeyboardInterrupt:
        pass
    print("stopped watching", file=sys.stderr)
    return EXIT_OK


#: Documents a watch's report line names (the others counted).
_WATCH_NAMED = 5


def _named(names: list[str]) -> str:
    """The first _WATCH_NAMED names, and how many more."""
    more = len(names) - _WATCH_NAMED
    return ", ".join(names[:_WATCH_NAMED]) + (f" and {more} more" if more > 0 else "")


#: Ambiguous matches listed after a build's summary without --verbose (a national build has thousands).
_AMBIGUOUS_SHOWN = 10


def run_build(args: argparse.Namespace) -> int:
    """`govkg build`: build, validate and load the graph."""
    policy = LayoutPolicy(inherit=not args.no_inherit, first_listed_lead=args.first_listed_lead)
    if args.watch:
        return _run_watch(args, policy)
    if args.poll is not None:
        print("govkg: --poll is for --watch (how often to look for changes)", file=sys.stderr)
        return EXIT_INPUT
    try:
        with shacl_engine(args.shacl_engine), Progress(quiet=args.quiet) as progress:
            result = build(args.paths, args.out, base=args.base, policy=policy, layout=args.layout,
                           issuer=args.issuer, year=args.year, allow_invalid=args.allow_invalid, progress=progress,
                           max_bytes=args.max_bytes, runner=Runner(jobs=args.jobs, dask=args.dask),
                           dumps=args.dumps, wait=args.wait)
    except InvalidGraphError as refused:
        for line in format_report(refused.report):
            print(line, file=sys.stderr)
        print(f"govkg: {refused}", file=sys.stderr)
        return EXIT_VIOLATIONS
    for line in result.summary():
        print(line)
    shown = result.ambiguous if args.verbose else result.ambiguous[:_AMBIGUOUS_SHOWN]
    for line in shown:
        print(f"  ambiguous match: {line}")
    if len(shown) < len(result.ambiguous):
        print(f"  … and {len(result.ambiguous) - len(shown)} more ambiguous matches (all with --verbose; on the "
              "task pages as 待核对 / to review)")
    for line in _warnings_by_document(result.extraction_warnings, every=args.verbose):
        print(line)
    return EXIT_OK


#: Documents named in the one-line summary of extraction warnings (all of them with --verbose).
_WARNED_DOCUMENTS = 10


def _warnings_by_document(warnings: Sequence[str], *, every: bool = False) -> list[str]:
    """The extraction warnings ("FILE:LINE: message") counted per document, on one line with the first of them;
    with `every`, each warning on a line of its own after the counts."""
    if not warnings:
        return []
    counts: dict[str, int] = {}
    for warning in warnings:
        where = re.match(r"(.*?)(?::\d+)?: ", warning)
        document = where[1] if where else warning
        counts[document] = counts.get(document, 0) + 1
    shown = list(counts.items()) if every else list(counts.items())[:_WARNED_DOCUMENTS]
    line = "extraction warnings: " + ", ".join(f"{document} {count}" for document, count in shown)
    if len(shown) < len(counts):
        line += f" and {len(counts) - len(shown)} more documents"
    if every:
        return [line, *(f"  {warning}" for warning in warnings)]
    more = "" if len(warnings) == 1 else f"; all {len(warnings)} with --verbose"
    return [f"{line} (first: {warnings[0]}{more})"]


def _add_shacl_engine(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shacl-engine", choices=ENGINES, metavar="|".join(ENGINES),
                        help=f"SHACL engine (default: {DEFAULT_ENGINE}; pyshacl is the reference, turbo the "
                             "Rust pyshacl-turbo: the same findings, checked by a parity test, ~20× faster)")


def _add_validate(commands: argparse._SubParsersAction) -> None:
    parser = _command(
        commands, "validate", summary="check a built graph (or any RDF file) against the SHACL shapes",
        description="Validate a build folder or an RDF file against the shapes in shapes/ and print a "
                    "report grouped by document and source line.",
        examples=_VALIDATE_EXAMPLES)
    parser.add_argument("target", metavar="DIR|FILE", help="a build folder, or an RDF file (.trig .nq .ttl .jsonld)")
    parser.add_argument("--all", action="store_true", help="list every warning instead of counts per shape")
    parser.add_argument("--jobs", type=_positive_int, default=default_jobs(), metavar="N",
                        help=f"check a build folder's issuers in N worker processes (default: the CPUs this process "
                             f"may use, here {default_jobs()}; 1: in this process)")
    _add_shacl_engine(parser)
    parser.set_defaults(func=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    """`govkg validate`: print the SHACL report; exit 1 on violations."""
    if build_issuers(args.target) is not None:
        return _validate_build(args)
    try:
        with Progress(plain=False) as progress:  # a bar on a terminal; nothing in a pipe, as before
            report = validate_path(args.target, engine=args.shacl_engine, progress=progress)
    except (FileNotFoundError, ValueError) as exc:
        raise InputError(args.target, str(exc).replace(f"{args.target}: ", "")) from None
    for line in format_report(report, all_warnings=args.all):
        print(line)
    return EXIT_VIOLATIONS if report.violations else EXIT_OK


def _validate_build(args: argparse.Namespace) -> int:
    """`govkg validate DIR` for a build folder: issuer by issuer (validate_build), the report as for a file."""
    with Progress(plain=False) as progress:
        checks = list(check_build(args.target, engine=args.shacl_engine, runner=Runner(jobs=args.jobs),
                                  every=args.all, progress=progress))
    if args.all:
        report = Report([finding for check in checks for finding in check.findings or []])
        lines, violations = format_report(report, all_warnings=True), bool(report.violations)
    else:
        summaries = [check.summary for check in checks if check.summary is not None]
        lines, violations = report_lines(summaries, 3), any(summary["violations"] for summary in summaries)
    for line in lines:
        print(line)
    return EXIT_VIOLATIONS if violations else EXIT_OK


_DUMP_EXAMPLES = """\
examples:
  govkg dump out/ dataset.nq > all.nq             N-Quads on standard output
  govkg dump out/ dataset.trig --out all.trig     TriG into a file (written whole, or not at all)

Works whether the build keeps its dumps whole, as shares (govkg build --dumps shares) or as graph files
only (--dumps lazy: TriG, Turtle and JSON-LD are serialised graph file by graph file as they are written).
Exit status: 0 written, 2 no build folder or a share or graph file missing.
"""


def _add_dump(commands: argparse._SubParsersAction) -> None:
    parser = _command(
        commands, "dump", summary="write one dump of a build (N-Quads, TriG, Turtle or JSON-LD)",
        description="Write a dump of a build folder to standard output or a file, from its whole file or "
                    "made from each graph file's share of it.", examples=_DUMP_EXAMPLES)
    parser.add_argument("build_dir", metavar="DIR", help="a build folder (govkg build --out DIR)")
    parser.add_argument("name", choices=tuple(DUMPS), metavar="|".join(DUMPS), help="the dump")
    parser.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    parser.set_defaults(func=run_dump)


def run_dump(args: argparse.Namespace) -> int:
    """`govkg dump`: write one dump of a build."""
    build_dir = Path(args.build_dir)
    if not (build_dir / "manifest.json").is_file():
        raise InputError(args.build_dir, "not a build folder (no manifest.json); run `govkg build` first")
    try:
        if args.out is None:
            write_dump(build_dir, args.name, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with atomic_bytes(args.out) as output:
                write_dump(build_dir, args.name, output)
    except MissingDumpError as exc:
        raise InputError(args.build_dir, str(exc).replace(f"{build_dir}/", "")) from None
    except OSError as exc:  # e.g. a pipe closed by its reader (| head): nothing more is written to it
        if args.out is None:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise InputError(args.out or "-", f"cannot write the output: {exc.strerror or exc}") from None
    return EXIT_OK


_COMPACT_EXAMPLES = """\
examples:
  govkg compact out/                  the store of out/ compacted, then named by the manifest
  govkg compact kg/ --wait -q         from cron: after the build writing kg/, if any; no progress

Each rebuild that changes a few documents updates the store in place; after hundreds of them queries read more
of its files and slow down (a build's summary says when it has been updated 200 times). This makes the next
store from a checkpoint of the current one, compacts it and commits it as a build does: the data is the same, a
server following the folder moves to it without reading anything again, and the old store is removed once no
server reads it. It holds the folder's lock meanwhile (about 2 minutes at 25,000 documents): a build of the
folder started then is refused as busy (or waits, with --wait), and `govkg build --watch` builds the changes it
saw once the compaction ends.
Exit status: 0 compacted, 2 no build folder, or another build is writing it (without --wait).
"""


def _add_compact(commands: argparse._SubParsersAction) -> None:
    parser = _command(
        commands, "compact", summary="compact a build's store after many in-place updates",
        description="Compact the store of a build folder that rebuilds have updated in place many times, so that "
                    "its queries are as fast as after a load.", examples=_COMPACT_EXAMPLES)
    parser.add_argument("build_dir", metavar="DIR", help="a build folder (govkg build --out DIR)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    _add_wait(parser)
    parser.set_defaults(func=run_compact)


def _add_wait(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wait", action="store_true",
                        help="when another build or compaction is writing the folder, wait for it to finish "
                             "instead of stopping with exit status 2 (for scheduled jobs; a watch's rebuilds try "
                             "again by themselves)")


def run_compact(args: argparse.Namespace) -> int:
    """`govkg compact`: compact a build's store and print what was done."""
    with Progress(quiet=args.quiet) as progress:
        result = compact(args.build_dir, progress=progress, wait=args.wait)
    for line in result.summary():
        print(line)
    return EXIT_OK


_QUERY_EXAMPLES = """\
examples:
  govkg query --list                                              the questions and their parameters
  govkg query q01 --param unit=住建局                              Q1 on the build in out/
  govkg query q01-cooperating-tasks --param unit=区住建局 --year 2022 --format csv
  govkg query q08 --param unit=住建局 --param year1=2021 --param year2=2022 --issuer 钟楼区
  govkg query q12 --param task=https://w3id.org/govkg/id/plan/320404/2022/main/18
  govkg query q10 --param phrase=停车泊位 --endpoint http://127.0.0.1:7878/query

Names accept every known spelling (住建局 = 区住建局) within --issuer, or across issuers without it.
Asked of every issuer of a build with more than 9, a question is answered issuer by issuer, in groups, and
its rows are written as they come: issuer after issuer in the order of their names, each issuer's rows in the
question's order (the table format sizes its columns by the first rows). --whole asks it in one query, in the
question's own order over all issuers, which takes minutes on a national build.
Values are bound as RDF terms (VALUES), never pasted into the query.
Exit status: 0 answered (0 rows only when every name given is known), 2 bad query or parameter, unreachable
store or endpoint, or an unknown name — unit, person, goal, issuer, year … — with a one-line message naming the
nearest known ones ("no unit 住建委 in 钟楼区; did you mean 住建局 (区住建局)?"; for a year, the years there are).
"""

_SPARQL_EXAMPLES = """\
examples:
  govkg sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
  govkg sparql my-question.rq --format json
  govkg sparql 'ASK { ?t a <https://w3id.org/govkg/ontology#Task> }' --endpoint http://127.0.0.1:7878/query

The default graph is the union of all named graphs (also on remote endpoints, through default-graph-uri).
"""

_PUBLISH_EXAMPLES = """\
examples:
  govkg publish --graph-store http://127.0.0.1:7878/store --endpoint http://127.0.0.1:7878/query
  govkg publish --from kg/ --graph-store https://triplestore.example/gsp --token "$TOKEN" --prune \\
                --endpoint https://triplestore.example/sparql

Each named graph of the build is replaced in one request (an HTTP PUT of the whole graph), so publishing
again never duplicates triples and a graph is never left half written. With --endpoint the triples of each
graph are counted afterwards and must equal what was sent.
Exit status: 0 published, 2 unreachable store, refused request, count differing, bad --batch or not a build
folder.
"""


def _add_source_options(parser: argparse.ArgumentParser, formats: Sequence[str] = QUERY_FORMATS) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--store", metavar="DIR", help="build folder (or store folder) to query (default: out)")
    group.add_argument("--endpoint", metavar="URL", help="SPARQL 1.1 query endpoint to query instead")
    _add_remote_options(parser)
    parser.add_argument("--union-default-graph", action="store_true",
                        help="the endpoint's default graph already is the union of its graphs")
    parser.add_argument("--format", choices=formats, default="table",
                        help="output format (default: table; csv is UTF-8 with a byte-order mark for Excel, xlsx an "
                             "Excel workbook written to -o FILE)")
    parser.add_argument("--no-bom", action="store_true", help="CSV without the UTF-8 byte-order mark")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout (xlsx needs it)")


def _add_remote_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a remote answer")
    parser.add_argument("--user", help="user name for HTTP basic authentication")
    parser.add_argument("--password", help="password for HTTP basic authentication")
    parser.add_argument("--token", help="bearer token for HTTP authentication")


def _backend(args: argparse.Namespace):
    return open_backend(args.store, args.endpoint, timeout=args.timeout, user=args.user, password=args.password,
                        token=args.token, union_default_graph=args.union_default_graph) \
        if args.endpoint else open_backend(args.store)


def _add_query(commands: argparse._SubParsersAction) -> None:
    parser = _command(
        commands, "query", summary="answer a named question (queries/*.rq) on the store or an endpoint",
        description="Run one of the named queries of queries/ (the users' questions Q1–Q16) with its "
                    "parameters bound as RDF terms.",
        examples=_QUERY_EXAMPLES)
    parser.add_argument("name", nargs="?", metavar="NAME", help="query name (q01-cooperating-tasks, q01 or Q1)")
    parser.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter value")
    parser.add_argument("--issuer", help="restrict to one issuing government (name, alias or code)")
    parser.add_argument("--year", help="restrict to one report year")
    parser.add_argument("--whole", action="store_true",
                        help="ask a question spanning every issuer in one query, not issuer by issuer")
    _add_source_options(parser)
    parser.set_defaults(func=run_query)


def run_query(args: argparse.Namespace) -> int:
    """`govkg query`: list the named queries, or run one."""
    if args.list or not args.name:
        for named in load_catalog().values():
            print(f"{named.name}  {named.title_zh} / {named.title_en}")
            for param in named.params:
                need = "required" if param.required else "optional"
                print(f"    --param {param.name}=…  ({param.kind}, {need})  {param.description}")
        return EXIT_OK
    params: dict[str, str] = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param wants NAME=VALUE, not {item!r}")
        params[name.strip()] = value
    if args.issuer:
        params["issuer"] = args.issuer
    if args.year:
        params["year"] = args.year
    backend = _backend(args)
    named = find_query(args.name)
    select = backend_select(backend)
    issuers = national_issuers(named, params, select)
    width = len(issuers) if issuers is not None else 0
    if issuers is not None and width > GROUP and args.whole:
        print(f"{named.name} 问及全部 {width:,} 个发文政府 (asked of every one of {width:,} issuers) in one query: the "
              f"answer grows with the data and may take minutes; --issuer (and --year) narrow it", file=sys.stderr,
              flush=True)
    elif issuers is not None and width > GROUP:  # issuer by issuer, as the server pages it (govkg.query.pages)
        _check_results_output(args)
        pages = national_answer(named, backend, params, issuers, jobs=min(QUERY_JOBS, default_jobs()))
        first = next(pages)  # unknown names: exit 2, before anything is said or written
        print(f"{named.name} 问及全部 {width:,} 个发文政府，逐个回答 (asked of every one of {width:,} issuers, "
              f"answered issuer by issuer in the order of their names; --issuer narrows it, --whole asks it in one "
              f"query)", file=sys.stderr, flush=True)
        _write_pages(itertools.chain([first], pages), len(issuers), args)
        return EXIT_OK
    named, results = run_named(args.name, backend, params, check=True)  # unknown names: exit 2
    _write_results(results, args)
    return EXIT_OK


def _write_pages(pages: Iterator[Page], issuers: int, args: argparse.Namespace) -> None:
    """A national answer's pages in `--format`, written as they come to stdout or (all-or-nothing) to `-o FILE`,
    with a bar of the issuers answered on stderr for a file (a line a page when stderr is no terminal)."""
    count = done = 0

    def counted() -> Iterator[Results]:
        nonlocal count, done
        with Progress(quiet=not args.output) as progress:
            for page in pages:
                count, done = count + len(page.results.rows), done + len(page.issuers)
                progress(f"[{done}/{issuers}] issuers answered, {count:,} rows")
                yield page.results

    try:
        if args.format == "xlsx":
            header: list[str] = []
            sheet: list[list[Any]] = []
            for page in counted():
                header = header or page.variables
                sheet += sheet_rows(page)
            write_workbook(args.output, header, sheet)
        elif args.output:
            with atomic_text(args.output) as stream:
                stream.writelines(render_pages(counted(), args.format, base=_base_of(args), bom=not args.no_bom))
        else:
            for text in render_pages(counted(), args.format, base=_base_of(args), bom=not args.no_bom):
                sys.stdout.write(text)
                sys.stdout.flush()
    except OSError as exc:
        raise InputError(args.output or "-", f"cannot write the output: {exc.strerror or exc}") from None
    if args.output:
        print(f"{count} rows written to {args.output}", file=sys.stderr)


def _base_of(args: argparse.Namespace) -> str | None:
    manifest = Path(args.store or "out") / "manifest.json"
    if args.endpoint or not manifest.is_file():
        return DEFAULT_BASE
    return json.loads(manifest.read_text(encoding="utf-8")).get("base", DEFAULT_BASE)


def _add_sparql(commands: argparse._SubParsersAction) -> None:
    parser = _command(
        commands, "sparql", summary="run an ad-hoc SPARQL query (text or file)",
        description="Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the store or an endpoint.",
        examples=_SPARQL_EXAMPLES)
    parser.add_argument("query", metavar="QUERY|FILE", help="the query text, or a file holding it")
    _add_source_options(parser)
    parser.set_defaults(func=run_sparql)


def run_sparql(args: argparse.Namespace) -> int:
    """`govkg sparql`: run a query given as text or file."""
    _check_results_output(args)
    text = args.query
    path = Path(text)
    if len(text) < 4096 and "\n" not in text and path.suffix in (".rq", ".sparql", ".txt") and path.is_file():
        text = path.read_text(encoding="utf-8")
    from .query.guard import RefusedQueryError, check
    from .sandbox import forbid_network, isolate_network

    try:
        # Decided on the parsed query, as the server does: no updates, no SERVICE (no outbound requests).
        text = check(text).text
    except RefusedQueryError as exc:
        raise QueryError(exc.message) from None
    if not args.endpoint:
        # The embedded store needs no network: cut this process off before the store is opened.
        isolate_network()
        forbid_network()
    backend = _backend(args)
    if isinstance(backend, EmbeddedStore):
        graphs = {graph.value for graph in backend.store.named_graphs() if hasattr(graph, "value")}
        try:  # FROM / FROM NAMED must name graphs of the store, as on the server
            text = check(text, local_graphs=graphs).text
        except RefusedQueryError as exc:
            raise QueryError(exc.message) from None
    _write_results(backend.run(text), args)
    return EXIT_OK


def _check_results_output(args: argparse.Namespace) -> None:
    """Refuse, before any query runs, an output the results cannot be written to (xlsx on stdout, a folder)."""
    if args.format == "xlsx" and not args.output:
        raise QueryError("--format xlsx writes a file: give it with -o FILE.xlsx")
    _check_output(args.output)


def _write_results(results: Results, args: argparse.Namespace) -> None:
    """Query results in `--format` to `-o FILE` or stdout (CSV with a byte-order mark unless `--no-bom`)."""
    _check_results_output(args)
    try:
        if args.format == "xlsx":
            results_to_xlsx(results, args.output)
        elif args.output:
            with atomic_text(args.output) as stream:
                stream.write(render(results, args.format, base=_base_of(args), bom=not args.no_bom))
        else:
            sys.stdout.write(render(results, args.format, base=_base_of(args), bom=not args.no_bom))
    except OSError as exc:
        raise InputError(args.output or "-", f"cannot write the output: {exc.strerror or exc}") from None
    if args.output:
        what = f"{len(results.rows)} rows" if results.boolean is None and results.triples is None else "the answer"
        print(f"{what} written to {args.output}", file=sys.stderr)


def _add_publish(commands: argparse._SubParsersAction) -> None:
    parser = _command(
        commands, "publish", summary="push the build's named graphs to a triple store (Graph Store Protocol)",
        description="Replace every named graph of a build in a SPARQL 1.1 Graph Store (Oxigraph, Fuseki, "
                    "GraphDB, Virtuoso …).",
        examples=_PUBLISH_EXAMPLES)
    parser.add_argument("--from", dest="source", default="out", metavar="DIR", help="build folder (default: out)")
    parser.add_argument("--graph-store", required=True, metavar="URL", help="Graph Store Protocol endpoint")
    parser.add_argument("--endpoint", metavar="URL", help="SPARQL query endpoint, to count what arrived")
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH,
                        help="triples serialised at a time in the one request per graph (default: 50000)")
    parser.add_argument("--prune", action="store_true", help="remove graphs of this base the build no longer has")
    _add_remote_options(parser)
    parser.set_defaults(func=run_publish)


def run_publish(args: argparse.Namespace) -> int:
    """`govkg publish`: send the graphs and print what was sent."""
    with Progress() as display:
        # publish() says "sending NAME" before each graph: on a terminal, a bar of the build's graphs sent so far
        total = len(build_graphs(Path(args.source))[1]) if display.live else 0
        sent = iter(range(total))

        def progress(message: str) -> None:
            if total and message.startswith("sending "):
                display.step(next(sent, total - 1), total, message)
            else:
                display(message)

        report = publish(args.source, args.graph_store, endpoint=args.endpoint, user=args.user,
                         password=args.password, token=args.token, batch=args.batch, timeout=args.timeout,
                         prune=args.prune, progress=progress)
        if total:
            display.step(total, total, f"sending {total} graphs: done")
    for line in report.summary():
        print(line)
    return EXIT_OK


_TRACK_EXAMPLES = """\
examples:
  govkg track --unit 住建局 --issuer 钟楼区 --year 2021     a unit's 2021 tasks: latest status, fate in 2022
  govkg track --unit 区住建局                               every year and issuer (any spelling of the unit)
  govkg track --issuer 钟楼区 --year 2021 --format csv -o track.csv   every followed task of the issuer
  govkg track --unit 住建局 --format xlsx -o 住建局.xlsx
  govkg track --unit 住建局 --endpoint http://127.0.0.1:7878/query

One row per task: issuer, year, number, statement, the unit's role (or, without --unit, the lead units), the
latest reported status (normalised and as printed) with its report date, the fate of the task in the issuer's
next plan — kept, renamed (only the unit's new name is on the continuing task), handed to … (another unit),
dropped, or empty when the data holds no later plan — and the numbers of the continuing tasks.
Without --unit, only the issuer's tasks with a progress report or a link to another year are listed.
CSV is UTF-8 with a byte-order mark (for Excel) unless --no-bom.
Exit status: 0 answered, 2 unknown unit or issuer, bad option, unreachable store or endpoint.
"""


def _add_track(commands: argparse._SubParsersAction) -> None:
    parser = _command(
        commands, "track", summary="follow a unit's commitments over time: latest status, fate in the next plan",
        description="Follow the tasks of a unit (or of an issuer) across documents: the latest status the "
                    "progress reports give, and what the issuer's next plan made of each task (kept, renamed, "
                    "handed to another unit, dropped), from the links the build makes between documents.",
        examples=_TRACK_EXAMPLES)
    parser.add_argument("--unit", help="unit name or any spelling of it (住建局, 区住建局)")
    parser.add_argument("--issuer", help="issuing government (name, alias or code); required without --unit")
    parser.add_argument("--year", type=int, help="plan year of the tasks (default: every year)")
    _add_source_options(parser, TRACK_FORMATS)
    parser.set_defaults(func=run_track)


def run_track(args: argparse.Namespace) -> int:
    """`govkg track`: the unit's (or issuer's) tasks with their latest status and fate."""
    if not args.unit and not args.issuer:
        raise QueryError("govkg track needs --unit or --issuer (or both); see govkg track --help")
    if args.format == "xlsx" and not args.output:
        raise QueryError("--format xlsx writes a file: give it with -o FILE.xlsx")
    _check_output(args.output)
    with Progress(plain=False) as progress:  # a bar on a terminal (a unit in every issuer asks hundreds of queries)
        tracking = track(_backend(args), unit=args.unit, issuer=args.issuer, year=args.year, progress=progress,
                         jobs=min(QUERY_JOBS, default_jobs()))
    try:
        write(tracking, args.format, args.output, bom=not args.no_bom, base=_base_of(args))
    except OSError as exc:
        raise InputError(args.output or "-", f"cannot write the output: {exc.strerror or exc}") from None
    if args.output:
        print(f"{len(tracking.rows)} tasks written to {args.output}", file=sys.stderr)
    return EXIT_OK


_SERVE_EXAMPLES = """\
examples:
  govkg serve                                   the build in out/ on http://127.0.0.1:8000/
  govkg serve --store kg/ --port 8080 --deadline 30
  govkg serve --store kg/ --host 0.0.0.0        listen on every interface (think first)
  govkg serve --cors https://a.example          only that origin's pages may read /sparql and /id/… (none: no CORS)
  govkg serve --port 0                          any free port (printed once bound)
  govkg serve --follow 0                        keep serving the build found at start, whatever is built later
  govkg serve --no-warm                         leave the store on disk until queries read it (short of memory)

Pages: / (summary, search), /sparql (SPARQL 1.1 Protocol; YASGUI in a browser), /id/… (every IRI of the
data, HTML or RDF by content negotiation), /void, /catalog, /ontology, /dumps/, /graph.
The server is read-only and never makes outbound requests. When `govkg build` writes the folder again, the
server opens the new build while it still answers from the old one, then switches to it; queries running then
finish on the old build, whose store the build leaves in place until the server has let it go.
"""


def _add_serve(commands: argparse._SubParsersAction) -> None:
    parser = _command(
        commands, "serve", summary="serve the graph as linked data with a SPARQL endpoint",
        description="Serve a build folder: SPARQL 1.1 Protocol endpoint, dereferenceable IRIs with content "
                    "negotiation, HTML pages, VoID/DCAT, dumps, the ontology and the collaboration network.",
        examples=_SERVE_EXAMPLES)
    parser.add_argument("--store", default="out", metavar="DIR", help="build folder to serve (default: out)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free port, printed)")
    parser.add_argument("--base", help="base IRI of the data, if not the one the build recorded")
    parser.add_argument("--deadline", type=float, default=10.0, help="seconds a query may run (default: 10)")
    parser.add_argument("--workers", type=_positive_int, default=2,
                        help="query worker processes of the fast lane (default: 2)")
    parser.add_argument("--long-queries", type=_positive_int, metavar="N",
                        help="queries running longer than a moment that may run at once, at low priority "
                             "(default: as many as --workers); more wait their turn")
    parser.add_argument("--per-client", type=_natural_int, default=8, metavar="N",
                        help="queries one client address may have at once; more get 429 (default: 8; 0: no cap)")
    parser.add_argument("--queue", type=_positive_int, default=64, metavar="N",
                        help="queries that may wait for a worker; more get 503 with Retry-After (default: 64)")
    parser.add_argument("--worker-memory", type=_natural_int, default=2048, metavar="MB",
                        help="address space of each query worker; a query that needs more gets 503 "
                             "(default: 2048; 0: no cap)")
    parser.add_argument("--max-body", type=int, default=1_000_000, help="largest request body in bytes")
    parser.add_argument("--max-result", type=int, default=50_000_000, help="largest query result in bytes")
    parser.add_argument("--read-timeout", type=float, default=10.0,
                        help="seconds a client may take to send a request's headers and body (default: 10)")
    parser.add_argument("--follow", type=_seconds, default=1.0, metavar="SECONDS",
                        help="how often to look for a newer build in the folder and switch to it (default: 1; "
                             "0: never, serve the build found at start)")
    parser.add_argument("--paged-above", type=_natural_int, default=9, metavar="ISSUERS",
                        help="answer a named question asked of every issuer in pages (issuers in groups, in the "
                             "order of their names) when the data has more issuers than this (default: 9)")
    parser.add_argument("--page-rows", type=_positive_int, default=1000, metavar="ROWS",
                        help="rows a page of such an answer holds at least (default: 1000); a page also ends "
                             "after 0.8 s of queries")
    parser.add_argument("--no-warm", dest="warm", action="store_false",
                        help="do not read the store into memory ahead of the queries (by default the system is "
                             "asked to, in the background, when the store takes at most half the memory available)")

    def origins(text: str) -> tuple[str, ...]:
        from .web.app import parse_cors

        try:
            return parse_cors(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parser.add_argument("--cors", type=origins, default=("*",), metavar="ORIGINS",
                        help="origins whose web pages may read /sparql and the data (/id/…, /dumps/…, /void, "
                             "/catalog, /ontology) by CORS: * (default: any, as public SPARQL endpoints do), "
                             "comma-separated origins (https://a.example,http://localhost:3000), or none")
    parser.set_defaults(func=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    """`govkg serve`: run the web server until interrupted."""
    import errno

    from .web import ServerSettings, create_app
    from .web.serving import listen, serve

    settings = ServerSettings(Path(args.store), base=args.base, deadline=args.deadline, max_body=args.max_body,
                              max_result=args.max_result, workers=args.workers, long_queries=args.long_queries,
                              per_client=args.per_client, queue=args.queue, worker_memory=args.worker_memory,
                              cors=args.cors, follow=args.follow, paged_above=args.paged_above,
                              page_rows=args.page_rows, warm=args.warm)
    _log_to_stderr("govkg.web")
    try:
        app = create_app(settings)
    except FileNotFoundError as exc:
        raise InputError(args.store, str(exc).replace(f"{args.store}: ", "")) from None
    try:
        sock = listen(args.host, args.port)
    except OSError as exc:
        reason = f"port {args.port} is already in use (another server?); choose another with --port" \
            if exc.errno == errno.EADDRINUSE else f"cannot listen on port {args.port}: {exc.strerror or exc}"
        raise InputError(f"{args.host}:{args.port}", reason) from None
    port = sock.getsockname()[1]  # --port 0: the free port the system chose
    host = f"[{args.host}]" if ":" in args.host else args.host
    origin = f"http://{host}:{port}"
    # Announced only now that the port is bound: a client may connect at once (it waits until the app is ready).
    print(f"serving {args.store} on {origin}/  (SPARQL: {origin}/sparql, network: {origin}/graph)", file=sys.stderr,
          flush=True)
    serve(app, sock, read_timeout=args.read_timeout)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `govkg` command."""
    parser = argparse.ArgumentParser(
        prog="govkg",
        description="Turn government responsibility tables (政府工作报告目标任务责任分解表) into a "
                    "linked-data knowledge graph.",
        epilog="Run `govkg COMMAND --help` for the options and examples of a command.")
    parser.add_argument("--version", action="version", version=f"govkg {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_extract(commands)
    _add_build(commands)
    _add_validate(commands)
    _add_dump(commands)
    _add_compact(commands)
    _add_query(commands)
    _add_sparql(commands)
    _add_track(commands)
    _add_publish(commands)
    _add_serve(commands)
    add_network_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (InputError, QueryError, PublishError) as exc:
        print(f"govkg: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("govkg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of the output went away (`govkg validate out/ --all | head`): stop quietly
        with suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
