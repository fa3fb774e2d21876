"""The demo can be tried on the day it is loaded: a market under way with exhibitors to
check in, a workshop today for the demo trainer, and none of it moves the past's figures,
not even once everybody is checked in and ticked (the event and the workshop are not
held yet)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from essor.accounts.models import User
from essor.promotion import services as promotion_services
from essor.promotion.figures import promotion_figures
from essor.promotion.models import Application, Event, Participation
from essor.training import services as training_services
from essor.training.figures import training_figures
from essor.training.models import Enrolment, Workshop

pytestmark = pytest.mark.django_db

SMALL = {"organisations": 120, "people": 900}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO(), **SMALL)
        yield
        transaction.set_rollback(True)


def under_way(today):
    return Event.objects.filter(start_date__lte=today, end_date__gte=today)


def test_an_oriental_market_is_under_way_with_exhibitors_to_check_in(demo, client):
    today = timezone.localdate()
    events = under_way(today)
    assert events.count() == 1
    market = events.get()
    assert market.kind == Event.Kind.ITINERANT_MARKET and market.region.code == "MA-02"
    assert market.start_date < today < market.end_date
    assert not market.is_held
    exhibitors = Participation.objects.filter(event=market)
    assert exhibitors.count() >= 10
    assert set(exhibitors.values_list("status", flat=True)) == {"registered"}
    assert not exhibitors.filter(checked_in_at__isnull=False).exists()
    assert not exhibitors.filter(stand__isnull=True).exists()
    assert not exhibitors.exclude(organisation__region=market.region).exists()

    client.force_login(User.objects.get(username="oriental"))
    page = client.get(reverse("promotion:checkin", args=[market.pk]))
    assert page.status_code == 200
    assert "not taking place today" not in page.content.decode()


def test_the_demo_trainer_has_a_workshop_today_and_one_later_in_the_week(demo, client):
    today = timezone.localdate()
    trainer = User.objects.get(username="formateur")
    mine = Workshop.objects.filter(trainer=trainer, date__gte=today).order_by("date")
    assert [w.date for w in mine] == [today, today + datetime.timedelta(days=2)]
    today_workshop = mine[0]
    assert today_workshop.status == Workshop.Status.PLANNED
    enrolled = Enrolment.objects.filter(workshop=today_workshop, status="enrolled")
    assert enrolled.count() >= 15
    assert not enrolled.filter(attended__isnull=False).exists()
    # The namesakes: same name, born 1974 and 2004, each a member of another organisation.
    toudas = [e.person for e in enrolled.filter(person__first_name="Touda",
                                                person__last_name="Zerouali",
                                                person__birth_year__in=[1974, 2004])]
    assert sorted(p.birth_year for p in toudas) == [1974, 2004]
    organisations = [set(p.memberships.values_list("organisation", flat=True))
                     for p in toudas]
    assert all(organisations) and not organisations[0] & organisations[1]
    # Names typed in Arabic script.
    assert enrolled.filter(person__last_name__regex=r"[\u0600-\u06ff]").count() >= 2

    client.force_login(trainer)
    page = client.get(reverse("training:attendance", args=[today_workshop.pk]))
    assert page.status_code == 200
    assert page.content.decode().count("Zerouali") >= 2


def test_the_organisation_account_has_applications_with_decisions(demo):
    account = User.objects.get(username="cooperative")
    statuses = set(Application.objects.filter(organisation=account.organisation_id)
                   .values_list("status", flat=True))
    assert {"accepted", "submitted"} <= statuses


def test_checking_everyone_in_and_ticking_everyone_moves_no_figure(demo):
    """The day's records count once the event and the workshop are held, not before."""
    today = timezone.localdate()
    promotion_before, training_before = promotion_figures(), training_figures()
    admin = User.objects.get(username="admin")
    with transaction.atomic():
        for participation in Participation.objects.filter(event__in=under_way(today)):
            promotion_services.participation_check_in(participation=participation, by=admin)
        for enrolment in Enrolment.objects.filter(workshop__date=today):
            training_services.attendance_mark(enrolment=enrolment, attended=True, by=admin)
        assert Participation.objects.filter(event__in=under_way(today),
                                            status="attended").exists()
        assert promotion_figures() == promotion_before
        assert training_figures() == training_before
        transaction.set_rollback(True)
