"""The wheel carries YASGUI: built offline (YASGUI from vendor/, the build backend from this venv), installed into a
fresh venv, `govkg serve` from there serves the query UI on /sparql.

Nothing is downloaded: `pip wheel --no-build-isolation --no-index` uses the hatchling installed here (a test
dependency) and hatch_build.py copies YASGUI from vendor/ (`make vendor`). The fresh venv gets the wheel alone
(`pip --python … install --no-deps --no-index`); its dependencies are this venv's, made visible by a .pth file that
appends this venv's site-packages to its path (after its own, so `govkg` is the wheel's, not the editable source).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

from local_servers import free_port

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
hatch_build = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(hatch_build)

pytestmark = pytest.mark.slow
OFFLINE = {**os.environ, "PIP_NO_INDEX": "1", "GOVKG_REQUIRE_YASGUI": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def get(url: str, accept: str = "*/*") -> tuple[int, str, bytes]:
    """Status, content type and body of a GET."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("content-type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("content-type", ""), error.read()


def test_wheel_serves_yasgui(built, tmp_path):
    vendored = hatch_build.vendored(ROOT, hatch_build.yasgui_version(ROOT))
    if vendored is None:
        pytest.fail("vendor/ has no YASGUI of the Makefile's version: run `make vendor` (the test downloads nothing)")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "--no-index",
                    "-q", "-w", str(tmp_path / "dist")], check=True, env=OFFLINE, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("govkg-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {"govkg/_data/yasgui/yasgui.min.js", "govkg/_data/yasgui/yasgui.min.css"} <= set(names)
    assert not [name for name in names if "node_modules" in name or name.startswith("vendor/")]

    fresh = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(fresh)
    python = fresh / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True, env=OFFLINE, cwd=tmp_path)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "zz-govkg-test-deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    probe = "import govkg.web.app as app; print(app.__file__); print(app.yasgui_dir())"
    where = subprocess.run([str(python), "-c", probe], check=True, capture_output=True, text=True,
                           cwd=tmp_path).stdout.split()
    assert where[0].startswith(str(site)) and where[1] == str(site / "govkg" / "_data" / "yasgui")

    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(fresh / "bin" / "govkg"), "serve", "--store", str(built), "--port", str(port)],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, page = get(origin + "/sparql", "text/html")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail(f"govkg serve did not start: {server.stderr.read().decode()[-800:]}")
                time.sleep(0.3)
        assert status == 200 and b'<script src="/vendor/yasgui/yasgui.min.js">' in page
        assert b"make vendor" not in page
        status, media, script = get(origin + "/vendor/yasgui/yasgui.min.js")
        assert status == 200 and "javascript" in media
        assert script == (vendored / "build" / "yasgui.min.js").read_bytes()
        status, media, _ = get(origin + "/vendor/yasgui/yasgui.min.css")
        assert status == 200 and media.startswith("text/css")
    finally:
        server.terminate()
        server.wait(timeout=20)
