"""publish: push a build's named graphs to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

Each graph is replaced in one request (a PUT of the whole graph, streamed in pieces of --batch triples), so the
store holds either the old graph or the new one, and publishing again never duplicates. With an endpoint, the
triples of each graph are counted afterwards and a difference is an error; graphs of the same base that the
build no longer has can be removed (--prune).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pyoxigraph

from .query.backends import RemoteEndpoint
from .query.catalog import QueryError

if TYPE_CHECKING:  # imported when publishing: every other command starts without it
    import httpx

N_TRIPLES = "application/n-triples"
DEFAULT_BATCH = 50_000


class PublishError(Exception):
    """Publishing failed: unreachable store, refused request, or a build folder that is not one."""


@dataclass
class PublishedGraph:
    """What was sent for one graph, and what the endpoint counted afterwards (if asked)."""

    name: str
    triples: int
    bytes: int
    requests: int
    counted: int | None = None


@dataclass
class PublishReport:
    """What a publish run sent and removed."""

    graphs: list[PublishedGraph] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """Readable lines for the command line."""
        lines = []
        for graph in self.graphs:
            counted = "" if graph.counted is None else f", {graph.counted} in the store"
            lines.append(f"{graph.name}: {graph.triples} triples, {graph.bytes} bytes in {graph.requests} "
                         f"request{'s' if graph.requests != 1 else ''}{counted}")
        lines += [f"{name}: removed" for name in self.removed]
        total = sum(graph.triples for graph in self.graphs)
        lines.append(f"published {len(self.graphs)} graphs, {total} triples")
        return lines


def build_graphs(build_dir: Path) -> tuple[str, dict[str, list[Path]]]:
    """The base IRI and the graph files of a build folder, by graph name: one file a graph, but the lexicon and
    links graphs' issuer shares one after another when the build keeps no whole file of them (--dumps shares or
    lazy)."""
    manifest_path = build_dir / "manifest.json"
    if not manifest_path.is_file():
        raise PublishError(f"{build_dir}: not a build folder (no manifest.json); run `govkg build` first")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    graphs = {record["graph"]: [build_dir / record["graph_file"]] for record in manifest["documents"].values()}
    graphs.update({record["statistics_graph"]: [build_dir / record["statistics_file"]]
                   for record in manifest["documents"].values() if "statistics_graph" in record})
    for shared in ("lexicon", "links"):
        whole = build_dir / "graphs" / f"{shared}.nq"
        shares = [build_dir / part for part in manifest.get("parts", []) if part.startswith(f"graphs/{shared}/")]
        if whole.is_file() or not shares:
            shares = [whole]
        if shared == "lexicon" or shares[0].is_file():  # builds before the links graph have none
            graphs[manifest["base"] + f"graph/{shared}"] = shares
    missing = [str(path) for paths in graphs.values() for path in paths if not path.is_file()]
    if missing:
        raise PublishError(f"{build_dir}: graph files missing ({', '.join(missing)}); build again")
    return manifest["base"], dict(sorted(graphs.items()))


@dataclass
class _Body:
    """A graph's files as the N-Triples body of one request, produced in pieces of `size` triples."""

    paths: list[Path]
    size: int
    triples: int = 0
    bytes: int = 0

    def __iter__(self) -> Iterator[bytes]:
        self.triples = self.bytes = 0
        chunk: list[pyoxigraph.Triple] = []
        for path in self.paths:
            for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS):
                chunk.append(quad.triple)
                if len(chunk) >= self.size:
                    yield self._piece(chunk)
                    chunk = []
        if chunk:
            yield self._piece(chunk)

    def _piece(self, chunk: list[pyoxigraph.Triple]) -> bytes:
        data = pyoxigraph.serialize(chunk, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
        self.triples += len(chunk)
        self.bytes += len(data)
        return data


def _send(client: httpx.Client, method: str, url: str, body: _Body | None = None) -> None:
    import httpx

    try:
        response = client.request(method, url, content=body,
                                  headers={"Content-Type": N_TRIPLES} if body is not None else None)
    except httpx.TimeoutException:
        raise PublishError(f"{url}: no answer in time") from None
    except httpx.HTTPError as exc:
        raise PublishError(f"cannot reach {url.split('?', maxsplit=1)[0]}: {exc}") from None
    if response.status_code >= 400:
        text = response.text.strip().splitlines()
        detail = f": {text[0][:200]}" if text else ""
        raise PublishError(f"{method} {url.split('?', maxsplit=1)[0]} answered {response.status_code}{detail}")


def publish(build_dir: str | Path, graph_store: str, *, endpoint: str | None = None, user: str | None = None,
            password: str | None = None, token: str | None = None, batch: int = DEFAULT_BATCH,
            timeout: float = 60.0, prune: bool = False,
            progress: Callable[[str], None] | None = None) -> PublishReport:
    """Replace each named graph of a build in the store behind `graph_store`; returns what was sent."""
    say = progress or (lambda message: None)
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise PublishError(f"--batch must be a positive number of triples, not {batch}")
    base, graphs = build_graphs(Path(build_dir))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    auth = (user, password or "") if user else None
    report = PublishReport()
    import httpx

    with httpx.Client(timeout=timeout, auth=auth, headers=headers) as client:
        for name, paths in graphs.items():
            url = f"{graph_store}{'&' if '?' in graph_store else '?'}graph={quote(name, safe='')}"
            say(f"sending {name}")
            body = _Body(paths, batch)
            _send(client, "PUT", url, body)
            report.graphs.append(PublishedGraph(name, body.triples, body.bytes, 1))
        if endpoint:
            remote = RemoteEndpoint(endpoint, timeout=timeout, user=user, password=password, token=token,
                                    union_default_graph=True)
            try:
                for graph in report.graphs:
                    rows = remote.run(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.name}> {{ ?s ?p ?o }} }}").rows
                    graph.counted = int(rows[0]["n"].value) if rows else 0
                if prune:
                    stale = [g for g in remote.graphs() if g.startswith(base + "graph/") and g not in graphs]
                    for name in stale:
                        _send(client, "DELETE", f"{graph_store}{'&' if '?' in graph_store else '?'}"
                                                f"graph={quote(name, safe='')}")
                        report.removed.append(name)
            except QueryError as exc:
                raise PublishError(str(exc)) from None
            wrong = [f"{g.name} ({g.counted} of {g.triples})" for g in report.graphs if g.counted != g.triples]
            if wrong:
                raise PublishError(f"the store does not hold what was sent: {', '.join(wrong)}")
        elif prune:
            raise PublishError("--prune needs --endpoint (to list the graphs the store has)")
    return report
