"""The demo data reproduces the seed report's training figures, from its records.

The full-size demo is loaded once for the ``TestFullDemo`` class (inside a transaction
rolled back afterwards).
"""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from essor.promotion.models import Event
from essor.territory.models import Region
from essor.training.figures import training_figures
from essor.training.models import Enrolment, Evaluation, Theme, Workshop

pytestmark = pytest.mark.django_db

WORKSHOPS, BENEFICIARIES, WOMEN = 420, 15442, 9342  # mesures-d-appui.txt
HELD = Workshop.HELD_STATUSES


def report(*args) -> dict:
    out = StringIO()
    call_command("report", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture(scope="class")
def full_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("full_demo")
class TestFullDemo:
    def test_the_figures_are_the_seed_reports(self):
        figures = training_figures()

        assert figures["workshops"] == WORKSHOPS
        assert figures["beneficiaries"] == BENEFICIARIES
        assert figures["women_beneficiaries"] == WOMEN
        assert figures["women_share"] == WOMEN / BENEFICIARIES
        assert round(figures["women_share"] * 100, 1) == 60.5
        assert figures["attendances"] > BENEFICIARIES
        assert figures["attendances"] > 1.3 * BENEFICIARIES  # many came more than once
        assert WORKSHOPS * 0.8 <= figures["workshops_alongside_events"] < WORKSHOPS

    def test_the_report_command_prints_them(self):
        printed = report()["training"]

        assert printed == training_figures()
        assert printed["workshops"] == WORKSHOPS
        assert printed["beneficiaries"] == BENEFICIARIES
        assert printed["women_beneficiaries"] == WOMEN
        assert printed["women_share"] == WOMEN / BENEFICIARIES
        assert printed["attendances"] > BENEFICIARIES

    @pytest.mark.parametrize("where", [{}, {"region": "MA-02"}, {"period": True},
                                       {"theme": True}, {"event": True}])
    def test_the_figures_take_a_fixed_number_of_queries(self, where,
                                                        django_assert_max_num_queries):
        kwargs = {}
        if "region" in where:
            kwargs["region"] = Region.objects.get(code=where["region"])
        if "period" in where:
            kwargs.update(date_from=datetime.date(2024, 1, 1),
                          date_to=datetime.date(2024, 12, 31))
        if "theme" in where:
            kwargs["theme"] = Theme.objects.order_by("code").first()
        if "event" in where:
            kwargs["event"] = Event.objects.filter(workshops__isnull=False).order_by(
                "code").first()
        with django_assert_max_num_queries(2):
            figures = training_figures(**kwargs)
        assert 0 < figures["beneficiaries"] <= figures["attendances"]

    def test_sub_totals_match_the_records(self):
        oriental = Region.objects.get(code="MA-02")
        figures = training_figures(region=oriental, date_from=datetime.date(2024, 1, 1))
        attended = Enrolment.objects.filter(
            attended=True, workshop__status__in=HELD, workshop__region=oriental,
            workshop__date__gte=datetime.date(2024, 1, 1))

        assert figures["attendances"] == attended.count()
        assert figures["beneficiaries"] == attended.values("person").distinct().count()
        assert figures["women_beneficiaries"] == attended.filter(
            person__sex="F").values("person").distinct().count()
        assert 0 < figures["beneficiaries"] < BENEFICIARIES

    def test_absent_and_cancelled_enrolments_exist_but_do_not_count(self):
        absent = Enrolment.objects.filter(status=Enrolment.Status.ENROLLED, attended=False)
        cancelled = Enrolment.objects.filter(status=Enrolment.Status.CANCELLED)

        assert absent.exists() and cancelled.exists()
        assert not cancelled.filter(attended=True).exists()
        # Some of them never attended any workshop: were they counted, the figure would move.
        attendees = Enrolment.objects.filter(attended=True).values("person")
        assert absent.exclude(person__in=attendees).exists()
        assert cancelled.exclude(person__in=attendees).exists()
        assert Enrolment.objects.filter(attended=True).count() == training_figures()[
            "attendances"]

    def test_no_workshop_is_over_capacity(self):
        workshops = Workshop.objects.annotate(
            attendees=Count("enrolments", filter=Q(enrolments__attended=True)),
            seats=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED)))

        assert not workshops.filter(attendees__gt=F("capacity")).exists()
        assert not workshops.filter(seats__gt=F("capacity")).exists()
        assert not workshops.filter(capacity__lt=20).exists()
        assert not workshops.filter(capacity__gt=60).exists()

    def test_upcoming_workshops_are_planned_and_do_not_count(self):
        upcoming = Workshop.objects.exclude(status__in=HELD)
        assert upcoming.exists()
        assert set(upcoming.values_list("status", flat=True)) == {Workshop.Status.PLANNED}
        # Before 2027, only the demo trainer's workshops of the week of loading (today's
        # and one later), nobody ticked yet.
        today = timezone.localdate()
        of_the_week = upcoming.filter(date__lt=datetime.date(2027, 1, 1))
        assert of_the_week.count() == 2
        assert not of_the_week.exclude(trainer__username="formateur").exists()
        assert set(of_the_week.values_list("date", flat=True)) == {
            today, today + datetime.timedelta(days=2)}
        assert not Enrolment.objects.filter(workshop__in=of_the_week,
                                            attended__isnull=False).exists()
        assert training_figures()["workshops"] == WORKSHOPS

    def test_workshops_are_plausible(self):
        workshops = Workshop.objects.filter(status__in=HELD)

        assert workshops.count() == WORKSHOPS
        assert set(workshops.values_list("status", flat=True)) == set(HELD)
        assert not workshops.filter(date__lt=datetime.date(2022, 1, 1)).exists()
        assert not workshops.filter(date__gt=datetime.date(2025, 12, 31)).exists()
        assert set(workshops.values_list("date__year", flat=True)) == {2022, 2023, 2024, 2025}
        alongside = workshops.filter(event__isnull=False)
        assert not alongside.exclude(region=F("event__region")).exists()
        assert not alongside.exclude(province=F("event__province")).exists()
        assert not alongside.exclude(city=F("event__city")).exists()
        assert not alongside.filter(date__lt=F("event__start_date")).exists()
        assert not alongside.filter(date__gt=F("event__end_date")).exists()
        assert not alongside.exclude(event__status__in=Event.HELD_STATUSES).exists()
        assert workshops.values("theme").distinct().count() == Theme.objects.count()
        assert workshops.values("region").distinct().count() == 12
        assert not workshops.filter(Q(title="") | Q(title_ar="")).exists()
        assert not workshops.exclude(province__region=F("region")).exists()
        # The demo trainer runs some Oriental workshops, external trainers the others.
        mine = workshops.filter(trainer__username="formateur")
        assert mine.exists() and not mine.exclude(region__code="MA-02").exists()
        assert not workshops.filter(trainer__isnull=True, trainer_name="").exists()
        # Attendees come mostly from the workshop's region.
        attended = Enrolment.objects.filter(attended=True)
        local = attended.filter(person__region=F("workshop__region")).count()
        assert local / attended.count() > 0.9
        # Certificate codes are unique; a few evaluations, from attendees only.
        assert (Enrolment.objects.values("certificate_code").distinct().count()
                == Enrolment.objects.count())
        assert 0 < Evaluation.objects.count() < attended.count() / 10
        assert not Evaluation.objects.exclude(enrolment__attended=True).exists()


# -- a small registry ---------------------------------------------------------------------------

SMALL = {"organisations": 120, "people": 900}


def training_digest() -> list:
    rows = list(Workshop.objects.order_by("code").values_list(
        "code", "title", "title_ar", "theme__code", "date", "region__code", "province__code",
        "city", "venue", "event__code", "capacity", "status", "trainer_name",
        "duration_hours"))
    rows += list(Enrolment.objects.order_by("workshop__code", "person__name_key",
                                            "person__birth_year", "person__phone").values_list(
        "workshop__code", "person__first_name", "person__last_name", "person__phone",
        "status", "source", "attended", "certificate_code"))
    rows += list(Evaluation.objects.order_by("enrolment__certificate_code").values_list(
        "enrolment__certificate_code", "rating", "usefulness", "comment"))
    return rows


def test_a_small_registry_scales_the_beneficiaries_down_and_keeps_the_women_share():
    call_command("demo", stdout=StringIO(), **SMALL)
    figures = training_figures()

    assert figures["workshops"] == WORKSHOPS
    assert 0 < figures["beneficiaries"] < BENEFICIARIES
    assert figures["women_share"] == pytest.approx(WOMEN / BENEFICIARIES, abs=0.005)
    assert figures["attendances"] > figures["beneficiaries"]
    workshops = Workshop.objects.annotate(
        seats=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED)))
    assert not workshops.filter(seats__gt=F("capacity")).exists()


def test_two_loads_give_the_same_training_records():
    digests = []
    for _attempt in range(2):
        with transaction.atomic():
            call_command("demo", stdout=StringIO(), **SMALL)
            digests.append(training_digest())
            transaction.set_rollback(True)
    assert digests[0] == digests[1]
    assert not Workshop.objects.exists()
