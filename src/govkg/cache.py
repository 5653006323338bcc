"""A per-user cache of values that are slow to compute from installed data (JSON files, safe to delete).

Every `govkg` command that reads a document looks up the national division code lists: parsing their CSV file
(144,000 rows) takes 0.35 s, which is most of a one-document rebuild's extraction. The value is kept as JSON under
the user's cache folder, keyed by what it was made from (the source file's path, size and modification time, and
the settings that shaped it; the last few keys are kept, so installations side by side each find theirs); a
missing, stale, unreadable or malformed entry is simply made again. The folder is GOVKG_CACHE_DIR when set ("" turns
the cache off), else $XDG_CACHE_HOME/govkg, else ~/.cache/govkg.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from .fileio import atomic_bytes

#: The environment variable naming the cache folder; set to "" to turn the cache off.
CACHE_ENV = "GOVKG_CACHE_DIR"


def cache_dir() -> Path | None:
    """The cache folder (GOVKG_CACHE_DIR, else $XDG_CACHE_HOME/govkg, else ~/.cache/govkg); None when turned off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "govkg"


def file_key(path: Path, *settings: object) -> str:
    """A key for a value made from the file at `path` with `settings`: it changes when the file does."""
    info = path.stat()
    text = repr((os.fspath(path.resolve()), info.st_size, info.st_mtime_ns, settings))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_entry(name: str) -> Any | None:
    """The JSON value stored as the cache entry `name`; None when there is none, it cannot be read or parsed, or the
    cache is turned off."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return orjson.loads((folder / f"{name}.json").read_bytes())
    except (OSError, ValueError):
        return None


def store_entry(name: str, value: Any) -> None:
    """Store a JSON-compatible value as the cache entry `name`, replaced whole (skipped when the cache is turned off
    or cannot be written)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_bytes(folder / f"{name}.json") as stream:
            stream.write(orjson.dumps(value))
    except OSError:
        pass


def entry_names(prefix: str) -> list[str]:
    """The names of the cache entries starting with `prefix` (none when the cache is off or cannot be listed)."""
    folder = cache_dir()
    if folder is None:
        return []
    try:
        return sorted(name.removesuffix(".json") for name in os.listdir(folder)
                      if name.startswith(prefix) and name.endswith(".json"))
    except OSError:
        return []


def remove_entry(name: str) -> None:
    """Remove the cache entry `name`, if there is one."""
    folder = cache_dir()
    if folder is not None:
        with contextlib.suppress(OSError):
            (folder / f"{name}.json").unlink()


#: Values of one name kept under different keys: installations of govkg side by side (a checkout and a release,
#: two environments) each read their own code lists, and would otherwise remake the one entry in turn.
KEYS_KEPT = 4


def cached(name: str, key: str, make: Callable[[], Any], check: Callable[[Any], bool]) -> Any:
    """The value `make()` gives (JSON-compatible), from the cache entry of `name` stored under `key` when `check`
    accepts it; else made and stored (a cache that cannot be written is skipped). The KEYS_KEPT entries of `name`
    written last are kept; older ones are removed."""
    entry_name = f"{name}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"
    entry = load_entry(entry_name)
    if isinstance(entry, dict) and entry.get("key") == key and check(entry.get("value")):
        return entry["value"]
    value = make()
    store_entry(entry_name, {"key": key, "value": value})
    _keep_latest(f"{name}-", KEYS_KEPT)
    return value


def _keep_latest(prefix: str, count: int) -> None:
    """Remove the cache entries starting with `prefix` but the `count` written last."""
    folder = cache_dir()
    if folder is None:
        return
    written: list[tuple[int, str]] = []
    for name in entry_names(prefix):
        with contextlib.suppress(OSError):
            written.append(((folder / f"{name}.json").stat().st_mtime_ns, name))
    for _, name in sorted(written, reverse=True)[count:]:
        remove_entry(name)
