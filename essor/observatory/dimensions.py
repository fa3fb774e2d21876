"""The breakdowns an indicator's values can be split by, each written once.

A dimension turns a lookup path on an indicator's queryset (``"person__sex"``,
``"workshop__region"``) into a database expression giving the row's code (``"F"``,
``"MA-02"``, ``"unknown"``), so that every indicator groups by the same codes. The path
is the indicator's (see ``essor.observatory.catalogue.Axis``); the dimension only knows
how to read a value and which codes it has.

``age_band`` is the one computed dimension: the age is the activity's year minus the
birth year (people are recorded by birth year only), and ``essor.observatory.compute``
gives it the date to use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Expression, F, Q, Value, When
from django.db.models.functions import (
    Cast,
    Coalesce,
    Concat,
    ExtractMonth,
    ExtractYear,
    LPad,
    NullIf,
)
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

UNKNOWN = "unknown"

# Age bands (upper bounds exclusive), in the order pages and files show them.
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("under_25", None, 25),
    ("25_34", 25, 35),
    ("35_54", 35, 55),
    ("55_over", 55, None),
)


def _text(expression: Expression | F) -> Expression:
    """The value as text, empty and NULL read as ``unknown`` (never dropped)."""
    return Coalesce(NullIf(expression, Value("")), Value(UNKNOWN), output_field=CharField())


def _coded(path: str, _date: str | None = None) -> Expression:
    return _text(F(path))


def _by_code(path: str, _date: str | None = None) -> Expression:
    """A foreign key read through its code (a region's ``MA-02``, an event's code)."""
    return _text(F(f"{path}__code"))


def _yes_no(path: str, _date: str | None = None) -> Expression:
    return Case(When(**{path: True}, then=Value("yes")),
                When(**{path: False}, then=Value("no")),
                default=Value(UNKNOWN), output_field=CharField())


def age_band_expression(birth_year: str, activity_date: Expression | F | str) -> Expression:
    """The age band of a person born in ``birth_year`` in the year of ``activity_date``
    (``unknown`` without a birth year)."""
    year = ExtractYear(F(activity_date) if isinstance(activity_date, str) else activity_date)
    cases = []
    for code, low, high in AGE_BANDS:
        condition = Q(**{f"{birth_year}__isnull": False})
        if low is not None:    # age >= low: born in or before year - low
            condition &= Q(**{f"{birth_year}__lte": year - low})
        if high is not None:   # age < high: born after year - high
            condition &= Q(**{f"{birth_year}__gt": year - high})
        cases.append(When(condition, then=Value(code)))
    return Case(*cases, default=Value(UNKNOWN), output_field=CharField())


def _age_band(path: str, date: str | None = None) -> Expression:
    if date is None:
        raise ValueError("the age band needs the activity's date")
    return age_band_expression(path, date)


def _year(path: str, _date: str | None = None) -> Expression:
    """The activity's year, ``2026``."""
    return _text(Cast(ExtractYear(path), CharField()))


def _month(path: str, _date: str | None = None) -> Expression:
    """The activity's month, ``2026-03`` (the same text on SQLite and PostgreSQL)."""
    return Coalesce(Concat(Cast(ExtractYear(path), CharField()), Value("-"),
                           LPad(Cast(ExtractMonth(path), CharField()), 2, Value("0")),
                           output_field=CharField()),
                    Value(UNKNOWN), output_field=CharField())


def _coded_lookup(path: str, value: str) -> Q:
    return Q(**{path: value})


def _by_code_lookup(path: str, value: str) -> Q:
    return Q(**{f"{path}__code": value})


def _yes_no_lookup(path: str, value: str) -> Q | None:
    return Q(**{path: value == "yes"}) if value in ("yes", "no") else None


@dataclass(frozen=True)
class Dimension:
    code: str
    name: Promise
    expression: Callable[[str, str | None], Expression]
    # The codes in the order they are shown (others, in code order, after them; unknown
    # last). Empty for open lists (events, provinces).
    order: tuple[str, ...] = field(default=())
    # A plain filter selecting one known code's records (the same ones as the expression
    # gives that code, but one an index can serve); None: filter on the expression.
    lookup: Callable[[str, str], Q | None] | None = None

    def cell(self, path: str, value: str) -> Q | None:
        if self.lookup is None or value == UNKNOWN or not value:
            return None
        return self.lookup(path, value)

    def sort_key(self, value: str) -> tuple[int, int, str]:
        if value == UNKNOWN:
            return (2, 0, value)
        if value in self.order:
            return (0, self.order.index(value), value)
        return (1, 0, value)


REGISTRY: dict[str, Dimension] = {}


LOOKUPS: dict[Callable[..., Expression], Callable[[str, str], Q | None]] = {
    _coded: _coded_lookup, _by_code: _by_code_lookup, _yes_no: _yes_no_lookup}


def dimension(code: str, name: Promise, expression: Callable[[str, str | None], Expression],
              order: tuple[str, ...] = ()) -> Dimension:
    if code in REGISTRY:
        raise ValueError(f"dimension {code!r} is defined twice")
    REGISTRY[code] = Dimension(code, name, expression, order, LOOKUPS.get(expression))
    return REGISTRY[code]


dimension("sex", _("sex"), _coded, order=("F", "M"))
dimension("age_band", _("age band"), _age_band, order=tuple(b[0] for b in AGE_BANDS))
dimension("disability", _("disability"), _yes_no, order=("yes", "no"))
dimension("region", _("region"), _by_code)
dimension("province", _("province or prefecture"), _by_code)
dimension("organisation_kind", _("kind of organisation"), _coded,
          order=("cooperative", "association", "mutual", "foundation", "ess_enterprise",
                 "regional_council", "university", "faculty", "public_body"))
dimension("sector", _("sector"), _coded)
dimension("event_kind", _("kind of event"), _coded,
          order=("national_fair", "regional_fair", "itinerant_market"))
dimension("event", _("event"), _by_code)
dimension("theme", _("theme"), _by_code)
# Incubation: a project's phase, its cohort and incubator (by code), a session's mode.
dimension("phase", _("phase"), _coded,
          order=("pre_creation", "creation", "development", "extension", "dropped"))
dimension("cohort", _("cohort"), _by_code)
dimension("incubator", _("incubator"), _by_code)
dimension("mode", _("mode of coaching"), _coded, order=("on_site", "remote"))
# The programme: the measures that reached a person (``fair_workshop``: a fair or market
# and a workshop, not the incubator), each person in exactly one combination.
dimension("measures", _("measures that reached the person"), _coded,
          order=("fair", "workshop", "incubator", "fair_workshop", "fair_incubator",
                 "workshop_incubator", "fair_workshop_incubator"))
# Time, read on the indicator's date (every indicator with a date has them): a person who
# attended in two months counts in each.
dimension("year", _("year"), _year)
dimension("month", _("month"), _month)


def get(code: str) -> Dimension:
    return REGISTRY[code]
