"""In a real browser: the possible duplicates page in French and Arabic, on a desktop and a
phone: the count, the region select, pages. ``ESSOR_SHOTS=/some/folder`` keeps the
screenshots."""

import os
from pathlib import Path

import pytest

from essor.browser import browser_page
from essor.registry.tests.test_matches import make_pairs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ESSOR_SHOTS", "")


@pytest.mark.parametrize("locale", ["fr-FR", "ar"])
def test_possible_duplicates_counted_filtered_and_paginated(live_server, national_admin,
                                                            locale):
    make_pairs(52, "MA-06")
    make_pairs(3, "MA-02", start=52)
    direction = "rtl" if locale == "ar" else "ltr"
    with browser_page(width=1280, height=900, locale=locale) as page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", national_admin.username)
        page.fill("#id_password", "correct horse battery")
        page.click("form:not(#language-switch) button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}/registry/people/matches/")
            page.wait_for_selector(f"html[dir={direction}]")
            assert page.inner_text("#match-count") == "55"
            assert page.locator("#match-table tbody tr").count() == 50
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{SHOTS}/matches-{locale[:2]}-{width}.png")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{locale} {width}px runs {overflow}px off screen"

        page.select_option("#id_region", "MA-02")
        page.click("#match-filter button[type=submit]")
        page.wait_for_url("**/matches/?region=MA-02")
        assert page.inner_text("#match-count") == "3"
        assert page.locator("#match-table tbody tr").count() == 3
