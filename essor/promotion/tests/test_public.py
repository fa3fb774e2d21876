"""Public pages: upcoming events and their exhibitors, for anyone, in French and Arabic,
and never a person's data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from essor.promotion.models import Event
from essor.promotion.tests.factories import ApplicationFactory, EventFactory, ParticipationFactory
from essor.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _soon(days=20):
    start = timezone.localdate() + datetime.timedelta(days=days)
    return {"start_date": start, "end_date": start + datetime.timedelta(days=4)}


@pytest.fixture
def market():
    event = EventFactory(code="MI-MA06-2099-01", title="Marché itinérant de Settat",
                         title_ar="السوق المتجول بسطات", status=Event.Status.SELECTION,
                         **_soon())
    holder = PersonFactory(first_name="Fatima", last_name="Zahraoui", phone="0661234567",
                           national_id="BE123456", birth_year=1988)
    application = ApplicationFactory(event=event, holder=holder, status="accepted",
                                     organisation__name="Coopérative Tifaout",
                                     organisation__name_ar="تعاونية تيفاوت",
                                     organisation__phone="0522334455",
                                     products="Huile d'argan, amlou, savon beldi")
    ParticipationFactory(event=event, organisation=application.organisation, holder=holder,
                         application=application)
    ParticipationFactory(event=event, status="cancelled",
                         organisation__name="Coopérative Désistée")
    return event


def test_anyone_sees_the_upcoming_events_but_not_past_or_closed_ones(client, market):
    EventFactory(title="Salon passé", start_date=datetime.date(2020, 3, 1),
                 end_date=datetime.date(2020, 3, 4), status=Event.Status.CLOSED)
    EventFactory(title="Salon clos", status=Event.Status.CLOSED, **_soon(40))

    response = client.get("/promotion/public/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Marché itinérant de Settat" in html
    assert "Salon passé" not in html and "Salon clos" not in html


def test_an_event_page_lists_its_exhibitors_and_no_personal_data(client, market):
    response = client.get("/promotion/public/MI-MA06-2099-01/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Coopérative Tifaout" in html and "savon beldi" in html
    assert "Coopérative Désistée" not in html  # cancelled
    for personal in ("Fatima", "Zahraoui", "0661234567", "06 61 23 45 67", "BE123456",
                     "1988", "0522334455"):
        assert personal not in html


def test_a_past_event_never_recorded_as_held_has_no_public_page(client):
    # A held past event keeps its page (test_public_places.py); one still "planned" after
    # its end date did not take place as far as essor knows.
    EventFactory(code="MI-MA06-2020-01", start_date=datetime.date(2020, 3, 1),
                 end_date=datetime.date(2020, 3, 4), status=Event.Status.PLANNED)

    assert client.get("/promotion/public/MI-MA06-2020-01/").status_code == 404
    assert client.get("/promotion/public/no-such-event/").status_code == 404


def test_the_public_pages_read_in_arabic_right_to_left(client, market):
    response = client.post("/i18n/setlang/", {"language": "ar",
                                              "next": "/promotion/public/"})
    assert response.status_code == 302

    listing = client.get("/promotion/public/").content.decode()
    page = client.get("/promotion/public/MI-MA06-2099-01/").content.decode()

    for html in (listing, page):
        assert '<html lang="ar" dir="rtl">' in html
        assert "bootstrap.rtl.min.css" in html
        assert "السوق المتجول بسطات" in html
    assert "تعاونية تيفاوت" in page
    assert "الدار البيضاء - سطات" in page or "الدار البيضاء" in page  # the region, in Arabic


def test_the_public_pages_are_readable_on_a_phone(client, market):
    html = client.get("/promotion/public/MI-MA06-2099-01/").content.decode()

    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert "<table" not in html  # a list that wraps, not a wide table


@pytest.mark.parametrize("url", ["/promotion/public/", "/promotion/public/MI-MA06-2099-01/"])
def test_the_public_pages_query_count_does_not_grow_with_rows(client, market, url):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _ in range(12):
        EventFactory(**_soon())
        ParticipationFactory(event=market, application=ApplicationFactory(event=market))
    assert count() == few
