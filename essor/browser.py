"""Browser tests drive Debian's chromium through Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager

import pytest

CHROMIUM = os.environ.get("ESSOR_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def require_chromium() -> None:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: scripts/chromium.sh installs chromium.")
        pytest.skip("Browser tests need Debian's chromium: run `sudo scripts/chromium.sh` "
                    "(or apt-get install chromium), or set ESSOR_CHROMIUM to its path.")


@contextmanager
def browser_page(*, width: int = 1280, height: int = 900, locale: str = "fr-FR"):
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": width, "height": height},
                                      locale=locale)
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def wait_until(page, expression: str, *, timeout: float = 15.0) -> None:
    """Wait until a JavaScript expression is true in the page, polled from here with
    ``page.evaluate``: Playwright's ``wait_for_function`` re-evaluates a string predicate
    with ``eval`` in the page, which essor's Content-Security-Policy (no 'unsafe-eval')
    refuses whenever the first check is false."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:g} s: {expression}")
        page.wait_for_timeout(100)
