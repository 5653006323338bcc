"""`govkg serve` follows its build folder: a rebuild (in place or switched in) is served without a restart, and
the store the server reads is never removed under it (govkg.store.hold_store); a build it cannot open is not
served."""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

import httpx
import pyoxigraph as oxi
import pytest

import govkg
from govkg import inplace
from govkg.store import hold_store, release_store
from local_servers import described_graph_sizes, start_server, stored_graph_sizes
from sample_docs import copy_samples

DOCUMENTS = ("000", "002")
OLD_NAME, NEW_NAME = "住建局", "住房城乡建设局"
#: How many units have a label — the query every test asks of the server or of a store.
LABELLED = """SELECT (COUNT(DISTINCT ?unit) AS ?n) WHERE {{
  ?unit a <https://w3id.org/govkg/ontology#Unit> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label .
  FILTER(STR(?label) = "{name}") }}"""


@pytest.fixture
def source(tmp_path) -> Path:
    folder = tmp_path / "source"
    folder.mkdir()
    return copy_samples(DOCUMENTS, folder)


def _rename_unit(source: Path, old: str = OLD_NAME, new: str = NEW_NAME) -> None:
    """Rename the first 住建局 (`old`) of the second document (written by hand into a copy of the sample)."""
    document = next(source.glob(f"{DOCUMENTS[1]}_*.txt"))
    text = document.read_text(encoding="utf-8")
    assert old in text and new not in text
    document.write_text(text.replace(old, new, 1), encoding="utf-8")


def _served(origin: str, name: str) -> int:
    response = httpx.get(origin + "/sparql", params={"query": LABELLED.format(name=name)},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30)
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def _stored(store: Path, name: str) -> int:
    answer = oxi.Store.read_only(str(store)).query(LABELLED.format(name=name), use_default_graph_as_union=True)
    return int(next(iter(answer))["n"].value)


def _until(check, seconds: float = 60) -> None:
    """Wait until `check()` is true (the server looks for a new build every 0.2 s in these tests)."""
    end = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < end, "the server did not switch to the new build"
        time.sleep(0.1)


@pytest.mark.parametrize("dumps", ["shares", "whole"])
def test_the_server_answers_from_a_rebuild_without_a_restart(source, tmp_path, dumps):
    out = tmp_path / "out"
    govkg.build([source], out, dumps=dumps)
    origin, process = start_server(out, "--follow", "0.2")
    try:
        before = described_graph_sizes(origin)
        assert before == stored_graph_sizes(out / "store")
        assert _served(origin, NEW_NAME) == 0
        assert NEW_NAME not in _completed(origin)  # the completion index read now, from the first build
        assert f">{NEW_NAME}</a>" not in _searched(origin)
        _rename_unit(source)
        result = govkg.build([source], out, dumps=dumps)
        assert len(result.rebuilt) == 1 and (out / "store").is_symlink() == (dumps == "shares")
        _until(lambda: _served(origin, NEW_NAME) == 1)
        assert NEW_NAME in _completed(origin)  # read again from the new build
        assert f">{NEW_NAME}</a>" in _searched(origin)  # search reads the same names index
        # the graphs' sizes the server took from the new manifest are the new store's, graph by graph
        assert described_graph_sizes(origin) == stored_graph_sizes(out / "store") != before
        answers = [httpx.get(f"{origin}/api/{name}", params={"unit": NEW_NAME}, timeout=30) for name in ("q01", "q02")]
        assert all(answer.status_code == 200 for answer in answers) and any(a.json()["rows"] for a in answers)
        # the store the server read before is gone once it let it go and a build ran
        stale = [out / name for name in _stores(out) if name != _manifest_store(out)]
        _until(lambda: not any(_held(path) for path in stale))
        govkg.build([source], out, dumps=dumps)
        assert _stores(out) == [_manifest_store(out)]
        assert _served(origin, NEW_NAME) == 1 and process.poll() is None
    finally:
        process.terminate()
        process.wait(timeout=20)


def _searched(origin: str) -> str:
    return httpx.get(origin + "/search", params={"q": NEW_NAME[:3]}, timeout=30).text


def _completed(origin: str) -> list[str]:
    found = httpx.get(origin + "/api/names", params={"kind": "unit", "prefix": NEW_NAME[:2]}, timeout=30).json()
    return [name["label"] for name in found]


def _held(path: Path) -> bool:
    """Whether a reader holds the store folder (a build could not remove it)."""
    try:
        release_store(hold_store(path))
    except FileNotFoundError:
        return False
    handle = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)
    return False


def _stores(out: Path) -> list[str]:
    """The store folders in the build folder."""
    return sorted(path.name for path in out.iterdir() if path.name.startswith((".store@", "store"))
                  and path.is_dir() and not path.is_symlink())


def _manifest_store(out: Path) -> str:
    store = json.loads((out / "manifest.json").read_text(encoding="utf-8")).get("store", "store")
    return (out / store).resolve().name


def test_a_store_a_reader_holds_outlives_the_update_that_replaced_it(source, tmp_path):
    out = tmp_path / "out"
    govkg.build([source], out, dumps="shares")
    _rename_unit(source)
    govkg.build([source], out, dumps="shares")  # now updated in place: store → .store@1
    first = (out / "store").resolve()
    held = hold_store(first)
    try:
        _rename_unit(source, NEW_NAME, "住建委")
        govkg.build([source], out, dumps="shares")
        assert (out / "store").resolve() != first
        assert first.is_dir() and _stored(first, NEW_NAME) == 1  # the reader's build, whole and readable
        govkg.build([source], out, dumps="shares")  # nothing changed; the store is still held
        assert first.is_dir()
    finally:
        release_store(held)
    govkg.build([source], out, dumps="shares")  # nothing changed, but the store is free now
    assert not first.exists()
    assert _stores(out) == [_manifest_store(out)] and not (out / inplace.JOURNAL).exists()
    assert _stored(out / "store", "住建委") == 1


def test_a_held_store_of_a_folder_built_beside_is_moved_into_the_new_folder(source, tmp_path):
    out = tmp_path / "out"
    govkg.build([source], out)  # whole dumps: every build is made beside and switched in
    held = hold_store(out / "store")
    try:
        _rename_unit(source)
        govkg.build([source], out)
        kept = [path for path in out.glob(".store@held-*")]
        assert len(kept) == 1 and _stored(kept[0], OLD_NAME) >= 1 and _stored(kept[0], NEW_NAME) == 0
        assert _stored(out / "store", NEW_NAME) == 1
    finally:
        release_store(held)
    govkg.build([source], out)
    assert not list(out.glob(".store@*"))


def test_a_store_being_removed_cannot_be_held(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    handle = os.open(folder, os.O_RDONLY)
    fcntl.flock(handle, fcntl.LOCK_EX)  # as a build holds it while removing it
    try:
        with pytest.raises(BlockingIOError):
            hold_store(folder)
    finally:
        os.close(handle)
    release_store(hold_store(folder))
    with pytest.raises(FileNotFoundError):
        hold_store(tmp_path / "gone")


def test_a_build_that_cannot_be_opened_leaves_the_previous_one_served(source, tmp_path):
    out = tmp_path / "out"
    govkg.build([source], out, dumps="shares")
    origin, process = start_server(out, "--follow", "0.2")
    try:
        before = _served(origin, OLD_NAME)
        assert before >= 1
        (out / "manifest.json").write_text("{ not a manifest", encoding="utf-8")
        time.sleep(1.5)  # several looks
        assert _served(origin, OLD_NAME) == before
    finally:
        process.terminate()
        process.wait(timeout=20)
    errors = process.stderr.read().decode("utf-8")
    assert "a new build could not be opened; still serving the previous one" in errors
    assert "manifest.json is not a build's manifest" in errors
    assert errors.count("could not be opened") == 1  # said once, not at every look
