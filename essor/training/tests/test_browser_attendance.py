"""In a real browser, on a phone-sized screen: a trainer takes attendance."""

import pytest

from essor.browser import browser_page
from essor.training.models import Enrolment

from .factories import EnrolmentFactory, WorkshopFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainer_takes_attendance_on_a_phone(live_server, trainer, oriental):
    workshop = WorkshopFactory(region=oriental, trainer=trainer, code="AT-MA02-2025-001")
    enrolments = [EnrolmentFactory(workshop=workshop, person__first_name=first,
                                   person__last_name="Mansouri")
                  for first in ("Nadia", "Omar", "Souad")]
    url = live_server.url

    with browser_page(width=390, height=900) as page:
        page.goto(f"{url}/accounts/login/")
        page.fill("#id_username", "youssef_trainer")
        page.fill("#id_password", "correct horse battery")
        page.click("form[novalidate] button[type=submit]")
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/training/workshops/{workshop.pk}/attendance/")
        for enrolment in enrolments[:2]:
            page.click(f"#enrolment-{enrolment.pk} button")
            page.wait_for_selector(f"#enrolment-{enrolment.pk}[data-attended=yes]")
        assert page.inner_text("#present-count") == "2"
        page.click("#walk-in summary")
        page.fill("#id_first_name", "Hassan")
        page.fill("#id_last_name", "Ouali")
        page.check("input[name=sex][value=M]")
        page.fill("#id_phone", "0670112233")
        page.click("#walk-in button[type=submit]")
        # Back on the sheet, whatever the language: Hassan is on it, ticked.
        page.wait_for_selector("#attendance-rows li[data-attended=yes] >> text=Hassan Ouali")
        assert page.inner_text("#present-count") == "3"

    assert Enrolment.objects.filter(workshop=workshop, attended=True).count() == 3
