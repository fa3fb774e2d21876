"""In a real browser: the audit log in French and Arabic, on a desktop (1,280 px) and a
phone (360 px): sentences, the zone named, the before/after table, a filter, nothing off
the side of the phone's screen. ``ESSOR_SHOTS=/some/folder`` keeps the screenshots."""

import os
from pathlib import Path

import pytest

from essor.browser import browser_page
from essor.promotion import services as promotion
from essor.promotion.tests.factories import EventFactory, ParticipationFactory
from essor.registry import services as registry
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ESSOR_SHOTS", "")


@pytest.fixture
def entries(national_admin):
    national_admin.first_name, national_admin.last_name = "Karima", "Tazi"
    national_admin.save()
    participation = ParticipationFactory(
        organisation=OrganisationFactory(name="Coopérative Nour", name_ar="تعاونية النور"),
        event=EventFactory(title="Marché itinérant de Settat", title_ar="السوق المتجول سطات",
                           status="held"))
    promotion.participation_check_in(participation=participation, by=national_admin)
    person = PersonFactory(first_name="Touda", last_name="Zerouali", birth_year=None,
                           phone="06 12 34 56 78")
    registry.person_update(person=person, by=national_admin, birth_year=1974,
                           phone="06 98 76 54 32")
    return participation


@pytest.mark.parametrize("locale", ["fr-FR", "ar"])
def test_the_audit_log_reads_in_french_and_arabic_on_a_desktop_and_a_phone(
        live_server, national_admin, entries, locale):
    direction = "rtl" if locale == "ar" else "ltr"
    with browser_page(width=1280, height=900, locale=locale) as page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", national_admin.username)
        page.fill("#id_password", "correct horse battery")
        page.click("form:not(#language-switch) button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}/audit/")
            page.wait_for_selector(f"html[dir={direction}]")
            table = page.inner_text("#audit-table")
            assert "Karima Tazi" in table
            assert "Africa/Casablanca" in page.inner_text("main")
            assert "06 98 76 54 32" not in table  # masked
            assert "1974" in table
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{SHOTS}/audit-{locale[:2]}-{width}.png", full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{locale} {width}px runs {overflow}px off screen"
            # the table fits its column: nothing cut at the side (a phone stacks its cells)
            cut = page.evaluate("(() => { const t = document.querySelector('#audit-table');"
                                " return t.scrollWidth - t.parentElement.clientWidth; })()")
            assert cut <= 0, f"{locale} {width}px: the table runs {cut}px past its box"

        page.select_option("#id_action", "promotion.participation.checked_in")
        page.click("#audit-filters button[type=submit]")
        page.wait_for_url("**/audit/?*action=promotion.participation.checked_in*")
        rows = page.locator("#audit-table tbody tr")
        assert rows.count() == 1
        assert "Karima Tazi" in rows.first.inner_text()
        assert rows.first.locator("a").get_attribute("href") == (
            f"/promotion/events/{entries.event_id}/participations/")
