"""Output files that are devices or FIFOs are written into, never replaced by a renamed temporary (as root,
`-o /dev/null` would otherwise replace the device), for every command that writes a file the user names."""

from __future__ import annotations

import io
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from openpyxl import load_workbook

from govkg.cli import main
from govkg.fileio import atomic_bytes, atomic_text

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "tracking" / "fixture.trig"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tracking fixture in an on-disk store (for `govkg track --store`)."""
    folder = tmp_path_factory.mktemp("devices") / "store"
    loaded = pyoxigraph.Store(str(folder))
    loaded.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    loaded.flush()
    del loaded
    return folder


def _device_id(path: str) -> tuple[int, int, int]:
    info = os.stat(path)
    assert stat.S_ISCHR(info.st_mode)
    return info.st_ino, info.st_rdev, info.st_mode


class _Reader:
    """Reads a FIFO to its end in a thread (a writer's open blocks until a reader comes)."""

    def __init__(self, fifo: Path) -> None:
        self.data = b""
        self.thread = threading.Thread(target=self._read, args=(fifo,), daemon=True)
        self.thread.start()

    def _read(self, fifo: Path) -> None:
        with open(fifo, "rb") as stream:
            self.data = stream.read()

    def result(self) -> bytes:
        self.thread.join(timeout=60)
        assert not self.thread.is_alive()
        return self.data


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "pipe.out"
    os.mkfifo(path)
    yield path
    assert stat.S_ISFIFO(os.lstat(path).st_mode)  # still the FIFO, not a file renamed over it
    assert [p.name for p in tmp_path.iterdir()] == ["pipe.out"]  # no temporary left beside it


def test_atomic_text_writes_into_dev_null() -> None:
    before = _device_id("/dev/null")
    with atomic_text("/dev/null") as stream:
        stream.write("任务\n")
    assert _device_id("/dev/null") == before


@needs_fifo
def test_atomic_text_and_bytes_write_into_a_fifo(fifo: Path) -> None:
    reader = _Reader(fifo)
    with atomic_text(fifo) as stream:
        stream.write("任务\r\n")
    assert reader.result() == "任务\r\n".encode()
    reader = _Reader(fifo)
    with atomic_bytes(fifo) as stream:
        stream.write(b"\x00\xff")
    assert reader.result() == b"\x00\xff"


def test_a_folder_is_refused_and_a_file_still_replaced(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError, match="is a folder"), atomic_text(tmp_path) as stream:
        stream.write("never")
    assert list(tmp_path.iterdir()) == []
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_bytes(target) as raw:
        raw.write(b"half")
        raise RuntimeError
    assert target.read_text(encoding="utf-8") == "old"  # all or nothing
    with atomic_bytes(target) as raw:
        raw.write(b"new")
    assert target.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def _track(store: Path, *options: str) -> int:
    return main(["track", "--issuer", "钟楼区", "--year", "2021", "--store", str(store), *options])


@pytest.mark.parametrize("fmt", ["csv", "table", "xlsx"])
def test_track_to_dev_null(store: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = _device_id("/dev/null")
    assert _track(store, "--format", fmt, "-o", "/dev/null") == 0
    assert _device_id("/dev/null") == before
    assert "tasks written to /dev/null" in capsys.readouterr().err


@needs_fifo
def test_track_into_a_fifo(store: Path, fifo: Path, tmp_path: Path) -> None:
    reader = _Reader(fifo)
    assert _track(store, "--format", "csv", "--no-bom", "-o", str(fifo)) == 0
    rows = reader.result().decode("utf-8").splitlines()
    assert rows[0].startswith("issuer,year,") and any("完成老旧小区改造20个。" in row for row in rows[1:])
    reader = _Reader(fifo)
    assert _track(store, "--format", "xlsx", "-o", str(fifo)) == 0
    sheet = load_workbook(io.BytesIO(reader.result())).active
    assert sheet.cell(1, 2).value == "year" and sheet.max_row == len(rows)


def test_track_to_a_folder_is_one_line(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _track(store, "--format", "csv", "-o", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a folder" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
