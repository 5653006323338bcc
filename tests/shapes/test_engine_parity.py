"""The SHACL engines agree: pyshacl-turbo (the default, "turbo") gives exactly pyshacl's findings.

Findings are compared as sets of (severity, focus node, result path, constraint component, source shape, value),
on the samples' build and on deliberately broken graphs that reproduce every invalid fixture of fixtures/invalid/
(so every constraint of every shape: test_shapes.py checks the fixtures cover them all).

pyshacl takes ~0.1 s per call whatever the graph, so the fixtures are validated in batches: one graph patched by
many fixtures at once. A fixture is settled by a batch when every result it expects (fx:expect) is among the
batch's findings; the fixtures a batch does not settle (patches that cancel or hide each other) go on to smaller
batches, down to one fixture per graph. Every batch graph is compared between the engines.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.term import Node
from test_shapes import INVALID, SH, VALID, expected_by_fixture, load_case

from govkg import cli
from govkg.validate import Finding, Report, validate_graph
from govkg.validate_build import validate_path

validation = importlib.import_module("govkg.validate")  # the module (govkg.validate is also a function's name)
ENGINES = ("pyshacl", "turbo")
SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}

Key = tuple[str | None, ...]


def keys(report: Report) -> set[Key]:
    """The compared fields of each finding."""
    return {(f.severity, f.focus, f.path, f.component, f.shape, f.value) for f in report.findings}


def difference(by_engine: dict[str, Report]) -> str:
    """The findings only one engine gives, and their shapes (for the assertion message)."""
    pyshacl, turbo = keys(by_engine["pyshacl"]), keys(by_engine["turbo"])
    shapes = sorted({str(key[4]) for key in pyshacl ^ turbo})
    return (f"engines disagree on shapes {shapes}:\n only pyshacl: {sorted(pyshacl - turbo, key=str)[:10]}\n"
            f" only turbo: {sorted(turbo - pyshacl, key=str)[:10]}")


def expected_keys(expected: frozenset[tuple[Node, ...]]) -> set[Key]:
    """A fixture's expected results as (severity, focus, component, shape): the path goes with the shape."""
    return {(SEVERITY_NAMES[severity], str(focus), str(component), str(shape))
            for focus, _, component, shape, severity in expected}


def settled_keys(report: Report) -> set[Key]:
    return {(f.severity, f.focus, f.component, f.shape) for f in report.findings}


def patched(valid: Graph, names: list[str]) -> Graph:
    """valid.ttl with the fx:remove triples of the named fixtures taken out and their fx:add triples added."""
    cases = [load_case(FIXTURES[name]) for name in names]
    removed = {triple for remove, _, _ in cases for triple in remove}
    data = Graph()
    for triple in valid:
        if triple not in removed:
            data.add(triple)
    for _, add, _ in cases:
        data += add
    return data


FIXTURES = {path.name: path for path in INVALID}


@pytest.fixture(scope="module")
def valid() -> Graph:
    return Graph().parse(VALID, format="turtle")


@pytest.fixture(scope="module")
def fixture_batches(valid) -> list[tuple[list[str], dict[str, Report], list[str]]]:
    """Each batch: the fixtures patched in, each engine's report, and the fixtures it settled."""
    expected = {name: expected_keys(keys_) for name, keys_ in expected_by_fixture().items()}
    batches = []
    pending, parts = sorted(FIXTURES), 1
    while pending:
        unsettled = []
        for part in range(parts):
            names = pending[part::parts]
            if not names:
                continue
            data = patched(valid, names)
            by_engine = {engine: validate_graph(data, engine=engine) for engine in ENGINES}
            found = settled_keys(by_engine["pyshacl"])
            settled = [name for name in names if len(names) == 1 or expected[name] <= found]
            batches.append((names, by_engine, settled))
            unsettled += [name for name in names if name not in settled]
        pending, parts = sorted(unsettled), parts * 2
    return batches


@pytest.fixture(scope="module")
def samples_reports(built) -> dict[str, Report]:
    """The samples' build validated by each engine (as `govkg validate` does)."""
    return {engine: validate_path(built, engine=engine) for engine in ENGINES}


# --- parity ------------------------------------------------------------------------------------------


def test_engines_agree_on_the_samples(samples_reports):
    assert samples_reports["pyshacl"].findings, "the samples give warnings: parity must compare something"
    assert keys(samples_reports["turbo"]) == keys(samples_reports["pyshacl"]), difference(samples_reports)


def test_engines_agree_on_the_samples_finding_by_finding(samples_reports):
    # The whole finding (messages, graph, document lines) and the report's order, not only the compared fields.
    assert samples_reports["turbo"].findings == samples_reports["pyshacl"].findings


def test_engines_agree_on_the_valid_graph(valid):
    assert not validate_graph(valid, engine="pyshacl").findings
    assert not validate_graph(valid, engine="turbo").findings


def test_engines_agree_on_every_broken_graph(fixture_batches):
    disagreements = [f"{len(names)} fixtures ({names[0]} …): {difference(by_engine)}"
                     for names, by_engine, _ in fixture_batches
                     if keys(by_engine["turbo"]) != keys(by_engine["pyshacl"])]
    assert not disagreements, "\n".join(disagreements)


def test_every_invalid_fixture_is_settled_by_a_compared_graph(fixture_batches):
    settled = [name for _, _, names in fixture_batches for name in names]
    assert sorted(settled) == sorted(FIXTURES)
    assert len(fixture_batches) < len(FIXTURES) / 4, "batching should save most pyshacl runs"
    # Each batch graph gives results of many shapes: the comparison is not between empty reports.
    shapes = {finding.shape for _, by_engine, _ in fixture_batches for finding in by_engine["pyshacl"].findings}
    expected = {str(key[3]) for keys_ in expected_by_fixture().values() for key in keys_}
    assert expected <= shapes


# --- choosing the engine -----------------------------------------------------------------------------


def test_turbo_is_the_default_engine():
    assert validation.DEFAULT_ENGINE == "turbo"
    assert validation.default_engine() == "turbo"
    assert validation.resolve_engine() == "turbo"
    assert not validation.PYSHACL_SHAPES, "parity holds for every shape: no shape is left to pyshacl"


def test_shacl_engine_sets_the_default_within_its_block():
    with validation.shacl_engine("pyshacl"):
        assert validation.resolve_engine() == "pyshacl"
        with validation.shacl_engine(None):
            assert validation.default_engine() == "pyshacl"
    assert validation.default_engine() == "turbo"


def test_an_unknown_engine_is_refused(valid):
    with pytest.raises(ValueError, match="unknown SHACL engine 'jena'"):
        validate_graph(valid, engine="jena")
    with pytest.raises(ValueError, match="unknown SHACL engine"), validation.shacl_engine("jena"):
        pass


def _spy(monkeypatch, name: str) -> list[Graph]:
    calls: list[Graph] = []
    real = getattr(validation, name)

    def spy(data: Graph) -> Graph:
        calls.append(data)
        return real(data)

    monkeypatch.setattr(validation, name, spy)
    return calls


def test_each_engine_runs_only_itself(monkeypatch, valid):
    pyshacl_calls, turbo_calls = _spy(monkeypatch, "_pyshacl_results"), _spy(monkeypatch, "_turbo_results")
    validate_graph(valid)
    assert (len(pyshacl_calls), len(turbo_calls)) == (0, 1)
    validate_graph(valid, engine="pyshacl")
    assert (len(pyshacl_calls), len(turbo_calls)) == (1, 1)


def test_shapes_left_to_pyshacl_take_their_findings_from_pyshacl(monkeypatch, valid):
    name = "Activity-agent.missing.trig"
    data = patched(valid, [name])
    reference = validate_graph(data, engine="pyshacl")
    shape = next(iter(reference.findings)).shape
    # turbo, made to lose that shape's findings: they come back from pyshacl when the shape is left to it.
    real = validation._turbo_results

    def turbo_without_shape(graph: Graph) -> Graph:
        results = real(graph)
        for result in list(results.subjects(SH.sourceShape, None)):
            if str(results.value(result, SH.sourceShape)) == shape:
                results.remove((result, None, None))
        return results

    monkeypatch.setattr(validation, "_turbo_results", turbo_without_shape)
    assert shape not in {f.shape for f in validate_graph(data, engine="turbo").findings}
    monkeypatch.setattr(validation, "PYSHACL_SHAPES", frozenset({shape}))
    assert validate_graph(data, engine="turbo").findings == reference.findings


def test_without_pyshacl_turbo_validation_falls_back_to_pyshacl_with_a_note(monkeypatch, capsys, valid):
    monkeypatch.setitem(sys.modules, "pyshacl_turbo", None)  # import pyshacl_turbo now raises ImportError
    validation._turbo_shapes.cache_clear()
    try:
        pyshacl_calls = _spy(monkeypatch, "_pyshacl_results")
        assert validation.resolve_engine("turbo") == "pyshacl"
        data = patched(valid, ["Activity-agent.missing.trig"])
        assert validate_graph(data).findings == validate_graph(data, engine="pyshacl").findings
        assert len(pyshacl_calls) == 2
        note = capsys.readouterr().err.splitlines()
        assert len(note) == 1
        assert "turbo unavailable" in note[0]
        assert "pyshacl" in note[0]
    finally:
        validation._turbo_shapes.cache_clear()


# --- the command line --------------------------------------------------------------------------------


def test_validate_command_passes_the_engine(monkeypatch, tmp_path: Path):
    seen: list[str | None] = []

    def fake_validate_path(target: str, engine: str | None = None, **options: object) -> Report:
        seen.append(engine)
        return Report([Finding("warning", "urn:x", None, "c", "s", None, None, None)])

    monkeypatch.setattr(cli, "validate_path", fake_validate_path)
    assert cli.main(["validate", str(tmp_path), "--shacl-engine", "pyshacl"]) == cli.EXIT_OK
    assert cli.main(["validate", str(tmp_path)]) == cli.EXIT_OK
    assert seen == ["pyshacl", None]


def test_build_command_validates_with_the_engine(monkeypatch, tmp_path: Path):
    seen: list[str] = []

    class Built:
        ambiguous = ()
        extraction_warnings = ()

        def summary(self) -> list[str]:
            return []

    def fake_build(*args, **kwargs) -> Built:
        seen.append(validation.default_engine())
        return Built()

    monkeypatch.setattr(cli, "build", fake_build)
    assert cli.main(["build", str(tmp_path), "--out", str(tmp_path / "out"), "--shacl-engine", "pyshacl"]) == 0
    assert cli.main(["build", str(tmp_path), "--out", str(tmp_path / "out")]) == 0
    assert seen == ["pyshacl", "turbo"]
    assert validation.default_engine() == "turbo"


def test_the_engine_option_refuses_an_unknown_engine(capsys, tmp_path: Path):
    with pytest.raises(SystemExit):
        cli.main(["validate", str(tmp_path), "--shacl-engine", "jena"])
    assert "--shacl-engine" in capsys.readouterr().err
