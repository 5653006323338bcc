"""SPARQL results in TSV (as Oxigraph writes them) read back into plain values: the server's reads of a whole
build come as TSV, which is smaller than JSON and parsed without building a dictionary per term."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

from .workers import Job, QueryPool

_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_CHARACTER_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    """A literal's lexical form from its Turtle string body (ECHAR and UCHAR escapes)."""
    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else _CHARACTER_ESCAPES.get(match.group(3), match.group(0))
    return _ESCAPE.sub(one, text) if "\\" in text else text


def tsv_value(cell: str) -> str | None:
    """A TSV cell's value: an IRI without its brackets, a literal's lexical form (its language or datatype left
    out), a number as written; None for an unbound cell."""
    if not cell:
        return None
    if cell.startswith("<") and cell.endswith(">"):
        return cell[1:-1]
    if cell.startswith('"'):
        end = cell.rfind('"')
        return _unescape(cell[1:end]) if end > 0 else None
    return cell


def tsv_rows(body: str) -> Iterator[list[str | None]]:
    """The rows of a SPARQL TSV result (its header line left out), each a list of values (`tsv_value`)."""
    lines = body.split("\n")
    for line in lines[1:]:
        if line:
            yield [tsv_value(cell) for cell in line.split("\t")]


class AnswerTooLargeError(RuntimeError):
    """A query's answer exceeded the bytes it was allowed."""


async def select_rows(pool: QueryPool, query: str, *, deadline: float, max_bytes: int) -> list[list[str | None]]:
    """Run a SELECT through the query pool (as the current request context's client) and return its rows as plain
    values, parsed off the event loop; RuntimeError when it fails (AnswerTooLargeError above `max_bytes`)."""
    answer = await pool.run(Job(query, "text/tab-separated-values", None, max_bytes=max_bytes), deadline)
    if answer.status == "too-large":
        raise AnswerTooLargeError(answer.message)
    if answer.status != "ok":
        raise RuntimeError(answer.message)
    return await asyncio.to_thread(lambda: list(tsv_rows(answer.body.decode("utf-8"))))
