import pytest

from essor.audit.models import AuditEntry
from essor.registry.models import Membership
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def casa(casablanca_settat):
    return {"org": OrganisationFactory(name="Coopérative Argana Settat",
                                       region=casablanca_settat),
            "person": PersonFactory(first_name="Hanane", last_name="Ouchen",
                                    region=casablanca_settat)}


def test_an_officer_finds_a_person_and_adds_them_as_a_member(client_as, casablanca_officer,
                                                             casa):
    client = client_as(casablanca_officer)
    org, person = casa["org"], casa["person"]

    page = client.get(f"/registry/organisations/{org.pk}/?member_q=ouchen")
    assert person.full_name in page.content.decode()
    response = client.post(f"/registry/organisations/{org.pk}/members/add/",
                           {"person": person.pk, "role": "president"})

    assert response.status_code == 302
    membership = Membership.objects.get(organisation=org, person=person)
    assert membership.role == "president"
    entry = AuditEntry.objects.get(action="registry.membership.added")
    assert entry.actor == casablanca_officer and entry.region == org.region
    assert person.full_name in client.get(f"/registry/organisations/{org.pk}/").content.decode()

    # Adding again changes the role only; no second membership.
    client.post(f"/registry/organisations/{org.pk}/members/add/",
                {"person": person.pk, "role": "member"})
    assert Membership.objects.filter(organisation=org, person=person).count() == 1
    assert Membership.objects.get(organisation=org, person=person).role == "member"


def test_removing_a_member_is_audited(client_as, casablanca_officer, casa):
    membership = Membership.objects.create(organisation=casa["org"], person=casa["person"])

    client_as(casablanca_officer).post(
        f"/registry/organisations/{casa['org'].pk}/members/{membership.pk}/remove/")

    assert not Membership.objects.exists()
    assert AuditEntry.objects.filter(action="registry.membership.removed").count() == 1


def test_no_cross_region_membership(client_as, oriental_officer, oriental, casa):
    own = OrganisationFactory(name="Association Angad", kind="association", region=oriental)

    response = client_as(oriental_officer).post(
        f"/registry/organisations/{own.pk}/members/add/", {"person": casa["person"].pk})

    assert response.status_code == 404
    assert not Membership.objects.exists()


def test_a_coach_cannot_add_members(client_as, coach, casa):
    response = client_as(coach).post(
        f"/registry/organisations/{casa['org'].pk}/members/add/",
        {"person": casa["person"].pk})

    assert response.status_code == 403
    assert not Membership.objects.exists()
