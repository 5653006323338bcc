"""Reading time per page of each original format, as a ratio to reading the text export of the same document.

The fixtures are the tests' generated originals of the three tab-cell samples (tests/originals/makers.py): .docx,
.xlsx, .html, PDF drawn by reportlab (untagged: geometry) and, where LibreOffice is installed, PDF exported by
LibreOffice (tagged), .xls and .doc. A page is a page of the document's PDF. For each file the median of
--repeat runs is taken of `read_source` (the format reader alone) and of `extract_document` (read, recognise,
layout, resolve).

    .venv/bin/python bench/read.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "originals"))

import makers  # noqa: E402
from timing import median_seconds  # noqa: E402

import govkg  # noqa: E402
from govkg.read import read_source  # noqa: E402
from govkg.read.formats.legacy import soffice_path  # noqa: E402


def writers() -> dict[str, Callable[[makers.Document], bytes]]:
    out: dict[str, Callable[[makers.Document], bytes]] = {
        ".docx": makers.write_docx, ".xlsx": makers.write_xlsx, ".html": makers.write_html,
        ".pdf (reportlab)": makers.write_pdf_reportlab,
    }
    if soffice_path():
        out.update({".pdf (LibreOffice, tagged)": makers.write_pdf_libreoffice, ".xls": makers.write_xls,
                    ".doc (via LibreOffice)": makers.write_doc})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    formats = writers()
    totals: dict[str, list[float]] = {name: [0.0, 0.0] for name in ("text", *formats)}
    pages_total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for prefix in makers.TABCELL_SAMPLES:
            document = makers.sample_document(prefix)
            sample = makers.sample_path(prefix)
            files = {"text": sample}
            for name, write in formats.items():
                path = Path(tmp) / f"{sample.stem}-{len(files)}{name.split()[0]}"
                path.write_bytes(write(document))
                files[name] = path
            pdf = files.get(".pdf (LibreOffice, tagged)", files[".pdf (reportlab)"])
            with pdfplumber.open(pdf) as opened:
                pages = len(opened.pages)
            pages_total += pages
            for name, path in files.items():
                repeat = 1 if name.startswith(".doc") else args.repeat
                totals[name][0] += median_seconds(lambda path=path: read_source(path), repeat)
                totals[name][1] += median_seconds(lambda path=path: govkg.extract_document(path), repeat)
    text_read, text_extract = totals["text"]
    print(f"{pages_total} pages (samples {', '.join(makers.TABCELL_SAMPLES)}), median of {args.repeat} runs")
    print(f"{'format':28} {'read ms/page':>12} {'× text':>8} {'extract ms/page':>16} {'× text':>8}")
    for name, (read, extract) in totals.items():
        print(f"{name:28} {1000 * read / pages_total:12.2f} {read / text_read:8.1f} "
              f"{1000 * extract / pages_total:16.2f} {extract / text_extract:8.1f}")


if __name__ == "__main__":
    main()
