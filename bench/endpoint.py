"""Endpoint benchmark: N concurrent clients for T seconds over the named queries, against
(a) `govkg serve`, (b) `oxigraph serve-read-only` and (c) rdflib-endpoint, on the same data, each started here on
127.0.0.1 in turn. Prints requests/s, p50 and p99 per system and the ratios of govkg to the others.

    .venv/bin/python bench/endpoint.py                          # the five samples (~32k triples)
    .venv/bin/python bench/endpoint.py --data million           # the samples copied to ≥ 1,000,000 triples
    .venv/bin/python bench/endpoint.py --clients 16 --seconds 30 --systems govkg,oxigraph

Data and stores are prepared under bench/.work/ (ignored by git) and reused.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".work"
sys.path.insert(0, str(ROOT / "src"))

import govkg  # noqa: E402
from govkg.lexicon import load_lexicon  # noqa: E402
from govkg.query import bind, load_catalog  # noqa: E402

BASE = "https://w3id.org/govkg/id/"
EXAMPLES = {"unit": "住建局", "group": "各街道", "person": "王旭锋", "goal": "主要预期目标", "text": "停车",
            "year": "2021"}
ACCEPT = {"Accept": "application/sparql-results+json"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def named_queries() -> list[str]:
    """The named queries with example parameter values bound (comment lines dropped)."""
    texts = []
    for query in load_catalog().values():
        params = {}
        for param in query.params:
            if param.kind == "year" and param.name in ("year1", "year2"):
                params[param.name] = {"year1": "2021", "year2": "2022"}[param.name]
            elif param.kind == "iri":
                params[param.name] = BASE + "plan/320404/2022/main/18"
            elif param.required:
                params[param.name] = EXAMPLES[param.kind]
        text = bind(query, params, load_lexicon())
        texts.append("\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    return texts


def prepare(data: str) -> Path:
    """A build folder (manifest, dataset.nq, store/) for the data set; built once and reused."""
    samples = WORK / "samples"
    if not (samples / "store").is_dir():
        govkg.build([ROOT / "data" / "samples"], samples)
    if data == "samples":
        return samples
    million = WORK / "million"
    if (million / "store").is_dir():
        return million
    lines = (samples / "dataset.nq").read_text(encoding="utf-8").splitlines()
    copies = -(-1_000_000 // len(lines))
    print(f"writing {copies} copies of {len(lines)} quads", file=sys.stderr)
    million.mkdir(parents=True, exist_ok=True)
    with (million / "dataset.nq").open("w", encoding="utf-8") as out:
        for copy in range(copies):
            prefix = BASE if copy == 0 else f"{BASE}c{copy}/"
            for line in lines:
                out.write(line.replace(BASE, prefix) + "\n")
    store = pyoxigraph.Store(str(million / "store"))
    store.bulk_load(path=str(million / "dataset.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    del store
    shutil.copy(samples / "manifest.json", million / "manifest.json")
    return million


def start(system: str, folder: Path, port: int) -> subprocess.Popen:
    """Start one system on 127.0.0.1:port."""
    bin_dir = Path(sys.executable).parent
    if system == "govkg":
        command = [sys.executable, "-m", "govkg", "serve", "--store", str(folder), "--port", str(port),
                   "--deadline", "600"]
    elif system == "oxigraph":
        command = [str(bin_dir / "oxigraph"), "serve-read-only", "--location", str(folder / "store"), "--bind",
                   f"127.0.0.1:{port}", "--union-default-graph"]
    else:
        command = [str(bin_dir / "rdflib-endpoint"), "serve", str(folder / "dataset.nq"), "--host", "127.0.0.1",
                   "--port", str(port)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=WORK)


def wait_ready(url: str, process: subprocess.Popen, limit: float = 900) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode})")
        try:
            if httpx.get(url, params={"query": "ASK { ?s ?p ?o }"}, headers=ACCEPT, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("server did not start")


def stop(process: subprocess.Popen) -> None:
    """Stop a server started here: terminate, and kill it if it has not ended after 20 s."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


async def load(url: str, queries: list[str], clients: int, seconds: float, timeout: float) -> dict:
    """Run the clients; each sends the queries in turn (from a different starting point) until time is up."""
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + seconds

    async def client(index: int, http: httpx.AsyncClient) -> None:
        turn = index
        while time.monotonic() < stop:
            query = queries[turn % len(queries)]
            turn += 1
            began = time.perf_counter()
            try:
                response = await http.get(url, params={"query": query}, headers=ACCEPT)
                await response.aread()
                if response.status_code != 200:
                    errors.append(f"HTTP {response.status_code}: {response.text[:100]}")
                    continue
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            latencies.append(time.perf_counter() - began)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    started = time.monotonic()
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies), "seconds": round(elapsed, 2), "errors": len(errors),
        "first_errors": errors[:3], "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(ordered), 1) if ordered else None,
        "p99_ms": round(1000 * ordered[max(0, int(len(ordered) * 0.99) - 1)], 1) if ordered else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", choices=("samples", "million"), default="samples")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--systems", default="govkg,oxigraph,rdflib")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    folder = prepare(args.data)
    quads = sum(1 for _ in (folder / "dataset.nq").open(encoding="utf-8"))
    queries = named_queries()
    results = {}
    for system in args.systems.split(","):
        port = free_port()
        process = start(system, folder, port)
        url = f"http://127.0.0.1:{port}/sparql" if system != "oxigraph" else f"http://127.0.0.1:{port}/query"
        try:
            began = time.monotonic()
            wait_ready(url, process)
            ready = time.monotonic() - began
            asyncio.run(load(url, queries, 1, 0.1, args.timeout))  # warm-up: each query once or more
            results[system] = asyncio.run(load(url, queries, args.clients, args.seconds, args.timeout))
            results[system]["startup_s"] = round(ready, 1)
        finally:
            stop(process)
        print(f"{system}: {json.dumps(results[system], ensure_ascii=False)}", file=sys.stderr)
    print(f"\n{args.data}: {quads} quads, {len(queries)} named queries, {args.clients} clients, {args.seconds:g} s")
    print(f"{'system':<10} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7} {'start s':>8}")
    for system, result in results.items():
        print(f"{system:<10} {result['rps']:>9} {result['p50_ms']!s:>9} {result['p99_ms']!s:>9} "
              f"{result['errors']:>7} {result['startup_s']:>8}")
    if "govkg" in results:
        for other in ("oxigraph", "rdflib"):
            if other in results and results[other]["rps"]:
                ratio = results["govkg"]["rps"] / results[other]["rps"]
                print(f"throughput govkg / {other}: {ratio:.2f}×")


if __name__ == "__main__":
    main()
