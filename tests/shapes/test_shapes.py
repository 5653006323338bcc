"""The SHACL shapes in shapes/: a valid graph without any result, and invalid fixtures for every constraint.

fixtures/valid.ttl conforms to the three shapes files with no result at all, not even a warning. Each file in
fixtures/invalid/ is TriG with up to three graphs: fx:remove and fx:add patch valid.ttl, and fx:expect lists the
validation results the patched graph must give, exactly, as a set of (focus node, result path, constraint
component, source shape, severity). Messages are not compared, only required in zh and en.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import BNode, Node

ROOT = Path(__file__).resolve().parents[2]
SHAPE_FILES = [ROOT / "shapes" / name for name in ("core.ttl", "ranges.ttl", "recommended.ttl")]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = FIXTURES / "valid.ttl"
INVALID = sorted((FIXTURES / "invalid").glob("*.trig"))

SH = Namespace("http://www.w3.org/ns/shacl#")
GWS = Namespace("https://w3id.org/govkg/shapes#")
FX = Namespace("https://w3id.org/govkg/shapes/fixture#")

# SHACL Core constraint parameters and the local name of the component each belongs to.
PARAMETERS = {
    SH["class"]: "Class", SH.datatype: "Datatype", SH.nodeKind: "NodeKind", SH.minCount: "MinCount",
    SH.maxCount: "MaxCount", SH.minInclusive: "MinInclusive", SH.maxInclusive: "MaxInclusive",
    SH.minExclusive: "MinExclusive", SH.maxExclusive: "MaxExclusive", SH.minLength: "MinLength",
    SH.maxLength: "MaxLength", SH.pattern: "Pattern", SH.languageIn: "LanguageIn", SH.uniqueLang: "UniqueLang",
    SH.equals: "Equals", SH.disjoint: "Disjoint", SH.lessThan: "LessThan", SH.lessThanOrEquals: "LessThanOrEquals",
    SH["not"]: "Not", SH["and"]: "And", SH["or"]: "Or", SH.xone: "Xone", SH.node: "Node", SH["in"]: "In",
    SH.hasValue: "HasValue", SH.closed: "Closed", SH.qualifiedValueShape: "QualifiedMinCount",
}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
LAYER_SEVERITY = {"core.ttl": SH.Violation, "ranges.ttl": SH.Violation, "recommended.ttl": SH.Warning}

Result = tuple[Node, str | None, Node, Node, Node]  # focus node, path, component, source shape, severity


def component(name: str) -> URIRef:
    return SH[f"{name}ConstraintComponent"]


def path_key(graph: Graph, path: Node | None) -> str | None:
    """A comparable text for a SHACL property path, whichever graph its blank nodes are in."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return f"<{path}>"
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + path_key(graph, inverse)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(path_key(graph, step) for step in Collection(graph, alternatives)) + ")"
    if graph.value(path, RDF.first) is not None:
        return "(" + " / ".join(path_key(graph, step) for step in Collection(graph, path)) + ")"
    raise AssertionError(f"path form not handled: {path}")


def results(report: Graph) -> Iterator[tuple[Node, Result]]:
    """Each validation result of a report (or of a fixture's fx:expect graph) with its comparable key."""
    for result in report.subjects(RDF.type, SH.ValidationResult):
        yield result, (
            report.value(result, SH.focusNode),
            path_key(report, report.value(result, SH.resultPath)),
            report.value(result, SH.sourceConstraintComponent),
            report.value(result, SH.sourceShape),
            report.value(result, SH.resultSeverity),
        )


def validate(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    return conforms, report


@cache
def layer_graphs() -> dict[str, Graph]:
    return {path.name: Graph().parse(path, format="turtle") for path in SHAPE_FILES}


@pytest.fixture(scope="session")
def shapes() -> Graph:
    graph = Graph()
    for layer in layer_graphs().values():
        graph += layer
    return graph


@pytest.fixture(scope="session")
def valid() -> Graph:
    return Graph().parse(VALID, format="turtle")


@pytest.fixture(scope="session")
def compiled(shapes):
    """The shapes compiled by pyshacl-turbo (the build's default engine), or None where it is not installed (it
    needs Python 3.11): the invalid fixtures are then validated by pyshacl. tests/shapes/test_engine_parity.py
    shows both engines give the same results on every fixture, so either checks the shapes."""
    try:
        import pyshacl_turbo
    except ImportError:
        return None
    return pyshacl_turbo.compile_shapes(shapes, advanced=True)


def validate_fixture(data: Graph, shapes: Graph, compiled) -> tuple[bool, Graph]:
    if compiled is None:
        return validate(data, shapes)
    conforms, report, _ = compiled.validate(data, inference=None, allow_warnings=True, abort_on_first=False)
    assert isinstance(report, Graph), f"pyshacl-turbo failed: {report}"
    return conforms, report


def reporting_shapes(graph: Graph) -> dict[Node, list[str]]:
    """The shapes that can produce results, with the components of their constraints.

    Those are the shapes with a target and a constraint of their own, and the property shapes of shapes with a
    target. Shapes used only inside sh:or / sh:xone lists report through the shape that uses them.
    """
    targeted = {shape for target in TARGETS for shape in graph.subjects(target, None)}
    candidates = targeted | {p for shape in targeted for p in graph.objects(shape, SH.property)}
    found = {}
    for shape in candidates:
        names = sorted({PARAMETERS[p] for p in graph.predicates(shape, None) if p in PARAMETERS})
        if names:
            found[shape] = names
    return found


def all_shapes(graph: Graph) -> set[Node]:
    found = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    for parameter in (SH.property, SH.node, SH["not"]):
        found |= set(graph.objects(None, parameter))
    for parameter in (SH["or"], SH["and"], SH.xone):
        for head in graph.objects(None, parameter):
            found |= set(Collection(graph, head))
    return found


def load_case(path: Path) -> tuple[Graph, Graph, Graph]:
    """The fx:remove, fx:add and fx:expect graphs of an invalid fixture (each may be empty)."""
    dataset = Dataset()
    with warnings.catch_warnings():  # rdflib's TriG parser calls its own deprecated ConjunctiveGraph API
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(path, format="trig")
    return dataset.graph(FX.remove), dataset.graph(FX.add), dataset.graph(FX.expect)


@cache
def expected_by_fixture() -> dict[str, frozenset[Result]]:
    return {path.name: frozenset(key for _, key in results(load_case(path)[2])) for path in INVALID}


# --- the shapes files --------------------------------------------------------------------------------


def test_shapes_are_well_formed_shacl(valid, shapes):
    # meta_shacl first validates the shapes graph against the SHACL-SHACL shapes, and raises if it fails.
    conforms, _, _ = pyshacl.validate(
        valid, shacl_graph=shapes, inference="none", meta_shacl=True, advanced=True, allow_warnings=True
    )
    assert conforms


def test_every_shape_has_a_readable_iri(shapes):
    found = all_shapes(shapes)
    assert not [s for s in found if isinstance(s, BNode)], "shapes must not be blank nodes"
    assert not [s for s in found if not str(s).startswith(str(GWS))], "shapes must be named under gws:"


def test_every_shape_has_a_name_in_zh_and_en(shapes):
    for shape in all_shapes(shapes):
        names = set(shapes.objects(shape, SH.name)) | set(shapes.objects(shape, RDFS.label))
        assert {"zh", "en"} <= {n.language for n in names if isinstance(n, Literal)}, shape


@pytest.mark.parametrize("layer", [path.name for path in SHAPE_FILES])
def test_reporting_shapes_have_messages_in_zh_and_en_and_the_layer_severity(layer):
    graph = layer_graphs()[layer]
    reporting = reporting_shapes(graph)
    assert reporting
    for shape in reporting:
        assert sorted(m.language for m in graph.objects(shape, SH.message)) == ["en", "zh"], shape
        assert graph.value(shape, SH.severity, default=SH.Violation) == LAYER_SEVERITY[layer], shape
    if layer == "recommended.ttl":
        for shape in graph.subjects(RDF.type, SH.NodeShape):
            assert graph.value(shape, SH.severity) == SH.Warning, shape


def test_shape_iris_are_unique_to_one_layer():
    owners: dict[Node, str] = {}
    for name, graph in layer_graphs().items():
        for shape in all_shapes(graph):
            if graph.value(shape, RDF.type) is not None:  # declared here, not only referred to
                assert owners.setdefault(shape, name) == name, f"{shape} is declared in {owners[shape]} and {name}"


# --- the valid graph ---------------------------------------------------------------------------------


def test_valid_graph_has_no_blank_nodes(valid):
    assert not [term for triple in valid for term in triple if isinstance(term, BNode)]


def test_valid_graph_gives_no_result_at_all(valid, shapes):
    conforms, report = validate(valid, shapes)
    assert conforms
    assert [key for _, key in results(report)] == []


@pytest.mark.parametrize("layer", [path.name for path in SHAPE_FILES])
def test_valid_graph_gives_no_result_for_each_layer_alone(valid, layer):
    _, report = validate(valid, layer_graphs()[layer])
    assert [key for _, key in results(report)] == []


# --- the invalid fixtures ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", INVALID, ids=[path.name.removesuffix(".trig") for path in INVALID])
def test_invalid_fixture(path, valid, shapes, compiled):
    remove, add, _ = load_case(path)
    assert len(remove) + len(add) > 0, "a fixture must change the valid graph"
    assert not [t for t in remove if t not in valid], "fx:remove holds triples that are not in valid.ttl"
    assert not [t for t in add if t in valid], "fx:add holds triples already in valid.ttl"
    data = Graph()
    for triple in valid:
        if triple not in remove:
            data.add(triple)
    data += add

    conforms, report = validate_fixture(data, shapes, compiled)
    actual = dict(results(report))
    assert set(actual.values()) == expected_by_fixture()[path.name]
    assert conforms == all(key[4] == SH.Warning for key in actual.values())
    for result, key in actual.items():
        languages = {m.language for m in report.objects(result, SH.resultMessage)}
        assert {"zh", "en"} <= languages, f"{key[3]} reports without messages in zh and en"


def test_each_fixture_is_named_after_a_shape_it_expects():
    for name, expected in expected_by_fixture().items():
        shape = GWS[name.split(".")[0]]
        assert shape in {key[3] for key in expected}, name


def test_every_constraint_of_every_shape_has_an_invalid_fixture(shapes):
    exercised = {(key[3], key[2]) for keys in expected_by_fixture().values() for key in keys}
    missing = [
        f"{shape.removeprefix(str(GWS))} {name}"
        for shape, names in sorted(reporting_shapes(shapes).items())
        for name in names
        if (shape, component(name)) not in exercised
    ]
    assert not missing, "constraints without an invalid fixture: " + ", ".join(missing)
