"""Document metadata printed in the text: title, issuer, year and issue date."""

from __future__ import annotations

import re

from ..model import DocumentMeta, MetaValue, Sheet
from ..textutil import no_space

_YEAR_IN_TITLE = (
    re.compile(r"((?:19|20)\d{2})\s*年\s*《?\s*政府工作报告"),
    re.compile(r"《\s*((?:19|20)\d{2})\s*年\s*政府工作报告"),
    re.compile(r"((?:19|20)\d{2})\s*年"),
)
_DATE = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_ISSUER = re.compile(r"^\s*(\S{2,30}?)(?:人民政府办公室|人民政府办公厅|人民政府|政府办公室)\s*$")

_MISSING = MetaValue(None, "missing")


def read_meta(sheet: Sheet) -> DocumentMeta:
    """What the document itself says about its title, issuer, year and date."""
    titled = [table for table in sheet.tables if table.title]
    title = MetaValue(titled[0].title, "read", titled[0].title_line) if titled else _MISSING
    year = _MISSING
    for table in titled:
        for pattern in _YEAR_IN_TITLE:
            match = pattern.search(no_space(table.title or ""))
            if match:
                year = MetaValue(int(match.group(1)), "read", table.title_line)
                break
        if year.value is not None:
            break
    issued = issuer = _MISSING
    for line in sheet.preamble:
        date = _DATE.match(line.text)
        if date and issued.value is None:
            y, m, d = (int(part) for part in date.groups())
            issued = MetaValue(f"{y:04d}-{m:02d}-{d:02d}", "read", line.no)
        name = _ISSUER.match(no_space(line.text))
        if name and issuer.value is None:
            issuer = MetaValue(name.group(1), "read", line.no)
    return DocumentMeta(title=title, issuer=issuer, year=year, issued=issued)
