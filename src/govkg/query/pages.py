"""A named question asked of every issuer, answered in pages: the issuers asked in groups, in the order of their names.

Asked of the whole country at once, a question's answer grows with the country (Q5's unit load of every plan:
388,775 rows, 78 s at 21,362 documents) and runs past any request's deadline. Every named question with an issuer
parameter answers per issuer (its rows never combine issuers), so the national answer is the answers of the issuers
one after the other: a page asks groups of issuers, each group one query bound to their names, until it holds
`rows` rows or another group would end past `budget` seconds (`empty_budget` while it has none), and says which
issuer the next page starts at. Each group is as selective as a question about one issuer, so a page costs about
the same on 5 issuers and on 3,000.

Questions differ a hundredfold in rows per issuer (Q1 about 8, Q4's unit pairs about 500 at 25,000 documents), so
a page sizes its groups from what it has seen: the first asks one issuer, each next one at most twice as many as
the last and no more than the rows still wanted need at the rows per issuer so far (up to `group`); the time per
issuer so far foretells the next group's.

Rows come issuer by issuer, in the order of the issuers' names; within an issuer, in the question's own order.

A command that writes a national answer whole (`govkg query`) takes it from `national_pages`: the first page alone
(its rows come within a second), then the issuers after it in blocks asked side by side in threads, each block's
groups sized from the first page's rows per issuer, the blocks' pages written in order.
"""

from __future__ import annotations

import asyncio
import bisect
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from rdflib.namespace import RDFS

from ..rdf.vocab import GW
from .backends import Results
from .bind import VALUES_START_ROWS
from .catalog import NamedQuery, Param

#: Rows a page holds at least, unless the issuers run out or the page's time is spent.
PAGE_ROWS = 1000
#: Rows the pages after the first hold at least when an answer is written whole (a command's output): larger
#: groups, fewer queries, pages still within the budget.
WHOLE_PAGE_ROWS = 20 * PAGE_ROWS
#: Issuers in a block of an answer written whole after its first page: blocks are asked side by side, each block's
#: groups one after the other; the rows of a few blocks are held at a time.
BLOCK = 100
#: Seconds a page with rows may take, and a page still without rows (a rare answer: its issuers are few and far
#: between). A page asks another group only while the time per issuer so far says that it would end within the
#: budget: on a slow day one group of 9 issuers of Q4 took 0.7 s at 25,000 documents, and a page that asked a
#: second one after 0.7 s answered in 1.5–2.6 s.
PAGE_BUDGET = 0.8
EMPTY_PAGE_BUDGET = 5.0
#: Issuers a group asks at most: a query's VALUES clause keeps to bind.VALUES_START_ROWS rows, past which
#: Oxigraph joins the OPTIONALs over the whole store (at 25,000 documents, Q1 asked of 10 issuers in one clause took
#: 7.3 s and 6 GB, of 9 issuers 22 ms); with several spellings of a name, fewer (bind.issuers_per_group).
GROUP = VALUES_START_ROWS

#: Asks the question of a group of issuers (their names) and gives its rows.
AskGroup = Callable[[Sequence[str]], Awaitable[Results]]


@dataclass
class Page:
    """One page of a national answer: the rows of `issuers` (consecutive in name order), and the issuer the next
    page starts at (None on the last page)."""

    results: Results
    issuers: list[str] = field(default_factory=list)
    next: str | None = None
    #: How many issuers the page's last group asked.
    last_group: int = 0


def issuer_param(named: NamedQuery) -> Param | None:
    """The question's optional issuer parameter: the one a national answer is paged by (None: not pageable)."""
    return next((param for param in named.params if param.kind == "issuer" and not param.required), None)


def pageable(named: NamedQuery, params: dict[str, str]) -> bool:
    """Whether the question, as asked, spans every issuer and can be answered issuer by issuer."""
    param = issuer_param(named)
    return param is not None and not params.get(param.name)


def national_issuers(named: NamedQuery, params: dict[str, str], select: Callable[[str], list[dict[str, str]]]
                     ) -> list[str] | None:
    """The names (rdfs:label@zh) of the issuers the question spans as asked, sorted, when it spans every issuer (None:
    it names one, or cannot): those with a plan, or with a progress report for the questions paged over reports."""
    if not pageable(named, params):
        return None
    kind = "gw:ProgressReport" if named.paged_over == "reports" else "gw:WorkPlan"
    rows = select(f"PREFIX gw: <{GW}> PREFIX rdfs: <{RDFS}> SELECT DISTINCT ?name WHERE {{ ?plan a {kind} ; "
                  f'gw:issuer ?gov . ?gov rdfs:label ?name FILTER(LANG(?name) = "zh") }}')
    return sorted({row["name"] for row in rows})


def start_index(issuers: Sequence[str], start: str | None) -> int:
    """Where a page starting at issuer `start` begins in the sorted names (the first name not before it, so a
    cursor stays good when a rebuild removed that issuer)."""
    return bisect.bisect_left(issuers, start) if start else 0


def blocks_of(names: Sequence[str], size: int) -> list[Sequence[str]]:
    """The names in consecutive blocks of `size` (the last one shorter)."""
    return [names[at:at + size] for at in range(0, len(names), size)]


def by_issuer(results: Results, order: Sequence[str], column: str = "issuer") -> Results:
    """The rows in the order of their issuer in `order` (stable: within an issuer, the question's order)."""
    rank = {name: index for index, name in enumerate(order)}
    last = len(order)
    results.rows.sort(key=lambda row: rank.get(row[column].value, last) if column in row else last)
    return results


async def national_page(ask: AskGroup, issuers: Sequence[str], start: str | None = None, *,
                        rows: int = PAGE_ROWS, group: int = GROUP, budget: float = PAGE_BUDGET,
                        empty_budget: float = EMPTY_PAGE_BUDGET, before: Page | None = None,
                        clock: Callable[[], float] = time.monotonic) -> Page:
    """The page of a national answer starting at issuer `start` (None: the first), `issuers` being every issuer's
    name in sorted order, asked in groups of as many issuers as the rows seen call for (on this page, or on the page
    `before` it of the same answer), up to `group`."""
    began = clock()
    index = start_index(issuers, start)
    page = Page(Results())
    size = 1
    if before is not None and before.issuers:
        # its rate, and as much trust in it as its issuers give (not only its last group, often a remainder)
        seen = max(before.last_group, len(before.issuers) // 2)
        size = next_group(seen, len(before.issuers), len(before.results.rows), rows, group)
    while index < len(issuers):
        asked = list(issuers[index:index + size])
        found = by_issuer(await ask(asked), asked)
        if not page.results.variables:
            page.results.variables = found.variables
        page.results.rows += found.rows
        page.issuers += asked
        index += len(asked)
        page.last_group = len(asked)
        found_rows, spent = len(page.results.rows), clock() - began
        if found_rows >= rows:
            break
        size = next_group(len(asked), len(page.issuers), found_rows, rows - found_rows, group)
        if spent + spent / len(page.issuers) * size > (budget if found_rows else empty_budget):
            break
    page.next = issuers[index] if index < len(issuers) else None
    return page


def national_pages(ask: Callable[[Sequence[str]], Results], issuers: Sequence[str], *, rows: int = PAGE_ROWS,
                   more_rows: int = WHOLE_PAGE_ROWS, group: int = GROUP, budget: float = PAGE_BUDGET, jobs: int = 1,
                   block: int = BLOCK) -> Iterator[Page]:
    """Every page of a national answer in order (for a command that writes them as they come), asking the groups
    with the blocking `ask`: a first page of `rows` rows alone, then the issuers after it in blocks of `block`, up
    to `jobs` blocks asked at once (threads: a store answers queries side by side, on another CPU each), each
    block's pages of `more_rows` rows sized from the first page's rate as `national_page` sizes them. When the
    caller stops (an error, Ctrl-C, the generator closed), the blocks not started are dropped and those running end
    before their next group."""
    stop = threading.Event()

    async def asked(names: Sequence[str]) -> Results:
        if stop.is_set():
            raise _StoppedError
        return ask(names)

    def block_pages(names: Sequence[str], first: Page) -> list[Page]:
        pages: list[Page] = []
        while not pages or pages[-1].next is not None:
            before = pages[-1] if pages else first
            pages.append(asyncio.run(national_page(asked, names, pages[-1].next if pages else None, rows=more_rows,
                                                   group=group, budget=budget, before=before)))
        return pages

    # every page is asked in the pool's threads, whose event loops are their own (the caller's thread may run one)
    with ThreadPoolExecutor(max(1, jobs), thread_name_prefix="govkg-pages") as pool:
        first = pool.submit(asyncio.run, national_page(asked, issuers, None, rows=rows, group=group,
                                                       budget=budget)).result()
        rest = issuers[len(first.issuers):]
        yield first
        blocks = blocks_of(rest, block)
        waiting: deque[tuple[int, Future[list[Page]]]] = deque()

        def finished() -> list[Page]:
            """The oldest block's pages, the last pointing at the next block."""
            done, future = waiting.popleft()
            pages = future.result()
            pages[-1].next = blocks[done + 1][0] if done + 1 < len(blocks) else None
            return pages

        try:
            for index, names in enumerate(blocks):
                waiting.append((index, pool.submit(block_pages, names, first)))
                if len(waiting) > max(1, jobs):
                    yield from finished()
            while waiting:
                yield from finished()
        finally:
            stop.set()
            for _, future in waiting:  # the writer stopped early: the blocks not started are not asked
                future.cancel()


class _StoppedError(Exception):
    """The pages' caller has stopped: a block ends before its next group."""


def next_group(last: int, asked: int, found: int, wanted: int, most: int) -> int:
    """How many issuers the next group asks: at most twice the `last` group and `most`, and no more than `wanted`
    rows need at the rows per issuer so far (`found` rows of `asked` issuers)."""
    size = min(max(1, most), 2 * last)
    if found:
        size = min(size, -(-wanted * asked // found))  # ceil(wanted / (found / asked))
    return max(1, size)
