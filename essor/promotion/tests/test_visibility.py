"""Which events an organisation account sees: Exists() subqueries, not joins, so an
event it applied to and exhibited at is listed once, without distinct(), and the event
list's figures are not multiplied."""

import pytest

from essor.promotion import selectors
from essor.promotion.models import Event, Participation

from .factories import ApplicationFactory, EventFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def test_an_event_applied_to_and_exhibited_at_is_seen_once(organisation_account):
    organisation = organisation_account.organisation
    event = EventFactory(region=organisation.region, status=Event.Status.HELD)
    ApplicationFactory(event=event, organisation=organisation)
    ParticipationFactory(event=event, organisation=organisation, status="attended")
    for _n in range(3):
        ParticipationFactory(event=event, status="attended")
    hidden = EventFactory(status=Event.Status.HELD)  # same region, held, not its own

    visible = selectors.event_visible(organisation_account)
    assert "DISTINCT" not in str(visible.query).upper()
    assert list(visible) == [event]
    assert hidden not in visible
    assert list(selectors.event_list(user=organisation_account)) == [event]
    assert selectors.exhibitors_by_event()[event.code] == 4
    assert Participation.objects.filter(event=event, status="attended").count() == 4


def test_an_event_it_took_part_in_stays_visible_once_closed(organisation_account):
    organisation = organisation_account.organisation
    past = EventFactory(region=organisation.region, status=Event.Status.CLOSED)
    ParticipationFactory(event=past, organisation=organisation)
    applied = EventFactory(region=organisation.region, status=Event.Status.SELECTION)
    ApplicationFactory(event=applied, organisation=organisation)
    assert set(selectors.event_visible(organisation_account)) == {past, applied}
