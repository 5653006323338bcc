"""Fuzzed readers: generated inputs either read or raise a one-line InputError — no other exception, no hang.

Inputs (fixed seed): random bytes, truncated and mutated real documents (text samples, the corpus, generated
.docx / .xlsx / .html originals), NULs, wrong encodings, huge lines, deep nesting, broken sidecars.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import govkg
from govkg.cli import main
from govkg.lexicon import Lexicon, load_lexicon
from govkg.model import InputError

ROOT = Path(__file__).resolve().parents[2]
SEED = 20261129
#: Longest time one input may take, in readings of the five samples measured in the same run (a hang or a
#: quadratic blow-up shows up as a slow input; the largest inputs, 60,000 names in one cell and 3,000 rows, took
#: 10 and 6 readings of the samples when measured).
PER_INPUT_READINGS = 40
#: Longest time all inputs may take together, in readings of the samples (29 when measured).
ALL_INPUTS_READINGS = 120

Case = tuple[str, bytes, bytes | None]  # (name with suffix, document bytes, sidecar bytes or None)


def _texts() -> list[tuple[str, bytes]]:
    files = sorted((ROOT / "data" / "samples").glob("*.txt")) + sorted((ROOT / "tests" / "corpus" / "raw").glob("*"))
    return [(path.name, path.read_bytes()) for path in files if path.is_file()]


def _originals() -> list[tuple[str, bytes]]:
    """Generated originals of one sample (skipped quietly if a writer's library is missing)."""
    sys.path.insert(0, str(ROOT / "tests" / "originals"))
    try:
        import makers
    finally:
        sys.path.pop(0)
    document = makers.sample_document("002")
    out = []
    for suffix, writer in ((".docx", makers.write_docx), (".xlsx", makers.write_xlsx), (".html", makers.write_html)):
        try:
            out.append((suffix, writer(document)))
        except Exception:  # an optional writer (its library may be missing); the other inputs still run
            continue
    return out


def _mutate(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if not buf:
            break
        op = rng.randrange(4)
        i = rng.randrange(len(buf))
        if op == 0:
            buf[i] = rng.randrange(256)
        elif op == 1:
            del buf[i : i + rng.randint(1, 64)]
        elif op == 2:
            buf[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            j = rng.randrange(len(buf))
            buf[i:i] = buf[j : j + rng.randint(1, 200)]
    return bytes(buf)


def _cases(seed: int = SEED) -> Iterator[Case]:
    rng = random.Random(seed)
    texts = _texts()
    header = "序号\t工作任务\t牵头单位\t责任单位\n".encode()
    # Random bytes, of many lengths.
    for n in range(60):
        yield f"random{n}.txt", rng.randbytes(rng.choice((1, 2, 7, 64, 300, 4096, 20000))), None
    # Truncated real documents.
    for n in range(70):
        name, data = rng.choice(texts)
        yield f"cut{n}_{name}", data[: rng.randrange(len(data) + 1)], None
    # Mutated real documents.
    for n in range(60):
        name, data = rng.choice(texts)
        yield f"mut{n}_{name}", _mutate(rng, data[:20000]), None
    # NULs and control characters.
    for n in range(12):
        name, data = rng.choice(texts)
        data = data[:8000]
        cut = rng.randrange(len(data) + 1)
        yield f"nul{n}.txt", data[:cut] + b"\x00" * rng.choice((1, 10, 1000)) + data[cut:], None
    # Wrong or unusual encodings of real text.
    for n, encoding in enumerate(("gb18030", "utf-16", "utf-16-le", "utf-16-be", "big5", "utf-32", "shift_jis",
                                  "utf-8-sig")):
        name, data = texts[n % len(texts)]
        text = data[:6000].decode("utf-8", "ignore")
        yield f"enc{n}.txt", text.encode(encoding, "replace"), None
    yield "latin1.txt", bytes(range(128, 256)) * 40, None
    yield "bad-utf8.txt", header + b"1\t\xe6\x96\t\xff\xfe\t\xc0\xaf\n", None
    # Huge lines.
    yield "huge-names.txt", header + ("1\t新建公园。\t区住建局\t" + "区发改委区财政局" * 40000 + "\n").encode(), None
    yield "huge-sep.txt", header + ("1\t新建公园。\t区住建局\t" + "区发改委、" * 60000 + "\n").encode(), None
    yield "huge-ascii.txt", b"x" * 1_000_000, None
    yield "huge-tabs.txt", header + b"\t" * 200_000 + b"\n", None
    rows = "".join(f"{i}\t任务{i}。\t区住建局\t区财政局\n" for i in range(1, 3000))
    yield "huge-rows.txt", header + rows.encode(), None
    yield "huge-quote.txt", header + b'1\t"' + "区财政局".encode() * 50000 + b"\n", None
    # Deep nesting.
    yield "parens.txt", header + ("1\t任务。\t" + "（" * 20000 + "\t" + "）" * 20000 + "\n").encode(), None
    yield "deep.html", b"<html><body>" + b"<div>" * 20000 + b"x" + b"</div>" * 20000 + b"</body></html>", None
    yield "deep-table.html", (b"<html><body>" + b"<table><tr><td>" * 3000 + "序号".encode()
                              + b"</td></tr></table>" * 3000 + b"</body></html>"), None
    yield "deep-list.txt", "".join("（" + str(i) + "）" * 1 for i in range(5000)).encode(), None
    # Broken sidecars beside a good document.
    _, good = texts[0]
    sidecars = [b"year = " + b"[" * 5000 + b"]" * 5000, b"issuer = ", b"\xff\xfe\x00", b"year = 99999999999999999999",
                b"issued = 2021-13-45", b"year = 2021\nyear = 2022", b"title = '''", b"[x]\n" * 1000,
                b"note = \"" + b"\\u0000" * 100 + b"\"", rng.randbytes(500)]
    for n, sidecar in enumerate(sidecars):
        yield f"side{n}.txt", good, sidecar
    # Originals: whole, truncated, mutated.
    for suffix, data in _originals():
        yield f"orig{suffix}", data, None
        for n in range(12):
            yield f"orig-cut{n}{suffix}", data[: rng.randrange(len(data))], None
        for n in range(12):
            yield f"orig-mut{n}{suffix}", _mutate(rng, data), None


def _samples_reading(lex: Lexicon) -> float:
    """Seconds to read the five samples (the better of two runs): the unit the fuzzed inputs are timed in, so
    that a slower machine does not fail the test."""
    best = float("inf")
    for _ in range(2):
        began = time.perf_counter()
        for path in sorted((ROOT / "data" / "samples").glob("*.txt")):
            govkg.extract_document(path, lex=lex)
        best = min(best, time.perf_counter() - began)
    return best


def test_fuzzed_inputs_read_or_refused(tmp_path: Path) -> None:
    lex = load_lexicon()
    cases = list(_cases())
    assert len(cases) >= 300
    failures: list[str] = []
    slow: list[str] = []
    outcomes = {"read": 0, "refused": 0}
    gc.collect()
    gc.freeze()  # the collector's passes then skip the earlier tests' heap, which is not what is timed
    try:
        unit = _samples_reading(lex)
        started = time.perf_counter()
        _read_all(cases, tmp_path, lex, unit, failures=failures, slow=slow, outcomes=outcomes)
        total = time.perf_counter() - started
    finally:
        gc.unfreeze()
    assert not failures, "\n".join(failures)
    assert not slow, "\n".join(slow)
    assert total < ALL_INPUTS_READINGS * unit, f"{len(cases)} inputs took {total / unit:.0f} readings of the samples"
    assert outcomes["read"] and outcomes["refused"]


def _read_all(cases: list[Case], tmp_path: Path, lex: Lexicon, unit: float, *, failures: list[str],
              slow: list[str], outcomes: dict[str, int]) -> None:
    """Read every case, noting refusals that are not one line naming the file, other exceptions and slow inputs."""
    for index, (name, data, sidecar) in enumerate(cases):
        folder = tmp_path / str(index)
        folder.mkdir()
        path = folder / name
        path.write_bytes(data)
        if sidecar is not None:
            path.with_suffix(".meta.toml").write_bytes(sidecar)
        began = time.perf_counter()
        try:
            govkg.extract_document(path, lex=lex)
            outcomes["read"] += 1
        except InputError as exc:
            outcomes["refused"] += 1
            message = str(exc)
            if "\n" in message or Path(exc.file).name not in (name, path.with_suffix(".meta.toml").name):
                failures.append(f"{name}: refusal not one line naming the file: {message[:200]!r}")
        except Exception as exc:  # every other exception is the failure under test
            failures.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
        took = time.perf_counter() - began
        if took > PER_INPUT_READINGS * unit:
            slow.append(f"{name}: {took:.1f} s, {took / unit:.1f} readings of the samples ({unit:.2f} s)")


@pytest.mark.parametrize("content", [b"", b"\x00" * 100, b"\xff" * 50, b"PK\x03\x04" + b"\x00" * 40,
                                     b"%PDF-1.7\n" + b"\x00" * 40, b"<html><table><tr><td>"])
def test_cli_refuses_junk_with_exit_2(content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(content)
    out = tmp_path / "out.jsonl"
    assert main(["extract", "-q", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("govkg: error: ") and "junk.txt" in err
    assert not out.exists()
