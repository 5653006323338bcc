"""Issue 14, parts 4 and 5: a rebuild replaces only the changed documents' graphs in a copy of the previous store,
shares the dump files when the data did not change, and ends with exactly what a build from scratch gives."""

from __future__ import annotations

import gc
import json
import os
import shutil
from pathlib import Path

import pyoxigraph as oxi
import pytest

import govkg
from govkg.rdf.vocab import GW
from govkg.typecounts import TypeCounts
from sample_docs import copy_samples

DOCUMENTS = ("000", "002")
#: The division codes of their issuers (常州市钟楼区 and 常州市武进区), which name their shard files.
UNCHANGED_ISSUER, CHANGED_ISSUER = "320404", "320412"
#: Progress reports on 钟楼区's 2021 plan and its 2022 plan.
TRACKING = Path(__file__).resolve().parents[1] / "tracking" / "data"


def _shard_files(out: Path, code: str) -> list[Path]:
    """An issuer's share of the lexicon and links graphs."""
    return [out / "graphs" / "lexicon" / f"{code}.nq", out / "graphs" / "links" / f"{code}.nq"]


def _quads(build: Path) -> list[str]:
    store = oxi.Store.read_only(str(build / "store"))
    return sorted(str(quad) for quad in store)


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """Two samples (with their sidecars) in a folder of their own."""
    return copy_samples(DOCUMENTS, tmp_path_factory.mktemp("incremental-source"))


def test_unchanged_rebuild_shares_the_dumps_and_keeps_the_store(source, tmp_path):
    out = tmp_path / "out"
    govkg.build([source], out)
    before = {name: (out / name).stat().st_ino for name in ("dataset.trig", "dataset.ttl", "dataset.jsonld")}
    quads = _quads(out)
    first = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    store_files = {path: path.stat().st_mtime_ns for path in (out / "store").iterdir()}
    again = govkg.build([source], out)
    assert again.dumps == "unchanged" and again.store_update == "unchanged"
    assert {path: path.stat().st_mtime_ns for path in (out / "store").iterdir()} == store_files  # not written
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == first
    assert (again.tasks, again.triples, again.warnings) == (first["result"]["tasks"], len(quads),
                                                           first["result"]["warnings"])
    assert again.tasks > 0 and again.reused and not again.rebuilt
    assert {name: (out / name).stat().st_ino for name in before} == before  # the same files, not rewritten
    assert _quads(out) == quads


def _statistics_files(out: Path) -> dict[str, Path]:
    """Each document's statistics file (by document file name), from the manifest's graph files."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {record["file"]: out / record["graph_file"].replace(".nq", ".statistics.nq")
            for record in manifest["documents"].values()}


LOAD = """PREFIX gw: <https://w3id.org/govkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?led ?cooperated WHERE {
  GRAPH ?g { ?load gw:loadOf ?unit ; gw:tasksLed ?led ; gw:tasksCooperated ?cooperated }
  GRAPH ?lexicon { ?unit skos:prefLabel "%s"@zh }
}"""


def test_one_changed_document_replaces_its_graph_only(source, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    govkg.build([source], out)
    changed = next(source.glob(f"{DOCUMENTS[1]}_*.txt"))
    unchanged = next(source.glob(f"{DOCUMENTS[0]}_*.txt"))
    statistics_before = {name: (path.stat().st_ino, path.read_text(encoding="utf-8"))
                         for name, path in _statistics_files(out).items()}
    shards_before = {path: path.stat().st_ino for path in _shard_files(out, UNCHANGED_ISSUER)}
    original = changed.read_text(encoding="utf-8")
    assert "住建局" in original and "住房城乡建设局" not in original
    try:
        changed.write_text(original.replace("住建局", "住房城乡建设局", 1), encoding="utf-8")
        result = govkg.build([source], out)
        govkg.build([source], fresh)
    finally:
        changed.write_text(original, encoding="utf-8")
    assert result.store_update == "incremental" and result.dumps == "written"
    assert result.rebuilt == [changed.name]
    assert _quads(out) == _quads(fresh)
    for name in ("dataset.nq", "dataset.trig", "dataset.ttl", "dataset.jsonld"):  # made from shares of graph files
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
    # the report covers every document (the unchanged issuer's from its summaries file), as from scratch
    report = (out / "validation.txt").read_text(encoding="utf-8")
    assert report == (fresh / "validation.txt").read_text(encoding="utf-8")
    assert unchanged.name in report and report.splitlines()[-1] == f"0 violations, {result.warnings} warnings"
    rows = govkg.query("q01", store=out, unit="住房城乡建设局") + govkg.query("q02", store=out, unit="住房城乡建设局")
    assert rows  # the store answers with the new name
    # The statistics follow: the unchanged document's statistics file is the previous build's (the same inode),
    # the changed one's is new and counts the renamed unit, and the store answers from it.
    statistics = _statistics_files(out)
    assert statistics[unchanged.name].stat().st_ino == statistics_before[unchanged.name][0]
    assert statistics[changed.name].read_text(encoding="utf-8") != statistics_before[changed.name][1]
    assert "住房城乡建设局" in statistics[changed.name].read_text(encoding="utf-8")
    # The other issuer's lexicon and links are the previous build's files; the changed issuer's lexicon is remade.
    assert {path: path.stat().st_ino for path in _shard_files(out, UNCHANGED_ISSUER)} == shards_before
    lexicon, _ = _shard_files(out, CHANGED_ISSUER)
    assert "住房城乡建设局" in lexicon.read_text(encoding="utf-8")
    assert (out / "graphs" / "lexicon.nq").read_bytes() == (fresh / "graphs" / "lexicon.nq").read_bytes()
    store = oxi.Store.read_only(str(out / "store"))
    loads = list(store.query(LOAD % "住房城乡建设局"))
    assert len(loads) == 1 and int(loads[0]["led"].value) + int(loads[0]["cooperated"].value) >= 1


def test_the_weak_record_counts_follow_a_changed_document(tmp_path):
    """A document whose last task loses its lead unit: its plan's weak-record counts (Q17) change in the store
    updated in place, as a build from scratch counts them."""
    (tmp_path / "source").mkdir()
    source = copy_samples(("003",), tmp_path / "source")
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    govkg.build([source], out, dumps="shares")
    columns = ("tasks", "withoutLeadUnit", "roleUncertain", "inherited", "weak")
    # 003: 86 rows (row 24 holds two sub-items), every one printing its leaders and its lead units in cells of
    # its own
    assert [tuple(row[name] for name in columns) for row in govkg.query("q17", store=out)] == [(87, 0, 0, 0, 0)]
    document = next(source.glob("003_*.txt"))
    text = document.read_text(encoding="utf-8")
    head, cell, tail = text.rpartition("\t审计局\n")  # the lead unit cell of (86), the last row
    assert cell and "\t86 \n" in head[-300:]
    document.write_text(head + "\t\n" + tail, encoding="utf-8")
    result = govkg.build([source], out, dumps="shares")
    govkg.build([source], fresh, dumps="shares")
    assert result.store_update == "incremental" and result.rebuilt == [document.name]
    rows = govkg.query("q17", store=out)
    assert [tuple(row[name] for name in columns) for row in rows] == [(87, 1, 0, 0, 1)]
    assert rows == govkg.query("q17", store=fresh)
    assert [row["number"] for row in govkg.query("q09", store=out)] == ["86"]


def test_an_issuer_whose_documents_went_leaves_no_trace(source, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    kept = next(source.glob(f"{DOCUMENTS[0]}_*.txt"))
    govkg.build([source], out)
    assert all(path.is_file() for path in _shard_files(out, CHANGED_ISSUER))
    result = govkg.build([kept], out)
    govkg.build([kept], fresh)
    assert result.store_update == "incremental" and result.removed and not result.rebuilt
    assert not any(path.exists() for path in _shard_files(out, CHANGED_ISSUER))
    assert _quads(out) == _quads(fresh)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["issuers"]) == {UNCHANGED_ISSUER}


def _small_store(path: Path) -> None:
    store = oxi.Store(str(path))
    store.load((b"<urn:a> <urn:p> \"1\" <urn:g1> .\n<urn:b> <urn:p> \"2\" <urn:g1> .\n"
                b"<urn:c> <urn:p> \"3\" <urn:g2> .\n<urn:d> <urn:p> \"4\" <urn:g2> .\n"),
               format=oxi.RdfFormat.N_QUADS)
    store.flush()
    del store


def test_the_store_update_is_checked_by_its_changes_not_the_stores_size(tmp_path):
    """A rebuild's store update is kept only when the replaced graphs hold exactly their new quads, no removed line
    is left and every added one is there; otherwise nothing is left at the new place (the build then loads the
    store in full). A line both removed and added (moved between two issuers' shares) stays."""
    from govkg.build import _updated_store

    _small_store(tmp_path / "old")
    kept = _updated_store(tmp_path / "old", tmp_path / "new", {"urn:g1": 1},
                          removed=['<urn:c> <urn:p> "3" <urn:g2> .', '<urn:d> <urn:p> "4" <urn:g2> .'],
                          added=['<urn:e> <urn:p> "5" <urn:g1> .', '<urn:d> <urn:p> "4" <urn:g2> .'])
    assert kept is not None
    assert sorted(str(quad) for quad in kept[0]) == [
        '<urn:d> <urn:p> "4" <urn:g2>', '<urn:e> <urn:p> "5" <urn:g1>']
    del kept
    wrong = _updated_store(tmp_path / "old", tmp_path / "wrong", {"urn:g1": 2}, removed=[],
                           added=['<urn:e> <urn:p> "5" <urn:g1> .'])
    assert wrong is None and not (tmp_path / "wrong").exists()
    assert len(oxi.Store.read_only(str(tmp_path / "old"))) == 4  # the previous store is untouched


COUNTS = ("tasks", "units", "groups", "people", "triples")


def _counts(result) -> tuple[int, ...]:
    return tuple(getattr(result, name) for name in COUNTS)


def _type_counts(build: Path) -> tuple[TypeCounts | None, TypeCounts]:
    """The type counts a build's manifest records, and those its store holds, counted there."""
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    store = oxi.Store.read_only(str(build / manifest["store"]))
    counted = TypeCounts(
        {row["c"].value: int(row["n"].value) for row in store.query(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?c")},
        int(next(iter(store.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }")))["n"].value))
    return TypeCounts.from_record(manifest.get("typed")), counted


def test_an_updated_stores_counts_are_a_fresh_builds(tmp_path):
    """The summary's counts after a store update (the previous counts and the difference the changed resources
    make) are those a build from scratch counts in its store: a unit renamed, a document removed, one added. So are
    the type counts the manifest records for VoID (every class, and the typed resources in all)."""
    (tmp_path / "source").mkdir()
    source = copy_samples(DOCUMENTS, tmp_path / "source")
    out = tmp_path / "out"
    first = govkg.build([source], out, dumps="shares")
    typed = [_type_counts(out)]
    changed = next(source.glob(f"{DOCUMENTS[1]}_*.txt"))
    changed.write_text(changed.read_text(encoding="utf-8").replace("住建局", "住房城乡建设局", 1), encoding="utf-8")
    renamed = govkg.build([source], out, dumps="shares")
    typed.append(_type_counts(out))
    alone = tmp_path / "alone"
    alone.mkdir()
    for path in source.glob(f"{DOCUMENTS[0]}_*"):
        path.rename(alone / path.name)
    fewer = govkg.build([source], out, dumps="shares")
    typed.append(_type_counts(out))
    for path in alone.iterdir():
        path.rename(source / path.name)
    more = govkg.build([source], out, dumps="shares")
    typed.append(_type_counts(out))
    assert [r.store_update for r in (renamed, fewer, more)] == ["incremental"] * 3
    for recorded, counted in typed:
        assert recorded == counted
    units, entities = str(GW.Unit), [counted.entities for _, counted in typed]
    assert [counted.classes[units] for _, counted in typed] == [first.units, first.units + 1, fewer.units, more.units]
    assert entities[0] < entities[1] == entities[3] and entities[2] < entities[1]  # the same documents at 1 and 3
    assert fewer.tasks < renamed.tasks and fewer.units < renamed.units  # one issuer's units and tasks went
    assert renamed.units == first.units + 1  # 住房城乡建设局 is new; 住建局 stays (the first document has it)
    for step, result in (("renamed", renamed), ("fewer", fewer), ("more", more)):
        fresh = govkg.build([source] if step != "fewer" else [changed], tmp_path / f"fresh-{step}", dumps="shares")
        assert _counts(result) == _counts(fresh), step


def test_the_manifest_counts_the_issuers_warnings_and_a_rebuild_counts_them_again(tmp_path):
    """An issuer's lexicon and links warnings are counted in the manifest (violations listed), not listed: the
    summary's warnings of a rebuild that keeps the issuer's shard are a fresh build's. 钟楼区's 2021 plan, its two
    progress reports and its 2022 plan (tests/tracking/data) give one ambiguous match, a warning of its links."""
    source = tmp_path / "source"
    source.mkdir()
    for path in TRACKING.glob("*.txt"):
        shutil.copy(path, source)
    copy_samples(DOCUMENTS, source)
    out = tmp_path / "out"
    first = govkg.build([source], out, dumps="shares")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    records = manifest["issuers"]
    assert all(set(record) >= {"warnings", "violations"} and "findings" not in record for record in records.values())
    assert records[UNCHANGED_ISSUER]["warnings"] == 1 and len(first.ambiguous) == 1
    documents = sum(record["findings"]["warnings"] for record in manifest["documents"].values())
    assert documents + sum(record["warnings"] for record in records.values()) == first.warnings
    changed = next(source.glob(f"{DOCUMENTS[1]}_*.txt"))  # of the other issuer: 钟楼区's shard is kept
    changed.write_text(changed.read_text(encoding="utf-8").replace("住建局", "住房城乡建设局", 1), encoding="utf-8")
    rebuilt = govkg.build([source], out, dumps="shares")
    assert rebuilt.rebuilt == [changed.name]
    fresh = govkg.build([source], tmp_path / "fresh", dumps="shares")
    assert (rebuilt.warnings, rebuilt.violations, rebuilt.ambiguous) == (fresh.warnings, fresh.violations,
                                                                         fresh.ambiguous)


def test_a_build_hands_back_what_it_set_aside_from_the_garbage_collector(source, tmp_path):
    """A build exempts what it holds from the cyclic garbage collector while it runs, and hands it back; a caller
    that set its own state aside (a watching process) keeps it set aside."""
    assert gc.get_freeze_count() == 0
    govkg.build([source], tmp_path / "out")
    assert gc.get_freeze_count() == 0
    held = [[object()] for _ in range(1000)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen >= len(held)
        govkg.build([source], tmp_path / "out")
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_graph_changed_by_lines_is_checked_by_its_size_and_not_emptied(tmp_path):
    from govkg.build import _updated_store

    _small_store(tmp_path / "old")
    kept = _updated_store(tmp_path / "old", tmp_path / "new", {}, removed=['<urn:c> <urn:p> "3" <urn:g2> .'],
                          added=['<urn:e> <urn:p> "5" <urn:g2> .'], sized={"urn:g2": 2})
    assert kept is not None
    assert sorted(str(quad) for quad in kept[0]) == [
        '<urn:a> <urn:p> "1" <urn:g1>', '<urn:b> <urn:p> "2" <urn:g1>', '<urn:d> <urn:p> "4" <urn:g2>',
        '<urn:e> <urn:p> "5" <urn:g2>']
    del kept
    # the graph would hold 2 quads, not 3: not what was asked, nothing left at the new place
    wrong = _updated_store(tmp_path / "old", tmp_path / "wrong", {}, removed=['<urn:c> <urn:p> "3" <urn:g2> .'],
                           added=['<urn:e> <urn:p> "5" <urn:g2> .'], sized={"urn:g2": 3})
    assert wrong is None and not (tmp_path / "wrong").exists()


@pytest.mark.parametrize("dumps", ["whole", "lazy"])
def test_a_statement_changed_updates_the_store_by_the_quads_that_differ(source, tmp_path, monkeypatch, dumps):
    import importlib

    build_module = importlib.import_module("govkg.build")  # the module (govkg.build is also the function)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the extraction's time is then the file's
    (tmp_path / "docs").mkdir()
    folder = copy_samples(DOCUMENTS, tmp_path / "docs")
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    govkg.build([folder], out, dumps=dumps)
    changed = next(folder.glob(f"{DOCUMENTS[1]}_*.txt"))
    graph = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]
    record_key, record = next((key, r) for key, r in graph.items() if r["file"] == changed.name)
    before = (out / record["graph_file"]).read_text(encoding="utf-8").splitlines()
    graph_lines = len(before)
    calls = []
    real = build_module._updated_store

    def spy(old, new, replaced, **kwargs):
        calls.append((dict(replaced), kwargs))
        return real(old, new, replaced, **kwargs)

    monkeypatch.setattr(build_module, "_updated_store", spy)
    text = changed.read_text(encoding="utf-8")
    assert text.count("推进") >= 1
    was = changed.stat().st_mtime_ns
    changed.write_text(text.replace("推进", "推动", 1), encoding="utf-8")
    # the extraction's time is the file's, in whole seconds: written in the same second, the edit would not move it
    os.utime(changed, ns=(was + 5 * 10**9, was + 5 * 10**9))
    result = govkg.build([folder], out, dumps=dumps)
    govkg.build([folder], fresh, dumps=dumps)
    assert result.store_update == "incremental" and result.rebuilt == [changed.name]
    [(replaced, kwargs)] = calls
    # the document's graph changed by its lines, not emptied and loaded whole
    assert record["graph"] not in replaced and record["graph"] in kwargs["sized"]
    assert graph_lines > 1000 and 0 < len(kwargs["added"]) < graph_lines / 2
    assert 0 < len(kwargs["removed"]) < graph_lines / 2
    # and those lines are the changed word's and the source's hash and extraction time: the provenance keeps its
    # IRIs across versions of the file (before, every quad naming the source's hash changed: a third of the graph)
    after_record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"][record_key]
    differing = set(before) ^ set((out / after_record["graph_file"]).read_text(encoding="utf-8").splitlines())
    kinds = {"word" if "推动" in line or "推进" in line else line.split()[1] for line in differing}
    assert kinds == {"word", f"<{GW}sha256>", "<http://www.w3.org/ns/prov#endedAtTime>"}, kinds
    assert len(differing) < 50
    assert any("推动" in line for line in kwargs["added"]) and any("推进" in line for line in kwargs["removed"])
    assert _quads(out) == _quads(fresh)


def test_a_changed_unit_updates_its_plans_statistics_by_the_lines_that_differ(source, tmp_path, monkeypatch):
    import importlib

    build_module = importlib.import_module("govkg.build")
    (tmp_path / "docs").mkdir()
    folder = copy_samples(DOCUMENTS, tmp_path / "docs")
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    govkg.build([folder], out, dumps="lazy")
    changed = next(folder.glob(f"{DOCUMENTS[1]}_*.txt"))
    documents = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]
    record = next(r for r in documents.values() if r["file"] == changed.name)
    calls, looked_up = [], []
    real_update, real_recorded = build_module._updated_store, build_module._recorded_files

    def spy(old, new, replaced, **kwargs):
        calls.append((dict(replaced), kwargs))
        return real_update(old, new, replaced, **kwargs)

    def spy_recorded(records):
        records = list(records)
        looked_up.append(len(records))
        return real_recorded(records)

    monkeypatch.setattr(build_module, "_updated_store", spy)
    monkeypatch.setattr(build_module, "_recorded_files", spy_recorded)
    text = changed.read_text(encoding="utf-8")
    # 002's third statement (亩均工业用地产出…) names 经信局 and 财政局 as its lead units: 财政局 becomes 商务局
    edited = text.replace("\t经信局\n\n财政局\n", "\t经信局\n\n商务局\n", 1)
    assert edited != text
    changed.write_text(edited, encoding="utf-8")
    result = govkg.build([folder], out, dumps="lazy")
    govkg.build([folder], fresh, dumps="lazy")
    assert result.store_update == "incremental" and result.rebuilt == [changed.name]
    [(replaced, kwargs)] = calls
    # the plan's statistics changed by their lines too, their previous file found in the document's own record
    assert record["statistics_graph"] not in replaced and record["statistics_graph"] in kwargs["sized"]
    assert looked_up == [1]  # not every document's record

    def names_pair(line: str, first: str, second: str) -> bool:  # a pair's IRI names its units in either order
        return f"/statistics/pair/{first}/{second}>" in line or f"/statistics/pair/{second}/{first}>" in line

    assert any(names_pair(line, "经信局", "商务局") for line in kwargs["added"])
    assert any(names_pair(line, "经信局", "财政局") for line in kwargs["removed"])
    assert _quads(out) == _quads(fresh)


def test_a_rebuilds_graph_files_and_their_lines_are_those_of_a_listing_from_scratch(tmp_path, monkeypatch):
    import importlib

    from govkg.rdf import Minter
    from govkg.shards import Shard

    build_module = importlib.import_module("govkg.build")
    real_graph_files = build_module._graph_files
    listed: list[int] = []
    monkeypatch.setattr(build_module, "_graph_files", lambda *args: listed.append(1) or real_graph_files(*args))
    (tmp_path / "docs").mkdir()
    folder = copy_samples(DOCUMENTS, tmp_path / "docs")
    out = tmp_path / "out"

    def check() -> None:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        shards = {gov: Shard.from_record(gov, record) for gov, record in manifest["issuers"].items()}
        named = real_graph_files(Minter(manifest["base"]), shards, manifest["documents"])
        assert manifest["parts"] == [part for graph in sorted(named) for part in named[graph]]
        assert manifest["lines"] == {part: len((out / part).read_bytes().splitlines()) for part in manifest["parts"]}

    govkg.build([folder], out, dumps="lazy")
    check()
    assert listed == [1]
    changed = next(folder.glob(f"{DOCUMENTS[1]}_*.txt"))
    text = changed.read_text(encoding="utf-8")
    # a statement's word (its graph's file renamed), then a unit (its statistics and its issuer's shard too)
    for edited in (text.replace("推进", "推动", 1), text.replace("\t经信局\n\n财政局\n", "\t经信局\n\n商务局\n", 1)):
        assert edited != changed.read_text(encoding="utf-8")
        changed.write_text(edited, encoding="utf-8")
        os.utime(changed, ns=(changed.stat().st_mtime_ns + 5 * 10**9,) * 2)
        assert govkg.build([folder], out, dumps="lazy").rebuilt == [changed.name]
        check()
        assert listed == [1]  # the previous build's list, its changed files renamed
    other = next(folder.glob(f"{DOCUMENTS[0]}_*.txt"))
    other.rename(tmp_path / other.name)  # a document gone: listed again
    govkg.build([folder], out, dumps="lazy")
    check()
    assert listed == [1, 1]
