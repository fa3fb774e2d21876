"""Workshop pages: enrolment with a waiting list, scoping, the list's query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from essor.registry.tests.factories import PersonFactory
from essor.training.models import Enrolment

from .factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_the_third_person_waits_and_moves_up_when_a_seat_is_freed(client_as,
                                                                   casablanca_officer,
                                                                   casablanca_settat):
    workshop = WorkshopFactory(region=casablanca_settat, capacity=2)
    people = [PersonFactory(region=casablanca_settat, first_name=name, last_name="Alaoui")
              for name in ("Amina", "Badr", "Chaimae")]
    client = client_as(casablanca_officer)
    for person in people:
        response = client.post(reverse("training:workshop_enrol", args=[workshop.pk]),
                               {"person": person.pk}, follow=True)
        assert response.status_code == 200
    assert "is on the waiting list" in response.content.decode()
    statuses = dict(Enrolment.objects.values_list("person__first_name", "status"))
    assert statuses == {"Amina": "enrolled", "Badr": "enrolled", "Chaimae": "waitlisted"}

    first = Enrolment.objects.get(person=people[0])
    response = client.post(reverse("training:enrolment_cancel", args=[first.pk]), follow=True)
    assert "Chaimae Alaoui moves up from the waiting list" in response.content.decode()
    statuses = dict(Enrolment.objects.values_list("person__first_name", "status"))
    assert statuses == {"Amina": "cancelled", "Badr": "enrolled", "Chaimae": "enrolled"}


def test_staff_enrol_someone_new_with_the_person_form(client_as, casablanca_officer,
                                                      casablanca_settat):
    workshop = WorkshopFactory(region=casablanca_settat)
    response = client_as(casablanca_officer).post(
        reverse("training:workshop_enrol_new", args=[workshop.pk]),
        {"first_name": "Sanae", "last_name": "Idrissi", "sex": "F", "birth_year": 1994,
         "region": casablanca_settat.pk, "phone": "0612345678"})
    assert response.status_code == 302
    assert workshop.enrolments.get().person.first_name == "Sanae"


def test_a_trainer_sees_only_the_workshops_they_run(client_as, trainer, oriental):
    own = WorkshopFactory(region=oriental, trainer=trainer, title="Mon atelier")
    other = WorkshopFactory(region=oriental, title="Atelier d'un autre")
    client = client_as(trainer)
    page = client.get(reverse("training:workshop_list")).content.decode()
    assert "Mon atelier" in page and "Atelier d&#x27;un autre" not in page
    assert client.get(reverse("training:attendance", args=[own.pk])).status_code == 200
    for name in ("training:workshop_detail", "training:attendance",
                 "training:enrolment_list"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404


def test_an_oriental_officer_does_not_find_a_casablanca_workshop(client_as, oriental_officer,
                                                                 casablanca_settat):
    workshop = WorkshopFactory(region=casablanca_settat)
    client = client_as(oriental_officer)
    assert client.get(reverse("training:workshop_detail", args=[workshop.pk])).status_code == 404
    assert client.post(reverse("training:workshop_status", args=[workshop.pk]),
                       {"status": "held"}).status_code == 404


def test_create_a_workshop_with_its_code_numbered(client_as, casablanca_officer,
                                                  casablanca_settat):
    from essor.training.models import Theme, Workshop

    response = client_as(casablanca_officer).post(reverse("training:workshop_create"), {
        "title": "Vendre en ligne", "theme": Theme.objects.get(code="governance").pk,
        "date": "2030-03-04", "duration_hours": "3", "region": casablanca_settat.pk,
        "capacity": 20})
    assert response.status_code == 302, response.context["form"].errors
    assert Workshop.objects.get().code == "AT-MA06-2030-001"


def test_status_and_evaluation_pages(client_as, casablanca_officer, casablanca_settat):
    enrolment = EnrolmentFactory(workshop=WorkshopFactory(region=casablanca_settat),
                                 attended=True)
    client = client_as(casablanca_officer)
    client.post(reverse("training:workshop_status", args=[enrolment.workshop_id]),
                {"status": "held"})
    enrolment.workshop.refresh_from_db()
    assert enrolment.workshop.status == "held"
    response = client.post(reverse("training:evaluation_form", args=[enrolment.pk]),
                           {"rating": 4, "usefulness": 5, "comment": "Très utile"})
    assert response.status_code == 302
    page = client.get(reverse("training:workshop_evaluations",
                              args=[enrolment.workshop_id])).content.decode()
    assert "4.0" in page and "Très utile" in page
    assert "4.0" in client.get(reverse("training:theme_results")).content.decode()
    figures = client.get(reverse("training:figures")).content.decode()
    assert 'id="training-figures"' in figures


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("training:workshop_list")).status_code == 200
    return len(queries)


def test_the_list_query_count_does_not_grow_with_rows(client_as, casablanca_officer,
                                                      casablanca_settat):
    client = client_as(casablanca_officer)
    for _ in range(3):
        EnrolmentFactory(workshop=WorkshopFactory(region=casablanca_settat))
    three = _list_queries(client)
    for _ in range(12):
        EnrolmentFactory(workshop=WorkshopFactory(region=casablanca_settat))
    assert _list_queries(client) == three


@pytest.mark.parametrize(("language", "shown"), [("fr", "2,5"), ("ar", "2.5")])
def test_a_workshops_duration_is_written_as_its_reader_writes_decimals(
        client_as, casablanca_officer, casablanca_settat, language, shown):
    from decimal import Decimal

    workshop = WorkshopFactory(region=casablanca_settat, duration_hours=Decimal("2.5"))
    page = client_as(casablanca_officer).get(
        reverse("training:workshop_detail", args=[workshop.pk]),
        HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<bdi dir="ltr" class="ltr nowrap">{shown}</bdi>' in page
