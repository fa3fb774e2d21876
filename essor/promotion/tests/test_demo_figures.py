"""The demo data reproduces the seed report's promotion figures, from its records.

The full-size demo is loaded once for the ``TestFullDemo`` class (inside a transaction
rolled back afterwards); every expectation below about sub-totals is counted from the
records with a plain filter, never typed in.
"""

import datetime
import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef
from django.utils import timezone

from essor.promotion.demo import today_codes
from essor.promotion.figures import promotion_figures
from essor.promotion.models import Application, Event, Participation, Satisfaction, Stand
from essor.registry.models import Membership

pytestmark = pytest.mark.django_db

SEED = {  # mesures-d-appui.txt, "Promotion et valorisation"
    "national_fair": (8, 3231, 1680),
    "regional_fair": (26, 3871, 2245),
    "itinerant_market": (50, 3321, 2159),
}
HELD = Event.HELD_STATUSES
ATTENDED = Participation.Status.ATTENDED
TODAY_OF_THE_BRIEF = datetime.date(2026, 11, 29)


def report(*args) -> dict:
    out = StringIO()
    call_command("report", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def counted(kind, **where) -> dict:
    """The figures of one kind, counted from the records with plain filters."""
    events = Event.objects.filter(kind=kind, status__in=HELD, **where)
    attended = Participation.objects.filter(event__in=events, status=ATTENDED)
    exhibitors = attended.count()
    women = attended.filter(holder__sex="F").count()
    return {"events": events.count(), "exhibitors": exhibitors, "women_exhibitors": women,
            "women_share": women / exhibitors if exhibitors else None}


@pytest.fixture(scope="class")
def full_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("full_demo")
class TestFullDemo:
    def test_the_figures_are_the_seed_reports(self):
        figures = promotion_figures()

        for kind, (events, exhibitors, women) in SEED.items():
            assert figures[kind] == {"events": events, "exhibitors": exhibitors,
                                     "women_exhibitors": women,
                                     "women_share": women / exhibitors}
        assert figures["national_fair"]["women_share"] == 1680 / 3231
        assert round(figures["national_fair"]["women_share"], 2) == 0.52
        assert round(figures["regional_fair"]["women_share"], 2) == 0.58
        assert round(figures["itinerant_market"]["women_share"], 2) == 0.65

    def test_the_report_command_prints_them(self):
        printed = report()

        assert printed["period"] == {"from": None, "to": None}
        assert printed["scope"] == "national"
        for kind, (events, exhibitors, women) in SEED.items():
            assert printed["promotion"][kind] == {
                "events": events, "exhibitors": exhibitors, "women_exhibitors": women,
                "women_share": women / exhibitors}

    @pytest.mark.parametrize("where", [{}, {"region": "MA-02"}, {"period": True}])
    def test_the_figures_take_a_fixed_number_of_queries(self, where,
                                                        django_assert_max_num_queries):
        from essor.territory.models import Region

        kwargs = {}
        if "region" in where:
            kwargs["region"] = Region.objects.get(code=where["region"])
        if "period" in where:
            kwargs.update(date_from=datetime.date(2024, 1, 1),
                          date_to=datetime.date(2024, 12, 31))
        with django_assert_max_num_queries(3):
            promotion_figures(**kwargs)

    def test_absent_and_cancelled_participations_exist_but_do_not_count(self):
        held = Participation.objects.filter(event__status__in=HELD)
        by_status = dict(held.values_list("status").annotate(n=Count("id"))
                         .values_list("status", "n"))
        attended = sum(exhibitors for _events, exhibitors, _women in SEED.values())

        assert by_status[ATTENDED] == attended
        assert by_status[Participation.Status.ABSENT] > 0
        assert by_status[Participation.Status.CANCELLED] > 0
        others = by_status[Participation.Status.ABSENT] + by_status[
            Participation.Status.CANCELLED]
        assert 0.01 < others / attended < 0.1  # a few percent
        # Women among the absent and cancelled too: only the attended make the figures.
        assert held.exclude(status=ATTENDED).filter(holder__sex="F").exists()
        assert set(by_status) <= {ATTENDED, Participation.Status.ABSENT,
                                  Participation.Status.CANCELLED}

    def test_upcoming_events_have_applications_and_do_not_count(self):
        upcoming = Event.objects.filter(status__in=[Event.Status.PLANNED, Event.Status.OPEN])

        assert upcoming.filter(status=Event.Status.OPEN).exists()
        assert upcoming.filter(status=Event.Status.PLANNED).exists()
        assert not upcoming.filter(start_date__lte=TODAY_OF_THE_BRIEF).exists()
        assert not Participation.objects.filter(event__in=upcoming).exists()
        applications = Application.objects.filter(event__status=Event.Status.OPEN)
        assert set(applications.values_list("status", flat=True)) == {
            Application.Status.SUBMITTED, Application.Status.SHORTLISTED}
        assert not Application.objects.filter(event__status=Event.Status.PLANNED).exists()
        # Besides: the market under way on the day of loading (status selection, not held).
        of_the_day = Event.objects.filter(code__in=today_codes(timezone.localdate()).values())
        assert of_the_day.count() == 1
        assert not of_the_day.filter(status__in=HELD).exists()
        assert Event.objects.count() == (sum(n for n, _e, _w in SEED.values())
                                         + upcoming.count() + of_the_day.count())

    def test_stands_are_numbered_enough_and_never_held_twice(self):
        national = Event.objects.filter(kind=Event.Kind.NATIONAL_FAIR, status__in=HELD)
        assert national.count() == 8
        for event in national.annotate(n=Count("participations")):
            assert 0 < event.n <= event.stands

        for event in Event.objects.annotate(rows=Count("stand_set", distinct=True),
                                            n=Count("participations", distinct=True)):
            assert event.rows == event.stands
            assert event.n <= event.stands

        given = Participation.objects.filter(stand__isnull=False)
        assert given.count() == given.values("stand").distinct().count()
        assert not given.exclude(stand__event=F("event")).exists()
        assert not Participation.objects.filter(status=ATTENDED, stand__isnull=True).exists()
        assert not Participation.objects.filter(status=Participation.Status.CANCELLED,
                                                stand__isnull=False).exists()
        assert Stand.objects.filter(participation__isnull=True).exists()  # a few to spare

    def test_held_events_lie_in_2022_to_2025_with_plausible_durations(self):
        held = Event.objects.filter(status__in=HELD)

        assert held.count() == sum(n for n, _e, _w in SEED.values())
        assert not held.filter(start_date__lt=datetime.date(2022, 1, 1)).exists()
        assert not held.filter(end_date__gt=datetime.date(2025, 12, 31)).exists()
        years = set(held.values_list("start_date__year", flat=True))
        assert years == {2022, 2023, 2024, 2025}
        for event in held:
            days = (event.end_date - event.start_date).days + 1
            low, high = (3, 7) if event.kind == Event.Kind.ITINERANT_MARKET else (4, 10)
            assert low <= days <= high, event.code
            assert event.title and event.title_ar and event.city and event.venue
            assert event.province.region_id == event.region_id
        # Regional fairs and markets in every region.
        for kind in (Event.Kind.REGIONAL_FAIR, Event.Kind.ITINERANT_MARKET):
            assert held.filter(kind=kind).values("region").distinct().count() == 12

    @pytest.mark.parametrize("args, where", [
        (["--from", "2024-01-01", "--to", "2024-12-31"],
         {"start_date__gte": datetime.date(2024, 1, 1),
          "start_date__lte": datetime.date(2024, 12, 31)}),
        (["--region", "MA-02"], {"region__code": "MA-02"}),
        (["--from", "2023-07-01", "--region", "MA-06"],
         {"start_date__gte": datetime.date(2023, 7, 1), "region__code": "MA-06"}),
    ])
    def test_period_and_region_sub_totals_match_the_records(self, args, where):
        printed = report(*args)

        for kind, (events, exhibitors, _women) in SEED.items():
            expected = counted(kind, **where)
            assert printed["promotion"][kind] == expected
            assert expected["exhibitors"] < exhibitors and expected["events"] < events
        assert sum(printed["promotion"][k]["exhibitors"] for k in SEED) > 0

    def test_exhibitors_are_plausible(self):
        attended = Participation.objects.filter(status=ATTENDED)

        # Badges are unique; holders belong to the organisation whose stand they hold.
        assert (Participation.objects.values("badge_code").distinct().count()
                == Participation.objects.count())
        members = Membership.objects.filter(person=OuterRef("holder"),
                                            organisation=OuterRef("organisation"))
        assert not Participation.objects.filter(~Exists(members)).exists()
        # Regional fairs and markets gather mostly organisations of their region.
        for kind in (Event.Kind.REGIONAL_FAIR, Event.Kind.ITINERANT_MARKET):
            of_kind = attended.filter(event__kind=kind)
            local = of_kind.filter(organisation__region=F("event__region")).count()
            assert local / of_kind.count() > 0.8
        # National fairs gather every region.
        assert (attended.filter(event__kind=Event.Kind.NATIONAL_FAIR)
                .values("organisation__region").distinct().count() == 12)
        # Declared sales and visitors on most attended participations, within bounds.
        declared = attended.filter(sales_mad__isnull=False)
        assert declared.count() / attended.count() > 0.7
        assert not declared.filter(sales_mad__lt=500).exists()
        assert not declared.filter(sales_mad__gt=60000).exists()
        assert attended.filter(visitors__isnull=False).count() / attended.count() > 0.7
        assert not Participation.objects.exclude(status=ATTENDED).filter(
            sales_mad__isnull=False).exists()
        assert 0 < Satisfaction.objects.count() < attended.count() / 10
        assert not Satisfaction.objects.exclude(participation__status=ATTENDED).exists()


# -- a small registry ---------------------------------------------------------------------------

SMALL = {"organisations": 120, "people": 900}


def promotion_digest() -> str:
    rows = list(Event.objects.order_by("code").values_list(
        "code", "kind", "title", "title_ar", "edition", "start_date", "end_date", "venue",
        "city", "region__code", "province__code", "stands", "status"))
    rows += list(Participation.objects.order_by("event__code", "organisation__name_key",
                                                "organisation__region__code").values_list(
        "event__code", "organisation__name", "organisation__region__code",
        "holder__first_name", "holder__last_name", "holder__birth_year", "status",
        "stand__number", "badge_code", "sales_mad", "visitors", "checked_in_at"))
    rows += list(Application.objects.order_by("event__code", "organisation__name_key",
                                              "organisation__region__code").values_list(
        "event__code", "organisation__name", "holder__last_name", "status", "first_time"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_a_small_registry_scales_the_events_down_and_keeps_the_womens_share():
    """Ten organisations a region cannot fill a region's markets and fairs (which take
    the organisations of their region only): every kind is scaled down alike."""
    call_command("demo", stdout=StringIO(), **SMALL)
    figures = promotion_figures()

    for kind in ("national_fair", "regional_fair", "itinerant_market"):
        events, exhibitors, women = SEED[kind]
        assert figures[kind]["events"] == events
        assert 0 < figures[kind]["exhibitors"] < exhibitors
        assert figures[kind]["women_share"] == pytest.approx(women / exhibitors, abs=0.005)
    # Still one participation per organisation and event, one holder per stand.
    given = Participation.objects.filter(stand__isnull=False)
    assert given.count() == given.values("stand").distinct().count()


def test_two_loads_give_the_same_promotion_records():
    digests = []
    for _attempt in range(2):
        with transaction.atomic():
            call_command("demo", stdout=StringIO(), **SMALL)
            digests.append(promotion_digest())
            transaction.set_rollback(True)
    assert digests[0] == digests[1]
    assert not Event.objects.exists()
