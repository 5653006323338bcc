"""Readers refuse what is not a readable document file with one line naming it, exit status 2, no traceback.

Each case reproduces a failure found by fuzzing the readers (issue 12, part 4): a FIFO hung, /dev/zero was read
until MemoryError, a symbolic link loop, an unreadable file and a file name in invalid UTF-8 ended in tracebacks,
`-o` naming a folder ended in a traceback, and two tables cut off after their header exited 0 with an empty file.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import govkg
from govkg.cli import main
from govkg.fileio import is_device
from govkg.model import InputError
from govkg.read import read_file, read_source

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _sample(prefix: str) -> Path:
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A readable sample document copied into the test folder."""
    path = tmp_path / "good.txt"
    path.write_bytes(_sample("001").read_bytes())
    return path


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(["extract", "-q", *argv])
    err = capsys.readouterr().err
    return status, err


def _one_line_error(err: str, name: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("govkg: error: ") and name in lines[0], err
    assert "Traceback" not in err


def _run_cli_subprocess(*argv: str | bytes, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    """The CLI in its own process (a hang fails the test through the timeout instead of hanging the suite)."""
    return subprocess.run([sys.executable, "-m", "govkg", "extract", "-q", *argv], capture_output=True, check=False,
                          timeout=timeout, cwd=ROOT)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_source(fifo)
    result = _run_cli_subprocess(str(fifo), timeout=60)  # before: blocked for ever in open()
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "pipe.txt: not a regular file" in err and "Traceback" not in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_device_is_refused_before_reading(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="not a regular file"):  # before: read until MemoryError
        read_file("/dev/zero")
    status, err = _cli(capsys, "/dev/zero")
    assert status == 2
    _one_line_error(err, "/dev/zero: not a regular file")


def test_folder_given_as_document_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "report.txt"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder"):
        read_source(folder)


def test_symlink_loop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    with pytest.raises(InputError, match="symbolic link loop"):
        read_source(tmp_path / "a.txt")
    status, err = _cli(capsys, str(tmp_path / "a.txt"))
    assert status == 2
    _one_line_error(err, "a.txt: symbolic link loop")


def test_dangling_symlink(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "gone.txt")


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their permissions")
def test_unreadable_file(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good.chmod(0)
    try:
        with pytest.raises(InputError, match="permission denied"):
            read_source(good)
        status, err = _cli(capsys, str(good))
        assert status == 2
        _one_line_error(err, "good.txt: permission denied")
    finally:
        good.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_file_name_not_utf8(good: Path) -> None:
    folder = os.fsencode(good.parent)
    name = folder + b"/\xff\xfe.txt"
    try:
        fd = os.open(name, os.O_CREAT | os.O_WRONLY, 0o644)
    except OSError:
        pytest.skip("the file system refuses names that are not UTF-8")
    os.write(fd, good.read_bytes())
    os.close(fd)
    with pytest.raises(InputError, match="not valid UTF-8") as caught:
        govkg.extract_document(name)
    assert "\\xff\\xfe.txt" in str(caught.value)  # printable, no lone surrogates
    str(caught.value).encode("utf-8")
    out = good.parent / "out.jsonl"
    result = _run_cli_subprocess(name, "-o", str(out))  # before: UnicodeEncodeError writing the output
    assert result.returncode == 2
    assert b"not valid UTF-8" in result.stderr and b"Traceback" not in result.stderr
    assert not out.exists()


def test_max_bytes_api(good: Path) -> None:
    size = good.stat().st_size
    with pytest.raises(InputError, match="file too large"):
        govkg.extract_document(good, max_bytes=size - 1)
    assert govkg.extract_document(good, max_bytes=size).tasks


def test_max_bytes_cli(good: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    status, err = _cli(capsys, str(good), "--max-bytes", "1K", "-o", str(out))
    assert status == 2
    _one_line_error(err, "good.txt: file too large")
    assert "1.0 KiB" in err and not out.exists()
    assert _cli(capsys, str(good), "--max-bytes", "64M", "-o", str(out))[0] == 0
    assert out.stat().st_size > 0


def test_max_bytes_rejects_nonsense(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for value in ("0", "-5", "lots"):
        with pytest.raises(SystemExit) as exited:
            main(["extract", str(good), "--max-bytes", value])
        assert exited.value.code == 2
    capsys.readouterr()


def test_huge_file_is_not_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file larger than the cap is refused from its size on disk, before any byte is read."""
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MiB of NULs, no disk used
    read_sizes: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        read_sizes.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting_read)
    with pytest.raises(InputError, match="file too large"):
        read_file(path, max_bytes=1000)
    assert sum(read_sizes) == 0  # refused from its size before reading


def test_output_naming_a_folder(good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    status, err = _cli(capsys, str(good), "-o", str(folder))  # before: IsADirectoryError traceback
    assert status == 2
    _one_line_error(err, "results: is a folder")
    assert list(folder.iterdir()) == []
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_in_a_missing_folder_under_a_file(good: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    status, err = _cli(capsys, str(good), "-o", str(good / "out.jsonl"))
    assert status == 2
    _one_line_error(err, "out.jsonl: cannot write the output")


def test_special_output_is_written_into_not_replaced(tmp_path: Path) -> None:
    """`-o /dev/null` must never rename a temporary file over the device (as root it would replace it)."""
    assert is_device("/dev/null")
    assert not is_device(tmp_path)
    assert not is_device(tmp_path / "missing.jsonl")
    regular = tmp_path / "file.jsonl"
    regular.write_text("")
    assert not is_device(regular)


@pytest.mark.parametrize(("prefix", "lines"), [("000", 12), ("002", 9)])
def test_table_cut_off_after_its_header(prefix: str, lines: int, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A table cut off after its header and a partial first row: before, exit 0 and an empty output file."""
    text = _sample(prefix).read_text(encoding="utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text("".join(text.splitlines(keepends=True)[:lines]), encoding="utf-8")
    out = tmp_path / "tasks.jsonl"
    status, err = _cli(capsys, str(cut), "-o", str(out))
    assert status == 2
    _one_line_error(err, "cut.txt")
    assert "truncated" in err
    assert not out.exists()


# --- govkg build: the same refusals before anything is hashed or written ------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_build_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        govkg.build([fifo], tmp_path / "out")  # before: blocked for ever hashing the FIFO
    result = subprocess.run([sys.executable, "-m", "govkg", "build", "-q", str(fifo), "--out", str(tmp_path / "o")],
                            capture_output=True, check=False, timeout=60, cwd=ROOT)
    assert result.returncode == 2
    assert b"pipe.txt" in result.stderr and b"Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "o").exists()


def test_build_max_bytes(good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    status = main(["build", "-q", str(good), "--issuer", "钟楼区", "--out", str(out), "--max-bytes", "1K"])
    assert status == 2
    _one_line_error(capsys.readouterr().err, "good.txt: file too large")
    assert not out.exists()
