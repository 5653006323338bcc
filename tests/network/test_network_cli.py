"""`govkg network report | html | export`: files written, help with examples, one-line errors with exit status 2."""

from __future__ import annotations

import argparse
import csv

import pytest

from govkg.network.cli import add_network_commands, main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_registers_as_a_govkg_subcommand(capsys):
    parser = argparse.ArgumentParser(prog="govkg")
    add_network_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["network", "html", "--out", "x.html", "--issuer", "钟楼区", "--year", "2021"])
    assert (args.graph, args.groups, args.role, args.year) == ("coparticipation", "keep", "all", 2021)
    assert callable(args.func)
    with pytest.raises(SystemExit):
        parser.parse_args(["network", "html", "--help"])
    help_text = capsys.readouterr().out
    assert "examples:" in help_text and "govkg network html --out out/network.html" in help_text
    assert "--groups" in help_text and "works offline" in help_text


def test_html(capsys, built, tmp_path):
    path = tmp_path / "page.html"
    status, out, _ = run(capsys, "html", "--store", str(built), "--issuer", "钟楼区", "--year", "2021",
                         "--graph", "cooperation", "--out", str(path))
    assert status == 0 and "cooperation graph, 36 nodes" in out and str(path) in out
    assert "钟楼区 · 2021" in path.read_text(encoding="utf-8")


def test_report(capsys, built, tmp_path):
    status, _, _ = run(capsys, "report", "--store", str(built), "--issuer", "钟楼区", "--year", "2021",
                         "--out", str(tmp_path))
    assert status == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "communities.csv", "edges.csv", "nodes.csv", "summary.html", "summary.md"]
    with (tmp_path / "nodes.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 36
    science = next(row for row in rows if row["name"] == "科技局")
    assert science["workload"] == "8" and science["unit_type"] == "bureau" and science["community"]
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "## 桥梁单位" in summary and "## 合作最紧密的单位对" in summary and "NMI" in summary
    html = (tmp_path / "summary.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "http" not in html


def test_export(capsys, built, tmp_path):
    status, _, _ = run(capsys, "export", "--store", str(built), "--graph", "cooperation", "--format", "gexf",
                       "--issuer", "钟楼区", "--out", str(tmp_path))
    assert status == 0 and [p.name for p in tmp_path.iterdir()] == ["cooperation.gexf"]
    status, _, _ = run(capsys, "export", "--store", str(built), "--issuer", "钟楼区", "--out", str(tmp_path / "all"))
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [
        "coparticipation.gexf", "coparticipation.graphml", "coparticipation.json"]


@pytest.mark.parametrize(("argv", "message"), [
    (["--year", "2030"], "no tasks match (--year 2030)"),
    (["--issuer", "钟楼区", "--role", "lead", "--graph", "cooperation"], "--role does not apply"),
])
def test_errors_are_one_line_exit_2(capsys, built, tmp_path, argv, message):
    path = tmp_path / "page.html"
    status, out, err = run(capsys, "html", "--store", str(built), *argv, "--out", str(path))
    assert status == 2 and out == "" and message in err
    assert err.startswith("govkg: error: ") and err.count("\n") == 1
    assert not path.exists()


def test_no_store_is_exit_2(capsys, tmp_path):
    status, _, err = run(capsys, "html", "--store", str(tmp_path / "nothing"), "--out", str(tmp_path / "x.html"))
    assert status == 2 and "no store here" in err
    status, _, err = run(capsys, "report", "--store", str(tmp_path), "--out", str(tmp_path / "x.html"))
    assert status == 2
