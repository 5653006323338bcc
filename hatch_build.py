"""Wheel build hook: ship YASGUI (the SPARQL query UI, an npm package) as package data, never committed.

The assets come from `make vendor`'s copy (vendor/node_modules/@zazuko/yasgui/build/) when it holds the version
the Makefile names, else from the npm registry (`npm pack` into a temporary folder). Without either, the wheel is
built without them and the /sparql page says how to get them; GOVKG_REQUIRE_YASGUI=1 makes that an error.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: The files the page loads, and package.json (name, version, licence) for provenance.
ASSETS = ("yasgui.min.js", "yasgui.min.css", "package.json")
TARGET = "govkg/_data/yasgui"
DEFAULT_VERSION = "4.6.2"


def yasgui_version(root: Path) -> str:
    """The YASGUI version the Makefile pins (the one place it is written)."""
    makefile = root / "Makefile"
    if makefile.is_file():
        match = re.search(r"^YASGUI_VERSION\s*:?=\s*(\S+)", makefile.read_text(encoding="utf-8"), re.MULTILINE)
        if match:
            return match.group(1)
    return DEFAULT_VERSION


def vendored(root: Path, version: str) -> Path | None:
    """The package folder `make vendor` installed, if it holds this version."""
    package = root / "vendor" / "node_modules" / "@zazuko" / "yasgui"
    try:
        found = json.loads((package / "package.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return None
    return package if found == version and (package / "build" / "yasgui.min.js").is_file() else None


def from_npm(version: str, folder: Path) -> Path | None:
    """The package fetched from the npm registry with `npm pack` and unpacked into `folder`, if npm can."""
    npm = shutil.which("npm")
    if not npm:
        return None
    try:
        subprocess.run([npm, "pack", "--silent", "--pack-destination", str(folder), f"@zazuko/yasgui@{version}"],
                       check=True, stdout=subprocess.DEVNULL, timeout=300)
    except (OSError, subprocess.SubprocessError):
        return None
    tarballs = sorted(folder.glob("zazuko-yasgui-*.tgz"))
    if not tarballs:
        return None
    with tarfile.open(tarballs[0]) as tar:
        members = [m for m in tar.getmembers() if m.name in {"package/package.json"} | {
            f"package/build/{name}" for name in ASSETS}]
        if sys.version_info >= (3, 12):
            tar.extractall(folder, members=members, filter="data")
        else:
            tar.extractall(folder, members=members)  # only the members named above
    package = folder / "package"
    return package if (package / "build" / "yasgui.min.js").is_file() else None


class YasguiBuildHook(BuildHookInterface):
    """Adds YASGUI's built assets to the wheel as govkg/_data/yasgui/."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Find or fetch the assets and force-include them (not for editable installs: they use vendor/)."""
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        wanted = yasgui_version(root)
        package = vendored(root, wanted)
        if package is None:
            self._temporary = Path(tempfile.mkdtemp(prefix="govkg-yasgui-"))
            package = from_npm(wanted, self._temporary)
        if package is None:
            message = (f"YASGUI {wanted} not found in vendor/ and npm could not fetch it: the wheel has no query UI "
                       "(run `make vendor` or install npm, then build again)")
            if os.environ.get("GOVKG_REQUIRE_YASGUI") == "1":
                raise RuntimeError(message)
            self.app.display_warning(message)
            return
        for name in ASSETS:
            source = package / name if name == "package.json" else package / "build" / name
            build_data["force_include"][str(source)] = f"{TARGET}/{name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the temporary folder of an npm download."""
        temporary = getattr(self, "_temporary", None)
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
