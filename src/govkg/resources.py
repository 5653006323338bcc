"""Where the project's data folders (lexicon, ontology, shapes, queries) are on this machine."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

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


def lexicon_table(name: str, folder: Path | None = None) -> dict[str, Any]:
    """The TOML file `name` of a lexicon folder (default data/lexicon); a folder without it falls back to the
    default lexicon's file."""
    path = Path(folder or lexicon_dir()) / name
    if not path.is_file():
        path = lexicon_dir() / name
    with path.open("rb") as handle:
        return tomllib.load(handle)
