"""`govkg validate DIR` on a build folder: graph file by graph file, issuer by issuer, with the findings of the whole
dataset read at once, and a clear error for a graph file that is missing or not N-Quads."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import astuple
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Literal, URIRef

from govkg.cli import main
from govkg.executors import Runner
from govkg.rdf.serialize import nquads_file_triples
from govkg.validate_build import build_issuers, check_build, validate_path

#: The first task of 常州市钟楼区's 2021 plan (sample 000) and its graph file in the build folder.
TASK = "<https://w3id.org/govkg/id/plan/320404/2021/main/1>"
GRAPH_FILE = "graphs/320404_2021.nq"


def _files_only(built: Path, into: Path) -> Path:
    """The build's manifest and graph files (what `govkg validate` reads of a build folder) in a folder of their own."""
    into.mkdir()
    shutil.copy(built / "manifest.json", into / "manifest.json")
    shutil.copytree(built / "graphs", into / "graphs")
    return into


def test_files_give_the_findings_of_the_whole_dataset(built):
    whole = sorted(astuple(finding) for finding in validate_path(built / "dataset.nq").findings)  # read whole
    by_files = sorted(astuple(finding) for check in check_build(built, every=True) for finding in check.findings)
    assert len(whole) == 600  # the samples' warnings (test_build.test_validate_command): something to compare
    assert by_files == whole
    assert sorted(astuple(finding) for finding in validate_path(built).findings) == whole  # the folder: by files


def test_a_links_share_naming_a_task_of_another_issuer_is_caught(built, tmp_path):
    folder = _files_only(built, tmp_path / "build")
    links = folder / "graphs/links/320404.nq"
    match = next(line.split(" ", 1)[0] for line in links.read_text(encoding="utf-8").splitlines()
                 if "#matchOf>" in line)
    other = next(line.split(" ", 1)[0] for line in (folder / "graphs/320412_2018.nq").read_text(
        encoding="utf-8").splitlines() if "#inPlan>" in line)  # a task of 武进区's 2018 plan (sample 003)
    with links.open("a", encoding="utf-8") as share:
        share.write(f"{match} <https://w3id.org/govkg/ontology#candidate> {other} "
                    "<https://w3id.org/govkg/id/graph/links> .\n")
    found = [(f"<{f.focus}>", f.shape) for f in validate_path(folder).violations]
    assert found == [(match, "https://w3id.org/govkg/shapes#TaskMatch-issuer")]


def test_issuers_checked_in_workers_give_the_same_summaries(built):
    here = [check.summary for check in check_build(built)]
    in_workers = [check.summary for check in check_build(built, runner=Runner(jobs=2))]
    assert [check.gov for check in check_build(built)] == ["320404", "320412"]  # the samples' two issuers
    assert in_workers == here


def test_validate_command_reads_the_build_folder_by_files(built, tmp_path, capsys):
    assert build_issuers(built) is not None
    assert main(["validate", str(built), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "0 violations, 600 warnings"
    assert "warning ×36" in out  # the 36 tasks whose lead/cooperating split is a guess
    assert main(["validate", str(built), "--all", "--jobs", "1"]) == 0
    assert len([line for line in capsys.readouterr().out.splitlines() if line.startswith("warning: ")]) == 600


def test_a_violation_in_one_document_graph_is_reported_under_its_document(built, tmp_path, capsys):
    folder = _files_only(built, tmp_path / "build")
    graph_file = folder / GRAPH_FILE
    lines = graph_file.read_text(encoding="utf-8").splitlines(keepends=True)
    statement = [line for line in lines if line.startswith(f"{TASK} <https://w3id.org/govkg/ontology#statement>")]
    assert len(statement) == 1
    graph_file.write_text("".join(line for line in lines if line not in statement), encoding="utf-8")
    assert main(["validate", str(folder), "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert "000_8726cfd2ff1c199e.txt" in out and "violation: " in out and "statement" in out
    assert out.splitlines()[-1].startswith("1 violations")


def test_a_damaged_or_missing_graph_file_is_named(built, tmp_path, capsys):
    folder = _files_only(built, tmp_path / "build")
    graph_file = folder / GRAPH_FILE
    text = graph_file.read_text(encoding="utf-8").splitlines(keepends=True)
    graph_file.write_text("".join(text[:3]) + text[3][: len(text[3]) // 2] + "\n", encoding="utf-8")
    assert main(["validate", str(folder), "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert str(graph_file) in err and "not N-Quads" in err and "line 4" in err.lower()
    graph_file.unlink()
    assert main(["validate", str(folder), "--jobs", "1"]) == 2
    assert f"{graph_file}: missing from the build folder" in capsys.readouterr().err


def test_a_folder_without_a_manifest_is_read_as_before(tmp_path, capsys):
    assert build_issuers(tmp_path) is None
    assert main(["validate", str(tmp_path)]) == 2
    assert "not a build folder" in capsys.readouterr().err


def test_nquads_file_triples_reads_terms_as_rdflib_does(tmp_path):
    path = tmp_path / "g.nq"
    path.write_text(
        '<urn:s> <urn:p> "纯文本" <urn:g> .\n'
        '<urn:s> <urn:p> "带语言"@zh <urn:g> .\n'
        '<urn:s> <urn:p> "7"^^<http://www.w3.org/2001/XMLSchema#integer> <urn:g> .\n'
        '<urn:s> <urn:p> "a\\"b\\\\c\\nd" <urn:g> .\n'
        '_:b1 <urn:p> <urn:o> <urn:g> .\n', encoding="utf-8")
    dataset = Dataset()
    dataset.parse(path, format="nquads")
    expected = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    found = nquads_file_triples(path)
    assert found - {t for t in found if isinstance(t[0], BNode)} == expected - {
        t for t in expected if isinstance(t[0], BNode)}
    assert (URIRef("urn:s"), URIRef("urn:p"), Literal("带语言", lang="zh")) in found
    assert (URIRef("urn:s"), URIRef("urn:p"), Literal('a"b\\c\nd')) in found
    assert [t for t in found if isinstance(t[0], BNode)] == [(BNode("b1"), URIRef("urn:p"), URIRef("urn:o"))]


@pytest.mark.parametrize("manifest", ['{"issuers": []}', "not json"])
def test_a_manifest_without_its_graph_files_is_no_build_of_this_version(tmp_path, manifest):
    (tmp_path / "manifest.json").write_text(manifest, encoding="utf-8")
    assert build_issuers(tmp_path) is None


def test_output_cut_short_by_its_reader_ends_quietly(built):
    # 600 warning lines are more than a pipe holds, so the command is still writing when the reader goes
    process = subprocess.Popen([sys.executable, "-m", "govkg", "validate", str(built), "--all", "--jobs", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline()
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert process.returncode == 141
    assert b"Traceback" not in err and b"BrokenPipe" not in err
