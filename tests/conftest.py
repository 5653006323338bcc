"""Shared fixtures: the sample documents and their extraction (done once per test session)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

import govkg
from govkg.cache import CACHE_ENV
from govkg.model import Document
from sample_docs import ROOT, SAMPLES, sample_path

# The session's own cache folder (govkg.cache, inherited by the commands the tests start): nothing is written into
# the user's home, and the cache is made and then read as on a user's machine.
os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="govkg-test-cache-")
atexit.register(shutil.rmtree, os.environ[CACHE_ENV], ignore_errors=True)


@pytest.fixture(scope="session")
def samples() -> dict[str, Document]:
    """The five samples extracted with the default conventions, keyed by "000" … "004"."""
    return {prefix: govkg.extract_document(sample_path(prefix)) for prefix in ("000", "001", "002", "003", "004")}


@pytest.fixture
def read(tmp_path: Path):
    """A function that extracts a document written from a string (returns the Document)."""
    def run(text: str, name: str = "doc.txt", **options) -> Document:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return govkg.extract_document(path, **options)
    return run


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The samples built once per session (a build folder with dumps and store)."""
    out = tmp_path_factory.mktemp("built")
    govkg.build([SAMPLES], out)
    return out


# --- headless Chromium (Debian's package, driven by Playwright; no browser is downloaded) ---------------

CHROMIUM = os.environ.get("GOVKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium; fails clearly when the Debian package is missing (.ci/run installs it)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (`.ci/run` does) or set GOVKG_CHROMIUM")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class OfflinePage:
    """A browser page that may reach only file:// and loopback URLs; it records what it refused and errors."""

    def __init__(self, context) -> None:
        self.context = context
        self.page = context.new_page()
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        host = url.split("/")[2] if "://" in url else ""
        if url.startswith(("file:", "data:", "blob:")) or host.split(":")[0] in LOCAL_HOSTS or \
                host.startswith("[::1]"):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()

    def screenshot(self, name: str) -> Path:
        """Save a screenshot as a test artefact (test-artifacts/NAME.png)."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def offline_page(browser):
    """A page with networking off except for files and 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = OfflinePage(context)
    yield page
    context.close()
