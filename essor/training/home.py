"""Training's home cards (see essor.core.home)."""

from essor.accounts.permissions import can
from essor.core.home import card, week
from essor.promotion.home import scoped_regions

from . import selectors
from .figures import training_figures

SHOWN = 6


def _attendance_links(user, workshops, today):
    for workshop in workshops:
        workshop.today = workshop.date == today
        workshop.takes_attendance = can(user, "training.manage_workshop", workshop)


@card("training.next_workshops", template="training/home/next_workshops.html", order=10)
def next_workshops(user, today):
    """A trainer: the workshops they run next, today's first, to take attendance."""
    if not can(user, "training.own_workshops_only"):
        return None
    workshops = list(selectors.next_workshops(user, today, limit=SHOWN))
    _attendance_links(user, workshops, today)
    return {"workshops": workshops}


@card("training.workshops_this_week", template="training/home/workshops_this_week.html",
      order=25)
def workshops_this_week(user, today):
    """Staff who read their region's workshops: those of the coming seven days."""
    if not can(user, "training.read_workshops") or can(user, "training.own_workshops_only"):
        return None
    first, last = week(today)
    workshops = list(selectors.workshops_between(user, first, last)[:SHOWN])
    _attendance_links(user, workshops, today)
    return {"workshops": workshops, "first": first, "last": last}


@card("training.member_enrolments", template="training/home/member_enrolments.html",
      order=20)
def member_enrolments(user, today):
    """An organisation account: its members' enrolments, attended or absent, and the
    certificate codes of those who attended (verifiable by anyone)."""
    if not can(user, "training.enrol_online"):
        return None
    enrolments = list(selectors.online_enrolments(user)[:SHOWN * 2])
    return {"enrolments": enrolments, "online": can(user, "training.enrol_online")}


@card("training.figures", template="training/home/figures.html", order=75)
def figures(user, today):
    """The report's training figures for the user's scope, by the figure function."""
    if not can(user, "training.read_figures"):
        return None
    return {"scopes": [(region, training_figures(region=region))
                       for region in scoped_regions(user)]}
