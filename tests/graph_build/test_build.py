"""`govkg build`: validated graph, dumps, store, determinism and incremental rebuilds."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph

import govkg
from govkg.cli import main
from sample_docs import SAMPLES, sample_path

Q1_ZHUJIANJU_COOPERATING = """
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX gw: <https://w3id.org/govkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?number ?year WHERE {
  ?unit skos:prefLabel|skos:altLabel ?spelling .
  FILTER(STR(?spelling) = "%s")
  ?task gw:cooperatingUnit ?unit ; gw:taskNumber ?number ; gw:inPlan ?plan .
  ?plan gw:year ?year .
} ORDER BY ?year xsd:integer(?number)
"""


def _select(out: Path, query: str) -> list[dict[str, str]]:
    """Run a SELECT on the store with the union of all graphs as default graph."""
    store = pyoxigraph.Store.read_only(str(out / "store"))
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{name: s[name].value for name in names} for s in solutions]


def test_samples_build_without_violations(built):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["documents"]) == 5
    assert (built / "validation.txt").read_text(encoding="utf-8").splitlines()[-1].startswith("0 violations")
    for name in ("dataset.nq", "dataset.trig", "dataset.ttl", "dataset.jsonld"):
        assert (built / name).stat().st_size > 100_000


def test_dumps_hold_the_same_graph(built):
    nquads = Dataset()
    nquads.parse(built / "dataset.nq", format="nquads")
    trig = Dataset()
    trig.parse(built / "dataset.trig", format="trig")
    jsonld = Dataset()
    jsonld.parse(built / "dataset.jsonld", format="json-ld")
    count = len(list(nquads.quads()))
    assert len(list(trig.quads())) == count and len(list(jsonld.quads())) == count
    union = Graph().parse(built / "dataset.ttl", format="turtle")
    assert len(union) == len({quad[:3] for quad in nquads.quads()})
    names = {str(g.identifier) for g in nquads.graphs()} - {"urn:x-rdflib:default"}
    plans = {f"https://w3id.org/govkg/id/graph/plan/{key}"
             for key in ("320404/2021", "320404/2022", "320412/2018", "320412/2023", "320404/2025")}
    assert names == {"https://w3id.org/govkg/id/graph/lexicon", "https://w3id.org/govkg/id/graph/links",
                     *plans, *(f"{plan}/statistics" for plan in plans)}


@pytest.mark.parametrize("spelling", ["住建局", "区住建局"])
def test_sparql_zhujianju_as_cooperating_unit(built, spelling):
    # 001 (2022): 住建局 is listed among the cooperating units of tasks (2), (3) and (4) only;
    # in 000, 004 and the 武进 documents it leads and never cooperates.
    rows = [(s["number"], s["year"]) for s in _select(built, Q1_ZHUJIANJU_COOPERATING % spelling)]
    assert rows == [("2", "2022"), ("3", "2022"), ("4", "2022")]


def test_units_of_two_districts_are_distinct(built):
    query = """PREFIX gw: <https://w3id.org/govkg/ontology#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT DISTINCT ?unit ?gov WHERE { ?unit skos:prefLabel "住建局"@zh ; gw:issuer ?gov } ORDER BY ?unit"""
    rows = [(s["unit"], s["gov"]) for s in _select(built, query)]
    assert rows == [
        ("https://w3id.org/govkg/id/gov/320404/unit/住建局", "https://w3id.org/govkg/id/gov/320404"),
        ("https://w3id.org/govkg/id/gov/320412/unit/住建局", "https://w3id.org/govkg/id/gov/320412"),
    ]


def test_renames_link_units(built):
    query = """PREFIX org: <http://www.w3.org/ns/org#>
    SELECT ?old WHERE { ?event org:resultingOrganization <https://w3id.org/govkg/id/gov/320412/unit/生态环境局> ;
                              org:originalOrganization ?old }"""
    assert [s["old"] for s in _select(built, query)] == ["https://w3id.org/govkg/id/gov/320412/unit/环保局"]


def test_two_builds_give_identical_sorted_nquads(built, tmp_path):
    again = tmp_path / "again"
    govkg.build([SAMPLES], again)
    assert (again / "dataset.nq").read_bytes() == (built / "dataset.nq").read_bytes()
    lines = (built / "dataset.nq").read_text(encoding="utf-8").splitlines()
    # Graph by graph in the order of their names (the lexicon and links graphs issuer by issuer: 2 issuers), each
    # graph file's lines sorted, each quad once, no blank node.
    graphs = [line.rsplit(" ", 2)[1][1:-1] for line in lines]
    assert graphs == sorted(graphs) and len(set(graphs)) == 2 + 2 * 5  # lexicon, links; 5 plans + statistics
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    parts = [(built / part).read_text(encoding="utf-8").splitlines() for part in manifest["parts"]]
    assert len(parts) == 2 * 2 + 2 * 5 and all(part == sorted(part) for part in parts)
    assert lines == [line for part in parts for line in part]
    assert len(set(lines)) == len(lines) == sum(manifest["lines"].values())
    assert "_:" not in "".join(line.split(" ")[0] for line in lines)


def test_only_changed_documents_are_rebuilt(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for prefix in ("000", "003"):
        shutil.copy(sample_path(prefix), docs)
        shutil.copy(sample_path(prefix).with_suffix(".meta.toml"), docs)
    out = tmp_path / "out"
    first = govkg.build([docs], out)
    assert sorted(first.rebuilt) == ["000_8726cfd2ff1c199e.txt", "003_66424366e1f8fc47.txt"]
    graph_000 = (out / "graphs" / "320404_2021.nq").read_bytes()

    os.utime(docs / "003_66424366e1f8fc47.txt")  # touched, same content: nothing to do
    second = govkg.build([docs], out)
    assert second.rebuilt == [] and len(second.reused) == 2

    edited = docs / "003_66424366e1f8fc47.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("建成口袋公园4个以上。", "建成口袋公园6个以上。"),
                      encoding="utf-8")
    third = govkg.build([docs], out)
    assert third.rebuilt == ["003_66424366e1f8fc47.txt"] and third.reused == ["000_8726cfd2ff1c199e.txt"]
    assert (out / "graphs" / "320404_2021.nq").read_bytes() == graph_000
    store = pyoxigraph.Store.read_only(str(out / "store"))
    statements = {s["s"].value for s in store.query(
        'SELECT ?s WHERE { GRAPH ?g { ?t <https://w3id.org/govkg/ontology#statement> ?s } '
        'FILTER(STRSTARTS(?s, "建成口袋公园"))}')}
    assert statements == {"建成口袋公园6个以上。"}  # the changed graph replaced, not added

    (docs / "000_8726cfd2ff1c199e.txt").unlink()
    fourth = govkg.build([docs], out)
    assert fourth.removed == ["000_8726cfd2ff1c199e.txt"]
    assert not (out / "graphs" / "320404_2021.nq").exists()
    del store
    names = {g.value for g in pyoxigraph.Store.read_only(str(out / "store")).named_graphs()}
    assert "https://w3id.org/govkg/id/graph/plan/320404/2021" not in names


def test_invalid_graph_is_refused_unless_allowed(tmp_path, monkeypatch, capsys):
    # A lexicon whose unit types map 局 to a type the shapes do not know makes every bureau invalid.
    from govkg.rdf import mentions as mentions_module

    broken = dict(mentions_module.UNIT_TYPES, bureau=mentions_module.GW.NotAUnitType)
    monkeypatch.setattr(mentions_module, "UNIT_TYPES", broken)
    out = tmp_path / "out"
    code = main(["build", str(sample_path("003")), "--out", str(out), "-q"])
    err = capsys.readouterr().err
    assert code == 1 and "violation" in err and "classification" in err
    assert not out.exists() or not any(out.iterdir())
    code = main(["build", str(sample_path("003")), "--out", str(out), "-q", "--allow-invalid"])
    assert code == 0 and (out / "dataset.nq").is_file()
    assert "violations" in (out / "validation.txt").read_text(encoding="utf-8")


def test_validate_command(built, tmp_path, capsys):
    assert main(["validate", str(built)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "0 violations, 600 warnings"
    assert "warning ×36" in out  # the 36 tasks whose lead/cooperating split is a guess
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix gw: <https://w3id.org/govkg/ontology#> .\n"
        "<https://example.org/t> a gw:Task ; gw:statement \"没有目标\"@zh .\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    assert "violation" in capsys.readouterr().out
    assert main(["validate", str(tmp_path / "missing.ttl")]) == 2


def test_build_needs_an_issuer(tmp_path, capsys):
    document = tmp_path / "doc.txt"
    document.write_bytes(sample_path("002").read_bytes())
    code = main(["build", str(document), "--out", str(tmp_path / "out"), "-q"])
    assert code == 2 and "issuer is unknown" in capsys.readouterr().err


def test_bad_base_iri(tmp_path, capsys):
    code = main(["build", str(sample_path("000")), "--out", str(tmp_path / "o"), "--base", "not an iri"])
    assert code == 2 and "--base" in capsys.readouterr().err


def test_build_keeps_each_documents_text_for_its_source_rows(built):
    # 001 task (3) is printed on lines 29–32 (statement, 高新园 / (邹区镇) as lead, then the cooperating units).
    sample = sample_path("001")
    kept = built / "sources" / f"{hashlib.sha256(sample.read_bytes()).hexdigest()[:16]}.txt"
    lines = kept.read_text(encoding="utf-8").splitlines()
    assert lines == sample.read_text(encoding="utf-8").splitlines()
    assert lines[28].startswith("(3)“两湖”创新先行区") and lines[29:31] == ["高新园", "(邹区镇)"]
    assert lines[31].startswith("组织部、发改局、科技局")
    rows = _select(built, f"""PREFIX gw: <https://w3id.org/govkg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?first ?last WHERE {{
          ?task gw:taskNumber "3" ; gw:inPlan/gw:year "2022"^^<http://www.w3.org/2001/XMLSchema#gYear> ;
            prov:wasDerivedFrom ?rows . ?rows gw:firstLine ?first ; gw:lastLine ?last ;
          <http://purl.org/dc/terms/isPartOf> ?source .
          ?source gw:sha256 ?sha FILTER(STRSTARTS(?sha, "{kept.stem}")) }}""")
    assert rows == [{"first": "29", "last": "32"}]


def test_one_path_given_alone_is_one_input_not_a_list_of_characters(tmp_path):
    document = sample_path("003")
    result = govkg.build(str(document), tmp_path / "out")  # a string is iterable: read as one path all the same
    assert result.documents == 1 and result.rebuilt == [document.name]


def test_a_change_of_the_shapes_rebuilds_every_document(tmp_path, monkeypatch):
    import importlib

    from govkg.resources import resource_dir

    build_module = importlib.import_module("govkg.build")  # the module (govkg.build is also the function)
    folder, out = tmp_path / "docs", tmp_path / "out"
    folder.mkdir()
    for suffix in (".txt", ".meta.toml"):
        shutil.copy(sample_path("000").with_suffix(suffix), folder / f"plan{suffix}")
    govkg.build([folder], out)
    assert govkg.build([folder], out).reused == ["plan.txt"]
    # the findings recorded for each document are the shapes': other shapes (here a comment more) read them again
    shapes = tmp_path / "shapes"
    shutil.copytree(resource_dir("shapes"), shapes)
    with (shapes / "recommended.ttl").open("a", encoding="utf-8") as stream:
        stream.write("\n# one line more\n")
    monkeypatch.setattr(build_module, "resource_dir", lambda name: shapes if name == "shapes" else resource_dir(name))
    again = govkg.build([folder], out)
    assert again.rebuilt == ["plan.txt"] and again.reused == []
