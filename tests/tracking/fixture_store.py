"""The hand-written data set tests/tracking/fixture.trig in an Oxigraph store, queried as a build's store is (the
union of the named graphs as default graph), in memory or written to a folder for the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph
import tomllib
from rdflib import URIRef

from govkg.model import TaskProfile
from govkg.query import EmbeddedStore
from govkg.rdf import Minter
from govkg.rdf.statistics import plan_statistics

FIXTURE = Path(__file__).with_name("fixture.trig")
EXPECTED = Path(__file__).with_name("data") / "expected.toml"
ID = "https://w3id.org/govkg/id/"
ZHONGLOU = "常州市钟楼区"
PLAN21, PLAN22 = ID + "plan/320404/2021", ID + "plan/320404/2022"
JUNE, DECEMBER = ID + "plan/320404/2021-report-2021-06-30", ID + "plan/320404/2021-report-2021-12-31"


#: Each task of the fixture with its plan, issuer, number and units, and whether it restates a plan task.
_TASKS = """PREFIX gw: <https://w3id.org/govkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?task ?plan ?gov ?number ?role ?name ?restates WHERE {
  ?task gw:inPlan ?plan . ?plan gw:issuer ?gov .
  OPTIONAL { ?task gw:taskNumber ?number }
  OPTIONAL { ?task ?role ?unit . VALUES ?role { gw:leadUnit gw:cooperatingUnit } ?unit a gw:Unit ;
             skos:prefLabel ?name }
  BIND(EXISTS { ?task gw:reportsOn ?planned } AS ?restates)
}"""


def _load(store: pyoxigraph.Store) -> None:
    """The fixture, with the statistics graphs a build would write for it (govkg.rdf.statistics)."""
    store.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    tasks: dict[str, dict[str, Any]] = {}
    for row in store.query(_TASKS, use_default_graph_as_union=True):
        task = tasks.setdefault(row["task"].value, {
            "plan": row["plan"].value, "gov": row["gov"].value.rsplit("/", 1)[1], "lead": [], "coop": [],
            "number": row["number"] and row["number"].value, "restates": row["restates"].value})
        if row["role"] is not None:
            task["lead" if row["role"].value.endswith("leadUnit") else "coop"].append(row["name"].value)
    profiles = [TaskProfile(ref=ref, document=t["plan"], issuer=t["gov"], year=None, report=None, table="main",
                            number=t["number"], statement="", goal=None, lead_units=tuple(sorted(t["lead"])),
                            coop_units=tuple(sorted(t["coop"]))) for ref, t in tasks.items()]
    restated = {ref for ref, t in tasks.items() if t["restates"] == "true"}
    plans = {t["plan"]: URIRef(ID + "graph/" + t["plan"].removeprefix(ID)) for t in tasks.values()}
    lines = plan_statistics(profiles, restated, Minter(ID), plans)
    store.load("".join(line + "\n" for plan in lines.values() for line in plan).encode("utf-8"),
               format=pyoxigraph.RdfFormat.N_QUADS)


class FixtureStore(EmbeddedStore):
    """The fixture in an in-memory store, behind the named queries' backend interface."""

    def __init__(self) -> None:
        self.location = Path(":memory:")
        self.store = pyoxigraph.Store()
        _load(self.store)


def write_store(folder: Path) -> Path:
    """The fixture loaded into an on-disk store in `folder` (for --store); the folder."""
    store = pyoxigraph.Store(str(folder))
    _load(store)
    store.flush()
    del store
    return folder


def expected() -> dict[str, Any]:
    """The hand-checked answers on the real tracking data set (tests/tracking/data/expected.toml)."""
    return tomllib.loads(EXPECTED.read_text(encoding="utf-8"))
