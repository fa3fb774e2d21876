"""The demo's places have their Arabic forms: an Arabic reader sees Arabic cities, venues
and organisers on every event and workshop, joined with the Arabic comma."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from essor.promotion.models import Event
from essor.training.models import Workshop

pytestmark = pytest.mark.django_db

LATIN = re.compile(r"[A-Za-z,]")


def test_every_demo_event_and_workshop_reads_in_arabic():
    call_command("demo", stdout=StringIO(), organisations=120, people=900)
    events = list(Event.objects.select_related("region", "province"))
    workshops = list(Workshop.objects.select_related("region", "province"))
    assert events and workshops

    with translation.override("ar"):
        for event in events:
            assert event.local_city and not LATIN.search(event.local_city), event.code
            if event.venue:
                assert event.venue_ar and not LATIN.search(event.venue_ar), event.code
            assert event.organiser_ar and not LATIN.search(event.organiser_ar), event.code
            assert not LATIN.search(event.place), (event.code, event.place)
        for workshop in workshops:
            assert not LATIN.search(workshop.local_city), workshop.code
            if workshop.venue:
                assert workshop.venue_ar and not LATIN.search(workshop.venue_ar), workshop.code
            assert not LATIN.search(workshop.place), (workshop.code, workshop.place)
    with translation.override("fr"):
        assert all(not re.search("[\u0600-\u06ff]", e.place) for e in events)
