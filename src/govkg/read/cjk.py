"""CJK compatibility characters read as the ideographs they stand for (text converted from PDF: ⼈⺠ → 人民).

Kangxi radicals (U+2F00–U+2FDF), CJK compatibility ideographs and their supplement are mapped by Unicode's
compatibility normalisation (NFKC); the radicals of the CJK Radicals Supplement (U+2E80–U+2EFF) that are
characters of their own by data/lexicon/radicals.toml, reviewed like code; component forms are kept.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..resources import lexicon_table

_COMPAT = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


@lru_cache(maxsize=1)
def _radicals() -> dict[str, str]:
    return dict(lexicon_table("radicals.toml")["radicals"])


def _ideograph(found: re.Match[str]) -> str:
    char = found.group()
    return _radicals().get(char) or unicodedata.normalize("NFKC", char)


def normalise_cjk(text: str) -> str:
    """The text with CJK radicals and compatibility ideographs replaced by the ideographs they stand for."""
    return _COMPAT.sub(_ideograph, text)
