"""Helpers shared by the browser tests of the web page (``test_web_page.py``,
``test_web_curation.py``): ``gazetteer serve`` on a loopback port, Debian's headless Chromium
driven by Playwright, and a page that records every request it makes."""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from servers import HOST, free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags that work in this sandbox; Playwright adds a fresh --user-data-dir of its own.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NO_CHROMIUM = ("Debian's chromium is not installed (apt-get install chromium chromium-driver): "
               "the web page tests need a real browser")


@contextmanager
def serving(log: Path, env: dict[str, str] | None = None):
    """``gazetteer serve`` (gunicorn, one worker) on a free loopback port, with ``env`` added to
    the environment; yields its base URL."""
    port = free_port()
    proc = start_server(port, log, args=("--workers", "1"), env=env)
    try:
        yield f"http://{HOST}:{port}"
    finally:
        stop_server(proc)


@contextmanager
def chromium_browser():
    """Debian's Chromium, headless, through Playwright (skips when the package is missing)."""
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="the playwright package is not installed (pip install "
                                   "-e '.[dev]')")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Visit:
    """A browser page on the service, with every request it made."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.requests: list[str] = []

    def outside_requests(self) -> list[str]:
        base = urlsplit(self.base_url)
        return [u for u in self.requests
                if not (u.startswith(("data:", "blob:"))
                        or (urlsplit(u).scheme, urlsplit(u).netloc) == (base.scheme, base.netloc))]

    def open(self) -> None:
        self.page.goto(self.base_url + "/")
        self.page.wait_for_selector("body[data-ready][data-boundaries]")


@contextmanager
def visiting(browser, base_url: str, **context_options):
    """A fresh browser context and page on ``base_url``; fails on any JavaScript error."""
    context = browser.new_context(**{"viewport": {"width": 1400, "height": 900},
                                     "accept_downloads": True, "locale": "en-US",
                                     **context_options})
    page = context.new_page()
    v = Visit(page, base_url)
    context.on("request", lambda request: v.requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield v
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def screenshot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))
