"""Promotion's and the registry's indicators on small hand-built datasets."""

import datetime
from decimal import Decimal

import pytest

from essor.observatory.compute import values
from essor.promotion.models import Event, Participation
from essor.promotion.tests.factories import EventFactory, ParticipationFactory
from essor.registry.models import Membership
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

ATTENDED, ABSENT = Participation.Status.ATTENDED, Participation.Status.ABSENT


@pytest.fixture
def fairs(oriental, casablanca_settat):
    national = EventFactory(kind=Event.Kind.NATIONAL_FAIR, status=Event.Status.HELD,
                            start_date=datetime.date(2025, 5, 10),
                            end_date=datetime.date(2025, 5, 14), region=casablanca_settat)
    market = EventFactory(kind=Event.Kind.ITINERANT_MARKET, status=Event.Status.CLOSED,
                          start_date=datetime.date(2024, 6, 1),
                          end_date=datetime.date(2024, 6, 3), region=oriental)
    planned = EventFactory(status=Event.Status.PLANNED, start_date=datetime.date(2025, 7, 1),
                           end_date=datetime.date(2025, 7, 2))
    woman = PersonFactory(sex="F", birth_year=1990)   # 35 in 2025
    man = PersonFactory(sex="M", birth_year=1960)
    unknown_age = PersonFactory(sex="F", birth_year=None, region=oriental)
    ParticipationFactory(event=national, holder=woman, status=ATTENDED,
                         sales_mad=Decimal("1000.50"), visitors=30)
    ParticipationFactory(event=national, holder=man, status=ATTENDED, visitors=10,
                         organisation=OrganisationFactory(kind="association", sector=""))
    ParticipationFactory(event=national, status=ABSENT, sales_mad=Decimal("99"))
    ParticipationFactory(event=market, holder=unknown_age, status=ATTENDED,
                         sales_mad=Decimal("200"),
                         organisation=OrganisationFactory(region=oriental))
    ParticipationFactory(event=planned, status=ATTENDED)  # not held: not counted
    return {"national": national, "market": market}


def test_each_promotion_indicator_gives_the_known_answer(fairs):
    assert values("promotion.events").total == 2
    assert values("promotion.exhibitors").total == 3
    assert values("promotion.women_exhibitors").total == 2
    assert values("promotion.women_exhibitors_share").total == 2 / 3
    sales = values("promotion.sales").total
    assert sales == Decimal("1200.50") and isinstance(sales, Decimal)
    assert values("promotion.visitors").total == 40


def test_promotion_breakdowns(fairs):
    assert values("promotion.exhibitors", by=("event_kind",)).rows == [
        {"event_kind": "national_fair", "value": 2},
        {"event_kind": "itinerant_market", "value": 1}]
    assert values("promotion.women_exhibitors_share", by=("event_kind",)).rows == [
        {"event_kind": "national_fair", "value": 0.5},
        {"event_kind": "itinerant_market", "value": 1.0}]
    # The stand holder's age in the event's year; no birth year is its own row.
    assert values("promotion.exhibitors", by=("age_band",)).rows == [
        {"age_band": "35_54", "value": 1}, {"age_band": "55_over", "value": 1},
        {"age_band": "unknown", "value": 1}]
    # An organisation without a sector is kept, as unknown.
    assert values("promotion.exhibitors", by=("sector",)).rows == [
        {"sector": "crafts", "value": 2}, {"sector": "unknown", "value": 1}]
    sales = values("promotion.sales", by=("region",))
    assert sales.rows == [{"region": "MA-02", "value": Decimal("200")},
                          {"region": "MA-06", "value": Decimal("1000.50")}]
    assert sales.as_dict()["rows"][1]["value"] == 1000.5
    events = values("promotion.events", by=("region", "event_kind"))
    assert events.rows == [{"region": "MA-02", "event_kind": "itinerant_market", "value": 1},
                           {"region": "MA-06", "event_kind": "national_fair", "value": 1}]
    assert events.additive


def test_promotion_period_and_scope(fairs):
    year_2025 = {"date_from": datetime.date(2025, 1, 1), "date_to": datetime.date(2025, 12, 31)}
    assert values("promotion.events", **year_2025).total == 1
    assert values("promotion.exhibitors", **year_2025).total == 2
    assert values("promotion.exhibitors", region="MA-02").total == 1
    assert values("promotion.visitors", region="MA-02").total == 0


def test_registry_indicators(oriental):
    coop = OrganisationFactory(kind="cooperative", region=oriental)
    association = OrganisationFactory(kind="association", sector="")
    fatima, ahmed = PersonFactory(sex="F"), PersonFactory(sex="M")
    Membership.objects.create(person=fatima, organisation=coop)
    Membership.objects.create(person=fatima, organisation=association)
    Membership.objects.create(person=ahmed, organisation=coop)

    assert values("registry.organisations").total == 2
    assert values("registry.organisations", by=("organisation_kind",)).rows == [
        {"organisation_kind": "cooperative", "value": 1},
        {"organisation_kind": "association", "value": 1}]
    assert values("registry.organisations", by="sector").rows == [
        {"sector": "crafts", "value": 1}, {"sector": "unknown", "value": 1}]
    members = values("registry.members", by=("sex",))
    assert members.total == 3
    assert members.rows == [{"sex": "F", "value": 2}, {"sex": "M", "value": 1}]
    assert values("registry.members", region="MA-02").total == 2


def test_distinct_regions_break_down_as_an_activitys_attribute(fairs):
    """The regions the exhibitors come from, by the holder's sex or age band: a region
    may have exhibitors of both, so the rows are not additive, and each row counts the
    regions of that row's exhibitors (not one age per region)."""
    from essor.promotion.models import Participation

    attended = Participation.objects.exhibitors()
    total = values("promotion.exhibitor_regions")
    assert total.total == attended.values("organisation__region").distinct().count()
    by_sex = values("promotion.exhibitor_regions", by=("sex",))
    assert by_sex.additive is False
    assert by_sex.rows == [
        {"sex": sex, "value": attended.filter(holder__sex=sex).values(
            "organisation__region").distinct().count()} for sex in ("F", "M")]
    bands = values("promotion.exhibitor_regions", by=("age_band",))
    assert bands.additive is False
    unknown = attended.filter(holder__birth_year__isnull=True).values(
        "organisation__region").distinct().count()
    assert {"age_band": "unknown", "value": unknown} in bands.rows
