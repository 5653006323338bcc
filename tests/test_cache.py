"""The per-user cache (govkg.cache) and the division code lists kept in it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from govkg import divisions
from govkg.cache import CACHE_ENV, KEYS_KEPT, cache_dir, cached, file_key


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def make() -> object:
        calls.append(1)
        return value
    return calls, make


def test_a_value_is_made_once_then_read_back(folder: Path) -> None:
    calls, make = counting({"rows": [1, 2]})
    assert cached("thing", "k1", make, lambda v: isinstance(v, dict)) == {"rows": [1, 2]}
    assert cached("thing", "k1", make, lambda v: isinstance(v, dict)) == {"rows": [1, 2]}
    assert len(calls) == 1
    assert [path.name for path in folder.iterdir()] == [f"{_entry('thing', 'k1')}.json"]


def _entry(name: str, key: str) -> str:
    return f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def test_values_of_other_keys_are_kept_side_by_side(folder: Path) -> None:
    """Two installations (two code-list files) using the cache in turn each find their own value."""
    first, make_first = counting([1])
    second, make_second = counting([2])
    for _ in range(3):
        assert cached("thing", "k1", make_first, lambda v: True) == [1]
        assert cached("thing", "k2", make_second, lambda v: True) == [2]
    assert len(first) == len(second) == 1


def test_only_the_entries_written_last_are_kept(folder: Path) -> None:
    for number in range(KEYS_KEPT + 2):
        cached("thing", f"k{number}", lambda number=number: [number], lambda v: True)
        os.utime(folder / f"{_entry('thing', f'k{number}')}.json", ns=(number * 10**9, number * 10**9))
    cached("other", "k0", lambda: [0], lambda v: True)
    kept = sorted(path.name.removesuffix(".json") for path in folder.iterdir())
    assert kept == sorted([_entry("other", "k0")] + [_entry("thing", f"k{n}") for n in range(2, KEYS_KEPT + 2)])
    calls, make = counting([0])
    cached("thing", "k0", make, lambda v: True)  # removed: made again
    assert len(calls) == 1


@pytest.mark.parametrize("content", [b"", b"\x00\xff garbage", b'{"key": "k1"', b"[1, 2]", b'{"key": "k1"}'])
def test_a_broken_entry_is_made_again(folder: Path, content: bytes) -> None:
    folder.mkdir()
    (folder / f"{_entry('thing', 'k1')}.json").write_bytes(content)
    calls, make = counting([7])
    assert cached("thing", "k1", make, lambda v: v == [7]) == [7]
    assert cached("thing", "k1", make, lambda v: v == [7]) == [7]
    assert len(calls) == 1


def test_an_entry_the_check_refuses_is_made_again(folder: Path) -> None:
    cached("thing", "k1", lambda: ["tampered"], lambda v: True)
    assert cached("thing", "k1", lambda: [1], lambda v: v == [1]) == [1]


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "")
    monkeypatch.chdir(tmp_path)
    assert cache_dir() is None
    calls, make = counting([1])
    cached("thing", "k1", make, lambda v: True)
    cached("thing", "k1", make, lambda v: True)
    assert len(calls) == 2
    assert list(tmp_path.iterdir()) == []


def test_the_default_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "govkg"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "govkg"


def test_a_cache_that_cannot_be_written_still_gives_the_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "file" / "cache"))
    assert cached("thing", "k1", lambda: [5], lambda v: True) == [5]


def test_a_file_key_changes_with_the_file_and_the_settings(tmp_path: Path) -> None:
    path = tmp_path / "source.csv"
    path.write_text("a,b\n")
    first = file_key(path, 1)
    assert file_key(path, 1) == first
    assert file_key(path, 2) != first
    path.write_text("a,b,c\n")
    assert file_key(path, 1) != first


def test_cached_divisions_are_those_of_the_code_lists(folder: Path) -> None:
    divisions._all_divisions.cache_clear()
    try:
        made = divisions._all_divisions()  # parsed from the CSV file and stored
        assert len(list(folder.glob("divisions-*.json"))) == 1
        divisions._all_divisions.cache_clear()
        read_back = divisions._all_divisions()  # from the cache
        parsed = tuple(divisions._read_rows(divisions.code_list_file(), divisions.division_words().placeholder_parents))
        assert made == read_back == parsed
        beijing = [d for d in read_back if d.code == "110000"]
        assert beijing and beijing[0].name == "北京市" and beijing[0].level == "province" and beijing[0].parent is None
    finally:
        divisions._all_divisions.cache_clear()


def test_a_tampered_division_cache_is_not_believed(folder: Path) -> None:
    divisions._all_divisions.cache_clear()
    try:
        divisions._all_divisions()
        [stored] = folder.glob("divisions-*.json")
        entry = stored.read_text(encoding="utf-8")
        stored.write_text(entry.replace('"province"', '"kingdom"', 1), encoding="utf-8")
        divisions._all_divisions.cache_clear()
        assert all(d.level in ("province", "city", "county") for d in divisions._all_divisions())
        assert '"kingdom"' not in stored.read_text(encoding="utf-8")
    finally:
        divisions._all_divisions.cache_clear()
