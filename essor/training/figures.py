"""The report's training figures: one grouped database query per figure."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from essor.core.definitions import share, young_q

from .models import Enrolment, Workshop


def held_workshops(*, date_from: datetime.date | None = None,
                   date_to: datetime.date | None = None, region=None, theme=None, event=None):
    workshops = Workshop.objects.filter(status__in=Workshop.HELD_STATUSES)
    if date_from:
        workshops = workshops.filter(date__gte=date_from)
    if date_to:
        workshops = workshops.filter(date__lte=date_to)
    if region is not None:
        workshops = workshops.filter(region=region)
    if theme is not None:
        workshops = workshops.filter(theme=theme)
    if event is not None:
        workshops = workshops.filter(event=event)
    return workshops


def training_figures(*, date_from: datetime.date | None = None,
                     date_to: datetime.date | None = None, region=None, theme=None,
                     event=None) -> dict:
    """Workshops held in the period; attendances (person × workshop ticked present);
    distinct beneficiaries (people who attended at least one of them, after duplicate
    merging), the women among them and their share (an unrounded fraction), young people
    (under 35 in the year of a workshop they attended) and people with a disability."""
    workshops = held_workshops(date_from=date_from, date_to=date_to, region=region,
                               theme=theme, event=event)
    attended = Enrolment.objects.attendances().filter(workshop__in=workshops)
    counts = attended.aggregate(
        attendances=Count("id"),
        beneficiaries=Count("person", distinct=True),
        women=Count("person", distinct=True, filter=Q(person__sex="F")),
        youth=Count("person", distinct=True, filter=young_q("person__birth_year",
                                                         activity_date="workshop__date")),
        disability=Count("person", distinct=True, filter=Q(person__disability=True)),
    )
    held = workshops.aggregate(n=Count("id"),
                               alongside=Count("id", filter=Q(event__isnull=False)))
    beneficiaries = counts["beneficiaries"]
    return {
        "workshops": held["n"],
        "workshops_alongside_events": held["alongside"],
        "beneficiaries": beneficiaries,
        "women_beneficiaries": counts["women"],
        "women_share": share(counts["women"], beneficiaries),
        "youth_beneficiaries": counts["youth"],
        "beneficiaries_with_disability": counts["disability"],
        "attendances": counts["attendances"],
    }
