"""In a real browser, on a 360-pixel phone, in French and Arabic: an analyst enters a
census figure, saves it as a draft and submits it; the pages fit the screen (no sideways
scrolling) and read right to left in Arabic. ``ESSOR_SHOTS=/some/folder`` keeps the
screenshots."""

import os
from pathlib import Path

import pytest

from essor.browser import browser_page
from essor.observatory.models import CollectedValue

from .values_fixtures import *  # noqa: F403 (fixtures and helpers)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ESSOR_SHOTS", "")
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"


def _login(page, url: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "hicham_analyst")
    page.fill("#id_password", "correct horse battery")
    page.click("form:not(#language-switch) button[type=submit]")
    page.wait_for_url(f"{url}/")


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("locale", ["fr-FR", "ar"])
def test_an_analyst_enters_and_submits_a_value_on_a_phone(live_server, analyst, oriental,
                                                          oriental_observatory, locale):
    url = live_server.url
    with browser_page(width=360, height=800, locale=locale) as page:
        _login(page, url)
        page.goto(f"{url}/observatory/{oriental_observatory.code}/values/")
        assert page.evaluate(FITS)
        if locale == "ar":
            assert page.locator("html").get_attribute("dir") == "rtl"
        page.click("#value-new")
        page.select_option("#id_indicator_code", "observatory.census_members")
        page.fill("#id_period_start", "2025-01-01")
        page.fill("#id_period_end", "2025-12-31")
        page.select_option("#id_region", str(oriental.pk))
        page.select_option("#id_sector", "crafts")
        page.select_option("#id_sex", "F")
        page.fill("#id_value", "964")
        assert page.evaluate(FITS)
        _shot(page, f"value-form-{locale[:2]}-360")
        page.click("#value-form button[type=submit]")
        page.wait_for_selector("#value-facts")
        assert page.evaluate(FITS)
        page.click("#value-actions form[action$='/submit/'] button")
        page.wait_for_selector("#value-facts")
        _shot(page, f"value-detail-{locale[:2]}-360")
    value = CollectedValue.objects.get()
    assert value.status == CollectedValue.Status.SUBMITTED
    assert value.cells == {"sector": "crafts", "sex": "F"} and value.value == 964
