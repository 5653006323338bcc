"""Issue 12, part 2: admission control. The deadline counts from arrival, a client that goes away stops its
query, long queries run at low priority in a bounded number of slots while cheap ones pass, one client cannot
hold every slot (429), a full queue answers 503 with Retry-After, and a query that exhausts its worker's memory
cap gets a clean 503 while the server goes on."""

from __future__ import annotations

import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
import pytest

from local_servers import descendants, start_server

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MEMORY_BOMB = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
CHEAP = "ASK { ?s a <https://w3id.org/govkg/ontology#Task> }"
DEADLINE = 3


@pytest.fixture(scope="module")
def tight(built):
    """One fast worker, one long-query slot, one waiting long query at most, one query per client."""
    origin, process = start_server(built, "--workers", "1", "--long-queries", "1", "--queue", "1",
                                   "--per-client", "1", "--deadline", str(DEADLINE), "--worker-memory", "700")
    yield origin, process
    process.terminate()
    process.wait(timeout=20)


def _get(origin: str, query: str, source: str = "127.0.0.1", timeout: float = 30) -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(transport=transport, timeout=timeout) as client:
        return client.get(f"{origin}/sparql", params={"query": query})


def _low_priority_workers(pid: int) -> list[int]:
    """The server's processes running a long query (demoted to nice 10)."""
    found = []
    for child in descendants(pid):
        try:
            if os.getpriority(os.PRIO_PROCESS, child) == 10:
                found.append(child)
        except ProcessLookupError:
            continue
    return found


def _wait_for(condition, seconds: float = 10) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_cheap_queries_pass_while_long_ones_hold_every_slot(tight):
    origin, _ = tight
    with ThreadPoolExecutor(2) as pool:
        long_ones = [pool.submit(_get, origin, ENDLESS, f"127.0.0.{20 + i}") for i in range(2)]
        time.sleep(0.8)  # both past the fast lane: one in the long-query slot, one waiting for it
        cheap = [_get(origin, CHEAP, "127.0.0.30") for _ in range(5)]
        answers = [future.result() for future in long_ones]
    assert [r.status_code for r in cheap] == [200] * 5 and all(r.json()["boolean"] for r in cheap)
    assert [r.status_code for r in answers] == [503, 503] and all("deadline" in r.text for r in answers)


def test_long_queries_that_end_free_their_slot(tight):
    # Every quad with its graph: about half a second, so each run becomes a long query in the one slot.
    everything = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    answers = [_get(tight[0], everything, "127.0.0.70") for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert len({len(r.content) for r in answers}) == 1 and len(answers[0].content) > 2_000_000


def test_deadline_counts_the_time_spent_waiting(tight):
    origin, _ = tight
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(_get, origin, ENDLESS, "127.0.0.21")
        time.sleep(0.8)
        began = time.monotonic()
        second = _get(origin, ENDLESS, "127.0.0.22")  # waits for the slot the first holds to its deadline
        waited = time.monotonic() - began
        first.result()
    assert second.status_code == 503 and "deadline" in second.text
    # Counted from arrival it ends with its deadline; counted from its start it would run ~2 deadlines.
    assert waited < DEADLINE + 1.5


def test_a_client_that_goes_away_stops_its_query(tight):
    origin, process = tight
    assert _wait_for(lambda: not _low_priority_workers(process.pid))
    host, port = origin.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall(f"GET /sparql?query={quote(ENDLESS)} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        assert _wait_for(lambda: bool(_low_priority_workers(process.pid)))  # running as a long query
    began = time.monotonic()
    assert _wait_for(lambda: not _low_priority_workers(process.pid), DEADLINE)
    assert time.monotonic() - began < DEADLINE - 1  # stopped at once, not at its deadline
    assert _get(origin, CHEAP).json()["boolean"] is True


def test_one_client_has_one_query_at_a_time(tight):
    origin, _ = tight
    with ThreadPoolExecutor(1) as pool:
        holding = pool.submit(_get, origin, ENDLESS, "127.0.0.40")
        time.sleep(0.3)
        refused = _get(origin, CHEAP, "127.0.0.40")
        other = _get(origin, CHEAP, "127.0.0.41")
        holding.result()
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    assert other.status_code == 200


def test_a_full_queue_answers_503_with_retry_after(tight):
    origin, _ = tight
    with ThreadPoolExecutor(2) as pool:
        running = pool.submit(_get, origin, ENDLESS, "127.0.0.50")
        time.sleep(0.5)
        waiting = pool.submit(_get, origin, ENDLESS, "127.0.0.51")
        time.sleep(0.5)
        refused = _get(origin, ENDLESS, "127.0.0.52")
        running.result(), waiting.result()
    assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
    assert "busy" in refused.text


@pytest.fixture(scope="module")
def capped(built):
    """A memory cap with a deadline far beyond it: on a busy machine the bomb (run at low priority) may take more
    than the tight server's 3 s to reach its cap, and would then be stopped by the deadline instead."""
    origin, process = start_server(built, "--workers", "1", "--long-queries", "1", "--deadline", "120",
                                   "--worker-memory", "700")
    yield origin, process
    process.terminate()
    process.wait(timeout=20)


def test_memory_cap_gives_a_clean_503_and_the_server_goes_on(capped):
    origin, _ = capped
    response = _get(origin, MEMORY_BOMB, "127.0.0.60", timeout=150)
    assert response.status_code == 503
    assert "700 MB" in response.text and "panic" not in response.text.lower()
    assert _get(origin, CHEAP, "127.0.0.60").json()["boolean"] is True
