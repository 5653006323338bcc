"""Issue 14, part 4: the dumps are made from each graph file's share of them, the store is bulk-loaded in slices;
both must give exactly the data of the graph files, whatever the slicing and with empty graph files among them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as oxi
import pytest

from govkg.fileio import concatenate
from govkg.rdf.serialize import dump_fragments, dump_head, dump_separator, dump_tail
from govkg.store import bulk_load_nquads

G1, G2 = "https://example.org/graph/a", "https://example.org/graph/b"
GW = "https://w3id.org/govkg/ontology#"
LINES = {
    "a.nq": [f'<https://example.org/t/1> <{GW}statement> "新建公园2个。\\n（续）"@zh <{G1}> .',
             f"<https://example.org/t/1> <{GW}leadUnit> <https://example.org/u/住建局> <{G1}> ."],
    "empty.nq": [],  # e.g. the statistics of a plan without tasks
    "b.nq": [f'<https://example.org/t/2> <{GW}rowNumber> "7"^^<http://www.w3.org/2001/XMLSchema#integer> <{G2}> .',
             f"<https://example.org/t/1> <{GW}leadUnit> <https://example.org/u/住建局> <{G2}> ."],
}
FORMATS = ("trig", "turtle", "json-ld")


def _files(folder: Path) -> list[Path]:
    paths = []
    for name, lines in LINES.items():
        path = folder / name
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        paths.append(path)
    return paths


def _dump(paths: list[Path], fmt: str) -> bytes:
    shares = [dump_fragments(path, FORMATS)[FORMATS.index(fmt)] for path in paths]
    folder = paths[0].parent
    for index, share in enumerate(shares):
        (folder / f"{index}.{fmt}-part").write_bytes(share)
    output = io.BytesIO()
    concatenate([folder / f"{index}.{fmt}-part" for index in range(len(shares))], output, head=dump_head(fmt),
                separator=dump_separator(fmt), tail=dump_tail(fmt))
    return output.getvalue()


def _quads(paths: list[Path]) -> set[oxi.Quad]:
    return {quad for path in paths for quad in oxi.parse(path=str(path), format=oxi.RdfFormat.N_QUADS)}


def test_dumps_made_of_shares_hold_exactly_the_graph_files(tmp_path):
    paths = _files(tmp_path)
    expected = _quads(paths)
    assert len(expected) == 4
    trig = set(oxi.parse(_dump(paths, "trig"), format=oxi.RdfFormat.TRIG))
    assert trig == expected
    text = _dump(paths, "json-ld")
    assert len(json.loads(text)) == 2  # one object per graph; the empty file adds nothing, not even a comma
    assert set(oxi.parse(text, format=oxi.RdfFormat.JSON_LD)) == expected
    turtle = set(oxi.parse(_dump(paths, "turtle"), format=oxi.RdfFormat.TURTLE))
    # every graph's triples: the triple both graphs hold is written twice and read once
    assert turtle == {oxi.Quad(q.subject, q.predicate, q.object) for q in expected} and len(turtle) == 3
    assert _dump(paths, "trig").count(b"@prefix gw:") == 1  # the prefixes once, at the top


def test_concatenate_separates_only_non_empty_files(tmp_path):
    paths = _files(tmp_path)
    output = io.BytesIO()
    concatenate(paths, output, head=b"[", separator=b"|", tail=b"]")
    body = output.getvalue()
    assert body.startswith(b"[<https://example.org/t/1>") and body.endswith(b" .\n]")
    assert body.count(b"|") == 1  # between a.nq and b.nq; the empty file in between gets none
    # into a real file the kernel copies the bytes: the same result
    with (tmp_path / "joined").open("wb") as stream:
        concatenate(paths, stream, head=b"[", separator=b"|", tail=b"]")
    assert (tmp_path / "joined").read_bytes() == body


def test_a_store_loaded_in_slices_holds_what_one_load_gives(tmp_path):
    paths = _files(tmp_path)
    dataset = tmp_path / "dataset.nq"
    with dataset.open("wb") as output:
        concatenate(paths, output)
    sliced, whole = oxi.Store(str(tmp_path / "sliced")), oxi.Store(str(tmp_path / "whole"))
    bulk_load_nquads(sliced, dataset, lines=1, threads=1)  # a slice per line
    whole.bulk_load(path=str(dataset), format=oxi.RdfFormat.N_QUADS)
    assert set(sliced) == set(whole) == _quads(paths)
    together = oxi.Store(str(tmp_path / "together"))
    bulk_load_nquads(together, paths, lines=7, threads=3)  # slices of 7 lines, three loaded at once
    assert set(together) == set(whole)


@pytest.mark.parametrize("threads", [1, 3])
def test_a_slice_that_fails_to_load_fails_the_load(tmp_path, threads):
    good = tmp_path / "good.nq"
    good.write_text("".join(f"<http://ex.org/s{n}> <http://ex.org/p> \"{n}\" <http://ex.org/g> .\n" for n in range(50)))
    bad = tmp_path / "bad.nq"
    bad.write_text("<http://ex.org/s> <http://ex.org/p> \"unterminated <http://ex.org/g> .\n")
    with pytest.raises(SyntaxError):  # the bad file's slice, whichever thread loads it
        bulk_load_nquads(oxi.Store(str(tmp_path / "s1")), [good, bad, good], lines=5, threads=threads)
    with pytest.raises(FileNotFoundError):  # a file that cannot be read, not a short store
        bulk_load_nquads(oxi.Store(str(tmp_path / "s2")), [good, tmp_path / "gone.nq", good], lines=5,
                         threads=threads)
