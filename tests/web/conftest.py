"""`govkg serve` started as a real process on a free loopback port, for the web tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import govkg
from local_servers import serving

FIXTURES = Path(__file__).parent / "fixtures"
DEADLINE = 3



@pytest.fixture(scope="session")
def server(built):
    """The samples served; the origin URL (deadline 3 s, 2 workers)."""
    with serving(built, "--deadline", str(DEADLINE), "--max-body", "100000") as origin:
        yield origin


@pytest.fixture(scope="session")
def malicious_server(tmp_path_factory):
    """A store built from a document whose unit names are HTML, served."""
    out = tmp_path_factory.mktemp("malicious")
    govkg.build([FIXTURES / "malicious.txt"], out, issuer="钟楼区", year=2024)
    with serving(out) as origin:
        yield origin


@pytest.fixture(scope="session")
def tracking_server(tmp_path_factory):
    """The hand-written tracking dataset (tracking_fixture.trig) in an on-disk store, served."""
    import pyoxigraph

    folder = tmp_path_factory.mktemp("tracking")
    store = pyoxigraph.Store(str(folder / "store"))
    store.load(path=str(Path(__file__).with_name("tracking_fixture.trig")), format=pyoxigraph.RdfFormat.TRIG)
    store.flush()
    del store
    with serving(folder, "--base", "https://w3id.org/govkg/id/") as origin:
        yield origin
