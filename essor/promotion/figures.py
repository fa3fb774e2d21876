"""The report's promotion figures, read from the indicator catalogue (one definition each:
``essor/promotion/indicators.py``)."""

from __future__ import annotations

import datetime

from essor.core.definitions import share

from .models import Event


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


def promotion_figures(*, date_from: datetime.date | None = None,
                      date_to: datetime.date | None = None, region=None) -> dict:
    """Per event kind: events held, exhibitors (attended participations), women among the
    stand holders and their share (an unrounded fraction), read from the indicator
    catalogue (``promotion.events``, ``promotion.exhibitors``,
    ``promotion.women_exhibitors``): one grouped query each, cached."""
    from essor.observatory.compute import values

    def per_kind(code: str) -> dict[str, int]:
        result = values(code, date_from=date_from, date_to=date_to, region=region,
                        by=("event_kind",))
        return {row["event_kind"]: row["value"] for row in result.rows}

    events = per_kind("promotion.events")
    exhibitors = per_kind("promotion.exhibitors")
    women = per_kind("promotion.women_exhibitors")
    result = {}
    for kind in Event.Kind.values:
        result[kind] = {
            "events": events.get(kind, 0),
            "exhibitors": exhibitors.get(kind, 0),
            "women_exhibitors": women.get(kind, 0),
            "women_share": share(women.get(kind, 0), exhibitors.get(kind, 0)),
        }
    return result
