"""The kinds of line a document's metadata is printed on: metadata rows, titles, document numbers, page chrome.

Words come from data/lexicon/meta.toml; this module only knows the shapes ("key: value" in its web-page forms,
"X〔2023〕2号", a title that is no sentence).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from ..resources import lexicon_table
from ..textutil import no_space, squeeze

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover - exercised on Python 3.10 only
    pass

_EDGES = " \t|｜•·●▪■◆-—:：\u3000\xa0"
_DOCNO = re.compile(
    r"([\u4e00-\u9fff]{1,10}?)\s*[〔［\[【（(]\s*((?:19|20)\d{2})\s*[〕］\]】）)]\s*第?\s*(\d{1,4})\s*号")
_ENCLOSED = re.compile(r"^[（(]\s*(.*?)\s*[)）]$")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[)）]$")
_NUMBERED = re.compile(
    r"^\s*(?:\d{1,3}\s*[.、．]|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*[、.．]|序号)")
_TITLE_YEAR = (
    re.compile(r"((?:19|20)\d{2})\s*年\s*《?\s*政府工作报告"),
    re.compile(r"《\s*((?:19|20)\d{2})\s*年\s*政府工作报告"),
    re.compile(r"((?:19|20)\d{2})\s*年"),
)
_BODY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")


@dataclass(frozen=True)
class MetaWords:
    """The words of data/lexicon/meta.toml."""

    keys: dict[str, tuple[str, ...]]
    title_endings: tuple[str, ...]
    title_min: int
    title_max: int
    not_in_title: tuple[str, ...]
    about: str
    subject_verbs: tuple[str, ...]
    chrome: tuple[str, ...]
    plan_words: tuple[str, ...]
    year_window: int
    progress_words: tuple[str, ...]
    report_gap: int

    @cached_property
    def key_kinds(self) -> dict[str, str]:
        """Each key (whitespace removed) → its kind (issued, published, docno, issuer, other)."""
        return {no_space(key): kind for kind, words in self.keys.items() for key in words}

    @cached_property
    def key_pattern(self) -> re.Pattern[str]:
        """A key at the start of a line or after a space, "|", bullet or digit, with its colon if any."""
        keys = sorted(self.key_kinds, key=len, reverse=True)
        spelled = "|".join(r"\s*".join(re.escape(char) for char in key) for key in keys)
        return re.compile(rf"(?:^|(?<=[\s|｜•·●▪\d]))({spelled})\s*[:：]?")


@lru_cache(maxsize=8)
def meta_words(folder: Path | None = None) -> MetaWords:
    """Load (once) the metadata words of a lexicon folder, by default data/lexicon."""
    table = lexicon_table("meta.toml", folder)
    title, year, report = table.get("title", {}), table.get("year", {}), table.get("report", {})
    return MetaWords(
        keys={kind: tuple(words) for kind, words in table.get("keys", {}).items()},
        title_endings=tuple(sorted(title.get("endings", ()), key=len, reverse=True)),
        title_min=int(title.get("min_length", 8)),
        title_max=int(title.get("max_length", 90)),
        not_in_title=tuple(title.get("not_in", ())),
        about=title.get("about", "关于"),
        subject_verbs=tuple(sorted(title.get("subject_verbs", ()), key=len, reverse=True)),
        chrome=tuple(table.get("chrome", {}).get("markers", ())),
        plan_words=tuple(year.get("plan_words", ())),
        year_window=int(year.get("window", 300)),
        progress_words=tuple(report.get("progress_words", ())),
        report_gap=int(report.get("gap", 8)),
    )


def trim(text: str) -> str:
    """The text without bullets, pipes, colons and spaces at either end."""
    return text.strip(_EDGES)


def key_values(text: str, words: MetaWords) -> list[tuple[str, str, str]]:
    """The metadata rows of a line as (kind, key, value); a value runs to the next key."""
    found = list(words.key_pattern.finditer(text.lstrip(_EDGES)))
    body = text.lstrip(_EDGES)
    out = []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(body)
        key = no_space(match.group(1))
        out.append((words.key_kinds[key], key, trim(body[match.end() : end])))
    return out


def is_chrome(text: str, words: MetaWords) -> bool:
    """True for page chrome: navigation, site banners, print and font tools."""
    return any(marker in text for marker in words.chrome)


def is_numbered(text: str) -> bool:
    """True for a line that opens a list item, a heading or a table (1. / （1） / 一、 / 序号)."""
    return bool(_NUMBERED.match(text))


def is_pipe_row(text: str) -> bool:
    """True for a table row flattened to pipe cells ("a | b |")."""
    return text.count("|") >= 2


def docno(text: str) -> tuple[str, str, int] | None:
    """The document number when the text is one and nothing else: (as printed, issuer prefix, year)."""
    text = trim(text)
    enclosed = _ENCLOSED.match(text)
    if enclosed:
        text = enclosed.group(1)
    match = _DOCNO.fullmatch(text)
    if not match:
        return None
    return no_space(match.group(0)), match.group(1), int(match.group(2))


def leading_docno(text: str) -> tuple[tuple[str, str, int], str] | None:
    """A document number printed before other text on one line ("冀政办字〔2015〕38号 河北省…的意见")."""
    head, _, rest = trim(text).partition(" ")
    found = docno(head)
    return (found, rest.strip()) if found and rest.strip() else None


def as_title(text: str, words: MetaWords) -> str | None:
    """The title, when the line is one: no sentence, no list item, ending with a title word."""
    printed = squeeze(trim(text))
    core = _TRAILING_NOTE.sub("", no_space(printed))
    if not words.title_min <= len(core) <= words.title_max or is_numbered(printed) or core.startswith("附件"):
        return None
    if any(mark in printed for mark in words.not_in_title) or is_chrome(printed, words):
        return None
    return printed if core.endswith(words.title_endings) else None


def title_year(title: str) -> int | None:
    """The year a title names ("2022年《政府工作报告》…", "婺城区2022年民生实事…")."""
    text = no_space(title)
    for pattern in _TITLE_YEAR:
        match = pattern.search(text)
        if match:
            return int(match.group(1))
    return None


def plan_year(text: str, words: MetaWords) -> tuple[int, str] | None:
    """The plan's year named in running text and the words around it ("2009年全市发展目标"), if any."""
    text = no_space(text)[: words.year_window]
    for match in _BODY_YEAR.finditer(text):
        before, after = text[max(0, match.start() - 4) : match.start()], text[match.end() : match.end() + 6]
        if any(word in before or word in after for word in words.plan_words):
            return int(match.group(1)), before + match.group(0) + after
    return None


def near_progress(text: str, end: int, words: MetaWords) -> bool:
    """True when a progress word ("推进情况", "完成情况" …) follows position `end` closely."""
    window = no_space(text[end : end + words.report_gap + 8])
    return any(window.find(word) != -1 and window.find(word) <= words.report_gap for word in words.progress_words)
