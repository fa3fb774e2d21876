"""Incubation's home cards (see essor.core.home)."""

from essor.accounts.permissions import can
from essor.core.home import card

from . import selectors_coaching

SHOWN = 6


@card("incubation.overdue_next_steps", template="incubation/coaching/home/overdue_steps.html",
      order=12)
def overdue_next_steps(user, today):
    """A coach: the next steps agreed in their sessions, past their due date and not done,
    the oldest first."""
    if not can(user, "incubation.own_incubators_only"):
        return None
    overdue = selectors_coaching.overdue_next_steps(user, today)
    return {"steps": list(overdue[:SHOWN]), "count": overdue.count()}
