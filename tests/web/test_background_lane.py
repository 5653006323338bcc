"""The server's own long reads (its indexes) run in a background lane of the query pool (govkg.web.workers).

At 25,000 documents a first server reads its names, statements and class counts whole, for 20–60 s each. They
used to be ordinary long queries, so they held every long-query slot, and a client's question running longer
than a moment waited until one of them ended."""

from __future__ import annotations

import asyncio

import pytest

from govkg.web.workers import DeadlineExceededError, Job, QueryPool, as_server_client
from local_servers import run_coroutine

JSON = "application/sparql-results+json"
#: Never ends on any store (stopped at its deadline).
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a ?b ?c } GRAPH ?h { ?d ?e ?f } GRAPH ?i { ?x ?y ?z } }"
#: About a quarter of a second on the samples' store: long enough to be demoted with a budget of 0.01 s.
LONGER = ("SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { GRAPH ?g { ?a ?b ?c } GRAPH ?h { ?d ?e ?f } } "
          "LIMIT 1000000 } }")
CHEAP = "ASK { ?s a <https://w3id.org/govkg/ontology#Task> }"


def _pool(built) -> QueryPool:
    """One fast worker and one long-query slot, every query past 0.01 s demoted."""
    return QueryPool(str((built / "store").resolve()), size=1, heavy=1, budget=0.01, deadline=30)


async def _own(pool: QueryPool, query: str, deadline: float):
    """A read of the server's own, in a task of its own (as the index readers run)."""
    as_server_client("govkg:test", background=True)
    return await pool.run(Job(query, JSON, None), deadline)


def test_a_clients_long_query_does_not_wait_for_the_servers_own_reads(built):
    async def scenario() -> tuple[str, bool]:
        pool = _pool(built)
        await pool.start()
        try:
            own = asyncio.create_task(_own(pool, ENDLESS, deadline=6))
            await asyncio.sleep(0.3)  # running by now
            answer = await pool.run(Job(LONGER, JSON, None), 20)
            still_running = not own.done()
            with pytest.raises(DeadlineExceededError):
                await own
            return answer.status, still_running
        finally:
            await pool.stop()

    status, still_running = run_coroutine(scenario())
    assert status == "ok"
    # answered in the one long-query slot while the server's read went on (before: it waited for that read's end)
    assert still_running


def test_the_servers_own_reads_run_one_at_a_time_and_keep_their_order(built):
    async def scenario() -> list[str]:
        pool = _pool(built)
        await pool.start()
        ended: list[str] = []

        async def read(name: str, query: str, deadline: float) -> None:
            try:
                answer = await _own(pool, query, deadline)
                ended.append(f"{name} {answer.status}")
            except DeadlineExceededError:
                ended.append(f"{name} past its deadline")

        try:
            first = asyncio.create_task(read("first", ENDLESS, 2))
            await asyncio.sleep(0.1)
            second = asyncio.create_task(read("second", CHEAP, 20))
            # a client's cheap question is answered meanwhile, by the fast lane
            answer = await pool.run(Job(CHEAP, JSON, None), 5)
            ended.append(f"client {answer.status}")
            await asyncio.gather(first, second)
        finally:
            await pool.stop()
        return ended

    # the second read (a cheap one) waited for the first to end, at its deadline
    assert run_coroutine(scenario()) == ["client ok", "first past its deadline", "second ok"]


def test_pages_completion_and_search_do_not_wait_for_the_indexes_being_read(built, monkeypatch, tmp_path):
    # A first server on a national build reads its names and statements for most of a minute; the Ask pages used
    # to wait for the names all that time. Here the reads are held until `gate` is set.
    import re
    import threading

    from fastapi.testclient import TestClient

    from govkg.web import app as web
    from govkg.web import background

    monkeypatch.setenv("GOVKG_CACHE_DIR", str(tmp_path))  # no index kept by an earlier server: read whole
    gate = threading.Event()

    def held(read):
        async def wait_then_read(server):
            await asyncio.to_thread(gate.wait, 60)
            return await read(server)
        return wait_then_read

    for kind in ("names", "tasks"):
        read, update = background._READS[kind]
        monkeypatch.setitem(background._READS, kind, (held(read), update))
    with TestClient(web.create_app(web.ServerSettings(built, workers=1, deadline=2))) as client:
        completion = client.get("/api/names", params={"prefix": "住"})
        assert completion.status_code == 503 and completion.headers["retry-after"] == "5"
        assert "still being read" in completion.json()["error"]
        ask = client.get("/ask/q01")
        assert ask.status_code == 200 and "still being read" in ask.text
        assert re.search(r'<datalist id="names-unit">\s*</datalist>', ask.text)  # no prefilled names yet
        search = client.get("/search", params={"q": "住建局"})
        assert search.status_code == 503 and search.headers["retry-after"] == "5"
        assert "still being read" in search.text
        gate.set()
        for _ in range(60):
            completion = client.get("/api/names", params={"prefix": "住建"})
            if completion.status_code == 200:
                break
        assert {"住建局"} <= {name["label"] for name in completion.json()}
        ask = client.get("/ask/q01")
        assert "still being read" not in ask.text and re.search(r'<datalist id="names-unit">\s*<option', ask.text)
        search = client.get("/search", params={"q": "住建局"})
        assert search.status_code == 200 and "still being read" not in search.text
        assert sorted(re.findall(r'>住建局</a> <span class="where">· (\S+)</span>', search.text)) == [
            "常州市武进区", "常州市钟楼区"]  # as test_people_pages.test_search_shows_a_units_issuer


def test_a_server_reads_its_names_first_then_the_statements_then_the_class_counts(tmp_path, monkeypatch):
    from pathlib import Path
    from types import SimpleNamespace

    from govkg.web import background
    from govkg.web.follow import Committed

    events: list[str] = []

    def reader(kind: str):
        async def read(server):
            events.append(f"start {kind}")
            await asyncio.sleep(0.05)
            events.append(f"end {kind}")
            return kind
        return read

    for kind in ("names", "tasks", "classes"):
        monkeypatch.setitem(background._READS, kind, (reader(kind), None))
    server = SimpleNamespace(committed=Committed(None, Path("store"), None),
                             settings=SimpleNamespace(build_dir=tmp_path), on_switch=[])

    async def scenario(ask_tasks_early: bool) -> list[str]:
        events.clear()
        indexes = background.Indexes(server)  # type: ignore[arg-type]
        indexes.warm()
        if ask_tasks_early:  # a search while the names are read: the statements are read at once
            await asyncio.sleep(0.01)
            assert await indexes.tasks() == "tasks"
        for _ in range(500):
            if len(events) == 6:
                break
            await asyncio.sleep(0.01)
        return list(events)

    # one after the other, so that the names (which the Ask pages need alone) come first
    assert run_coroutine(scenario(False)) == ["start names", "end names", "start tasks", "end tasks",
                                              "start classes", "end classes"]
    assert run_coroutine(scenario(True))[:3] == ["start names", "start tasks", "end names"]


def test_a_background_worker_serves_the_next_read_then_ends(built, monkeypatch):
    # A whole read is several queries in a row (the names: ten scans): one worker answers them, not one each.
    from govkg.web import workers

    monkeypatch.setattr(workers, "BACKGROUND_LINGER", 0.5)

    async def scenario() -> tuple[list[int], bool]:
        pool = _pool(built)
        await pool.start()
        try:
            pids = []
            for _ in range(3):
                assert (await _own(pool, CHEAP, deadline=20)).status == "ok"
                pids.append(pool._background_idle[0].process.pid)
            worker = pool._background_idle[0]
            await asyncio.sleep(1.0)  # past the linger: it ended
            return pids, not pool._background_idle and not worker.process.is_alive()
        finally:
            await pool.stop()

    pids, ended = run_coroutine(scenario())
    assert len(set(pids)) == 1 and ended
