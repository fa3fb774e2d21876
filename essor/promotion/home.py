"""Promotion's home cards (see essor.core.home)."""

from essor.accounts.permissions import can
from essor.core.home import card, week
from essor.core.scoping import region_ids
from essor.territory.models import Region

from . import selectors
from .figures import promotion_figures
from .models import Event

SHOWN = 6


@card("promotion.applications_to_decide",
      template="promotion/home/applications_to_decide.html", order=10)
def applications_to_decide(user, today):
    """Managers: the events whose applications wait for a decision."""
    if not can(user, "promotion.manage_event"):
        return None
    events = selectors.events_with_applications_to_decide(user, limit=SHOWN)
    return {"events": events, "total": sum(e.undecided for e in events)}


@card("promotion.events_this_week", template="promotion/home/events_this_week.html",
      order=20)
def events_this_week(user, today):
    """Managers: the fairs and markets of the coming seven days, check-in for today's."""
    if not can(user, "promotion.manage_event"):
        return None
    first, last = week(today)
    events = list(selectors.events_between(user, first, last)[:SHOWN])
    for event in events:
        event.today = event.start_date <= today <= event.end_date
        event.checks_in = event.today and can(user, "promotion.manage_event", event)
    return {"events": events, "first": first, "last": last}


@card("promotion.own_applications", template="promotion/home/own_applications.html",
      order=10)
def own_applications(user, today):
    """An organisation account: its applications and their decisions."""
    if not can(user, "promotion.apply"):
        return None
    return {"applications": list(selectors.own_applications(user)[:SHOWN])}


@card("promotion.exhibited", template="promotion/home/exhibited.html", order=30)
def exhibited(user, today):
    """An organisation account: the events it exhibited at."""
    if not can(user, "promotion.apply"):
        return None
    return {"participations": list(selectors.own_exhibitions(user)[:SHOWN])}


@card("promotion.public_events", template="promotion/home/public_events.html", order=60)
def public_events(user, today):
    """Organisation and partner accounts: the coming fairs and markets, as the public
    sees them."""
    if not can(user, "core.own_organisation_only"):
        return None
    return {"events": list(selectors.upcoming_public_events(today=today)[:3])}


def scoped_regions(user) -> list[Region | None]:
    """The figures' scopes of a user: ``[None]`` (every region) or each of their regions."""
    ids = region_ids(user)
    return [None] if ids is None else list(Region.objects.filter(pk__in=ids).order_by("code"))


@card("promotion.figures", template="promotion/home/figures.html", order=70)
def figures(user, today):
    """The report's promotion figures for the user's scope, by the figure functions."""
    if not can(user, "promotion.read_figures"):
        return None
    labels = dict(Event.Kind.choices)
    return {"scopes": [(region, [(labels[kind], row) for kind, row in
                                 promotion_figures(region=region).items()])
                       for region in scoped_regions(user)],
            "events_link": can(user, "promotion.browse_events")}
