"""A server asks the system to read the store it answers from into memory ahead of the queries, when it fits."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from pathlib import Path

import pytest

from govkg.cli import build_parser
from govkg.store import WARM_CHUNK, available_memory, plan_warming, warm
from govkg.web.app import Server, ServerSettings
from govkg.web.warming import Warmer
from local_servers import run_coroutine

pytestmark = pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="the system cannot be asked to read ahead")


@pytest.fixture
def requests(monkeypatch) -> list[tuple[str, int, int, int]]:
    """The read-ahead requests made (file, offset, length, advice), instead of making them."""
    made: list[tuple[str, int, int, int]] = []

    def record(handle: int, offset: int, length: int, advice: int) -> None:
        made.append((os.readlink(f"/proc/self/fd/{handle}"), offset, length, advice))

    monkeypatch.setattr(os, "posix_fadvise", record)
    return made


def _store_files(built: Path) -> dict[str, int]:
    folder = (built / "store").resolve()
    return {str(path): path.stat().st_size for path in folder.iterdir() if path.is_file()}


def test_every_file_of_a_store_is_asked_for_whole_a_window_at_a_time(built, requests):
    files = _store_files(built)
    asked = warm(plan_warming(built / "store", available=10 * 2**30))
    assert asked == sum(files.values()) > 0
    assert {path for path, *_ in requests} == {path for path, size in files.items() if size}
    assert all(advice == os.POSIX_FADV_WILLNEED and length == WARM_CHUNK for _, _, length, advice in requests)
    for path, size in files.items():  # offsets 0, WARM_CHUNK, … up to the file's end, none beyond
        assert sorted(offset for name, offset, _, _ in requests if name == path) == list(range(0, size, WARM_CHUNK))


def test_a_store_more_than_half_the_memory_available_is_left_to_the_queries(built, requests):
    size = sum(_store_files(built).values())
    warming = plan_warming(built / "store", available=2 * size - 1)
    assert warming.refused is not None and "more than 50% of the memory available" in warming.refused
    assert warm(warming) == 0 and requests == []
    assert plan_warming(built / "store", available=2 * size).refused is None


def test_reading_ahead_stops_when_told(built, requests):
    stop = threading.Event()
    stop.set()
    assert warm(plan_warming(built / "store", available=10 * 2**30), stop) == 0 and requests == []


def test_the_memory_available_is_the_systems():
    available = available_memory()
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert available is not None and 0 < available <= total


def test_the_warmer_says_what_it_asked_for(built, requests, caplog):
    store = (built / "store").resolve()

    async def warmed() -> int:
        return await Warmer().start(store)

    with caplog.at_level(logging.INFO, logger="govkg.web.warming"):
        asked = run_coroutine(warmed())
    assert asked == sum(_store_files(built).values())
    [line] = [record.getMessage() for record in caplog.records]
    assert line.startswith(f"{store}: ") and f"in {len(_store_files(built))} files asked into memory" in line


def test_a_server_reads_its_store_ahead_unless_told_not_to(built, monkeypatch):
    started: list[Path] = []
    monkeypatch.setattr(Warmer, "start", lambda self, store: started.append(store))

    async def served(warm: bool) -> Path:
        server = Server(ServerSettings(build_dir=built, follow=0, warm=warm))
        await server.start()
        await server.close()
        return server.committed.store

    store = run_coroutine(served(True))
    assert started == [store]
    run_coroutine(served(False))
    assert started == [store]
    assert build_parser().parse_args(["serve"]).warm is True
    assert build_parser().parse_args(["serve", "--no-warm"]).warm is False


def test_a_server_closing_stops_the_reading_under_way(built, monkeypatch):
    """The warmer's stop (a server closing) ends its thread at the next request, however large the store."""
    first, release, made = threading.Event(), threading.Event(), []

    def slow(handle: int, offset: int, length: int, advice: int) -> None:
        made.append(offset)
        first.set()
        release.wait(10)

    monkeypatch.setattr(os, "posix_fadvise", slow)

    async def closed() -> int:
        warmer = Warmer()
        task = warmer.start((built / "store").resolve())
        await asyncio.to_thread(first.wait, 10)
        stopping = asyncio.create_task(warmer.stop())
        await asyncio.sleep(0.05)
        release.set()
        await stopping
        return await task

    asked = run_coroutine(closed())
    assert len(made) == 1 and 0 < asked <= WARM_CHUNK
    assert len(_store_files(built)) > 1
