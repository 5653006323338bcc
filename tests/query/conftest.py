"""A real Oxigraph server for the query tests: started on a free loopback port, store in a temporary folder."""

from __future__ import annotations

import subprocess
import time
import urllib.request

import pytest

from local_servers import free_port, oxigraph_binary


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """Base URL of a running Oxigraph server (read-write), stopped after the session."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind",
                                f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"oxigraph server did not start: {process.stderr.read().decode()[:500]}") from None
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)
