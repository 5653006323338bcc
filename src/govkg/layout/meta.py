"""Document metadata printed anywhere in the text: title, issuer, year, issue date, document number, report date.

Evidence, strongest first — issuer: a government named at the start of a title ("X区人民政府关于…", "X市2023年…"),
a 发布机构 / 发布单位 row naming a government, a signature line ("无锡市人民政府" above the date); year: the
title's year, the 文号's year (〔2023〕), the signed date's year (成文日期, 发文日期, the date under the
signature), a plan year in the notice's opening text, the page's publication date; issue date: 成文日期 /
发文日期, the signature date, then the page's 发布日期 / 发布时间. Every value says what it was read from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..divisions import DivisionIndex, load_divisions
from ..lexicon import Lexicon
from ..model import DocumentMeta, Line, MetaValue, Sheet
from ..textutil import no_space
from . import metalines as ml
from .dates import find_date, find_periods, whole_date

_MISSING = MetaValue(None, "missing")
_UNTIL_WORDS = ("截至", "截止")
_MAX_TITLE_LINES = 3
#: A signature line ("无锡市人民政府  2011年4月2日") is short; longer lines are text.
_SIGNATURE_MAX = 80
_MIN_YEAR, _MAX_YEAR = 1949, 2100


@dataclass
class _Evidence:
    """Values found so far, each the first of its kind in document order."""

    keys: dict[str, MetaValue] = field(default_factory=dict)
    titles: list[MetaValue] = field(default_factory=list)
    signatures: list[MetaValue] = field(default_factory=list)
    signed: MetaValue = _MISSING
    docno: MetaValue = _MISSING


def _sheet_lines(sheet: Sheet) -> list[Line]:
    if sheet.lines:
        return sheet.lines
    titles = [Line(t.title_line, t.title) for t in sheet.tables if t.title and t.title_line]
    return sorted([*sheet.preamble, *titles], key=lambda line: line.no)


class _MetaReader:
    """Reads one document's lines; `read()` gives its :class:`DocumentMeta`."""

    def __init__(self, lines: list[Line], words: ml.MetaWords, index: DivisionIndex) -> None:
        self.lines = [line for line in lines if line.text.strip()]
        self.words, self.index = words, index
        self.body_start = self._first(lambda text: ml.is_numbered(text) or self._is_table(text))
        self.table_start = self._first(self._is_table)
        self.found = _Evidence()

    def _first(self, test: Callable[[str], bool]) -> int:
        return next((i for i, line in enumerate(self.lines) if test(line.text)), len(self.lines))

    def _is_table(self, text: str) -> bool:
        stripped = text.strip()
        if text.startswith("\t") or text.count("\t") >= 2 or stripped.startswith("序号"):
            return True
        return ml.is_pipe_row(text) and not ml.key_values(text, self.words)

    # --- governments ----------------------------------------------------------------------------------

    def government(self, text: str, *, whole: bool, after_year: bool = False) -> tuple[str, str] | None:
        """A government named at the start of the text: (its name, the name with its organ as printed).

        With `whole`, the text must be that and nothing else, with an organ ("无锡市人民政府", "宣城市民生办").
        """
        text = no_space(text)
        pos = next((len(w) for w in self.index.words.lead_words if text.startswith(w)), 0)
        if after_year and text[pos : pos + 4].isdigit() and text[pos + 4 : pos + 5] == "年":
            pos += 6 if text[pos + 5 : pos + 6] == "度" else 5
        end, links = self.index.chain(text, pos)
        if not links:
            return None
        organ = self.index.organ_at(text, end) or ""
        if whole and (not organ or end + len(organ) != len(text)):
            return None
        if not organ and (end == len(text) or text[end] in self.index.words.not_after):
            return None
        return text[pos:end], text[pos : end + len(organ)]

    def _bare_government(self, text: str) -> tuple[str, str] | None:
        text = no_space(text)
        end, links = self.index.chain(text)
        return (text, text) if links and end == len(text) else None

    # --- one pass over the lines ------------------------------------------------------------------------

    def scan(self) -> None:
        """Collect metadata rows, titles, signatures, the signature date and the document number."""
        previous_signature = False
        for i, line in enumerate(self.lines):
            text = line.text
            self._keys(line)
            if self.found.docno.value is None:
                self._docno(line)
            if i < self.table_start:
                self._title(i)
            signature = self._signature(line)
            date = whole_date(ml.trim(text))
            if date and self.found.signed.value is None and (previous_signature or i < self.body_start):
                self.found.signed = MetaValue(date, "read", line.no, ml.trim(text), "signature")
                if previous_signature and self.found.signatures:
                    last = self.found.signatures[-1]
                    self.found.signatures[-1] = MetaValue(last.value, "read", last.line, last.text, "signature")
            previous_signature = signature

    def _keys(self, line: Line) -> None:
        for kind, key, value in ml.key_values(line.text, self.words):
            if kind in self.found.keys or not value:
                continue
            if kind in ("issued", "published"):
                date = find_date(value)
                if date:
                    self.found.keys[kind] = MetaValue(date[0], "read", line.no, value, key)
            elif kind == "docno":
                number = ml.docno(value)
                if number:
                    self.found.keys[kind] = MetaValue(number[0], "read", line.no, value, key)
            elif kind == "issuer":
                named = self.government(value, whole=True) or self._bare_government(value)
                if named:
                    self.found.keys[kind] = MetaValue(named[0], "read", line.no, named[1], key)

    def _docno(self, line: Line) -> None:
        if "docno" in self.found.keys:
            self.found.docno = self.found.keys["docno"]
            return
        number = ml.docno(line.text)
        leading = ml.leading_docno(line.text)
        if leading:
            number = leading[0]
        if number:
            self.found.docno = MetaValue(number[0], "read", line.no, number[0], "文号")

    def _title(self, i: int) -> None:
        line = self.lines[i]
        text = line.text
        leading = ml.leading_docno(text)
        if leading:
            text = leading[1]
        if ml.key_values(text, self.words) or ml.is_chrome(line.text, self.words):
            return
        title = ml.as_title(text, self.words)
        if title is None and self.words.about in text and not ml.is_chrome(text, self.words):
            title = self._wrapped_title(i)
        if title is None or any(t.value == title for t in self.found.titles):
            return
        if i >= self.body_start and ml.title_year(title) is None:
            return
        self.found.titles.append(MetaValue(title, "read", line.no, title, "title"))

    def _wrapped_title(self, i: int) -> str | None:
        """A title wrapped over the next lines (the longest join that is a title)."""
        parts, best = [ml.trim(self.lines[i].text)], None
        for line in self.lines[i + 1 : i + _MAX_TITLE_LINES]:
            text = line.text
            if ml.docno(text) or whole_date(text) or ml.is_numbered(text) or ml.key_values(text, self.words):
                break
            parts.append(ml.trim(text))
            best = ml.as_title("".join(parts), self.words) or best
        return best

    def _signature(self, line: Line) -> bool:
        text = ml.trim(line.text)
        if not text or len(text) > _SIGNATURE_MAX or ml.is_chrome(text, self.words) or line.text.rstrip().endswith(
                (":", "：")):
            return False
        tokens = text.split()
        for candidate in dict.fromkeys([text, tokens[-1]]):
            named = self.government(candidate, whole=True)
            if named:
                self.found.signatures.append(MetaValue(named[0], "read", line.no, named[1], "signature line"))
                return True
        for split in range(1, len(tokens)):  # "无锡市人民政府  2011年4月2日" on one line
            date = whole_date(" ".join(tokens[split:]))
            named = self.government("".join(tokens[:split]), whole=True) if date else None
            if named and date:
                self.found.signatures.append(MetaValue(named[0], "read", line.no, named[1], "signature"))
                if self.found.signed.value is None:
                    self.found.signed = MetaValue(date, "read", line.no, " ".join(tokens[split:]), "signature")
                return False
        return False

    # --- decisions ----------------------------------------------------------------------------------------

    def issuer(self) -> MetaValue:
        """The issuing government: from a title, a 发布机构 row, or a signature (dated signatures first)."""
        for title in self.found.titles:
            named = self.government(str(title.value), whole=False, after_year=True)
            if named:
                return MetaValue(named[0], "read", title.line, named[1], "title")
        if "issuer" in self.found.keys:
            return self.found.keys["issuer"]
        dated = [s for s in self.found.signatures if s.rule == "signature"]
        table_line = self.lines[self.table_start].no if self.table_start < len(self.lines) else None
        undated = [s for s in self.found.signatures  # a government's name in a table cell is no signature
                   if s.rule != "signature" and (table_line is None or (s.line or 0) < table_line)]
        if dated or undated:
            return (dated or undated)[0]
        return self._title_subject()

    def _title_subject(self) -> MetaValue:
        """The government a notice title is about ("关于印发《X区2023年…》的通知"), when nothing else names one."""
        for title in self.found.titles:
            text = no_space(str(title.value))
            at = text.find(self.words.about)
            if at < 0:
                continue
            rest = text[at + len(self.words.about) :]
            verb = next((v for v in self.words.subject_verbs if rest.startswith(v)), "")
            rest = rest[len(verb) :].lstrip("《“\"")
            named = self.government(rest, whole=False, after_year=True)
            if named:
                return MetaValue(named[0], "read", title.line, named[1], "title subject")
        return _MISSING

    def issued(self) -> MetaValue:
        """The issue date: 成文日期 / 发文日期, the signature date, else the page's publication date."""
        for value in (self.found.keys.get("issued"), self.found.signed, self.found.keys.get("published")):
            if value is not None and value.value is not None:
                return value
        return _MISSING

    def year(self, issued: MetaValue) -> MetaValue:
        """The plan's year: title, 文号, signed date, the opening text, the publication date."""
        for title in self.found.titles:
            year = ml.title_year(str(title.value))
            if year:
                return MetaValue(year, "read", title.line, title.text, "title")
        docno = self.found.docno
        number = ml.docno(str(docno.value)) if docno.value else None
        if number and _MIN_YEAR <= number[2] <= _MAX_YEAR:
            return MetaValue(number[2], "read", docno.line, docno.text, "文号")
        if issued.value and issued.rule not in self.words.keys.get("published", ()):
            return MetaValue(int(str(issued.value)[:4]), "read", issued.line, issued.text, issued.rule)
        for line in self.lines[: self.body_start]:
            if not ml.is_pipe_row(line.text) and not ml.is_chrome(line.text, self.words):
                found = ml.plan_year(line.text, self.words)
                if found:
                    return MetaValue(found[0], "read", line.no, found[1], "text")
        published = self.found.keys.get("published")
        if published is not None:
            return MetaValue(int(str(published.value)[:4]), "read", published.line, published.text, published.rule)
        return _MISSING

    def report_date(self, year: int | None) -> MetaValue:
        """The date or period a progress report reports on: from a title, else next to a progress word."""
        for title in self.found.titles:
            text = str(title.value)
            if any(word in text for word in (*self.words.progress_words, *_UNTIL_WORDS)):
                periods = find_periods(text, year)
                if periods:
                    return MetaValue(periods[0].value, "read", title.line, periods[0].text, "title")
        for line in self.lines:
            for period in find_periods(line.text, year):
                if period.text.startswith(_UNTIL_WORDS) or ml.near_progress(line.text, period.end, self.words):
                    return MetaValue(period.value, "read", line.no, period.text, "text")
        return _MISSING

    def read(self) -> DocumentMeta:
        """Everything the document says about itself."""
        self.scan()
        issued = self.issued()
        year = self.year(issued)
        places = tuple(self.index.mentions("\n".join(line.text for line in self.lines)))
        return DocumentMeta(
            title=(self.found.titles or [_MISSING])[0],
            issuer=self.issuer(),
            year=year,
            issued=issued,
            report_date=self.report_date(year.value if isinstance(year.value, int) else None),
            docno=self.found.docno,
            places=places,
        )


def read_meta(sheet: Sheet, lex: Lexicon | None = None) -> DocumentMeta:
    """What the document itself says about its title, issuer, year, dates and document number."""
    folder: Path | None = lex.folder if lex else None
    meta = _MetaReader(_sheet_lines(sheet), ml.meta_words(folder), load_divisions(folder)).read()
    if meta.title.value is None:
        titled = [table for table in sheet.tables if table.title]
        if titled:
            meta.title = MetaValue(titled[0].title, "read", titled[0].title_line, rule="table title")
    return meta
