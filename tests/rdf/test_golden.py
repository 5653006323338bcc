"""Golden file: a small document → the graphs written by hand in fixtures/mini.expected.trig.

The document graph only points to the units, group and people; what describes them is in the lexicon graph.
"""

from __future__ import annotations

import hashlib
import warnings
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import govkg
from govkg.lexicon import load_lexicon
from govkg.model import Document
from govkg.rdf import Minter, document_graph, shared_graph
from govkg.rdf.mentions import describe, mentions

FIXTURES = Path(__file__).parent / "fixtures"
MINTER = Minter("https://example.org/id/")


@pytest.fixture(scope="module")
def mini() -> Document:
    return govkg.extract_document(FIXTURES / "mini.txt", issuer="钟楼区")


@pytest.fixture(scope="module")
def expected() -> Dataset:
    sha = hashlib.sha256((FIXTURES / "mini.txt").read_bytes()).hexdigest()
    text = (FIXTURES / "mini.expected.trig").read_text(encoding="utf-8")
    text = text.replace("SHA64", sha).replace("VERSION", govkg.__version__)
    dataset = Dataset()
    with warnings.catch_warnings():  # rdflib's TriG parser calls its own deprecated ConjunctiveGraph API
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=text, format="trig")
    return dataset


def _named(dataset: Dataset, name: URIRef) -> Graph:
    graph = Graph()
    for triple in dataset.graph(name):
        graph.add(triple)
    return graph


def assert_isomorphic(built: Graph, expected: Graph) -> None:
    if not isomorphic(built, expected):
        _, only_built, only_expected = graph_diff(to_isomorphic(built), to_isomorphic(expected))
        missing = sorted(only_expected.serialize(format="nt").splitlines())
        extra = sorted(only_built.serialize(format="nt").splitlines())
        raise AssertionError("graphs differ\nmissing:\n" + "\n".join(missing) + "\nextra:\n" + "\n".join(extra))


def test_mini_document_graph_matches_the_golden_file(mini, expected):
    built = document_graph(mini, "2024", MINTER, load_lexicon(), datetime(2024, 1, 1, tzinfo=timezone.utc))
    assert_isomorphic(built, _named(expected, MINTER.plan_graph("320404", "2024")))


def test_mini_entities_are_described_in_the_lexicon_graph_as_in_the_golden_file(mini, expected):
    lex = load_lexicon()
    described = Graph()
    for mention in mentions(mini, lex):
        describe(described, MINTER, lex, "320404", mention)
    assert_isomorphic(described, _named(expected, MINTER.lexicon_graph()))
    lexicon = shared_graph([mini.issuer], {"320404": mentions(mini, lex)}, MINTER, lex)
    assert set(described) <= set(lexicon)
