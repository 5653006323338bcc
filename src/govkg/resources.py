"""Where the project's data folders (lexicon, ontology, shapes, queries) are on this machine."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder `name` (e.g. "ontology", "data/lexicon"), from an installed wheel or the source tree."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"govkg resource folder {name!r} not found (looked beside {_PACKAGE})")


def lexicon_dir() -> Path:
    """The default lexicon folder (data/lexicon)."""
    return resource_dir("data/lexicon")
