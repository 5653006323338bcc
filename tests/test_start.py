"""What every `govkg` command loads before it runs: the libraries of a few commands only are imported by those."""

from __future__ import annotations

import subprocess
import sys

import pytest

#: Imported when used: networkx by the network commands and pages, pyshacl by `--shacl-engine pyshacl`, httpx
#: by `govkg publish`. Each adds 0.04-0.16 s to a start that a one-document rebuild pays every time.
ON_DEMAND = ("networkx", "pyshacl", "httpx")


def loaded_after(statement: str) -> set[str]:
    """The on-demand libraries loaded after running `statement` in a fresh interpreter."""
    code = f"import sys\n{statement}\nprint(' '.join(m for m in {ON_DEMAND!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_the_cli_starts_without_the_libraries_of_a_few_commands() -> None:
    assert loaded_after("import govkg.cli; govkg.cli.build_parser()") == set()


@pytest.mark.parametrize(("statement", "library"), [
    ("from govkg.network import analyse", "networkx"),
    ("from govkg.validate import _pyshacl_results, shapes_graph; _pyshacl_results(shapes_graph())", "pyshacl"),
])
def test_they_are_loaded_when_used(statement: str, library: str) -> None:
    assert library in loaded_after(statement)
