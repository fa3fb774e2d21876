"""The `training` section of `essor report --format json`, on small hand-made records."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from essor.registry.tests.factories import PersonFactory
from essor.training.models import Enrolment, Workshop
from essor.training.tests.factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

KEYS = {"workshops", "workshops_alongside_events", "beneficiaries", "women_beneficiaries",
        "women_share", "youth_beneficiaries", "beneficiaries_with_disability", "attendances"}


def report(*args) -> dict:
    out = StringIO()
    call_command("report", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def came(workshop, *people, attended=True, status=Enrolment.Status.ENROLLED):
    for person in people:
        EnrolmentFactory(workshop=workshop, person=person, attended=attended, status=status)


@pytest.fixture
def records(oriental, casablanca_settat):
    amina = PersonFactory(sex="F", birth_year=1999, region=oriental)
    salma = PersonFactory(sex="F", birth_year=1980, region=oriental, disability=True)
    yassine = PersonFactory(sex="M", birth_year=1975, region=oriental)
    nobody = PersonFactory(sex="F", birth_year=2001, region=oriental)

    east = WorkshopFactory(region=oriental, status=Workshop.Status.HELD,
                           date=datetime.date(2024, 4, 2), code="AT-MA02-2024-001")
    came(east, amina, salma, yassine)
    came(east, nobody, attended=False)
    centre = WorkshopFactory(region=casablanca_settat, status=Workshop.Status.CLOSED,
                             date=datetime.date(2025, 2, 3), code="AT-MA06-2025-001")
    came(centre, amina, salma)  # again: two more attendances, no new beneficiary
    came(centre, nobody, attended=None, status=Enrolment.Status.CANCELLED)
    planned = WorkshopFactory(region=oriental, status=Workshop.Status.PLANNED,
                              date=datetime.date(2025, 3, 1), code="AT-MA02-2025-001")
    came(planned, nobody)


def test_the_training_section_has_its_keys_and_values(records):
    training = report()["training"]

    assert set(training) == KEYS
    assert training["workshops"] == 2
    assert training["beneficiaries"] == 3
    assert training["women_beneficiaries"] == 2
    assert training["women_share"] == 2 / 3
    assert training["women_share"] != round(training["women_share"], 4)  # unrounded
    assert training["attendances"] == 5
    assert training["workshops_alongside_events"] == 0
    assert training["beneficiaries_with_disability"] == 1


def test_the_training_section_follows_period_and_region(records):
    in_2024 = report("--from", "2024-01-01", "--to", "2024-12-31")["training"]
    centre = report("--region", "MA-06")["training"]

    assert (in_2024["workshops"], in_2024["beneficiaries"], in_2024["women_beneficiaries"],
            in_2024["attendances"]) == (1, 3, 2, 3)
    assert (centre["workshops"], centre["beneficiaries"], centre["women_beneficiaries"],
            centre["women_share"], centre["attendances"]) == (1, 2, 2, 1.0, 2)


def test_no_training_records_no_share(db):
    training = report()["training"]

    assert training["workshops"] == training["beneficiaries"] == training["attendances"] == 0
    assert training["women_share"] is None
