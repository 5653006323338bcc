"""Paging a national answer (govkg.query.pages): issuers asked in groups in name order, a page ending at its rows
or its time, the cursor, and the groups bound as VALUES."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from govkg.lexicon import load_lexicon
from govkg.query import Results, Value, find_query
from govkg.query.bind import VALUES_START_ROWS, issuers_per_group, values_block
from govkg.query.pages import GROUP, national_page, national_pages, pageable, start_index
from local_servers import run_coroutine  # asyncio.run fails where a browser test left a loop running

ISSUERS = [f"issuer{number:03d}" for number in range(200)]


class FakeStore:
    """Answers a group with `per_issuer` rows per issuer, in reverse issuer order (the pager must restore it);
    each issuer asked takes `seconds` on the fake clock (a group's time grows with its rows, as Q4's does)."""

    def __init__(self, per_issuer: dict[str, int], seconds: float = 0.0) -> None:
        self.per_issuer, self.seconds, self.now = per_issuer, seconds, 0.0
        self.groups: list[list[str]] = []

    async def ask(self, group: Sequence[str]) -> Results:
        return self.run(group)

    def run(self, group: Sequence[str]) -> Results:
        """The answer to a group, blocking (as a store's query)."""
        self.groups.append(list(group))
        self.now += self.seconds * len(group)
        rows = [{"issuer": Value("literal", issuer, None, "zh"), "n": Value("literal", str(n))}
                for issuer in reversed(group) for n in range(self.per_issuer.get(issuer, 0))]
        return Results(variables=["issuer", "n"], rows=rows)

    def clock(self) -> float:
        return self.now

    def sizes(self) -> list[int]:
        return [len(group) for group in self.groups]


def page(store: FakeStore, start: str | None = None, rows: int = 100, budget: float = 1.0, empty_budget: float = 5.0):
    return run_coroutine(national_page(store.ask, ISSUERS, start, rows=rows, budget=budget, empty_budget=empty_budget,
                                     clock=store.clock))


def test_groups_grow_until_the_page_holds_its_rows_and_rows_come_in_issuer_order():
    store = FakeStore({issuer: 2 for issuer in ISSUERS})
    first = page(store)
    # 2 rows an issuer: 100 rows need 50 issuers; groups double from one up to 9, the last one only what is missing
    assert store.sizes() == [1, 2, 4, 8, GROUP, GROUP, GROUP, 8]
    assert first.issuers == ISSUERS[:50] and len(first.results.rows) == 100
    assert [row["issuer"].value for row in first.results.rows] == [i for i in ISSUERS[:50] for _ in range(2)]
    assert [row["n"].value for row in first.results.rows[:4]] == ["0", "1", "0", "1"], "within an issuer: as asked"
    assert first.next == "issuer050"


def test_a_question_with_many_rows_per_issuer_asks_few_issuers():
    # Q4's unit pairs: about 500 rows an issuer at 25,000 documents; a page of 1,000 rows needs two issuers
    store = FakeStore({issuer: 500 for issuer in ISSUERS}, seconds=0.08)
    found = page(store, rows=1000, budget=0.8)
    assert store.sizes() == [1, 1] and len(found.results.rows) == 1000 and found.next == ISSUERS[2]
    assert store.now < 0.2  # one group of 9 issuers took 0.7 s


def test_a_page_after_another_sizes_its_first_group_from_it():
    store = FakeStore({issuer: 2 for issuer in ISSUERS})
    first = page(store)
    store.groups.clear()
    second = run_coroutine(national_page(store.ask, ISSUERS, first.next, rows=100, before=first, clock=store.clock))
    # the first page's 50 issuers gave 2 rows each: groups of 9 at once, the last only the 5 issuers missing
    assert store.sizes() == [GROUP] * 5 + [5] and second.issuers == ISSUERS[50:100]
    wide = FakeStore({issuer: 500 for issuer in ISSUERS})
    first = run_coroutine(national_page(wide.ask, ISSUERS, rows=1000, clock=wide.clock))
    wide.groups.clear()
    run_coroutine(national_page(wide.ask, ISSUERS, first.next, rows=1000, before=first, clock=wide.clock))
    assert wide.sizes() == [2]  # 500 rows an issuer: the two issuers a page of 1,000 rows needs, in one group


def test_a_page_asks_smaller_groups_when_told():
    store = FakeStore({issuer: 2 for issuer in ISSUERS})
    found = run_coroutine(national_page(store.ask, ISSUERS, rows=30, group=3, clock=store.clock))
    assert store.sizes() == [1, 2, 3, 3, 3, 3]
    assert found.issuers == ISSUERS[:15] and found.next == "issuer015"


def test_a_page_with_rows_asks_no_group_that_would_end_past_its_time():
    store = FakeStore({issuer: 1 for issuer in ISSUERS}, seconds=0.05)
    found = page(store, budget=1.0)
    # 1, 3, 7, 15 issuers asked by 0.75 s: the next 9 would end at 1.2 s
    assert store.sizes() == [1, 2, 4, 8]
    assert found.next == ISSUERS[15] and len(found.results.rows) == 15
    once = FakeStore({issuer: 1 for issuer in ISSUERS}, seconds=2.0)  # one issuer past the budget: still asked
    found = page(once, budget=0.8)
    assert once.sizes() == [1] and len(found.results.rows) == 1 and found.next == ISSUERS[1]


def test_a_page_without_rows_goes_on_longer_and_to_the_end():
    rare = FakeStore({"issuer150": 3}, seconds=0.05)
    found = page(rare, budget=1.0, empty_budget=5.0)
    # 96 issuers by 4.8 s (groups 1, 2, 4, 8, then 9s): 9 more would end past the 5 s
    assert rare.sizes() == [1, 2, 4, 8] + [GROUP] * 9 and found.results.rows == []
    assert found.next == ISSUERS[96]
    quick = FakeStore({"issuer150": 3})
    found = page(quick)
    assert found.issuers == ISSUERS and found.next is None  # every group asked: the answer's one issuer found
    assert [row["issuer"].value for row in found.results.rows] == ["issuer150"] * 3


def test_the_next_page_starts_where_the_last_ended():
    store = FakeStore({issuer: 10 for issuer in ISSUERS})
    first = page(store)
    second = page(store, first.next)
    assert second.issuers[0] == first.next and not set(first.issuers) & set(second.issuers)


def test_a_cursor_past_every_issuer_gives_an_empty_last_page():
    assert start_index(ISSUERS, "issuer050") == 50
    assert start_index(ISSUERS, "issuer050x") == 51  # an issuer no longer in the data: the next name
    assert start_index(ISSUERS, None) == 0
    store = FakeStore({})
    found = page(store, "zzz")
    assert found.issuers == [] and found.next is None and store.groups == []


@pytest.mark.parametrize(("jobs", "block"), [(1, 7), (2, 7), (3, 1), (2, 1000)])
def test_an_answer_written_whole_comes_in_order_whatever_blocks_are_asked_side_by_side(jobs, block):
    store = FakeStore({issuer: 3 for issuer in ISSUERS[:40]})
    pages = list(national_pages(store.run, ISSUERS[:40], rows=10, more_rows=50, jobs=jobs, block=block))
    assert [issuer for p in pages for issuer in p.issuers] == ISSUERS[:40]
    assert [row["issuer"].value for p in pages for row in p.results.rows] == [i for i in ISSUERS[:40] for _ in "abc"]
    assert [p.next for p in pages] == [p.issuers[0] for p in pages[1:]] + [None]
    assert sorted(issuer for group in store.groups for issuer in group) == ISSUERS[:40], "each issuer asked once"


def test_the_blocks_after_the_first_page_start_from_its_rate():
    store = FakeStore({issuer: 3 for issuer in ISSUERS})
    pages = list(national_pages(store.run, ISSUERS[:40], rows=10, more_rows=50, jobs=1, block=7))
    # the first page: 1, 2 and 1 issuers hold 12 rows (10 asked); every block of 7 then asks 4 (the first page's
    # 3 rows an issuer, 50 rows wanted, at most twice its groups of 2) and the 3 left, not 1, 2, 4
    assert len(pages[0].issuers) == 4 and store.sizes()[:3] == [1, 2, 1]
    assert store.sizes()[3:] == [4, 3] * 5 + [1]


def test_a_writer_that_stops_early_leaves_the_rest_unasked():
    store = FakeStore({issuer: 3 for issuer in ISSUERS})
    pages = national_pages(store.run, ISSUERS, rows=10, more_rows=10, jobs=2, block=10)
    next(pages), next(pages)
    pages.close()
    assert len({issuer for group in store.groups for issuer in group}) <= 4 + 3 * 10  # the first page, 3 blocks


def test_a_block_running_when_the_writer_stops_ends_before_its_next_group():
    import threading
    import time

    asked_after: list[int] = []
    closed = threading.Event()

    def slow(group: Sequence[str]) -> Results:
        if closed.is_set():
            asked_after.append(len(group))
        time.sleep(0.01)
        return FakeStore({issuer: 1 for issuer in ISSUERS}).run(group)

    # groups of one issuer; blocks of 20 issuers, two asked at once
    pages = national_pages(slow, ISSUERS, rows=2, more_rows=1, group=1, jobs=2, block=20)
    next(pages), next(pages)  # the first page, then the first block's: the next two blocks are under way
    closed.set()
    pages.close()  # waits for those two, which stop at their next group instead of asking up to 40 more
    assert len(asked_after) <= 2


def test_only_questions_with_an_optional_issuer_left_out_are_paged():
    assert pageable(find_query("q05"), {})
    assert not pageable(find_query("q05"), {"issuer": "钟楼区"})
    assert pageable(find_query("q09"), {})  # every document's weak records, issuer by issuer
    assert not pageable(find_query("q09"), {"issuer": "钟楼区"})
    assert not pageable(find_query("q12"), {})  # no issuer parameter: one task
    assert not pageable(find_query("q12"), {"task": "https://w3id.org/govkg/id/plan/320404/2022/main/1"})


def test_a_group_binds_its_issuers_and_their_spellings_of_a_unit():
    lex = load_lexicon()
    block = values_block(find_query("q01"), {"unit": "住建局"}, lex, issuers=["常州市钟楼区", "常州市武进区"])
    assert '"常州市钟楼区"@zh' in block and '"常州市武进区"@zh' in block
    assert "UNDEF" in block  # the year left out
    assert '"住建局"@zh' in block
    alone = values_block(find_query("q01"), {"unit": "住建局"}, lex)
    assert "常州市钟楼区" not in alone  # asked of every issuer at once: the issuer UNDEF


def test_a_group_keeps_the_values_clause_to_nine_rows():
    lex = load_lexicon()
    assert GROUP == VALUES_START_ROWS == 9
    assert issuers_per_group(find_query("q05"), {}, lex) == 9
    assert issuers_per_group(find_query("q05"), {"year": "2022"}, lex) == 9
    # 各街道、各镇: two group names, each one term: 4 issuers make 8 rows
    two = {"group": "各街道、各镇"}
    assert issuers_per_group(find_query("q11"), two, lex) == 4
    four = ["常州市钟楼区", "常州市武进区", "常州市天宁区", "常州市新北区"]
    block = values_block(find_query("q11"), two, lex, issuers=four)
    assert block.count("\n  (") == 8


def test_a_question_asked_of_every_issuer_is_measured_by_its_issuers(built):
    from govkg.query import EmbeddedStore
    from govkg.query.names_check import backend_select
    from govkg.query.pages import national_issuers

    select = backend_select(EmbeddedStore(built))
    # the samples: plans of 常州市钟楼区 (2021, 2022, 2025) and 常州市武进区 (2018, 2023), no progress report; in the
    # order of their names' code points (武 U+6B66 before 钟 U+949F)
    both = ["常州市武进区", "常州市钟楼区"]
    assert national_issuers(find_query("q04"), {}, select) == both
    assert national_issuers(find_query("q01"), {"unit": "住建局"}, select) == both
    assert national_issuers(find_query("q01"), {"unit": "住建局", "issuer": "钟楼区"}, select) is None
    assert national_issuers(find_query("q14"), {}, select) == []  # paged over the issuers with a progress report


def test_the_command_line_says_when_a_question_spans_more_issuers_than_a_group(built, capsys, monkeypatch):
    from govkg import cli

    monkeypatch.setattr(cli, "GROUP", 1)  # the samples' two issuers stand for a national build
    assert cli.main(["query", "q04", "--store", str(built), "--format", "tsv"]) == 0
    captured = capsys.readouterr()
    assert "asked of every one of 2 issuers" in captured.err and "--issuer" in captured.err
    assert captured.out.startswith("issuer\tyear\tunitA")
    assert cli.main(["query", "q04", "--store", str(built), "--issuer", "钟楼区", "--format", "tsv"]) == 0
    assert "asked of every" not in capsys.readouterr().err
    monkeypatch.setattr(cli, "GROUP", 9)
    assert cli.main(["query", "q04", "--store", str(built), "--format", "tsv"]) == 0
    assert "asked of every" not in capsys.readouterr().err  # two issuers: answered as one, said nothing
