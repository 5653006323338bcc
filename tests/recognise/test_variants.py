"""Layout variants written for the project (tests/recognise/variants: 73 made-up documents of the families the
reader covers and others — PDF and Word text, space-separated columns, short and bracketed labels, three
attachments, long lists — with gold records by the conventions of tests/corpus/SPEC.md), scored like the corpus."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

import govkg
from govkg.export import task_to_dict
from govkg.model import InputError

VARIANTS = Path(__file__).parent / "variants"
SCORER = Path(__file__).resolve().parents[1] / "corpus" / "score.py"
NEGATIVE = ("r35_neg_prose.txt", "r36_neg_toc.txt", "r37_neg_dates.txt", "x01_neg_fuze_prose.txt",
            "x02_neg_toc_dotted.txt", "x03_neg_staff_list.txt")


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float]]:
    """The corpus scorer's figures for every variant that holds tasks."""
    spec = importlib.util.spec_from_file_location("variants_score", SCORER)
    assert spec is not None and spec.loader is not None
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    system = []
    for path in sorted((VARIANTS / "raw").glob("*.txt")):
        if path.name not in NEGATIVE:
            document = govkg.extract_document(path)
            system += [json.loads(json.dumps(task_to_dict(document, task))) for task in document.tasks]
    gold = [record for path in sorted((VARIANTS / "gold").glob("*.jsonl")) for record in scorer.load(path)]
    return scorer.score(gold, system)


def test_variants_are_read_like_the_corpus(scores):
    gold = sum(row["gold"] for row in scores.values())
    matched = sum(row["recall"] * row["gold"] for row in scores.values())
    f1 = sum(row["participants_f1"] * row["recall"] * row["gold"] for row in scores.values()) / matched
    weak = {doc: round(row["recall"], 2) for doc, row in scores.items()
            if row["recall"] < 0.8 or row["participants_f1"] < 0.8}
    assert matched / gold >= 0.95 and f1 >= 0.95 and weak == {}


@pytest.mark.parametrize("name", NEGATIVE)
def test_documents_without_tasks_are_refused(name):
    with pytest.raises(InputError, match="no responsibility table found"):
        govkg.extract_document(VARIANTS / "raw" / name)
