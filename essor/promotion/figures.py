"""The report's promotion figures: one grouped database query per figure."""

from __future__ import annotations

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from essor.core.definitions import share

from .models import Event, Participation


def held_events(*, date_from: datetime.date | None = None,
                date_to: datetime.date | None = None, region=None):
    """Events held in the period: status held or closed, starting within the period."""
    events = Event.objects.filter(status__in=Event.HELD_STATUSES)
    if date_from:
        events = events.filter(start_date__gte=date_from)
    if date_to:
        events = events.filter(start_date__lte=date_to)
    if region is not None:
        events = events.filter(region=region)
    return events


def exhibitors_per_event():
    """An annotation: each event's exhibitors (the report's definition), as a subquery so
    that it does not multiply with joins the event queryset already carries."""
    return Coalesce(Subquery(
        Participation.objects.exhibitors().filter(event=OuterRef("pk"))
        .order_by().values("event").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField()), 0)


def promotion_figures(*, date_from: datetime.date | None = None,
                      date_to: datetime.date | None = None, region=None) -> dict:
    """Per event kind: events held, exhibitors (attended participations), women among the
    stand holders and their share (an unrounded fraction)."""
    events = held_events(date_from=date_from, date_to=date_to, region=region)
    event_counts = dict(events.order_by().values_list("kind").annotate(n=Count("id"))
                        .values_list("kind", "n"))
    exhibitors = {
        row["event__kind"]: row for row in
        Participation.objects.exhibitors().filter(event__in=events)
        .order_by().values("event__kind")
        .annotate(exhibitors=Count("id"), women=Count("id", filter=Q(holder__sex="F")))
    }
    result = {}
    for kind in Event.Kind.values:
        row = exhibitors.get(kind, {"exhibitors": 0, "women": 0})
        result[kind] = {
            "events": event_counts.get(kind, 0),
            "exhibitors": row["exhibitors"],
            "women_exhibitors": row["women"],
            "women_share": share(row["women"], row["exhibitors"]),
        }
    return result
