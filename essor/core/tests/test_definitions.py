"""The shared definitions (young, share, exhibitor, attendance) and the places that use
them agree with each other."""

import datetime

import pytest

from essor.core.definitions import YOUNG_AGE, is_young, share, young_q
from essor.promotion.figures import promotion_figures
from essor.promotion.models import Event, Participation
from essor.promotion.selectors import event_list, event_summary, exhibitors_by_event
from essor.promotion.tests.factories import EventFactory, ParticipationFactory
from essor.registry.models import Person
from essor.registry.tests.factories import PersonFactory
from essor.training.figures import training_figures
from essor.training.models import Enrolment, Workshop
from essor.training.tests.factories import EnrolmentFactory, WorkshopFactory


def test_young_means_under_35_in_the_year_of_the_activity():
    assert YOUNG_AGE == 35
    assert is_young(1991, 2025)  # 34 in 2025
    assert not is_young(1990, 2025)  # 35 in 2025
    assert not is_young(None, 2025)


def test_share_is_an_unrounded_fraction_and_none_without_a_whole():
    assert share(1, 3) == pytest.approx(1 / 3)
    assert share(0, 4) == 0
    assert share(0, 0) is None
    assert share(None, None) is None


def test_young_q_needs_exactly_one_way_of_knowing_the_year():
    with pytest.raises(TypeError):
        young_q("birth_year")
    with pytest.raises(TypeError):
        young_q("birth_year", activity_date="x", activity_year=2025)


@pytest.mark.django_db
def test_young_q_matches_is_young_on_the_database(oriental):
    for year in (1989, 1990, 1991, None):
        PersonFactory(birth_year=year, region=oriental)
    found = set(Person.objects.filter(young_q("birth_year", activity_year=2025))
                .values_list("birth_year", flat=True))
    assert found == {year for year in (1989, 1990, 1991, None) if is_young(year, 2025)}


@pytest.mark.django_db
def test_a_beneficiary_is_young_in_the_year_of_the_workshop_not_of_the_period(
        casablanca_settat):
    """Born in 1990: 34 at a 2024 workshop (young), 35 at a 2025 one (not young)."""
    then = WorkshopFactory(status=Workshop.Status.HELD, date=datetime.date(2024, 6, 1))
    later = WorkshopFactory(status=Workshop.Status.HELD, date=datetime.date(2025, 6, 1))
    in_2024 = PersonFactory(birth_year=1990, region=casablanca_settat)
    in_2025 = PersonFactory(birth_year=1990, region=casablanca_settat)
    EnrolmentFactory(workshop=then, person=in_2024, attended=True)
    EnrolmentFactory(workshop=later, person=in_2025, attended=True)
    figures = training_figures(date_from=datetime.date(2024, 1, 1),
                               date_to=datetime.date(2025, 12, 31))
    assert figures["beneficiaries"] == 2
    assert figures["youth_beneficiaries"] == 1


@pytest.mark.django_db
def test_attendances_only_count_held_workshops(casablanca_settat):
    planned = WorkshopFactory(status=Workshop.Status.PLANNED)
    held = WorkshopFactory(status=Workshop.Status.HELD)
    EnrolmentFactory(workshop=planned, attended=True)
    kept = EnrolmentFactory(workshop=held, attended=True)
    EnrolmentFactory(workshop=held, attended=False)
    assert list(Enrolment.objects.attendances()) == [kept]


@pytest.mark.django_db
def test_exhibitors_of_an_event_not_held_are_counted_nowhere(national_admin):
    """The event list counted attended participations of events still open; the report
    did not. Both read the catalogue's promotion.exhibitors now."""
    held = EventFactory(code="MI-HELD", status=Event.Status.HELD)
    still_open = EventFactory(code="MI-OPEN", status=Event.Status.OPEN)
    for event in (held, still_open):
        ParticipationFactory.create_batch(2, event=event, status=Participation.Status.ATTENDED,
                                          holder__sex="F")
        ParticipationFactory(event=event, status=Participation.Status.ABSENT)
    by_event = exhibitors_by_event(national_admin)
    listed = {e.code: by_event.get(e.code, 0) for e in event_list(user=national_admin)}
    assert listed == {"MI-HELD": 2, "MI-OPEN": 0}
    assert event_summary(held)["exhibitors"] == 2
    assert event_summary(still_open)["exhibitors"] == 0
    report = promotion_figures()[Event.Kind.ITINERANT_MARKET]
    assert report["exhibitors"] == sum(listed.values())
    assert report["women_share"] == event_summary(held)["women_share"] == 1
