"""read → layout → resolve for one document or many: the `govkg extract` pipeline as plain functions."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from .layout import understand
from .lexicon import Lexicon, load_lexicon
from .model import Document, InputError, LayoutName, LayoutPolicy, Sheet
from .read import display_name, read_source
from .read.fold import fold_traditional
from .read.limits import MAX_FILE_BYTES
from .read.sidecar import read_sidecar, sidecar_path
from .recognise import recognise
from .resolve import Supplied, resolve_meta, resolve_records

#: File suffixes taken from a folder given as a path (the format itself is found from each file's content).
DOCUMENT_SUFFIXES = (".txt", ".text", ".docx", ".docm", ".doc", ".wps", ".xlsx", ".xlsm", ".xls", ".et", ".html",
                     ".htm", ".pdf")


def is_document_name(name: str) -> bool:
    """A name a folder's document has: a known suffix, not hidden, not an office lock file ("~$report.docx")."""
    return os.path.splitext(name)[1].lower() in DOCUMENT_SUFFIXES and not name.startswith((".", "~$"))


def _is_document(entry: os.DirEntry[str]) -> bool:
    """A document file of a folder (is_document_name, and a file)."""
    return is_document_name(entry.name) and entry.is_file()


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files to read: the given files, and the documents inside given folders (text and originals), sorted."""
    out: list[Path] = []
    for raw in paths:
        path = Path(os.fsdecode(raw))
        if path.is_dir():
            try:  # a listing tells files by their entries' types: no stat per file (tens of thousands nationally)
                with os.scandir(path) as listing:
                    found = [path / name for name in sorted(entry.name for entry in listing if _is_document(entry))]
            except OSError as exc:
                raise InputError(display_name(path), f"folder cannot be read: {exc.strerror or exc}") from None
            if not found:
                raise InputError(str(path), "folder holds no documents (" + " ".join(
                    f"*{suffix}" for suffix in DOCUMENT_SUFFIXES) + ")")
            out.extend(found)
        else:
            out.append(path)
    return out


def extract_document(path: str | bytes | os.PathLike, *, layout: LayoutName | None = None,
                     policy: LayoutPolicy | None = None, issuer: str | None = None, year: int | None = None,
                     lex: Lexicon | None = None, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Extract one document: its tasks with resolved names, metadata and warnings.

    A file that cannot be read (not a regular file, too large, damaged, no table …) raises a one-line InputError
    naming the file.
    """
    lex = lex or load_lexicon()
    source = fold_traditional(read_source(path, max_bytes=max_bytes))
    path = Path(os.fsdecode(path))
    sheet = recognise(source, layout=layout, lex=lex)
    understood = understand(sheet, policy, lex)
    if not understood.records:
        # A table cut off after its header (and perhaps a partial first row) gives no task: refuse it rather
        # than write an empty output with exit status 0.
        table = sheet.tables[0] if sheet.tables else None
        line = (table.title_line or table.span.first) if table else None
        raise InputError(sheet.file, "no task read: the table has a header but no complete rows (truncated?)", line)
    sidecar = sidecar_path(path)
    supplied = Supplied({"issuer": issuer, "year": year}, read_sidecar(path), str(sidecar) if sidecar else None)
    resolved = resolve_meta(sheet.file, understood.meta, supplied, lex)
    return Document(
        file=sheet.file,
        path=str(path),
        sha256=sheet.sha256,
        layout=sheet.layout,
        encoding=sheet.encoding,
        title=resolved.title,
        issuer=resolved.issuer,
        year=resolved.year,
        issued=resolved.issued,
        meta_origin=resolved.origin,
        tasks=resolve_records(understood.records, resolved.issuer, lex),
        diagnostics=understood.diagnostics + resolved.diagnostics,
        tables=understood.tables,
        format=sheet.format,
        locations=sheet.locations,
        report_date=resolved.report_date,
        docno=resolved.docno,
        meta_source=resolved.source,
        lines=numbered_text(sheet),
    )


def numbered_text(sheet: Sheet) -> list[str]:
    """Every line of the document as printed, line n at index n - 1 (a number the reader skipped: empty)."""
    last = max((line.no for line in sheet.lines), default=0)
    text = [""] * last
    for line in sheet.lines:
        text[line.no - 1] = sheet.printed.get(line.no, line.text)
    return text


def extract(paths: Iterable[str | Path], *, layout: LayoutName | None = None, policy: LayoutPolicy | None = None,
            issuer: str | None = None, year: int | None = None, strict: bool = False,
            lex: Lexicon | None = None, max_bytes: int = MAX_FILE_BYTES,
            progress: Callable[[int, int, Path], None] | None = None) -> list[Document]:
    """Extract several documents (folders are expanded); with `strict`, any warning is an error."""
    files = expand_paths(paths)
    documents: list[Document] = []
    for index, path in enumerate(files, start=1):
        if progress:
            progress(index, len(files), path)
        document = extract_document(path, layout=layout, policy=policy, issuer=issuer, year=year, lex=lex,
                                    max_bytes=max_bytes)
        if strict and document.diagnostics:
            first = document.diagnostics[0]
            raise InputError(first.file, f"{first.message} (--strict: warnings are errors)", first.line)
        documents.append(document)
    return documents
