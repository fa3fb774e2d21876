"""The demo's incubation is seeded: two loads give the same projects, histories, holders,
sessions and selections (the day's records apart)."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from essor.incubation import demo
from essor.incubation.models import Application, Call, CoachingSession, Holder, PhaseChange, Project

pytestmark = pytest.mark.django_db

SMALL = {"organisations": 120, "people": 900}


def _digest() -> str:
    rows = list(Project.objects.order_by("code").values_list(
        "code", "title", "phase", "phase_since", "left_on", "jobs_women", "jobs_men",
        "revenue_band", "organisation__name"))
    rows += list(PhaseChange.objects.order_by("project__code", "date", "pk").values_list(
        "project__code", "to_phase", "date", "reason"))
    rows += list(Holder.objects.order_by("project__code", "pk").values_list(
        "project__code", "person__first_name", "person__last_name", "person__birth_year"))
    rows += list(CoachingSession.objects.filter(date__lte=demo.LAST_DAY)
                 .order_by("project__code", "date", "pk")
                 .values_list("project__code", "date", "duration_hours", "mode", "topics"))
    rows += list(Application.objects.filter(call__status=Call.Status.CLOSED)
                 .order_by("reference").values_list("reference", "status", "score"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_incubation_demo_is_seeded_so_two_loads_give_the_same_records():
    digests = []
    for _attempt in range(2):
        with transaction.atomic():
            call_command("demo", stdout=StringIO(), **SMALL)
            digests.append(_digest())
            transaction.set_rollback(True)
    assert digests[0] == digests[1]
    assert not Project.objects.exists()
