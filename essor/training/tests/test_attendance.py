"""The attendance sheet: ticks (audited), walk-ins matched by the duplicate rules, and
the paper sheet."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from essor.audit.models import AuditEntry
from essor.core.testing import embedded_fonts, repository_font_ids, requires_pango
from essor.registry.models import Person
from essor.registry.tests.factories import PersonFactory

from .factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def workshop(casablanca_settat):
    return WorkshopFactory(region=casablanca_settat, capacity=2)


def test_ticks_are_recorded_and_audited(client_as, casablanca_officer, workshop):
    enrolment = EnrolmentFactory(workshop=workshop)
    client = client_as(casablanca_officer)
    url = reverse("training:attendance", args=[workshop.pk])
    response = client.post(url, {"enrolment": enrolment.pk, "attended": "1"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.attended is True
    # htmx: the list comes back in place, ticked.
    response = client.post(url, {"enrolment": enrolment.pk, "attended": "0"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="attendance-rows"' in response.content.decode()
    assert "<html" not in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.attended is False
    assert AuditEntry.objects.filter(action="training.attendance.marked").count() == 2


def test_a_waitlisted_person_who_came_is_ticked(client_as, casablanca_officer, workshop):
    for _ in range(2):
        EnrolmentFactory(workshop=workshop)
    waiting = EnrolmentFactory(workshop=workshop, status="waitlisted")
    client = client_as(casablanca_officer)
    page = client.get(reverse("training:attendance", args=[workshop.pk])).content.decode()
    assert waiting.person.local_name in page and "waiting list" in page
    client.post(reverse("training:attendance", args=[workshop.pk]),
                {"enrolment": waiting.pk, "attended": "1"})
    waiting.refresh_from_db()
    assert (waiting.attended, waiting.status) == (True, "enrolled")


def test_a_walk_in_is_matched_by_national_id(client_as, casablanca_officer, workshop,
                                             casablanca_settat):
    known = PersonFactory(region=casablanca_settat, first_name="Fatima", last_name="Zahra",
                          national_id="BK123456")
    before = Person.objects.count()
    response = client_as(casablanca_officer).post(
        reverse("training:walk_in", args=[workshop.pk]),
        {"first_name": "Fatima", "last_name": "Zahra", "sex": "F",
         "national_id": " bk 123 456 "}, follow=True)
    assert "Already registered" in response.content.decode()
    assert Person.objects.count() == before
    enrolment = workshop.enrolments.get()
    assert (enrolment.person, enrolment.attended, enrolment.source) == (known, True, "walk_in")


def test_a_new_walk_in_is_registered(client_as, casablanca_officer, workshop):
    response = client_as(casablanca_officer).post(
        reverse("training:walk_in", args=[workshop.pk]),
        {"first_name": "Rachid", "last_name": "Tazi", "sex": "M", "phone": "0661234567"},
        follow=True)
    assert "New person" in response.content.decode()
    assert workshop.enrolments.get(attended=True).person.last_name == "Tazi"


def test_after_the_date_the_page_says_ticks_can_be_entered(client_as, casablanca_officer,
                                                           workshop):
    page = client_as(casablanca_officer).get(
        reverse("training:attendance", args=[workshop.pk])).content.decode()
    assert 'id="afterwards"' in page  # the factory's workshop was in 2025


@requires_pango
def test_the_paper_sheet_lists_the_names(client_as, casablanca_officer, workshop):
    names = [EnrolmentFactory(workshop=workshop, person__first_name=first,
                              person__last_name="Berrada").person
             for first in ("Houda", "Karim")]
    response = client_as(casablanca_officer).get(
        reverse("training:attendance_sheet_pdf", args=[workshop.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for person in names:
        assert person.first_name in text
    assert workshop.title in text
    assert set().union(*embedded_fonts(response.content).values()) <= repository_font_ids()
