"""Online enrolment by an organisation account, for its members, in its region."""

import datetime

import pytest
from django.utils import timezone

from essor.audit.models import AuditEntry
from essor.registry.models import Membership
from essor.registry.tests.factories import PersonFactory
from essor.training.models import Enrolment, Workshop
from essor.training.tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

NEXT_YEAR = datetime.date(timezone.localdate().year + 1, 3, 1)


@pytest.fixture
def member(member_org):
    person = PersonFactory(first_name="Zineb", last_name="Naciri", region=member_org.region)
    Membership.objects.create(organisation=member_org, person=person)
    return person


def test_an_organisation_enrols_a_member_online(client_as, organisation_account, member):
    workshop = WorkshopFactory(date=NEXT_YEAR, capacity=1)
    client = client_as(organisation_account)

    assert workshop.local_title in client.get("/training/online/").content.decode()
    response = client.post(f"/training/online/{workshop.pk}/enrol/", {"person": member.pk})

    assert response.status_code == 302
    enrolment = Enrolment.objects.get(workshop=workshop, person=member)
    assert enrolment.source == Enrolment.Source.ONLINE
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert AuditEntry.objects.filter(action="training.enrolment.created",
                                     actor=organisation_account).exists()


def test_a_full_workshop_puts_the_member_on_the_waiting_list(client_as, organisation_account,
                                                             member):
    workshop = WorkshopFactory(date=NEXT_YEAR, capacity=1)
    Enrolment.objects.create(workshop=workshop, person=PersonFactory())

    client_as(organisation_account).post(f"/training/online/{workshop.pk}/enrol/",
                                         {"person": member.pk})

    assert Enrolment.objects.get(person=member).status == Enrolment.Status.WAITLISTED


@pytest.mark.parametrize("workshop_kwargs", [
    {"region": "MA-02"},                       # another region
    {"status": Workshop.Status.HELD},          # not planned any more
    {"date": datetime.date(2020, 1, 1)},       # in the past
])
def test_only_planned_upcoming_workshops_of_its_region(client_as, organisation_account,
                                                       member, oriental, workshop_kwargs):
    kwargs = {"date": NEXT_YEAR, **workshop_kwargs}
    if kwargs.get("region") == "MA-02":
        kwargs["region"] = oriental
    workshop = WorkshopFactory(**kwargs)

    response = client_as(organisation_account).post(f"/training/online/{workshop.pk}/enrol/",
                                                    {"person": member.pk})

    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_only_its_own_members(client_as, organisation_account, member_org):
    stranger = PersonFactory(region=member_org.region)
    workshop = WorkshopFactory(date=NEXT_YEAR)

    response = client_as(organisation_account).post(f"/training/online/{workshop.pk}/enrol/",
                                                    {"person": stranger.pk})

    assert response.status_code == 404
    assert not Enrolment.objects.exists()
