"""Compacting a build's store: a store updated in place by many rebuilds made as fast to query as after a load.

Each rebuild that changes a few documents copies the store (a checkpoint) and changes a few graphs in it, and
Oxigraph keeps each change in files of its own until its own compactions merge them: after hundreds of updates a
query reads more of them (on a copy of the 5,000-document store, a join over every cooperating task took 9.1–9.3 s
after the load and 13.0–13.5 s after 200–400 updates; 7.8–9.4 s once compacted). `compact` makes the next
generation's store from a checkpoint of the current one, compacts it whole (`Store.optimize`) and commits it as a
build does (govkg.inplace): the manifest names the new store, the `store` link follows, and the old store is
removed once no server reads it. What the store holds does not change, so a server following the folder moves to
the new store without reading anything again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .build import MANIFEST, load_manifest, manifest_files, save_manifest, store_updates
from .inplace import STORE, begin, build_lock, finish, recover, store_name
from .model import InputError
from .store import copy_store, open_store


@dataclass
class CompactResult:
    """What a compaction did: the store folder the build now names, the in-place updates it had had, how long."""

    out: Path
    store: str
    updates: int
    seconds: float

    def summary(self) -> list[str]:
        """Readable lines for the command line."""
        updates = f"{self.updates} update{'' if self.updates == 1 else 's'} in place since it was loaded"
        return [f"compacted the store of {self.out} ({updates}) in "
                f"{self.seconds:.1f} s: {self.out / STORE} is now {self.store}"]


def compact(out: str | Path, progress: Callable[[str], None] | None = None, *, wait: bool = False) -> CompactResult:
    """Compact the store of the build folder `out` into the next generation's store and commit it; an InputError
    when `out` holds no build, and FolderBusyError when another build is writing it (unless `wait`: then after
    it)."""
    start = time.perf_counter()
    say = progress or (lambda message: None)
    folder = Path(out).resolve()
    if not (folder / MANIFEST).is_file():
        raise InputError(str(out), f"not a build folder (no {MANIFEST}); make one with `govkg build DOCS --out {out}`")
    with build_lock(folder, on_wait=say if wait else None):
        manifest = load_manifest(folder)
        if not manifest:
            raise InputError(str(folder / MANIFEST), "cannot be read as a build's manifest; build the folder again")
        if recover(folder, manifest, manifest_files):
            say(f"finished what a killed build left in {folder}")
        current = folder / str(manifest.get("store", STORE))
        if not current.is_dir():
            raise InputError(str(out), f"the build's store ({current.name}) is missing; build the folder again")
        generation = int(manifest.get("generation", 0)) + 1
        name = store_name(generation)
        begin(folder, generation)
        try:
            say(f"copying {current.name} to {name}")
            copy_store(current, folder / name)
            say(f"compacting {name}")
            store = open_store(folder / name)
            store.optimize()
            store.flush()
            del store
            save_manifest(folder, {**manifest, "generation": generation, "store": name, "store_updates": 0})
        except BaseException:
            recover(folder, load_manifest(folder), manifest_files)
            raise
        finish(folder, generation, [])
    return CompactResult(Path(out), name, store_updates(manifest), time.perf_counter() - start)
