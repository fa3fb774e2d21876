"""What may be linked to an event, whatever the writer (national admin included) and the
path: a regional fair or an itinerant market takes organisations of its region (a
national fair, of every region); the stand holder is a member of the organisation or
lives in its region."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from essor.promotion import services
from essor.promotion.models import Application, Event, Participation
from essor.registry.models import Membership
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

from .factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(casablanca_settat):
    return EventFactory(region=casablanca_settat, kind=Event.Kind.ITINERANT_MARKET,
                        status=Event.Status.OPEN)


def test_a_regional_market_refuses_an_organisation_of_another_region(national_admin, market,
                                                                     oriental):
    foreign = OrganisationFactory(region=oriental, name="Coopérative Figuig")
    with pytest.raises(ValidationError) as refused:
        services.participation_register(event=market, organisation=foreign,
                                        holder=PersonFactory(region=oriental),
                                        by=national_admin)
    assert "Coopérative Figuig" in refused.value.message_dict["organisation"][0]
    with pytest.raises(ValidationError):
        services.application_submit(event=market, organisation=foreign, by=national_admin,
                                    holder=PersonFactory(region=oriental))
    assert not Participation.objects.exists() and not Application.objects.exists()


def test_a_national_fair_takes_every_region(national_admin, casablanca_settat, oriental):
    fair = EventFactory(region=casablanca_settat, kind=Event.Kind.NATIONAL_FAIR)
    foreign = OrganisationFactory(region=oriental)
    participation, outcome = services.participation_register(
        event=fair, organisation=foreign, holder=PersonFactory(region=oriental),
        by=national_admin)
    assert outcome == "created" and participation.organisation == foreign


def test_the_holder_is_a_member_or_lives_in_the_organisations_region(national_admin, market,
                                                                     casablanca_settat,
                                                                     oriental):
    organisation = OrganisationFactory(region=casablanca_settat)
    stranger = PersonFactory(region=oriental, first_name="Hamid", last_name="Ouali")
    with pytest.raises(ValidationError) as refused:
        services.participation_register(event=market, organisation=organisation,
                                        holder=stranger, by=national_admin)
    assert "Hamid Ouali" in refused.value.message_dict["holder"][0]
    Membership.objects.create(organisation=organisation, person=stranger)
    participation, _outcome = services.participation_register(
        event=market, organisation=organisation, holder=stranger, by=national_admin)
    assert participation.holder == stranger


def test_an_organisation_account_applies_only_to_its_regions_events(organisation_account,
                                                                    oriental):
    elsewhere = EventFactory(region=oriental, status=Event.Status.OPEN)
    with pytest.raises(ValidationError):
        services.application_submit(event=elsewhere,
                                    organisation=organisation_account.organisation,
                                    by=organisation_account)
    # Through the API, another region's market is not even found.
    client = APIClient()
    client.force_authenticate(organisation_account)
    response = client.post("/api/applications/", {"event": elsewhere.pk, "products": "Argan"},
                           format="json")
    assert response.status_code == 400
    assert "event" in response.json()
    assert not Application.objects.exists()


def test_the_staff_application_page_shows_the_refusal(client, national_admin, market,
                                                      casablanca_settat, oriental):
    organisation = OrganisationFactory(region=casablanca_settat, kind="cooperative")
    stranger = PersonFactory(region=oriental)
    # A holder typed in is registered in the organisation's region; a member chosen from
    # another region is accepted (members may live anywhere).
    Membership.objects.create(organisation=organisation, person=stranger)
    client.force_login(national_admin)
    response = client.post(reverse("promotion:application_create", args=[market.pk]), {
        "organisation": organisation.pk, "products": "Miel", "holder": str(stranger.pk)})
    assert response.status_code == 302
    assert Application.objects.get().holder == stranger
