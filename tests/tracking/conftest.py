"""The tracking data set built once per session: the 2021 plan of 钟楼区 (sample 000), two progress reports on it
and the 2022 plan (tests/tracking/data), with the rename expected.toml declares added to a copy of the lexicon."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import tomllib

import govkg
from govkg.build import BuildResult
from govkg.lexicon import Lexicon, load_lexicon

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
PLAN_2021 = "000_8726cfd2ff1c199e"


def expected() -> dict[str, Any]:
    """The hand-checked answers (tests/tracking/data/expected.toml)."""
    return tomllib.loads((DATA / "expected.toml").read_text(encoding="utf-8"))


def tracking_lexicon(folder: Path) -> Lexicon:
    """A copy of data/lexicon in `folder` with the test's rename added."""
    shutil.copytree(ROOT / "data" / "lexicon", folder)
    rename = expected()["lexicon"]["rename"]
    old = ", ".join(f'"{name}"' for name in rename["from"])
    issuers = ", ".join(f'"{code}"' for code in rename["issuers"])
    with (folder / "renames.toml").open("a", encoding="utf-8") as stream:
        stream.write(f'\n[[rename]]\nfrom = [{old}]\nto = "{rename["to"]}"\nyear = {rename["year"]}\n'
                     f"issuers = [{issuers}]\n")
    return load_lexicon(folder)


def tracking_documents(folder: Path) -> Path:
    """The four documents in one folder."""
    folder.mkdir()
    for path in DATA.glob("*.txt"):
        shutil.copy(path, folder)
    for path in (ROOT / "data" / "samples").glob(f"{PLAN_2021}*"):
        shutil.copy(path, folder)
    return folder


@pytest.fixture(scope="session")
def gold() -> dict[str, Any]:
    """The hand-checked answers of the tracking data set."""
    return expected()


@pytest.fixture(scope="session")
def tracking(tmp_path_factory) -> tuple[Path, BuildResult]:
    """The tracking data set built: (build folder, build result)."""
    base = tmp_path_factory.mktemp("tracking")
    lex = tracking_lexicon(base / "lexicon")
    result = govkg.build([tracking_documents(base / "docs")], base / "out", lex=lex)
    return base / "out", result
