"""What may be linked to a workshop, whatever the path (service, form, API): the event it
is held alongside lies in its region, the people on its lists live there; a trainer
keeps their workshop within their own regions and never pulls another region's person
onto the sheet."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from essor.promotion.tests.factories import EventFactory
from essor.registry.models import Person
from essor.registry.tests.factories import PersonFactory
from essor.training import services
from essor.training.models import Enrolment, Workshop

from .factories import WorkshopFactory

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def own_workshop(oriental, trainer):
    return WorkshopFactory(code="AT-MA02-2025-001", region=oriental, trainer=trainer,
                           city="Oujda")


# -- workshop ↔ event -------------------------------------------------------------------------

def test_service_refuses_an_event_of_another_region(national_admin, oriental,
                                                    casablanca_settat):
    event = EventFactory(region=casablanca_settat)
    with pytest.raises(ValidationError) as refused:
        services.workshop_create(by=national_admin, code="AT-X-1", title="Atelier",
                                 theme=WorkshopFactory.build().theme,
                                 date=datetime.date(2025, 6, 1), region=oriental,
                                 city="Oujda", capacity=10, event=event)
    assert event.code in refused.value.message_dict["event"][0]
    assert not Workshop.objects.exists()


def test_service_refuses_moving_a_workshop_away_from_its_event(national_admin, oriental,
                                                               casablanca_settat):
    event = EventFactory(region=casablanca_settat)
    workshop = WorkshopFactory(region=casablanca_settat, event=event)
    with pytest.raises(ValidationError):
        services.workshop_update(workshop=workshop, by=national_admin, region=oriental)
    workshop.refresh_from_db()
    assert workshop.region == casablanca_settat


def test_the_form_shows_the_services_refusal_on_the_event_field(client, national_admin,
                                                                 oriental, casablanca_settat):
    event = EventFactory(region=casablanca_settat)
    client.force_login(national_admin)
    response = client.post(reverse("training:workshop_create"), {
        "title": "Atelier", "theme": WorkshopFactory.build().theme.pk, "date": "2025-06-01",
        "duration_hours": "3", "region": oriental.pk, "city": "Oujda", "capacity": 10,
        "event": event.pk})
    assert response.status_code == 200
    assert event.code in " ".join(response.context["form"].errors["event"])
    assert not Workshop.objects.exists()


def test_the_api_refuses_an_event_of_another_region(national_admin, casablanca_settat):
    event = EventFactory(region=casablanca_settat)
    response = api(national_admin).post("/api/workshops/", {
        "code": "AT-X-2", "title": "Atelier", "theme": "governance", "date": "2025-06-01",
        "region": "MA-02", "city": "Oujda", "capacity": 10, "event": event.code},
        format="json")
    assert response.status_code == 400, response.content
    assert event.code in response.json()["event"][0]
    assert not Workshop.objects.exists()


# -- a trainer's workshop stays in their regions -----------------------------------------------

def test_a_trainer_cannot_move_their_workshop_to_another_region_by_the_api(trainer,
                                                                           own_workshop):
    response = api(trainer).patch(f"/api/workshops/{own_workshop.pk}/", {"region": "MA-06"},
                                  format="json")
    assert response.status_code == 403, response.content
    own_workshop.refresh_from_db()
    assert own_workshop.region.code == "MA-02"


def test_a_trainer_cannot_move_their_workshop_to_another_region(trainer, own_workshop,
                                                                casablanca_settat):
    with pytest.raises(PermissionDenied):
        services.workshop_update(workshop=own_workshop, by=trainer, region=casablanca_settat)
    # Other changes stay theirs to make.
    services.workshop_update(workshop=own_workshop, by=trainer, venue="Maison des jeunes")
    own_workshop.refresh_from_db()
    assert (own_workshop.venue, own_workshop.region.code) == ("Maison des jeunes", "MA-02")


# -- workshop ↔ person -----------------------------------------------------------------------

def test_nobody_enrols_a_person_of_another_region(national_admin, own_workshop,
                                                  casablanca_settat):
    stranger = PersonFactory(region=casablanca_settat, first_name="Salma", last_name="Idrissi")
    with pytest.raises(ValidationError) as refused:
        services.enrol(workshop=own_workshop, person=stranger, by=national_admin)
    assert "Salma Idrissi" in refused.value.message_dict["person"][0]
    with pytest.raises(ValidationError):
        services.attendance_record(workshop=own_workshop, person=stranger, attended=True,
                                   by=national_admin)
    assert not Enrolment.objects.exists()


def test_the_enrol_page_says_why_a_person_of_another_region_is_refused(client, national_admin,
                                                                      own_workshop,
                                                                      casablanca_settat):
    stranger = PersonFactory(region=casablanca_settat, first_name="Salma", last_name="Idrissi")
    client.force_login(national_admin)
    response = client.post(reverse("training:workshop_enrol", args=[own_workshop.pk]),
                           {"person": stranger.pk}, follow=True)
    assert "Salma Idrissi" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_trainers_walk_in_never_reuses_a_person_of_another_region(trainer, own_workshop,
                                                                    casablanca_settat):
    elsewhere = PersonFactory(region=casablanca_settat, first_name="Nadia", last_name="Tazi",
                              national_id="BE123456", phone="")
    with pytest.raises(ValidationError) as refused:
        services.walk_in(workshop=own_workshop, by=trainer, first_name="Nadia",
                         last_name="Tazi", sex="F", national_id="BE123456",
                         phone="0661234567")
    assert refused.value.code == "duplicate_person_elsewhere"
    assert "Tazi" not in " ".join(refused.value.messages)  # not shown to the trainer
    elsewhere.refresh_from_db()
    assert elsewhere.phone == ""  # and not filled in either
    assert not Enrolment.objects.exists()


def test_a_trainers_walk_in_page_refuses_the_person_of_another_region(client, trainer,
                                                                      own_workshop,
                                                                      casablanca_settat):
    PersonFactory(region=casablanca_settat, first_name="Nadia", last_name="Tazi",
                  phone="0661234567")
    client.force_login(trainer)
    response = client.post(reverse("training:walk_in", args=[own_workshop.pk]), {
        "first_name": "Nadia", "last_name": "Tazi", "sex": "F", "phone": "0661234567"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Enrolment.objects.exists()
    assert Person.objects.count() == 1


def test_a_trainers_walk_in_of_their_region_still_matches_and_registers(trainer, oriental,
                                                                        own_workshop):
    known = PersonFactory(region=oriental, first_name="Nadia", last_name="Tazi",
                          phone="0661234567")
    enrolment, outcome = services.walk_in(workshop=own_workshop, by=trainer,
                                          first_name="Nadia", last_name="Tazi", sex="F",
                                          phone="06 61 23 45 67")
    assert enrolment.person_id == known.pk and outcome in ("unchanged", "updated")
