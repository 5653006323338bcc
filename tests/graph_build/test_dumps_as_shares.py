"""Issue 14, part 4: `--dumps shares` keeps each graph file's share of the dumps and no whole dump, so that a
rebuild copies no file of the whole dataset's size; every reader of a dump (govkg dump, govkg validate, the
server's /dumps/, the store's full load) makes it from the shares, byte for byte what a build with whole dumps
writes."""

from __future__ import annotations

import gzip
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pyoxigraph as oxi
import pytest

import govkg
from govkg.dumps import DUMPS, available_dumps, dump_shares, write_dump
from govkg.validate_build import validate_path
from local_servers import start_server
from sample_docs import copy_samples, sample_path

DOCUMENTS = ("000", "002")


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """Two samples (with their sidecars) in a folder of their own."""
    return copy_samples(DOCUMENTS, tmp_path_factory.mktemp("shares-source"))


@pytest.fixture(scope="module")
def whole(source, tmp_path_factory) -> Path:
    """The two samples built with whole dumps (the default)."""
    out = tmp_path_factory.mktemp("whole") / "out"
    govkg.build([source], out)
    return out


def _built(source: Path, factory, mode: str, said: str) -> Path:
    """The samples built from scratch keeping their dumps as `mode` says; the build's summary says `said`."""
    out = factory.mktemp(mode) / "out"
    result = govkg.build([source], out, dumps=mode)
    assert result.dumps == said and result.store_update == "full"
    return out


@pytest.fixture(scope="module")
def lazy(source, tmp_path_factory) -> Path:
    """The two samples built with no dumps but the graph files (`--dumps lazy`)."""
    return _built(source, tmp_path_factory, "lazy", "made when read")


@pytest.fixture(scope="module")
def shares(source, tmp_path_factory) -> Path:
    """The two samples built with their dumps kept as shares."""
    return _built(source, tmp_path_factory, "shares", "shares written")


def _dump(build: Path, name: str) -> bytes:
    output = io.BytesIO()
    write_dump(build, name, output)
    return output.getvalue()


def _quads(build: Path) -> list[str]:
    return sorted(str(quad) for quad in oxi.Store.read_only(str(build / "store")))


def test_no_whole_dump_is_written_and_each_is_made_byte_for_byte_from_its_shares(whole, shares):
    assert not [name for name in DUMPS if (shares / name).exists()]
    assert available_dumps(shares) == list(DUMPS) == available_dumps(whole)
    for name in DUMPS:
        assert _dump(shares, name) == (whole / name).read_bytes(), name
    # the shares are the graph files (N-Quads) and the files beside them, in the order of the graphs' names
    nq = dump_shares(shares, "dataset.nq")
    assert nq is not None and all(path.suffix == ".nq" for path in nq)
    assert dump_shares(whole, "dataset.nq") is None  # a whole dump is read from its file


def test_the_store_loaded_from_the_shares_holds_the_whole_dataset(whole, shares):
    assert _quads(shares) == _quads(whole)
    assert govkg.query("q01", store=shares, unit="住建局") == govkg.query("q01", store=whole, unit="住建局")


def test_validate_reads_a_build_kept_as_shares(whole, shares):
    from_shares, from_whole = validate_path(shares), validate_path(whole)
    assert from_whole.findings  # the samples give warnings: there is something to compare
    assert from_shares.findings == from_whole.findings


#: The division code of the unchanged document's issuer (常州市钟楼区), which begins its graph files' names.
UNCHANGED_ISSUER = "320404"


def _unchanged_shares(build: Path) -> dict[str, int]:
    """The inode of each share of each dump that comes from the unchanged document's graph files."""
    return {str(path.relative_to(build)): path.stat().st_ino for name in DUMPS
            for path in dump_shares(build, name) or [] if path.parent.name == "graphs"
            and path.name.startswith(UNCHANGED_ISSUER + "_")}


def test_one_changed_document_rewrites_only_its_shares(source, shares, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    shutil.copytree(shares, out)
    changed = next(source.glob(f"{DOCUMENTS[1]}_*.txt"))
    before = _unchanged_shares(out)
    assert len(before) == 8  # the plan's graph and statistics files, each with its four shares
    original, stamp = changed.read_text(encoding="utf-8"), changed.stat().st_mtime_ns
    try:
        changed.write_text(original.replace("住建局", "住房城乡建设局", 1), encoding="utf-8")
        result = govkg.build([source], out, dumps="shares")
        govkg.build([source], fresh)
    finally:  # the time of extraction recorded is the file's: the other tests' builds stay comparable
        changed.write_text(original, encoding="utf-8")
        os.utime(changed, ns=(stamp, stamp))
    assert result.rebuilt == [changed.name] and result.store_update == "incremental"
    assert not [name for name in DUMPS if (out / name).exists()]
    for name in DUMPS:
        assert _dump(out, name) == (fresh / name).read_bytes(), name
    assert _quads(out) == _quads(fresh)
    assert govkg.query("q02", store=out, unit="住房城乡建设局")
    assert _unchanged_shares(out) == before  # the same files (hard links), not written again


def test_switching_modes_writes_or_drops_the_whole_files(source, tmp_path):
    out = tmp_path / "out"
    govkg.build([source], out, dumps="shares")
    made = {name: _dump(out, name) for name in DUMPS}
    to_whole = govkg.build([source], out)
    assert to_whole.dumps == "written" and to_whole.store_update != "full"
    for name in DUMPS:
        assert (out / name).read_bytes() == made[name], name
    to_shares = govkg.build([source], out, dumps="shares")
    assert to_shares.dumps == "unchanged"  # the shares are the previous build's; its whole files are left behind
    assert not [name for name in DUMPS if (out / name).exists()]
    again = govkg.build([source], out, dumps="shares")
    assert again.dumps == "unchanged" and again.store_update == "unchanged"


def test_an_unknown_mode_is_refused(source, tmp_path):
    with pytest.raises(govkg.InputError, match="--dumps: must be one of whole, shares, lazy, not 'zipped'"):
        govkg.build([source], tmp_path / "out", dumps="zipped")
    assert not (tmp_path / "out").exists()


def _cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "govkg", *args], capture_output=True, timeout=120, check=False)


def test_dump_command_writes_stdout_or_a_file_and_names_what_is_missing(shares, whole, tmp_path):
    printed = _cli("dump", str(shares), "dataset.nq")
    assert printed.returncode == 0 and printed.stdout == (whole / "dataset.nq").read_bytes()
    target = tmp_path / "all.trig"
    assert _cli("dump", str(shares), "dataset.trig", "--out", str(target)).returncode == 0
    assert target.read_bytes() == (whole / "dataset.trig").read_bytes()
    broken = tmp_path / "broken"
    shutil.copytree(shares, broken)
    missing = (dump_shares(broken, "dataset.ttl") or [])[3]
    missing.unlink()
    failed = _cli("dump", str(broken), "dataset.ttl", "--out", str(tmp_path / "all.ttl"))
    assert failed.returncode == 2 and missing.name in failed.stderr.decode()
    assert not (tmp_path / "all.ttl").exists()  # no half-written dump
    nowhere = _cli("dump", str(tmp_path / "nowhere"), "dataset.nq")
    assert nowhere.returncode == 2 and b"not a build folder" in nowhere.stderr


def test_dump_into_a_pipe_closed_early_ends_with_one_line(shares):
    """`govkg dump DIR dataset.nq | head -1`: the reader goes away; one line on stderr, no traceback."""
    process = subprocess.Popen([sys.executable, "-m", "govkg", "dump", str(shares), "dataset.nq"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.read(100)
    process.stdout.close()  # much more than a pipe's buffer is still to come
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 2
    assert stderr.decode().strip().splitlines() == ["govkg: error: -: cannot write the output: Broken pipe"]


@pytest.mark.parametrize("kept", ["shares", "lazy"])
def test_the_server_serves_the_dumps_made_when_read(kept, whole, request):
    origin, process = start_server(request.getfixturevalue(kept))
    try:
        listing = httpx.get(origin + "/dumps/", timeout=30).text
        assert all(f'href="/dumps/{name}.gz"' in listing for name in DUMPS)
        for name in ("dataset.nq", "dataset.jsonld", "dataset.ttl"):
            response = httpx.get(f"{origin}/dumps/{name}.gz", timeout=60)
            assert response.status_code == 200 and response.headers["content-type"] == "application/gzip"
            assert gzip.decompress(response.content) == (whole / name).read_bytes(), name
            assert response.content[8] == 0  # the header's XFL: gzip's default level, not Python's slowest (9)
            # the first request streamed it as it was made; the next is served the file it left
            assert "content-length" not in response.headers and name in response.headers["content-disposition"]
            again = httpx.get(f"{origin}/dumps/{name}.gz", timeout=60)
            assert again.content == response.content and int(again.headers["content-length"]) == len(again.content)
        assert not [path.name for path in (request.getfixturevalue(kept) / "dumps").iterdir()
                    if not path.name.endswith(".gz")]  # no writer's file left behind
    finally:
        process.terminate()
        process.wait(timeout=20)


def _shares_on_disk(build: Path) -> list[str]:
    """The files of the build folder that are shares of a dump (X.trig-part, X.ttl-part, X.jsonld-part)."""
    return sorted(str(path.relative_to(build)) for path in build.rglob("*-part"))


def test_lazy_keeps_only_the_graph_files_and_serialises_each_dump_when_read(whole, lazy):
    assert not _shares_on_disk(lazy) and not [name for name in DUMPS if (lazy / name).exists()]
    assert _shares_on_disk(whole)  # the default writes the shares it makes its dumps of: there was something to drop
    assert available_dumps(lazy) == list(DUMPS)
    for name in DUMPS:
        assert _dump(lazy, name) == (whole / name).read_bytes(), name
    nq = dump_shares(lazy, "dataset.nq")  # N-Quads is the graph files one after another; the others have no files
    assert nq is not None and all(path.suffix == ".nq" and path.is_file() for path in nq)
    assert dump_shares(lazy, "dataset.trig") is None
    assert _quads(lazy) == _quads(whole)
    assert validate_path(lazy).findings == validate_path(whole).findings


def test_lazy_rebuilds_one_changed_document_in_place(source, lazy, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    shutil.copytree(lazy, out, symlinks=True)
    changed = next(source.glob(f"{DOCUMENTS[1]}_*.txt"))
    original, stamp = changed.read_text(encoding="utf-8"), changed.stat().st_mtime_ns
    try:
        changed.write_text(original.replace("住建局", "住房城乡建设局", 1), encoding="utf-8")
        result = govkg.build([source], out, dumps="lazy")
        govkg.build([source], fresh)
    finally:
        changed.write_text(original, encoding="utf-8")
        os.utime(changed, ns=(stamp, stamp))
    assert result.rebuilt == [changed.name] and result.store_update == "incremental"
    assert result.dumps == "made when read"
    assert (out / "store").is_symlink()  # updated in place (a generation store), not rebuilt beside the folder
    assert not _shares_on_disk(out)
    for name in DUMPS:
        assert _dump(out, name) == (fresh / name).read_bytes(), name
    assert govkg.query("q02", store=out, unit="住房城乡建设局")


def test_switching_between_lazy_and_shares_makes_or_drops_the_shares(source, whole, tmp_path):
    out = tmp_path / "out"
    govkg.build([source], out, dumps="lazy")
    to_shares = govkg.build([source], out, dumps="shares")
    assert to_shares.dumps == "shares written"  # the lazy build had none to share
    assert len(_shares_on_disk(out)) == len(_shares_on_disk(whole))
    assert all(_dump(out, name) == (whole / name).read_bytes() for name in DUMPS)
    back = govkg.build([source], out, dumps="lazy")
    assert back.dumps == "unchanged" and not _shares_on_disk(out)
    assert all(_dump(out, name) == (whole / name).read_bytes() for name in DUMPS)
    again = govkg.build([source], out, dumps="lazy")
    assert again.dumps == "unchanged" and again.store_update == "unchanged"


def test_dump_of_a_lazy_build_names_a_missing_graph_file(lazy, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(lazy, broken, symlinks=True)
    missing = (dump_shares(broken, "dataset.nq") or [])[2]
    missing.unlink()
    failed = _cli("dump", str(broken), "dataset.jsonld", "--out", str(tmp_path / "all.jsonld"))
    assert failed.returncode == 2 and missing.name in failed.stderr.decode()
    assert not (tmp_path / "all.jsonld").exists()  # no half-written dump


def test_worker_processes_serialise_a_lazy_dump_to_the_same_bytes_and_name_a_missing_file(lazy, whole, tmp_path,
                                                                                          monkeypatch):
    import govkg.dumps

    monkeypatch.setattr(govkg.dumps, "_SERIALISED_IN_WORKERS", 2)  # the samples' few graph files, as at scale
    assert _dump(lazy, "dataset.trig") == (whole / "dataset.trig").read_bytes()
    broken = tmp_path / "broken"
    shutil.copytree(lazy, broken, symlinks=True)
    missing = (dump_shares(broken, "dataset.nq") or [])[-1]
    missing.unlink()
    with pytest.raises(govkg.dumps.MissingDumpError, match=missing.name):
        _dump(broken, "dataset.ttl")


def test_publish_reads_the_same_graph_files_of_a_lazy_build(lazy, shares):
    from govkg.publish import build_graphs

    def relative(build: Path) -> tuple[str, dict[str, list[str]]]:
        base, graphs = build_graphs(build)
        return base, {name: [str(path.relative_to(build)) for path in paths] for name, paths in graphs.items()}

    base, graphs = relative(lazy)
    assert (base, graphs) == relative(shares)
    assert any(len(paths) > 1 for paths in graphs.values())  # the lexicon graph from its issuers' shares


def test_a_gzipped_dump_stopped_early_leaves_no_file_and_a_whole_one_replaces_the_old(lazy, whole, tmp_path):
    from govkg.web.gzipped import gzip_pieces

    build = tmp_path / "build"
    shutil.copytree(lazy, build, symlinks=True, ignore=shutil.ignore_patterns("dumps"))  # none served yet
    target = build / "dumps" / "dataset.trig.gz"
    pieces = gzip_pieces(build, "dataset.trig", target)
    assert next(pieces)
    pieces.close()  # the client went away
    assert not (build / "dumps").exists() or not list((build / "dumps").iterdir())
    target.write_bytes(b"the previous build's")
    made = b"".join(gzip_pieces(build, "dataset.trig", target))
    assert gzip.decompress(made) == (whole / "dataset.trig").read_bytes() and target.read_bytes() == made
    assert [path.name for path in (build / "dumps").iterdir()] == [target.name]


def test_a_dump_that_cannot_be_made_is_an_error_page_not_a_cut_off_download(lazy, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(lazy, broken, symlinks=True, ignore=shutil.ignore_patterns("dumps"))  # none served yet
    missing = (dump_shares(broken, "dataset.nq") or [])[0]
    missing.unlink()
    origin, process = start_server(broken)
    try:
        response = httpx.get(f"{origin}/dumps/dataset.nq.gz", timeout=60)
        assert response.status_code == 500 and missing.name in response.text
        assert not list((broken / "dumps").iterdir())
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_gzipped_dump_stays_while_no_graph_file_changes_and_is_made_again_when_one_does(tmp_path):
    from govkg.dumps import dump_chunks

    folder = tmp_path / "docs"
    folder.mkdir()
    documents = copy_samples(("000", "004"), folder)
    build = tmp_path / "build"
    govkg.build([documents], build, dumps="lazy")
    gzipped = build / "dumps" / "dataset.nq.gz"
    origin, process = start_server(build)
    try:
        first = httpx.get(f"{origin}/dumps/dataset.nq.gz", timeout=60)
        assert first.status_code == 200 and "content-length" not in first.headers  # made now, streamed
        made = gzipped.stat()
        # a document touched: the manifest records its new status, no graph file changes
        document = folder / sample_path("000").name
        manifest = (build / "manifest.json").stat().st_mtime_ns
        os.utime(document, ns=(made.st_mtime_ns + 10**9, made.st_mtime_ns + 10**9))
        assert govkg.build([documents], build, dumps="lazy").dumps == "unchanged"
        assert (build / "manifest.json").stat().st_mtime_ns != manifest
        kept = httpx.get(f"{origin}/dumps/dataset.nq.gz", timeout=60)
        assert int(kept.headers["content-length"]) == len(kept.content)  # the file, as it was
        assert kept.content == first.content and gzipped.stat().st_ino == made.st_ino
        # a statement changed: that document's graph file is new, and so is the gzipped dump
        document.write_text(document.read_text(encoding="utf-8").replace("推进", "推动", 1), encoding="utf-8")
        assert govkg.build([documents], build, dumps="lazy").rebuilt == [document.name]
        remade = httpx.get(f"{origin}/dumps/dataset.nq.gz", timeout=60)
        assert "content-length" not in remade.headers
        now = gzip.decompress(remade.content)
        assert now == b"".join(dump_chunks(build, "dataset.nq")) != gzip.decompress(first.content)
        assert "推动".encode() in now
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_gzipped_file_is_dated_with_the_version_it_was_made_from(lazy, tmp_path):
    from govkg.dumps import dumps_changed_ns
    from govkg.web.gzipped import gzip_current, gzip_pieces

    build = tmp_path / "build"
    shutil.copytree(lazy, build, symlinks=True, ignore=shutil.ignore_patterns("dumps"))
    target = build / "dumps" / "dataset.ttl.gz"
    version = dumps_changed_ns(build, "dataset.ttl")
    assert version is not None and not gzip_current(target, version)
    b"".join(gzip_pieces(build, "dataset.ttl", target))
    assert target.stat().st_mtime_ns == version and gzip_current(target, version)
    assert not gzip_current(target, version + 1)  # a later build's version: made again
