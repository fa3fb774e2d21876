"""In a real browser, on a phone-sized screen: a trainer takes attendance.

On a 360-pixel phone, in French and Arabic, with 60 names on the sheet: a walk-in's error
opens the page at the form, its first wrong field focused, the summary at the top; an
untick asks first, and the message names the person with what tells namesakes apart.
``ESSOR_SHOTS=/some/folder`` keeps the screenshots."""

import os
import time

import pytest

from essor.browser import browser_page
from essor.registry.models import Membership
from essor.registry.tests.factories import OrganisationFactory, PersonFactory
from essor.training.models import Enrolment

from .factories import EnrolmentFactory, WorkshopFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ESSOR_SHOTS", "")
LOCALES = ["fr-FR", "ar"]


def _login(page, url: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "youssef_trainer")
    page.fill("#id_password", "correct horse battery")
    page.click("form:not(#language-switch) button[type=submit]")
    page.wait_for_url(f"{url}/")


def _shot(page, name: str, *, full_page: bool = False) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=full_page)


IN_VIEWPORT = """e => { const r = e.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }"""


def _in_viewport(page, selector: str) -> bool:
    """Once the page has scrolled there (Bootstrap scrolls smoothly): at most 5 s."""
    deadline = time.monotonic() + 5
    while not page.eval_on_selector(selector, IN_VIEWPORT):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_a_trainer_takes_attendance_on_a_phone(live_server, trainer, oriental):
    workshop = WorkshopFactory(region=oriental, trainer=trainer, code="AT-MA02-2025-001")
    enrolments = [EnrolmentFactory(workshop=workshop, person__first_name=first,
                                   person__last_name="Mansouri")
                  for first in ("Nadia", "Omar", "Souad")]
    url = live_server.url

    with browser_page(width=390, height=900) as page:
        _login(page, url)
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


@pytest.fixture
def full_sheet(trainer, oriental):
    """A workshop today-like sheet of 60 names, among them the two Touda Zerouali (born
    1974 in Coopérative Nour, present; born 2004 in Association Amal, not yet)."""
    workshop = WorkshopFactory(region=oriental, trainer=trainer, capacity=70,
                               title="Gestion d'une coopérative",
                               title_ar="تدبير التعاونية")
    nour = OrganisationFactory(name="Coopérative Nour", name_ar="تعاونية النور",
                               region=oriental)
    amal = OrganisationFactory(name="Association Amal", name_ar="جمعية أمل",
                               kind="association", region=oriental)
    touda = PersonFactory(first_name="Touda", last_name="Zerouali", first_name_ar="تودة",
                          last_name_ar="الزروالي", birth_year=1974, region=oriental)
    young = PersonFactory(first_name="Touda", last_name="Zerouali", first_name_ar="تودة",
                          last_name_ar="الزروالي", birth_year=2004, region=oriental)
    Membership.objects.create(person=touda, organisation=nour)
    Membership.objects.create(person=young, organisation=amal)
    present = EnrolmentFactory(workshop=workshop, person=touda, attended=True)
    EnrolmentFactory(workshop=workshop, person=young)
    for n in range(58):
        EnrolmentFactory(workshop=workshop, person=PersonFactory(
            first_name="Amina", last_name=f"Berrada{n:02d}", region=oriental))
    return {"workshop": workshop, "present": present}


SCREENS = [(360, 740), (1280, 900)]  # a phone, a desktop


@pytest.mark.parametrize(("width", "height"), SCREENS)
@pytest.mark.parametrize("locale", LOCALES)
def test_a_walk_in_error_on_a_phone_returns_to_the_form(live_server, trainer, full_sheet,
                                                        locale, width, height):
    workshop = full_sheet["workshop"]
    url = live_server.url
    with browser_page(width=width, height=height, locale=locale) as page:
        _login(page, url)
        page.goto(f"{url}/training/workshops/{workshop.pk}/attendance/")
        assert page.get_attribute("html", "dir") == ("rtl" if locale == "ar" else "ltr")
        page.click("#walk-in summary")
        page.fill("#id_last_name", "Ouali")
        page.check("input[name=sex][value=M]")
        page.fill("#id_phone", "0670112233")
        page.click("#walk-in button[type=submit]")  # the first name is missing
        page.wait_for_selector("#walk-in-errors")
        # The form is on the screen, its wrong field focused, nothing typed lost.
        assert page.evaluate("document.activeElement.id") == "id_first_name"
        assert _in_viewport(page, "#id_first_name")
        assert page.input_value("#id_last_name") == "Ouali"
        assert page.input_value("#id_phone") == "0670112233"
        assert page.is_checked("input[name=sex][value=M]")
        _shot(page, f"walk-in-error-{locale[:2]}-{width}")
        # The summary is at the top of the page, before the 60 names; its link leads back.
        assert page.get_attribute("#walk-in-errors", "role") == "alert"
        summary_top = page.eval_on_selector("#walk-in-errors", "e => e.offsetTop")
        rows_top = page.eval_on_selector("#attendance-rows", "e => e.offsetTop")
        assert summary_top < rows_top
        # 60 names: the form is thousands of pixels down.
        assert page.eval_on_selector("#walk-in", "e => e.offsetTop") > rows_top + 2000
        page.evaluate("window.scrollTo(0, 0)")
        _shot(page, f"walk-in-error-summary-{locale[:2]}-{width}")
        page.click("#walk-in-errors a[href='#id_first_name']")
        assert _in_viewport(page, "#id_first_name")
        page.fill("#id_first_name", "Hassan")
        page.click("#walk-in button[type=submit]")
        page.wait_for_selector("#attendance-rows li[data-attended=yes] >> text=Hassan Ouali")
    assert workshop.enrolments.filter(source="walk_in", person__first_name="Hassan").exists()


@pytest.mark.parametrize(("width", "height"), SCREENS)
@pytest.mark.parametrize("locale", LOCALES)
def test_an_untick_on_a_phone_asks_first_and_names_the_person(live_server, trainer,
                                                              full_sheet, locale, width,
                                                              height):
    workshop, present = full_sheet["workshop"], full_sheet["present"]
    url = live_server.url
    arabic = locale == "ar"
    name, organisation = (("تودة الزروالي", "تعاونية النور") if arabic
                          else ("Touda Zerouali", "Coopérative Nour"))
    with browser_page(width=width, height=height, locale=locale) as page:
        _login(page, url)
        page.goto(f"{url}/training/workshops/{workshop.pk}/attendance/")
        # Namesakes on the phone: told apart by birth year and organisation.
        page.fill("#attendance-q", "Zerouali")
        page.wait_for_selector("#attendance-rows li:nth-child(2)")
        page.wait_for_selector("#attendance-rows li:nth-child(3)", state="detached")
        details = page.locator("#attendance-rows [data-details]").all_inner_texts()
        assert any("1974" in d and organisation in d for d in details), details
        assert any("2004" in d for d in details) and not any("•" in d for d in details)
        _shot(page, f"namesakes-{locale[:2]}-{width}")
        page.click(f"#tick-{present.pk}")
        page.wait_for_selector(f"#enrolment-{present.pk} [data-confirm=absent]")
        question = page.inner_text(f"#confirm-{present.pk}-question")
        assert name in question and "1974" in question and organisation in question
        assert page.evaluate("document.activeElement.id") == f"confirm-{present.pk}"
        _shot(page, f"untick-confirm-{locale[:2]}-{width}")
        present.refresh_from_db()
        assert present.attended is True  # nothing changed before the confirmation
        # Cancel: still present.
        page.click(f"#cancel-{present.pk}")
        page.wait_for_selector(f"#enrolment-{present.pk}[data-attended=yes] #tick-{present.pk}")
        page.click(f"#tick-{present.pk}")
        page.click(f"#confirm-{present.pk}")
        page.wait_for_selector(f"#enrolment-{present.pk}[data-attended=no]")
        notice = page.inner_text("#attendance-status")
        assert name in notice and "1974" in notice and organisation in notice, notice
        assert _in_viewport(page, "#attendance-notice")
        _shot(page, f"untick-done-{locale[:2]}-{width}")
    present.refresh_from_db()
    assert present.attended is False
