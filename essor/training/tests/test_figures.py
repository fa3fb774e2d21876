"""training_figures on small hand-made records."""

import datetime

import pytest

from essor.observatory.cache import bump
from essor.promotion.tests.factories import EventFactory
from essor.registry.tests.factories import PersonFactory
from essor.training.figures import training_figures
from essor.training.models import Enrolment, Theme, Workshop
from essor.training.tests.factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

HELD, CLOSED, PLANNED = Workshop.Status.HELD, Workshop.Status.CLOSED, Workshop.Status.PLANNED


def came(workshop, *people, attended=True, status=Enrolment.Status.ENROLLED):
    for person in people:
        EnrolmentFactory(workshop=workshop, person=person, attended=attended, status=status)


@pytest.fixture
def people(oriental):
    return {
        "fatima": PersonFactory(sex="F", birth_year=1998, region=oriental),
        "khadija": PersonFactory(sex="F", birth_year=1970, disability=True),
        "ahmed": PersonFactory(sex="M", birth_year=1965),
        "absent": PersonFactory(sex="F", birth_year=2000),
        "cancelled": PersonFactory(sex="M", birth_year=2001, disability=True),
        "waiting": PersonFactory(sex="F", birth_year=2002),
        "planned": PersonFactory(sex="F", birth_year=2003),
    }


@pytest.fixture
def records(people, oriental, casablanca_settat):
    p = people
    first = WorkshopFactory(status=HELD, date=datetime.date(2024, 3, 5), capacity=3)
    came(first, p["fatima"], p["khadija"], p["ahmed"])
    came(first, p["absent"], attended=False)
    came(first, p["cancelled"], attended=None, status=Enrolment.Status.CANCELLED)
    came(first, p["waiting"], attended=None, status=Enrolment.Status.WAITLISTED)

    second = WorkshopFactory(status=CLOSED, date=datetime.date(2025, 6, 1), region=oriental,
                             theme=Theme.objects.get(code="marketing"))
    came(second, p["fatima"], p["khadija"])  # the same people again: two attendances each

    planned = WorkshopFactory(status=PLANNED, date=datetime.date(2025, 6, 2))
    came(planned, p["planned"], p["ahmed"])
    return {"first": first, "second": second, "planned": planned}


def test_a_person_in_two_workshops_is_one_beneficiary_and_two_attendances(records):
    figures = training_figures()

    assert figures == {
        "workshops": 2, "workshops_alongside_events": 0,
        "beneficiaries": 3, "women_beneficiaries": 2, "women_share": 2 / 3,
        "youth_beneficiaries": 1,  # fatima, born 1998; the absent and waiting don't count
        "beneficiaries_with_disability": 1,  # khadija, once; the cancelled one doesn't count
        "attendances": 5,
    }


def test_waitlisted_cancelled_absent_and_planned_do_not_count(records, people):
    figures = training_figures()
    # QuerySet.update sends no signal: a bulk writer bumps the figures' cache itself.
    Enrolment.objects.filter(person=people["absent"]).update(attended=True)
    bump("training.Enrolment")

    assert training_figures()["beneficiaries"] == figures["beneficiaries"] + 1
    assert training_figures()["attendances"] == figures["attendances"] + 1
    # A planned workshop's ticks count once it is held.
    Workshop.objects.filter(pk=records["planned"].pk).update(status=HELD)
    Enrolment.objects.filter(workshop=records["planned"]).update(attended=True)
    bump("training.Workshop", "training.Enrolment")
    after = training_figures()
    assert after["workshops"] == 3
    assert after["beneficiaries"] == figures["beneficiaries"] + 2  # planned; ahmed known


def test_no_records_no_share():
    figures = training_figures()

    assert figures["workshops"] == figures["beneficiaries"] == figures["attendances"] == 0
    assert figures["women_share"] is None


def test_period_filter(records):
    in_2024 = training_figures(date_from=datetime.date(2024, 1, 1),
                               date_to=datetime.date(2024, 12, 31))
    from_2025 = training_figures(date_from=datetime.date(2025, 1, 1))

    assert (in_2024["workshops"], in_2024["beneficiaries"], in_2024["attendances"]) == (1, 3, 3)
    assert (from_2025["workshops"], from_2025["beneficiaries"],
            from_2025["attendances"]) == (1, 2, 2)
    assert from_2025["women_share"] == 1.0
    # Young is measured in the year of the workshop, not of the period: fatima (1998) is
    # 26 at her 2024 workshop, however late the period ends.
    assert in_2024["youth_beneficiaries"] == 1
    assert training_figures(date_to=datetime.date(2034, 12, 31))["youth_beneficiaries"] == 1


def test_region_filter(records, oriental, casablanca_settat):
    east = training_figures(region=oriental)
    centre = training_figures(region=casablanca_settat)

    assert (east["workshops"], east["beneficiaries"], east["attendances"]) == (1, 2, 2)
    assert (centre["workshops"], centre["beneficiaries"], centre["attendances"]) == (1, 3, 3)


def test_theme_and_event_filters(records, oriental):
    marketing = training_figures(theme=Theme.objects.get(code="marketing"))
    governance = training_figures(theme=Theme.objects.get(code="governance"))
    assert (marketing["workshops"], marketing["attendances"]) == (1, 2)
    assert (governance["workshops"], governance["attendances"]) == (1, 3)

    event = EventFactory(region=oriental, status="held")
    Workshop.objects.filter(pk=records["second"].pk).update(event=event)
    alongside = training_figures(event=event)
    assert (alongside["workshops"], alongside["workshops_alongside_events"],
            alongside["beneficiaries"]) == (1, 1, 2)
    assert training_figures()["workshops_alongside_events"] == 1


def test_youth_and_disability(people, oriental):
    workshop = WorkshopFactory(status=HELD, date=datetime.date(2025, 1, 10))
    young = PersonFactory(sex="M", birth_year=1991, disability=True)  # 34 in 2025
    older = PersonFactory(sex="M", birth_year=1990)  # 35 in 2025: not youth
    came(workshop, young, older)

    figures = training_figures(date_to=datetime.date(2025, 12, 31))
    assert figures["youth_beneficiaries"] == 1
    assert figures["beneficiaries_with_disability"] == 1
