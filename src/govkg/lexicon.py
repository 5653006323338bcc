"""The reviewed lookup tables of data/lexicon: header synonyms, issuers, aliases, unit types, groups, targets."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .divisions import division_prefixes
from .resources import lexicon_dir
from .textutil import full_width_parens, longest_first, no_space

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


@dataclass(frozen=True)
class IssuerEntry:
    """An issuer the lexicon knows."""

    code: str
    name: str
    short: str
    name_en: str | None
    aliases: tuple[str, ...]
    unit_prefixes: tuple[str, ...]


@dataclass(frozen=True)
class GroupMembers:
    """Members of a group of one issuer, as listed in the lexicon."""

    issuer: str
    group: str
    units: tuple[str, ...]
    complete: bool
    note: str | None


@dataclass(frozen=True)
class Rename:
    """Units renamed or merged into one: old names, new name, year, issuers it applies to."""

    old: tuple[str, ...]
    new: str
    year: int
    issuers: tuple[str, ...]

    def applies_to(self, issuer_code: str | None) -> bool:
        """True when the rename is declared for this issuer (or for all)."""
        return "*" in self.issuers or (issuer_code is not None and issuer_code in self.issuers)


@dataclass(frozen=True)
class TargetWords:
    """The words of data/lexicon/targets.toml that quantitative-target extraction looks for (lists longest first)."""

    multipliers: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    rate_units: frozenset[str] = frozenset()
    qudt_units: dict[str, str] = field(default_factory=dict)
    at_least_after: tuple[str, ...] = ()
    at_most_after: tuple[str, ...] = ()
    about_after: tuple[str, ...] = ()
    at_least_before: tuple[str, ...] = ()
    at_most_before: tuple[str, ...] = ()
    about_before: tuple[str, ...] = ()
    growth_verbs: tuple[str, ...] = ()
    linking: tuple[str, ...] = ()
    leading: tuple[str, ...] = ()
    carried: tuple[str, ...] = ()
    bare: frozenset[str] = frozenset()
    each: tuple[str, ...] = ()
    ordinal_before: tuple[str, ...] = ()

    @cached_property
    def after_words(self) -> tuple[tuple[str, str], ...]:
        """(word, comparator) for the words printed after a value, longest first."""
        pairs = [(w, "at_least") for w in self.at_least_after] + [(w, "at_most") for w in self.at_most_after]
        pairs += [(w, "about") for w in self.about_after]
        return tuple(sorted(pairs, key=lambda pair: len(pair[0]), reverse=True))

    @cached_property
    def trailing_words(self) -> tuple[tuple[str, str | None], ...]:
        """(word, kind) for the words between a metric and its value, longest first.

        The kind is a comparator, "growth", "each" (a value for each of several items) or None (a linking word).
        """
        kinds: dict[str, str | None] = {w: None for w in self.linking}
        kinds.update((w, "growth") for w in self.growth_verbs)
        kinds.update((w, "at_least") for w in self.at_least_before)
        kinds.update((w, "at_most") for w in self.at_most_before)
        kinds.update((w, "about") for w in self.about_before)
        kinds.update((w, "each") for w in self.each)
        return tuple(sorted(kinds.items(), key=lambda pair: len(pair[0]), reverse=True))


def _target_words(table: dict[str, Any]) -> TargetWords:
    units, comparators, verbs = table.get("units", {}), table.get("comparators", {}), table.get("verbs", {})
    return TargetWords(
        multipliers=longest_first(units.get("multipliers", ())),
        units=longest_first(units.get("base", ())),
        rate_units=frozenset(units.get("rates", ())),
        qudt_units=dict(units.get("qudt", {})),
        at_least_after=longest_first(comparators.get("at_least_after", ())),
        at_most_after=longest_first(comparators.get("at_most_after", ())),
        about_after=longest_first(comparators.get("about_after", ())),
        at_least_before=longest_first(comparators.get("at_least_before", ())),
        at_most_before=longest_first(comparators.get("at_most_before", ())),
        about_before=longest_first(comparators.get("about_before", ())),
        growth_verbs=longest_first(verbs.get("growth", ())),
        linking=longest_first(verbs.get("linking", ())),
        leading=longest_first(verbs.get("leading", ())),
        carried=longest_first(verbs.get("carried", ())),
        bare=frozenset(verbs.get("bare", ())),
        each=longest_first(verbs.get("each", ())),
        ordinal_before=longest_first(table.get("numbers", {}).get("ordinal_before", ())),
    )


@dataclass(frozen=True)
class AnnotationWords:
    """The words of data/lexicon/labels.toml: labels, role words, leader titles, heading roles, printed rules."""

    labels: dict[str, str] = field(default_factory=dict)
    role_words: tuple[tuple[str, str], ...] = ()
    titles: tuple[str, ...] = ()
    heading_verbs: tuple[str, ...] = ()
    heading_objects: tuple[str, ...] = ()
    rules: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    @cached_property
    def label_pattern(self) -> re.Pattern[str]:
        """A label and its colon ("牵头单位：", "责 任 部 门：", "【牵头单位】"); longer labels are tried first.

        The label is group 1 or 2, possibly letter-spaced (remove whitespace before looking it up).
        """
        words = _spaced_words(self.labels)
        return re.compile(f"【{_SPACE}({words}){_SPACE}】{_SPACE}[:：]?|({words}){_SPACE}[:：]")

    @cached_property
    def label_start_pattern(self) -> re.Pattern[str]:
        """A label opening a line with only spaces after it ("责任部门　县工信局")."""
        return re.compile(f"({_spaced_words(self.labels)})[ \t\u3000]+(?=\\S)")


_SPACE = "[ \\t\\u3000]*"


def _spaced_words(words) -> str:
    """An alternation of words, longest first, that also matches them letter-spaced ("责　任　部　门")."""
    return "|".join(_SPACE.join(re.escape(char) for char in word) for word in longest_first(words))


def _annotation_words(table: dict[str, Any]) -> AnnotationWords:
    labels: dict[str, str] = {}
    for role, words in table.get("labels", {}).items():
        for word in words:
            labels.setdefault(no_space(word), role)
    role_words = [(no_space(word), role) for role, words in table.get("role_words", {}).items() for word in words]
    heading = table.get("heading_roles", {})
    return AnnotationWords(
        labels=labels,
        role_words=tuple(sorted(role_words, key=lambda pair: len(pair[0]), reverse=True)),
        titles=longest_first(table.get("titles", {}).get("words", ())),
        heading_verbs=longest_first(heading.get("verbs", ())),
        heading_objects=longest_first(heading.get("objects", ())),
        rules={kind: tuple(tuple(entry) for entry in entries) for kind, entries in table.get("rules", {}).items()},
    )


@dataclass(frozen=True)
class Lexicon:
    """All lookup tables, loaded once per folder."""

    folder: Path
    header_roles: dict[str, str]
    livelihood_words: tuple[str, ...]
    issuers: tuple[IssuerEntry, ...]
    default_prefixes: tuple[str, ...]
    unit_types: dict[str, dict[str, str]]
    suffix_rules: tuple[tuple[str, str], ...]
    weak_suffixes: frozenset[str]
    type_names: dict[str, str]
    type_names_by_issuer: dict[str, dict[str, str]]
    aliases: dict[str, str]
    aliases_by_issuer: dict[str, dict[str, str]]
    renames: tuple[Rename, ...]
    quantifiers: tuple[str, ...]
    group_markers: tuple[str, ...]
    group_names: frozenset[str]
    type_words: tuple[str, ...]
    member_types: dict[str, tuple[str, ...]]
    members: tuple[GroupMembers, ...]
    collectives: frozenset[str]
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    targets: TargetWords = field(default_factory=TargetWords)
    known_units: frozenset[str] = field(default=frozenset())
    header_contains: tuple[tuple[str, str], ...] = ()
    umbrellas: dict[str, frozenset[str]] = field(default_factory=dict)
    annotations: AnnotationWords = field(default_factory=AnnotationWords)
    prefix_not_before: tuple[str, ...] = ()
    #: Page chrome that ends a document's content ("分享到", "上一篇", "抄送"): data/lexicon/meta.toml.
    after_content: tuple[str, ...] = ()

    @cached_property
    def unit_suffixes(self) -> tuple[str, ...]:
        """Every suffix that on its own marks an unknown word as a unit name, longest first."""
        strong = {s for s, _ in self.suffix_rules if s not in self.weak_suffixes}
        return tuple(sorted(strong, key=len, reverse=True))

    @cached_property
    def name_suffixes(self) -> frozenset[str]:
        """Suffix rules that are whole unit names too (经开区, 高新区): "做强经开区" is not a unit."""
        return frozenset(s for s, _ in self.suffix_rules) & self.known_units

    def header_role(self, text: str) -> str | None:
        """The column role a header cell names exactly, or None."""
        return self.header_roles.get(no_space(text))

    def column_role(self, text: str) -> str | None:
        """The column role of a header cell: an exact header term, else the first [[contains]] rule it matches."""
        key = no_space(text)
        role = self.header_roles.get(key)
        if role is not None or not key or len(key) > _HEADER_MAX or _NOT_HEADER.search(key):
            return role
        if len(key) >= _DATED_TITLE and _YEAR.search(key):
            return None  # "2023年十件民生实事责任分解" is a title; "2022年度任务目标" a column
        return next((role for word, role in self.header_contains if word in key), None)

    def is_header_word(self, text: str) -> bool:
        """True when the text is a header term or a fragment a wrapped header starts or ends with."""
        key = no_space(text)
        if not key:
            return False
        return key in self.header_roles or key in self._header_fragments

    @cached_property
    def _header_fragments(self) -> frozenset[str]:
        """Every start and end (two characters or more) of a header term: what a wrapped header cell prints."""
        return frozenset(term[:i] for term in self.header_roles for i in range(2, len(term) + 1)) | frozenset(
            term[-i:] for term in self.header_roles for i in range(2, len(term) + 1))

    def issuer_entry(self, text: str) -> IssuerEntry | None:
        """The issuer a name, alias or division code refers to, if the lexicon knows it."""
        key = no_space(text)
        for entry in self.issuers:
            if key in (entry.code, entry.name, entry.short) or key in entry.aliases:
                return entry
        return None

    def prefixes_for(self, issuer_code: str | None) -> tuple[str, ...]:
        """Unit-name prefixes of an issuer, longest first: the lexicon's, else derived from its division."""
        for entry in self.issuers:
            if entry.code == issuer_code:
                return entry.unit_prefixes
        if issuer_code:
            return division_prefixes(issuer_code, self.folder) or self.default_prefixes
        return self.default_prefixes

    def alias_for(self, form: str, issuer_code: str | None) -> str | None:
        """The canonical name an alias stands for within an issuer, if the lexicon says so."""
        if issuer_code and form in self.aliases_by_issuer.get(issuer_code, {}):
            return self.aliases_by_issuer[issuer_code][form]
        return self.aliases.get(form)


#: A header cell longer than this is text, not a column name.
_HEADER_MAX = 24
#: A text this long naming a year is a title, not a column name.
_DATED_TITLE = 12
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")
#: Text with sentence punctuation or a leading numbering is not a column name, whatever words it contains.
_NOT_HEADER = re.compile(
    r"[：:。；;，,！？!?*＊]|^(?:[一二三四五六七八九十\d]+[、.．]|[（(【\[])|的为"
    r"|(?:表|清单|方案|通知|意见|办法|报告)$"
)


def _read(folder: Path, name: str) -> dict[str, Any]:
    path = folder / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise FileNotFoundError(f"lexicon file missing: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: {exc}") from None


def _norm(name: str) -> str:
    return full_width_parens(no_space(name))


@lru_cache(maxsize=8)
def load_lexicon(folder: Path | None = None) -> Lexicon:
    """Load (once) the lexicon in `folder`, by default the project's data/lexicon."""
    folder = Path(folder) if folder else lexicon_dir()
    headers = _read(folder, "headers.toml")
    issuers = _read(folder, "issuers.toml")
    types = _read(folder, "unit_types.toml")
    aliases = _read(folder, "aliases.toml")
    renames = _read(folder, "renames.toml")
    groups = _read(folder, "groups.toml")
    people = _read(folder, "people.toml")
    targets = _read(folder, "targets.toml")
    labels = _read(folder, "labels.toml")
    meta = _read(folder, "meta.toml")

    header_roles: dict[str, str] = {}
    for role, words in headers["roles"].items():
        for word in words:
            header_roles.setdefault(no_space(word), role)

    issuer_entries = tuple(
        IssuerEntry(
            code=str(item["code"]),
            name=item["name"],
            short=item.get("short", item["name"]),
            name_en=item.get("name_en"),
            aliases=tuple(item.get("aliases", ())),
            unit_prefixes=tuple(sorted(item.get("unit_prefixes", ()), key=len, reverse=True)),
        )
        for item in issuers.get("issuer", [])
    )
    suffix_rules = tuple(
        (ending, rule["type"]) for rule in types.get("suffix", []) for ending in rule["endings"]
    )
    weak = frozenset(
        ending for rule in types.get("suffix", []) if rule.get("weak") for ending in rule["endings"]
    )
    type_names = {_norm(k): v for k, v in types.get("names", {}).items()}
    type_by_issuer = {
        str(code): {_norm(k): v for k, v in table.items()}
        for code, table in types.get("issuer", {}).items()
    }
    alias_global = {_norm(k): _norm(v) for k, v in aliases.get("global", {}).items()}
    alias_by_issuer = {
        str(code): {_norm(k): _norm(v) for k, v in table.items()}
        for code, table in aliases.get("issuer", {}).items()
    }
    rename_list = tuple(
        Rename(
            old=tuple(_norm(name) for name in item["from"]),
            new=_norm(item["to"]),
            year=int(item.get("year", 0)),
            issuers=tuple(str(code) for code in item.get("issuers", ["*"])),
        )
        for item in renames.get("rename", [])
    )
    members = tuple(
        GroupMembers(
            issuer=str(item["issuer"]),
            group=_norm(item["group"]),
            units=tuple(_norm(unit) for unit in item["units"]),
            complete=bool(item.get("complete", False)),
            note=item.get("note"),
        )
        for item in groups.get("members", [])
    )
    known = set(type_names)
    for table in (alias_global, *alias_by_issuer.values()):
        known.update(table)
        known.update(table.values())
    for table in type_by_issuer.values():
        known.update(table)
    for rename in rename_list:
        known.update(rename.old)
        known.add(rename.new)
    for group in members:
        known.update(group.units)

    compound = frozenset(people.get("compound_surnames", []))
    return Lexicon(
        folder=folder,
        header_roles=header_roles,
        livelihood_words=tuple(headers.get("tables", {}).get("livelihood", [])),
        issuers=issuer_entries,
        default_prefixes=tuple(
            sorted(issuers.get("default", {}).get("unit_prefixes", ()), key=len, reverse=True)
        ),
        unit_types={k: dict(v) for k, v in types.get("types", {}).items()},
        suffix_rules=suffix_rules,
        weak_suffixes=weak,
        type_names=type_names,
        type_names_by_issuer=type_by_issuer,
        aliases=alias_global,
        aliases_by_issuer=alias_by_issuer,
        renames=rename_list,
        quantifiers=tuple(sorted(groups.get("quantifiers", []), key=len, reverse=True)),
        group_markers=tuple(groups.get("markers", [])),
        group_names=frozenset(_norm(n) for n in groups.get("names", [])),
        type_words=tuple(sorted(groups.get("type_words", []), key=len, reverse=True)),
        member_types={k: tuple(v) for k, v in groups.get("member_types", {}).items()},
        members=members,
        collectives=frozenset(_norm(n) for n in people.get("collectives", [])),
        surnames=frozenset(people.get("surnames", "").split()),
        compound_surnames=compound,
        targets=_target_words(targets),
        known_units=frozenset(known),
        header_contains=tuple(
            (no_space(word), rule["role"]) for rule in headers.get("contains", []) for word in rule["words"]
        ),
        umbrellas={no_space(term): frozenset(roles) for term, roles in headers.get("umbrella", {}).items()},
        annotations=_annotation_words(labels),
        prefix_not_before=tuple(issuers.get("default", {}).get("prefix_not_before", ())),
        after_content=tuple(meta.get("chrome", {}).get("after_content", ())),
    )
