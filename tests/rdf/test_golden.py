"""Golden file: a small document → the graph written by hand in fixtures/mini.expected.ttl."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import govkg
from govkg.lexicon import load_lexicon
from govkg.rdf import Minter, document_graph

FIXTURES = Path(__file__).parent / "fixtures"


def test_mini_document_graph_matches_the_golden_file():
    source = FIXTURES / "mini.txt"
    document = govkg.extract_document(source, issuer="钟楼区")
    built = document_graph(document, "2024", Minter("https://example.org/id/"), load_lexicon(),
                           datetime(2024, 1, 1, tzinfo=timezone.utc))
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    text = (FIXTURES / "mini.expected.ttl").read_text(encoding="utf-8")
    text = text.replace("SHA64", sha).replace("SHA16", sha[:16]).replace("VERSION", govkg.__version__)
    expected = Graph().parse(data=text, format="turtle")
    if not isomorphic(built, expected):
        _, only_built, only_expected = graph_diff(to_isomorphic(built), to_isomorphic(expected))
        missing = sorted(only_expected.serialize(format="nt").splitlines())
        extra = sorted(only_built.serialize(format="nt").splitlines())
        raise AssertionError("graphs differ\nmissing:\n" + "\n".join(missing) + "\nextra:\n" + "\n".join(extra))
