"""In a real browser, on a phone-sized screen: a regional officer runs an itinerant market
from its creation to the check-in of an exhibitor."""

import re

import pytest

from essor.browser import browser_page
from essor.promotion.models import Participation
from essor.registry.models import Membership
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_runs_a_market_from_creation_to_check_in(live_server, casablanca_officer,
                                                            casablanca_settat):
    cooperative = OrganisationFactory(name="Coopérative Tifawine Berrechid",
                                      name_ar="تعاونية تيفاوين برشيد", region=casablanca_settat)
    hanane = PersonFactory(first_name="Hanane", last_name="Ouchen", region=casablanca_settat)
    Membership.objects.create(organisation=cooperative, person=hanane, role="president")
    url = live_server.url

    with browser_page(width=390, height=900) as page:
        page.goto(f"{url}/accounts/login/")
        page.fill("#id_username", "karima_casablanca")
        page.fill("#id_password", "correct horse battery")
        page.click("form[novalidate] button[type=submit]")
        page.wait_for_url(f"{url}/")

        # 1. The market is created.
        page.goto(f"{url}/promotion/events/new/")
        page.select_option("#id_kind", "itinerant_market")
        page.fill("#id_title", "Marché itinérant de l'ESS — Berrechid")
        page.fill("#id_start_date", "2027-03-10")
        page.fill("#id_end_date", "2027-03-14")
        page.select_option("#id_province", label="Berrechid")
        page.fill("#id_city", "Berrechid")
        page.fill("#id_stands", "12")
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/promotion/events/\d+/$"))
        event_url = page.url
        assert "Marché itinérant de l'ESS — Berrechid" in page.inner_text("h1")

        # 2. It opens for applications.
        page.click("form[action$='/status/'] button:has-text('Ouvert aux candidatures')")
        page.wait_for_load_state()

        # 3. Staff enter the cooperative's application, Hanane holding the stand.
        page.goto(f"{event_url}apply/?q=tifawine")
        page.click("a:has-text('Choisir')")
        page.wait_for_selector("main form [name=products]")
        page.fill("[name=products]", "Amlou, huile d'argan")
        page.check(f"[name=holder][value='{hanane.pk}']")
        page.click("main form:has([name=products]) button[type=submit]")
        page.wait_for_load_state()

        # 4. The application is accepted: the cooperative becomes an exhibitor.
        page.goto(f"{event_url}applications/")
        page.click("button:has-text('Accepter')")
        page.wait_for_load_state()
        participation = Participation.objects.get(event__code__startswith="MI-MA06",
                                                  organisation=cooperative)
        assert participation.holder == hanane

        # 5. Stands are numbered and one is given to the cooperative.
        page.goto(f"{event_url}stands/")
        page.fill("[name=count]", "12")
        page.click("button:has-text('Créer les stands')")
        page.wait_for_load_state()
        page.click("form[action*='/stand/'] button[type=submit]")
        page.wait_for_load_state()
        participation.refresh_from_db()
        assert participation.stand is not None

        # 6. On the day, the exhibitor is found by name and checked in.
        page.goto(f"{event_url}checkin/")
        page.fill("main input[name=q]", "tifawine")
        page.press("main input[name=q]", "Enter")
        page.click("form[action$='/checkin/'] button[type=submit]:has-text('Tifawine')")
        page.wait_for_selector("#checkin-live .bi-check-circle-fill")
        participation.refresh_from_db()
        assert participation.status == Participation.Status.ATTENDED
        assert participation.checked_in_at is not None
