"""The hand-written data set tests/tracking/fixture.trig in an Oxigraph store, queried as a build's store is (the
union of the named graphs as default graph), in memory or written to a folder for the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph
import tomllib

from govkg.query import EmbeddedStore

FIXTURE = Path(__file__).with_name("fixture.trig")
EXPECTED = Path(__file__).with_name("data") / "expected.toml"
ID = "https://w3id.org/govkg/id/"
ZHONGLOU = "常州市钟楼区"
PLAN21, PLAN22 = ID + "plan/320404/2021", ID + "plan/320404/2022"
JUNE, DECEMBER = ID + "plan/320404/2021-report-2021-06-30", ID + "plan/320404/2021-report-2021-12-31"


class FixtureStore(EmbeddedStore):
    """The fixture in an in-memory store, behind the named queries' backend interface."""

    def __init__(self) -> None:
        self.location = Path(":memory:")
        self.store = pyoxigraph.Store()
        self.store.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)


def write_store(folder: Path) -> Path:
    """The fixture loaded into an on-disk store in `folder` (for --store); the folder."""
    store = pyoxigraph.Store(str(folder))
    store.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    store.flush()
    del store
    return folder


def expected() -> dict[str, Any]:
    """The hand-checked answers on the real tracking data set (tests/tracking/data/expected.toml)."""
    return tomllib.loads(EXPECTED.read_text(encoding="utf-8"))
