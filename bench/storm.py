"""Storm benchmark: cheap queries among pathological ones, against `govkg serve` and Oxigraph's server on the same
data in the same run (each started here on loopback in turn, both with a 10 s query deadline).

16 clients for 30 s by default; 4 of them send pathological queries (cross products, unbounded property paths)
back to back, the others a cheap selective question (Q1: the tasks 住建局 cooperates on). Each client sends
from its own loopback address (127.0.0.N), as separate machines would, so per-client limits apply per client.
Prints cheap-query p50 / p99 and errors for both systems and the ratio govkg / Oxigraph.

    .venv/bin/python bench/storm.py
    .venv/bin/python bench/storm.py --clients 16 --bad 4 --seconds 30 --data million

Target (issue 12): cheap p50 within 3× Oxigraph's, 0 errors on cheap queries.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from endpoint import WORK, free_port, prepare, stop, wait_ready

CHEAP = """PREFIX gw: <https://w3id.org/govkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?task ?statement WHERE {
  ?unit skos:prefLabel "住建局"@zh . ?task gw:cooperatingUnit ?unit ; gw:statement ?statement .
}"""
PATHOLOGICAL = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:x>|!<urn:x>)* ?o . ?o (<urn:y>|!<urn:y>)* ?z }",
    "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x ?p ?y . ?y ?q ?z . ?z ?r ?w . ?w ?t ?v }",
    "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) } ORDER BY ?a LIMIT 1",
]
ACCEPT = {"Accept": "application/sparql-results+json"}
DEADLINE = 10


@dataclass
class Tally:
    """What the clients of one kind saw."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float | int | None]:
        """Count, p50 and p99 in milliseconds, errors."""
        ordered = sorted(self.latencies)
        return {"requests": len(ordered), "errors": len(self.errors),
                "p50_ms": round(1000 * statistics.median(ordered), 1) if ordered else None,
                "p99_ms": round(1000 * ordered[math.ceil(len(ordered) * 0.99) - 1], 1) if ordered else None}


async def storm(url: str, clients: int, bad: int, seconds: float) -> tuple[Tally, Tally]:
    """Run the clients; returns the cheap and the pathological tallies."""
    cheap, heavy = Tally(), Tally()
    stop = time.monotonic() + seconds

    async def client(index: int) -> None:
        pathological = index < bad
        tally = heavy if pathological else cheap
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{10 + index}")
        async with httpx.AsyncClient(transport=transport, timeout=DEADLINE + 20) as http:
            turn = index
            while time.monotonic() < stop:
                query = PATHOLOGICAL[turn % len(PATHOLOGICAL)] if pathological else CHEAP
                turn += 1
                began = time.perf_counter()
                try:
                    response = await http.post(url, data={"query": query}, headers=ACCEPT)
                    await response.aread()
                except httpx.HTTPError as exc:
                    tally.errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                if response.status_code != 200:
                    tally.errors.append(f"HTTP {response.status_code}")
                    if response.status_code in (429, 503):
                        await asyncio.sleep(float(response.headers.get("retry-after", "1")))
                    continue
                tally.latencies.append(time.perf_counter() - began)

    await asyncio.gather(*(client(i) for i in range(clients)))
    return cheap, heavy


def start(system: str, folder: Path, port: int, workers: int) -> subprocess.Popen:
    """Start one system on 127.0.0.1:port with the same query deadline."""
    bin_dir = Path(sys.executable).parent
    if system == "govkg":
        command = [sys.executable, "-m", "govkg", "serve", "--store", str(folder), "--port", str(port),
                   "--deadline", str(DEADLINE), "--workers", str(workers)]
    else:
        command = [str(bin_dir / "oxigraph"), "serve-read-only", "--location", str(folder / "store"), "--bind",
                   f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", str(DEADLINE)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=WORK)


def main() -> None:
    """Run the storm against each system in turn and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", choices=("samples", "million"), default="samples")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--bad", type=int, default=4, help="how many clients send pathological queries")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2, help="govkg query workers (default: 2)")
    parser.add_argument("--systems", default="govkg,oxigraph")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    folder = prepare(args.data)
    results: dict[str, tuple[dict, dict]] = {}
    for system in args.systems.split(","):
        port = free_port()
        process = start(system, folder, port, args.workers)
        url = f"http://127.0.0.1:{port}/" + ("sparql" if system == "govkg" else "query")
        try:
            wait_ready(url, process)
            asyncio.run(storm(url, 1, 0, 1))  # warm-up
            quiet, _ = asyncio.run(storm(url, 4, 0, 5))
            cheap, heavy = asyncio.run(storm(url, args.clients, args.bad, args.seconds))
            results[system] = (cheap.summary(), heavy.summary(), quiet.summary())
        finally:
            stop(process)
        print(f"{system}: cheap {results[system][0]}  pathological {results[system][1]}", file=sys.stderr)
    print(f"\n{args.data}: {args.clients} clients for {args.seconds:g} s, {args.bad} pathological; "
          f"deadline {DEADLINE} s")
    print(f"{'system':<10} {'quiet p50':>10} {'cheap p50':>10} {'cheap p99':>10} {'cheap n':>8} {'cheap err':>10} "
          f"{'bad n':>6} {'bad err':>8}")
    for system, (cheap_summary, heavy_summary, quiet_summary) in results.items():
        print(f"{system:<10} {quiet_summary['p50_ms']!s:>10} {cheap_summary['p50_ms']!s:>10} "
              f"{cheap_summary['p99_ms']!s:>10} {cheap_summary['requests']:>8} {cheap_summary['errors']:>10} "
              f"{heavy_summary['requests']:>6} {heavy_summary['errors']:>8}")
    if len(results) == 2 and all(r[0]["p50_ms"] for r in results.values()):
        ratio = results["govkg"][0]["p50_ms"] / results["oxigraph"][0]["p50_ms"]  # type: ignore[operator]
        print(f"cheap p50 govkg / oxigraph: {ratio:.2f}×  (target ≤ 3×)")


if __name__ == "__main__":
    main()
