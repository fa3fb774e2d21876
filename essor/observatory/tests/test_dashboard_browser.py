"""In a real browser: the national admin opens the national dashboard, switches to a
region, then to Arabic; every chart is drawn (SVG, under the content security policy)
with its table, on a desktop and on a phone. ``ESSOR_SHOTS=/some/folder`` keeps the
screenshots."""

import os

import pytest

from essor.browser import browser_page, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ESSOR_SHOTS", "")
DRAWN = "document.querySelectorAll('[data-chart][data-drawn]:not([data-drawn=pending])').length"


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _charts_drawn(page, errors) -> int:
    count = page.locator("[data-chart]").count()
    wait_until(page, f"{DRAWN} === {count}")
    assert page.locator("[data-drawn=error]").count() == 0, errors
    return count


@pytest.mark.parametrize("width", [1280, 390])
def test_the_national_dashboard_then_a_region_then_arabic(live_server, records,
                                                          national_admin, width):
    errors: list[str] = []
    url = live_server.url
    with browser_page(width=width) as page:
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/accounts/login/")
        page.fill("#id_username", national_admin.username)
        page.fill("#id_password", "correct horse battery")
        page.click("form:not(#language-switch) button[type=submit]")
        page.wait_for_url(f"{url}/")

        page.goto(f"{url}/observatory/dashboard/")
        assert _charts_drawn(page, errors) == 5  # trend, sex, age band, regions, map
        beneficiaries = page.locator("[data-indicator='training.beneficiaries']")
        assert beneficiaries.inner_text().split()[-1] == "4"
        assert page.locator("[data-chart=dashboard-map-spec] svg path"
                            "[aria-roledescription=geoshape]").count() == 12
        _shot(page, f"dashboard-national-fr-{width}")

        page.select_option("#id_region", "MA-02")
        page.click("#dashboard-form button[type=submit]")
        page.wait_for_url(f"{url}/observatory/dashboard/MA-02/**")
        assert "Oriental" in page.locator("#dashboard-title").inner_text()
        assert _charts_drawn(page, errors) == 4  # trend, sex, age band, provinces
        assert beneficiaries.inner_text().split()[-1] == "3"
        _shot(page, f"dashboard-oriental-fr-{width}")

        if width < 992:
            page.click(".navbar-toggler")
        page.click("#language-switch button[value=ar]")
        wait_until(page, "document.documentElement.dir === 'rtl'")
        assert "الشرق" in page.locator("#dashboard-title").inner_text()
        assert _charts_drawn(page, errors) == 4
        assert page.locator("figure.essor-chart").first.get_attribute("dir") == "rtl"
        # Nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        _shot(page, f"dashboard-oriental-ar-{width}")
