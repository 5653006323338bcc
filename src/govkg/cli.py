"""The `govkg` command: a thin layer over the plain functions of the package."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import InvalidGraphError, build
from .export import FORMATS, WRITERS, summary
from .extract import extract
from .fileio import atomic_text
from .model import InputError, LayoutPolicy
from .rdf import DEFAULT_BASE
from .validate import format_report, validate_path

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT = 0, 1, 2

_EXTRACT_EXAMPLES = """\
examples:
  govkg extract data/samples/                        all samples as JSON Lines on stdout
  govkg extract 000.txt --format table               a readable table in the terminal
  govkg extract 002.txt --issuer 武进区 --year 2018 -o tasks.csv --format csv
  govkg extract doc.txt --no-inherit                 keep empty merged cells empty
  govkg extract doc.txt --first-listed-lead          single 责任单位 column: first unit leads

The summary of each document (layout, issuer and year with where they came from, counts,
warnings with file:line) goes to stderr; --quiet keeps only warnings.
Exit status: 0 done, 2 a document could not be read (nothing is written then).
"""


def _command(commands: argparse._SubParsersAction, name: str, *, summary: str, description: str,
             examples: str) -> argparse.ArgumentParser:
    """A subcommand whose help ends with examples."""
    return commands.add_parser(name, help=summary, description=description, epilog=examples,
                               formatter_class=argparse.RawDescriptionHelpFormatter)


def _add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="document files, or folders of *.txt documents")


def _add_extract(commands: argparse._SubParsersAction) -> None:
    parser = _command(
        commands, "extract", summary="read responsibility tables and write one record per task",
        description="Read responsibility tables (tab-cell text, flat text from PDF, key-value lists) "
                    "and write one record per task with its goal, leaders, lead and cooperating units.",
        examples=_EXTRACT_EXAMPLES)
    _add_paths(parser)
    parser.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default: jsonl)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    _add_input_options(parser)
    parser.add_argument("--strict", action="store_true", help="treat every warning as an error (exit 2)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print warnings only, no summary")
    parser.set_defaults(func=run_extract)


def _progress(quiet: bool):
    def report(index: int, total: int, path: Path) -> None:
        if not quiet and total > 1:
            print(f"[{index}/{total}] {path.name}", file=sys.stderr)
    return report


def run_extract(args: argparse.Namespace) -> int:
    """`govkg extract`: extract the documents and write their records."""
    policy = LayoutPolicy(inherit=not args.no_inherit, first_listed_lead=args.first_listed_lead)
    documents = extract(args.paths, layout=args.layout, policy=policy, issuer=args.issuer, year=args.year,
                        strict=args.strict, progress=_progress(args.quiet))
    writer = WRITERS[args.format]
    if args.output:
        with atomic_text(args.output) as stream:
            count = writer(documents, stream)
    else:
        count = writer(documents, sys.stdout)
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

Writes out/dataset.nq (sorted N-Quads, byte-identical for identical inputs), dataset.trig,
dataset.ttl (all graphs merged), dataset.jsonld, validation.txt and the Oxigraph store out/store/.
Unchanged documents (same bytes, sidecar and options) are not processed again.
Exit status: 0 built, 1 SHACL violations (nothing written unless --allow-invalid), 2 bad input.
"""

_VALIDATE_EXAMPLES = """\
examples:
  govkg validate out/                   the build folder (its dataset.nq)
  govkg validate graph.trig --all       any RDF file; list every warning, not only counts

Exit status: 0 no violations (warnings allowed), 1 violations, 2 unreadable input.
"""


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--layout", choices=("tabcell", "flat", "keyvalue"),
                        help="force a layout instead of detecting it")
    parser.add_argument("--no-inherit", action="store_true",
                        help="do not fill empty leader/unit cells from earlier rows (merged cells)")
    parser.add_argument("--first-listed-lead", action="store_true",
                        help="in a single 责任单位 column, the first-listed unit is the lead unit")
    parser.add_argument("--issuer", help="issuing government, when the document does not say (e.g. 钟楼区)")
    parser.add_argument("--year", type=int, help="year of the work report, when the document does not say")


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
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress, only the summary")
    parser.set_defaults(func=run_build)


def run_build(args: argparse.Namespace) -> int:
    """`govkg build`: build, validate and load the graph."""
    policy = LayoutPolicy(inherit=not args.no_inherit, first_listed_lead=args.first_listed_lead)
    progress = None if args.quiet else (lambda message: print(message, file=sys.stderr))
    try:
        result = build(args.paths, args.out, base=args.base, policy=policy, layout=args.layout, issuer=args.issuer,
                       year=args.year, allow_invalid=args.allow_invalid, progress=progress)
    except InvalidGraphError as refused:
        for line in format_report(refused.report):
            print(line, file=sys.stderr)
        print(f"govkg: {refused}", file=sys.stderr)
        return EXIT_VIOLATIONS
    for line in result.summary():
        print(line)
    return EXIT_OK


def _add_validate(commands: argparse._SubParsersAction) -> None:
    parser = _command(
        commands, "validate", summary="check a built graph (or any RDF file) against the SHACL shapes",
        description="Validate a build folder or an RDF file against the shapes in shapes/ and print a "
                    "report grouped by document and source line.",
        examples=_VALIDATE_EXAMPLES)
    parser.add_argument("target", metavar="DIR|FILE", help="a build folder, or an RDF file (.trig .nq .ttl .jsonld)")
    parser.add_argument("--all", action="store_true", help="list every warning instead of counts per shape")
    parser.set_defaults(func=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    """`govkg validate`: print the SHACL report; exit 1 on violations."""
    try:
        report = validate_path(args.target)
    except (FileNotFoundError, ValueError) as exc:
        raise InputError(args.target, str(exc).replace(f"{args.target}: ", "")) from None
    for line in format_report(report, all_warnings=args.all):
        print(line)
    return EXIT_VIOLATIONS if report.violations else EXIT_OK


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"govkg: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("govkg: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
