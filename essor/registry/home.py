"""The registry's home cards (see essor.core.home)."""

from essor.accounts.permissions import can
from essor.core.home import card

from . import selectors


@card("registry.possible_duplicates", template="registry/home/possible_duplicates.html",
      order=40)
def possible_duplicates(user, today):
    """People of the user's region(s) who may be one person: to review and merge."""
    if not can(user, "registry.merge_people"):
        return None
    # Every pair counted, as on the page it links to (the pairs' keys only are read).
    return {"count": len(selectors.person_match_pairs(user=user))}


@card("registry.counts", template="registry/home/counts.html", order=80)
def counts(user, today):
    """Organisations (and people, for those who read them) of the user's scope."""
    if can(user, "core.own_organisation_only"):
        return None
    figures = {"organisations": selectors.organisation_visible(user).count()}
    if can(user, "registry.read_people"):
        figures["people"] = selectors.person_visible(user).count()
    return figures


@card("registry.own_organisation", template="registry/home/own_organisation.html", order=5)
def own_organisation(user, today):
    """An organisation or partner account: its own organisation's profile."""
    if not can(user, "core.own_organisation_only") or not user.organisation_id:
        return None
    return {"organisation": selectors.organisation_visible(user).filter(
        pk=user.organisation_id).select_related("region").first()}
