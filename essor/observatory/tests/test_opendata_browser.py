"""In a real browser, signed out (French and Arabic, 1,280 px and 360 px): the open-data
index leads to an observatory's page, whose tables mark suppressed cells, explain them,
fit a phone's width, run right to left in Arabic, and link files that download.
``ESSOR_SHOTS=/some/folder`` keeps the screenshots."""

import os
from pathlib import Path

import pytest

from essor.browser import browser_page
from essor.observatory.tests.test_opendata import (  # noqa: F401 (fixtures)
    casa,
    datasets,
    members,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ESSOR_SHOTS", "")


@pytest.mark.parametrize("locale", ["fr-FR", "ar"])
@pytest.mark.parametrize("width", [1280, 360])
def test_the_public_page_shows_the_tables_and_their_suppressed_cells(
        live_server, datasets, locale, width):  # noqa: F811
    errors: list[str] = []
    with browser_page(width=width, locale=locale) as page:
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live_server.url}/open/")
        page.locator("#observatory-casablanca-settat h2 a").click()
        page.wait_for_selector(".open-table")
        assert page.locator(".open-table").count() == 3
        assert page.locator("[data-suppressed=true]").count() > 0
        assert page.locator(".open-suppression-note").first.is_visible()
        # Nothing wider than the screen: wide tables scroll inside their box.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        if locale == "ar":
            assert page.locator("html").get_attribute("dir") == "rtl"
        with page.expect_download() as download:
            page.locator(".open-dataset a", has_text="CSV").first.click()
        assert download.value.suggested_filename.endswith(".csv")
        assert not errors, errors
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/open-{locale[:2]}-{width}.png", full_page=True)
