"""The `govkg` command: a thin layer over the plain functions of the package."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .export import FORMATS, WRITERS, summary
from .extract import extract
from .fileio import atomic_text
from .model import InputError, LayoutPolicy

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


def _add_extract(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "extract", help="read responsibility tables and write one record per task",
        description="Read responsibility tables (tab-cell text, flat text from PDF, key-value lists) "
                    "and write one record per task with its goal, leaders, lead and cooperating units.",
        epilog=_EXTRACT_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="PATH", help="document files, or folders of *.txt documents")
    parser.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default: jsonl)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--layout", choices=("tabcell", "flat", "keyvalue"),
                        help="force a layout instead of detecting it")
    parser.add_argument("--no-inherit", action="store_true",
                        help="do not fill empty leader/unit cells from earlier rows (merged cells)")
    parser.add_argument("--first-listed-lead", action="store_true",
                        help="in a single 责任单位 column, the first-listed unit is the lead unit")
    parser.add_argument("--issuer", help="issuing government, when the document does not say (e.g. 钟楼区)")
    parser.add_argument("--year", type=int, help="year of the work report, when the document does not say")
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
