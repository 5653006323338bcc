"""Local servers for tests: a free loopback port, and the Oxigraph server binary (the PyPI package `oxigraph`, a
test dependency, installs it beside Python)."""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

import pytest


def oxigraph_binary() -> str:
    """The path of the `oxigraph` command; fails the test when it is not installed."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server (PyPI package `oxigraph`, a test dependency) is not installed")
    return found


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
