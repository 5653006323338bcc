"""Progress status as printed (正常推进, 部分滞后, 办结, 是 …) → on_schedule, behind, done, not_started or unknown.

The words are in data/lexicon/status.toml, reviewed like code; this module only matches them (rules in that file).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from ..resources import lexicon_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

StatusKey = Literal["on_schedule", "behind", "done", "not_started", "unknown"]
STATUS_KEYS: tuple[StatusKey, ...] = ("on_schedule", "behind", "done", "not_started", "unknown")
#: What a yes / no answer in the status column (是否达到序时进度) stands for.
_ANSWERS: dict[str, StatusKey] = {"yes": "on_schedule", "no": "behind"}
_END_PUNCTUATION = "。.;；,，、!！"
_AFTER_WORD = re.compile(r"[，,；;。.:：、（(\[【！!]")


@dataclass(frozen=True)
class StatusWords:
    """Printed status words → status key, longest first (from data/lexicon/status.toml)."""

    words: tuple[tuple[str, StatusKey], ...]

    def exact(self, text: str) -> StatusKey | None:
        """The status a whole text is a word for, if any."""
        return next((key for word, key in self.words if word == text), None)

    def leading(self, text: str) -> StatusKey | None:
        """The status of a word the text starts with, followed by punctuation or a bracket, if any."""
        for word, key in self.words:
            if text.startswith(word) and _AFTER_WORD.match(text, len(word)):
                return key
        return None


@lru_cache(maxsize=4)
def load_status_words(folder: Path | None = None) -> StatusWords:
    """The status words of `folder`/status.toml (default: data/lexicon); raises ValueError on a word listed twice."""
    path = Path(folder or lexicon_dir()) / "status.toml"
    with path.open("rb") as handle:
        table = tomllib.load(handle)
    pairs: dict[str, StatusKey] = {}
    listed = [(key, word) for key, words in table.get("status", {}).items() for word in words]
    listed += [(_ANSWERS[answer], word) for answer, words in table.get("answers", {}).items() for word in words]
    for key, printed in listed:
        if key not in STATUS_KEYS[:-1]:
            raise ValueError(f"{path}: unknown status {key!r} (one of {', '.join(STATUS_KEYS[:-1])})")
        word = _clean(printed)
        if word in pairs:
            raise ValueError(f"{path}: {word!r} is listed twice")
        pairs[word] = key
    return StatusWords(tuple(sorted(pairs.items(), key=lambda pair: -len(pair[0]))))


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).rstrip(_END_PUNCTUATION)


def read_status(status: str | None, progress: str | None = None, words: StatusWords | None = None) -> StatusKey:
    """The normalised status of a printed status; without one, of a progress text that is only a status word."""
    words = words or load_status_words()
    if status and status.strip():
        text = _clean(status)
        return words.exact(text) or words.leading(text) or "unknown"
    if progress and progress.strip():
        return words.exact(_clean(progress)) or "unknown"
    return "unknown"
