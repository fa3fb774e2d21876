"""The home page, made of cards: each app declares its own in ``essor/<app>/home.py``.

A card is a function ``(user, today) -> context | None``, registered with :func:`card`
under a dotted name, with the template that renders it and its place on the page::

    from essor.accounts.permissions import can
    from essor.core.home import card

    @card("training.next_workshops", template="training/home/next_workshops.html", order=20)
    def next_workshops(user, today):
        if not can(user, "training.own_workshops_only"):
            return None                     # not this user's card
        return {"workshops": selectors.trainer_next_workshops(user, today)}

``None`` means the user may not see the card (decide it with
``essor.accounts.permissions.can``, never with the role). The context is read through
the app's selectors and figure functions, never counted in the card or its template.
The template receives the context as ``card`` (and ``today``); it is usually a
``<section class="card home-card">`` like the others (``templates/core/home/``).
:func:`load_cards` imports every app's ``home`` module, as ``load_importers`` does.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CardFunction = Callable[[Any, datetime.date], dict | None]

# A week on the home page: today and the six days after it (so that "later this week"
# is never next Monday's business).
WEEK_DAYS = 7


@dataclass(frozen=True)
class Card:
    name: str
    template: str
    order: int
    function: CardFunction


@dataclass(frozen=True)
class ShownCard:
    name: str
    template: str
    context: dict


REGISTRY: dict[str, Card] = {}


def card(name: str, *, template: str, order: int = 50) -> Callable[[CardFunction], CardFunction]:
    """Register ``function(user, today)`` as the home card ``name`` (lower ``order`` first)."""

    def register(function: CardFunction) -> CardFunction:
        if name in REGISTRY and REGISTRY[name].function is not function:
            raise ValueError(f"home card {name!r} is defined twice")
        REGISTRY[name] = Card(name, template, order, function)
        return function

    return register


def load_cards() -> None:
    """Import every app's ``home`` module so that its cards register."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("home")


def week(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The home page's week: today and the six days after it."""
    return today, today + datetime.timedelta(days=WEEK_DAYS - 1)


def cards_for(user, today: datetime.date) -> list[ShownCard]:
    """The cards ``user`` sees today, in order, each with its context."""
    load_cards()
    shown = []
    for item in sorted(REGISTRY.values(), key=lambda c: (c.order, c.name)):
        context = item.function(user, today)
        if context is not None:
            shown.append(ShownCard(item.name, item.template, context))
    return shown
