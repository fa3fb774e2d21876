"""In a real browser, in French and Arabic, on a desktop and a phone: the 404 a regional
officer meets on another region's record, the 403 of a page their role may not open, the
500 page and the page of an expired form."""

import os

import pytest

from essor.browser import browser_page
from essor.registry.tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
SHOTS = os.environ.get("ESSOR_SHOTS", "")  # a folder: the pages are saved there as PNG
SIZES = {"fr-FR": "fr", "ar": "ar"}


def shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def log_in(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form:not(#language-switch) button[type=submit]")
    page.wait_for_url(f"{url}/")


def fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in ("#error-heading", "#error-actions"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, selector


@pytest.fixture
def production(settings):
    settings.DEBUG = False


@pytest.mark.usefixtures("production")
@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("locale", SIZES)
def test_another_regions_record_and_a_refused_page(live_server, oriental_officer,
                                                   casablanca_officer, casablanca_settat,
                                                   locale, width):
    language = SIZES[locale]
    organisation = OrganisationFactory(region=casablanca_settat)
    url = live_server.url
    record = f"{url}/registry/organisations/{organisation.pk}/"
    with browser_page(width=width, height=800, locale=locale) as page:
        log_in(page, url, "omar_oriental")
        page.goto(f"{url}/registry/organisations/")
        response = page.goto(record, referer=f"{url}/registry/organisations/")
        assert response.status == 404
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("#error-heading").is_visible()
        assert page.locator("#error-switch-account button").is_visible()
        fits(page, width)
        shot(page, f"404-{language}-{width}")

        refused = page.goto(f"{url}/audit/")
        assert refused.status == 403
        assert page.locator("#error-heading").is_visible()
        fits(page, width)
        shot(page, f"403-{language}-{width}")

        # Log in as someone else, from the 404: the colleague's record opens.
        page.goto(record)
        page.click("#error-switch-account button")
        page.wait_for_url(lambda address: "/accounts/login/?next=" in address)
        page.fill("#id_username", "karima_casablanca")
        page.fill("#id_password", PASSWORD)
        page.click("form:not(#language-switch) button[type=submit]")
        page.wait_for_url(record)
        assert organisation.name in page.inner_text("main")


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("locale", SIZES)
def test_the_500_page_and_an_expired_form(live_server, settings, locale, width):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "essor.core.tests.error_urls"
    language = SIZES[locale]
    url = live_server.url
    with browser_page(width=width, height=800, locale=locale) as page:
        failed = page.goto(f"{url}/test-errors/500/")
        assert failed.status == 500
        assert page.locator("html").get_attribute("lang") == language
        assert "sk_live" not in page.content()
        fits(page, width)
        shot(page, f"500-{language}-{width}")

        page.goto(f"{url}/accounts/login/")
        page.context.clear_cookies()  # the session ended while the form was open
        page.fill("#id_username", "omar_oriental")
        page.fill("#id_password", PASSWORD)
        page.click("form:not(#language-switch) button[type=submit]")
        page.wait_for_selector("#error-reload")
        assert page.locator("html").get_attribute("lang") == language
        fits(page, width)
        shot(page, f"csrf-{language}-{width}")
        page.click("#error-reload")
        page.wait_for_url(f"{url}/accounts/login/")
        assert page.locator("#id_username").is_visible()
