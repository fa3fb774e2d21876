"""In a real browser in Arabic, on a phone, without an account: a visitor finds an open
call for projects, fills its application form with two holders (a woman and a man, the
second added with the form's own button), is refused an impossible birth year by name with
everything typed kept, corrects it, gets the application's reference, and confirms the
e-mail through the link that was sent — each page right to left, without sideways
scrolling."""

import datetime
import os
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from essor.incubation.models import Application, Call

from .factories import CallFactory, IncubatorFactory

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"
TITLE = "تعاونية النسيج التضامني الحي المحمدي"
EMAIL = "meryem.tazi@essor.invalid"


def holder_field(index: int, name: str) -> str:
    return f"#id_holders-{index}-{name}"


def assert_arabic_page(page) -> None:
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_applies_in_arabic_on_a_phone_with_two_holders_and_confirms(
        live_server, casablanca_settat, oriental):
    from essor.browser import browser_page

    today = timezone.localdate()
    incubator = IncubatorFactory(region=casablanca_settat, code="cira-ess",
                                 name="CIRA-ESS Ain Chock", name_ar="مركز الاحتضان عين الشق")
    call = CallFactory(incubator=incubator, code="cira-ess-2026-1",
                       title="Appel à projets CIRA-ESS 2026",
                       title_ar="طلب مشاريع مركز الاحتضان 2026", status=Call.Status.PUBLISHED,
                       opens_on=today - datetime.timedelta(days=5),
                       closes_on=today + datetime.timedelta(days=25), places=10)
    url = live_server.url
    call_path = reverse("incubation:public_call", kwargs={"code": call.code})
    shots = os.environ.get("ESSOR_SHOTS", "")
    with browser_page(width=390, height=844, locale="ar") as page:
        page.goto(f"{url}{reverse('incubation:public_calls')}")
        assert_arabic_page(page)
        assert "طلب مشاريع مركز الاحتضان 2026" in page.inner_text("#public-calls")
        if shots:
            page.screenshot(path=os.path.join(shots, "public-calls-ar.png"), full_page=True)
        page.click(f"#public-calls a[href='{call_path}']")
        page.wait_for_url(f"{url}{call_path}")
        assert_arabic_page(page)

        # The project, and its first holder: a woman from Casablanca-Settat.
        page.fill("#id_title", TITLE)
        page.fill("#id_summary", "ورشة خياطة تضامنية لنساء الحي، تبيع لباسا تقليديا.")
        page.select_option("#id_sector", "textile")
        page.fill("#id_email", EMAIL)
        page.select_option("#id_region", str(casablanca_settat.pk))
        page.fill(holder_field(0, "first_name"), "Meryem")
        page.fill(holder_field(0, "last_name"), "Tazi")
        page.check("input[name='holders-0-sex'][value=F]")
        page.fill(holder_field(0, "birth_year"), "1996")
        page.select_option(holder_field(0, "region"), str(casablanca_settat.pk))
        page.fill(holder_field(0, "phone"), "06 61 23 45 67")

        # A second holder, with the form's button: what was typed comes back.
        page.click("#add-holder")
        page.wait_for_selector("fieldset.holder[data-holder='1']")
        assert page.input_value("#id_title") == TITLE
        assert page.input_value(holder_field(0, "first_name")) == "Meryem"
        assert page.is_checked("input[name='holders-0-sex'][value=F]")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        page.fill(holder_field(1, "first_name"), "Anas")
        page.fill(holder_field(1, "last_name"), "Berrada")
        page.check("input[name='holders-1-sex'][value=M]")
        page.fill(holder_field(1, "birth_year"), "3000")  # a slip of the finger
        page.select_option(holder_field(1, "region"), str(oriental.pk))
        page.fill(holder_field(1, "phone"), "0700112233")
        page.click("#send-application")

        # Refused by name, next to the field, with everything typed kept.
        error = (page.locator(holder_field(1, "birth_year")).locator("xpath=..")
                 .locator(".invalid-feedback"))
        error.wait_for()
        assert "3000" in error.inner_text()
        assert page.get_attribute(holder_field(1, "birth_year"), "aria-invalid") == "true"
        assert page.locator(".invalid-feedback").count() == 1  # nothing else blamed
        assert page.input_value("#id_title") == TITLE
        assert page.input_value("#id_email") == EMAIL
        assert page.input_value(holder_field(0, "first_name")) == "Meryem"
        assert page.input_value(holder_field(0, "last_name")) == "Tazi"
        assert page.input_value(holder_field(1, "first_name")) == "Anas"
        assert page.input_value(holder_field(1, "birth_year")) == "3000"
        assert page.input_value(holder_field(1, "region")) == str(oriental.pk)
        assert page.is_checked("input[name='holders-1-sex'][value=M]")
        assert_arabic_page(page)
        assert not Application.objects.exists()
        if shots:
            page.screenshot(path=os.path.join(shots, "public-refused-ar.png"), full_page=True)

        page.fill(holder_field(1, "birth_year"), "1990")
        page.click("#send-application")
        page.wait_for_url(f"{url}{reverse('incubation:public_application_sent')}")
        assert_arabic_page(page)
        application = Application.objects.get()
        assert page.inner_text("#application-reference") == application.reference
        if shots:
            page.screenshot(path=os.path.join(shots, "public-sent-ar.png"), full_page=True)

        holders = list(application.holders.select_related("person", "person__region")
                       .order_by("pk"))
        assert [(h.person.full_name, h.person.sex, h.person.birth_year, h.person.region,
                 h.lead) for h in holders] == [
            ("Meryem Tazi", "F", 1996, casablanca_settat, True),
            ("Anas Berrada", "M", 1990, oriental, False)]
        assert (application.call, application.title, application.email) == (call, TITLE, EMAIL)
        assert application.language == "ar" and application.email_confirmed_at is None

        # The e-mail, sent once the application was stored, in the form's language.
        assert len(mail.outbox) == 1
        sent = mail.outbox[0]
        assert sent.to == [EMAIL] and application.reference in sent.subject
        link = re.search(rf"{re.escape(url)}/incubation/applications/confirm/[^\s/]+/",
                         sent.body)
        assert link, sent.body
        page.goto(link.group(0))
        page.wait_for_selector("#confirm-done")
        assert application.reference in page.inner_text("#confirm-done")
        assert_arabic_page(page)
        if shots:
            page.screenshot(path=os.path.join(shots, "public-confirmed-ar.png"),
                            full_page=True)
    application.refresh_from_db()
    assert application.email_confirmed_at is not None
    assert application.status == Application.Status.SUBMITTED
