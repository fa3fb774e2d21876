"""In a real browser: log in, switch to Arabic, create an organisation, find it in the list."""

import pytest

from essor.browser import browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_creates_an_organisation_in_arabic_and_finds_it(live_server,
                                                                  casablanca_officer):
    with browser_page() as page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "karima_casablanca")
        page.fill("#id_password", "correct horse battery")
        page.click("form[novalidate] button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

        page.click("#language-switch button[value=ar]")
        page.wait_for_selector("html[lang=ar][dir=rtl]")

        page.goto(f"{live_server.url}/registry/organisations/new/")
        page.fill("#id_name", "Coopérative Assafae Berrechid")
        page.fill("#id_name_ar", "تعاونية الصفاء برشيد")
        page.select_option("#id_kind", "cooperative")
        page.select_option("#id_region", label="الدار البيضاء-سطات")
        page.select_option("#id_province", label="برشيد")
        page.fill("#id_members_women", "18")
        page.click("main form button[type=submit]")
        # In Arabic the Arabic name leads; the Latin one follows.
        page.wait_for_selector("h1:has-text('تعاونية الصفاء برشيد')")
        assert "Coopérative Assafae Berrechid" in page.inner_text("main")
        assert page.locator("html").get_attribute("dir") == "rtl"

        page.goto(f"{live_server.url}/registry/organisations/")
        page.fill("#id_q", "assafae berrechid")
        page.press("#id_q", "Enter")
        row = page.locator("#organisation-table tbody tr").first
        row.wait_for()
        assert "Coopérative Assafae Berrechid" in row.inner_text()
        assert "تعاونية الصفاء برشيد" in row.inner_text()
