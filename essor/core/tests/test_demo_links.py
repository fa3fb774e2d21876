"""The demo obeys the link rules it ships (see the services' ``check_*`` functions): not
one cross-region link, one query per rule, on the full demo and on a small one (whose
registry is too small for the seed's figures, so the generator's fallbacks run too)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q

from essor.promotion.models import Application, Event, Participation
from essor.registry.models import Membership
from essor.training.models import Enrolment, Workshop

pytestmark = pytest.mark.django_db

SMALL = {"organisations": 120, "people": 900}


def _holder_not_member(model):
    """Holders neither members of the organisation nor living in its region."""
    member = Membership.objects.filter(organisation=OuterRef("organisation"),
                                       person=OuterRef("holder"))
    return (model.objects.filter(holder__isnull=False)
            .exclude(holder__region=F("organisation__region")).exclude(Exists(member)))


RULES = {
    # check_participation_organisation
    "participation of another region's organisation": lambda: Participation.objects.exclude(
        event__kind=Event.Kind.NATIONAL_FAIR).exclude(organisation__region=F("event__region")),
    "application of another region's organisation": lambda: Application.objects.exclude(
        event__kind=Event.Kind.NATIONAL_FAIR).exclude(organisation__region=F("event__region")),
    # check_participation_holder
    "stand holder foreign to the organisation": lambda: _holder_not_member(Participation),
    "applicant holder foreign to the organisation": lambda: _holder_not_member(Application),
    # check_workshop_event
    "workshop alongside another region's event": lambda: Workshop.objects.filter(
        event__isnull=False).exclude(event__region=F("region")),
    # check_workshop_person
    "enrolment of another region's person": lambda: Enrolment.objects.exclude(
        person__region=F("workshop__region")),
    # a trainer works in their region(s)
    "workshop of a trainer from elsewhere": lambda: Workshop.objects.filter(
        trainer__isnull=False).exclude(Q(trainer__regions=F("region"))),
}


@pytest.fixture(scope="module", params=["full", "small"])
def demo(request, django_db_setup, django_db_blocker):
    options = {} if request.param == "full" else SMALL
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO(), **options)
        yield request.param
        transaction.set_rollback(True)


@pytest.mark.parametrize("rule", RULES)
def test_the_demo_has_no_cross_region_link(demo, rule):
    assert RULES[rule]().count() == 0


def test_the_demo_links_are_there_to_check(demo):
    """The rules above hold on records that exist: participations, applications,
    enrolments and workshops alongside events."""
    assert Participation.objects.exists() and Application.objects.exists()
    assert Enrolment.objects.exists()
    assert Workshop.objects.filter(event__isnull=False).exists()
