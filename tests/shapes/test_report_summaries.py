"""validation.txt from summaries: `report_lines` over several `summarise`d parts shows what `format_report` shows
of all their findings (a rebuild writes the report from its issuers' summaries, not from every finding)."""

from __future__ import annotations

import json

from govkg.validate import Finding, Report, format_report, merge_summaries, report_lines, summarise

INHERITED = ("InheritedShape", "The value was inherited from a merged cell.", "sh:SPARQLConstraintComponent",
             "取值继承自合并单元格。")
NO_LEAD = ("LeadShape", "A task has no lead unit.", "sh:MinCountConstraintComponent", "任务没有牵头单位。")


def _warning(kind: tuple[str, str, str, str], document: str, line: int) -> Finding:
    shape, message_en, component, message_zh = kind
    return Finding("warning", f"https://example.org/{document}/{line}", None, component, shape, message_zh,
                   message_en, None, document=document, first_line=line, last_line=line + 1, label=f"任务{line}")


def _violation(document: str, line: int) -> Finding:
    return Finding("violation", f"https://example.org/{document}/{line}", "https://w3id.org/govkg/ontology#year",
                   "sh:DatatypeConstraintComponent", "PlanShape", "年份不是年份。", "The year is not a year.",
                   "20x2", document=document, first_line=line, last_line=line)


def test_summaries_in_order_show_what_the_whole_report_shows():
    first = [_warning(INHERITED, "a.txt", line) for line in range(1, 5)] + [_violation("a.txt", 9)]
    second = [_warning(NO_LEAD, "b.txt", 3)] + [_warning(INHERITED, "b.txt", line) for line in range(10, 14)]
    third = [_violation("c.txt", 2), _warning(NO_LEAD, "c.txt", 7)]
    parts = [json.loads(json.dumps(summarise(part, 3))) for part in (first, second, [], third)]  # as stored
    lines = report_lines(parts, 3)
    assert lines == format_report(Report(first + second + third), examples=3)
    # merged in steps (an issuer's documents, then issuers), the summary is the one of all the findings
    assert merge_summaries([merge_summaries(parts[:2], 3), merge_summaries(parts[2:], 3)], 3) == json.loads(
        json.dumps(summarise(first + second + third, 3)))
    # written out by hand from the findings above: 8 inherited (places from a.txt, the first three), 2 without a
    # lead (b.txt then c.txt), the violations under their documents
    assert lines == [
        "a.txt",
        "  violation: a.txt:9 <https://example.org/a.txt/9> year: 年份不是年份。 / The year is not a year.",
        "c.txt",
        "  violation: c.txt:2 <https://example.org/c.txt/2> year: 年份不是年份。 / The year is not a year.",
        "warning ×8: The value was inherited from a merged cell. 取值继承自合并单元格。",
        "    e.g. a.txt:1-2 任务1 <https://example.org/a.txt/1>",
        "    e.g. a.txt:2-3 任务2 <https://example.org/a.txt/2>",
        "    e.g. a.txt:3-4 任务3 <https://example.org/a.txt/3>",
        "warning ×2: A task has no lead unit. 任务没有牵头单位。",
        "    e.g. b.txt:3-4 任务3 <https://example.org/b.txt/3>",
        "    e.g. c.txt:7-8 任务7 <https://example.org/c.txt/7>",
        "2 violations, 10 warnings",
    ]


def test_a_summary_keeps_only_the_first_places():
    summary = summarise([_warning(INHERITED, "a.txt", line) for line in range(1, 30)], 5)
    assert summary["violations"] == []
    ((shape, _, _, _, count, places),) = summary["warnings"]
    assert shape == "InheritedShape" and count == 29 and len(places) == 5 and places[0].startswith("a.txt:1-2 ")
