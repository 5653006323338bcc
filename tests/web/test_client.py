"""SPARQLWrapper, as a real client, gets Q1 from the running server in every result format, equal to the CLI's."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from SPARQLWrapper import CSV, JSON, POST, TSV, XML, SPARQLWrapper

from govkg.cli import main
from govkg.lexicon import load_lexicon
from govkg.query import bind, find_query

SR = "{http://www.w3.org/2005/sparql-results#}"


def cli_tasks(built, capsys) -> list[tuple[str, str]]:
    assert main(["query", "q01", "--param", "unit=住建局", "--store", str(built), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    return [(row["task"]["value"], row["number"]["value"]) for row in rows]


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_q1_in_every_format(server, built, capsys, fmt):
    expected = cli_tasks(built, capsys)
    assert [number for _, number in expected] == ["2", "3", "4"]
    client = SPARQLWrapper(f"{server}/sparql")
    client.setMethod(POST)
    client.setReturnFormat(fmt)
    client.setQuery("\n".join(line for line in bind(find_query("q01"), {"unit": "住建局"}, load_lexicon()).splitlines()
                              if not line.startswith("#")))
    result = client.query()
    body = result.response.read().decode("utf-8")
    if fmt == JSON:
        rows = [(b["task"]["value"], b["number"]["value"]) for b in json.loads(body)["results"]["bindings"]]
    elif fmt == XML:
        root = ET.fromstring(body)
        rows = []
        for solution in root.iter(SR + "result"):
            values = {b.get("name"): "".join(b.itertext()).strip() for b in solution.iter(SR + "binding")}
            rows.append((values["task"], values["number"]))
    else:
        reader = csv.DictReader(io.StringIO(body), delimiter="," if fmt == CSV else "\t")
        rows = [({k.lstrip("?"): v for k, v in r.items()}) for r in reader]  # TSV headers are ?task …
        rows = [(r["task"].strip("<>"), r["number"].strip('"')) for r in rows]
    assert rows == expected
