"""``essor demo --scale N``: N copies of the calibrated demo, every figure N times."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from essor.promotion.models import Event, Participation
from essor.registry.models import Membership, Organisation, Person
from essor.reports.activity import activity_report
from essor.training.models import Enrolment, Workshop

pytestmark = pytest.mark.django_db

SMALL = {"organisations": 120, "people": 900}
PAST = datetime.date(2025, 12, 31)  # the calibrated past, before the day's records


def load(**options) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **SMALL, **options)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "report": activity_report(date_to=PAST),
        "rows": {model.__name__: model.objects.count()
                 for model in (Organisation, Person, Membership, Event, Participation,
                               Workshop, Enrolment)},
    }


def doubled(figures: dict) -> dict:
    """Counts twice, shares the same."""
    return {key: doubled(value) if isinstance(value, dict)
            else value if isinstance(value, float) or key in ("period", "scope")
            else value * 2 for key, value in figures.items()}


def test_scale_two_doubles_every_figure_of_the_report():
    with transaction.atomic():
        load()
        one = snapshot()
        transaction.set_rollback(True)
    assert Person.objects.count() == 0

    load(scale=2)
    two = snapshot()

    report = one["report"]
    assert report["promotion"]["national_fair"]["exhibitors"] > 0
    assert report["training"]["beneficiaries"] > 0
    assert two["report"]["promotion"] == doubled(report["promotion"])
    assert two["report"]["training"] == doubled(report["training"])
    assert report["incubation"]["projects"] > 0
    assert two["report"]["incubation"] == doubled(report["incubation"])
    assert two["report"]["programme"] == doubled(report["programme"])
    # The day's records (a market under way, today's workshops) are made once.
    for name in ("Organisation", "Person", "Membership", "Participation", "Enrolment"):
        assert 2 * one["rows"][name] - 40 <= two["rows"][name] <= 2 * one["rows"][name]


def test_scale_keeps_codes_and_national_ids_unique_and_a_second_run_changes_nothing():
    load(scale=3)
    codes = list(Event.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) and any(c.endswith("-C003") for c in codes)
    ids = [i for i in Person.objects.values_list("national_id", flat=True) if i]
    assert len(ids) == len(set(ids))
    copied = Person.objects.exclude(national_id="").order_by("-pk").first()
    assert copied is not None
    copied.full_clean()  # a copy's national ID is a valid one
    before = snapshot()

    assert "already loaded" in load(scale=3)
    assert snapshot() == before


def test_scale_refuses_less_than_one_copy_or_more_than_it_can_number():
    with pytest.raises(CommandError):
        load(scale=0)
    with pytest.raises(CommandError):
        load(scale=10_000)
