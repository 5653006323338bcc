"""A sidecar file (NAME.meta.toml) that cannot be used is a one-line InputError naming the sidecar file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import govkg
from govkg.cli import main
from govkg.model import InputError
from govkg.read import read_sidecar

ROOT = Path(__file__).resolve().parents[2]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def document(tmp_path: Path) -> Path:
    (sample,) = (ROOT / "data" / "samples").glob("001_*.txt")
    path = tmp_path / "report.txt"
    path.write_bytes(sample.read_bytes())
    return path


def _sidecar(document: Path, content: str | bytes) -> Path:
    path = document.with_suffix(".meta.toml")
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(("content", "message"), [
    ("year = " + "[" * 5000 + "]" * 5000, "nested too deeply"),           # before: RecursionError
    ("year = " + "{a = " * 5000 + "1" + "}" * 5000, "nested too deeply"),  # inline tables
    ("issuer = \"钟楼区\nyear = 2021", "not valid TOML"),
    ("[[[", "not valid TOML"),
    (b"issuer = \"\xff\xfe\"", "not UTF-8"),
    ("year = \"2021\"", "year must be int"),
    ("colour = 1", "unknown key"),
])
def test_bad_sidecar(document: Path, content: str | bytes, message: str,
                     capsys: pytest.CaptureFixture[str]) -> None:
    _sidecar(document, content)
    with pytest.raises(InputError, match=message) as caught:
        read_sidecar(document)
    assert caught.value.file.endswith("report.meta.toml")
    assert "\n" not in str(caught.value)
    with pytest.raises(InputError, match=message):
        govkg.extract_document(document)
    assert main(["extract", "-q", str(document)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "report.meta.toml" in err and "Traceback" not in err


def test_huge_sidecar_is_refused(document: Path) -> None:
    _sidecar(document, "note = \"" + "x" * (2 * 1024 * 1024) + "\"")
    with pytest.raises(InputError, match="file too large"):
        read_sidecar(document)


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their permissions")
def test_unreadable_sidecar(document: Path) -> None:
    path = _sidecar(document, "year = 2021")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="permission denied") as caught:
            read_sidecar(document)
        assert caught.value.file.endswith("report.meta.toml")
    finally:
        path.chmod(0o644)


def test_good_sidecar_still_read(document: Path) -> None:
    _sidecar(document, "issuer = \"钟楼区\"\nyear = 2021\n")
    assert read_sidecar(document) == {"issuer": "钟楼区", "year": 2021}


@pytest.mark.parametrize(("part", "message"), [
    ('""', "must not be empty"),
    ('"   "', "must not be empty"),
    ('"民生/实事"', "must not hold '/'"),
    ('"' + "民" * 41 + '"', "at most 40 characters"),
    ('"民生\\n实事"', "must not hold"),
    ('"民生\\u200b实事"', "must not hold"),   # an invisible format character
    ('"民生\\u202e实事"', "must not hold"),   # a right-to-left override
    ('"民生\\u3000实事"', "must not hold"),   # whitespace other than the space
    ("7", "part must be str"),
])
def test_bad_part(document: Path, part: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    _sidecar(document, f'issuer = "钟楼区"\npart = {part}\n')
    with pytest.raises(InputError, match=message) as caught:
        read_sidecar(document)
    assert caught.value.file.endswith("report.meta.toml") and "\n" not in str(caught.value)
    assert main(["build", "-q", str(document), "--out", str(document.parent / "out")]) == 2
    assert "report.meta.toml" in capsys.readouterr().err
    assert not (document.parent / "out").exists()


def test_part_is_normalised(document: Path) -> None:
    _sidecar(document, 'part = " supple\\u0301ment "\n')  # e + combining acute: NFC makes one é
    assert read_sidecar(document) == {"part": "supplément"}
    _sidecar(document, 'part = "' + "民" * 40 + '"')
    assert read_sidecar(document) == {"part": "民" * 40}
