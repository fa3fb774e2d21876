"""The indicator catalogue: every figure essor publishes, defined once.

An app registers its computed indicators in ``essor/<app>/indicators.py`` (found with
``autodiscover_modules``, as home cards and importers are)::

    from essor.observatory.catalogue import activity, indicator, person

    @indicator("training.beneficiaries", name=_("Beneficiaries"),
               definition=_("Distinct people who attended at least one workshop…"),
               unit="people", distinct="person", date="workshop__date",
               region="workshop__region", province="workshop__province",
               breakdowns={"sex": person("person__sex"),
                           "region": activity("workshop__region")},
               sources=("training.Enrolment", "training.Workshop", "registry.Person"))
    def beneficiaries(*, date_from, date_to):
        return Enrolment.objects.attendances().filter(...)

The function returns the records the indicator counts for a period (its one queryset);
an indicator that counts a part of another's records (the women among the
beneficiaries) shares its function and adds a ``condition`` (a ``Q``), so that
``essor.observatory.compute.values_many`` measures them together, one query for all;
``essor.observatory.compute`` scopes it (national, region, province, a user's regions),
groups it by the breakdowns asked for and measures each group in one database query.
A share is built from two indicators (:func:`share`), per breakdown row. A median
(``median="days"``: the middle value of a lookup over the records, per breakdown row) is
not a sum: its rows never add up to its total.

An indicator whose records do not lie in one region (the people reached by any measure
of the programme, each measure with its own place) is ``scoped``: its function receives
the scope (``function(*, date_from, date_to, scope)``) and applies it itself.

``breakdowns`` maps each dimension (``essor.observatory.dimensions``) to its lookup path
on the queryset, as an attribute of the person or record (:func:`person`) or of the
activity (:func:`activity`). For a count of distinct people, only the first kind sums to
the total: a person who attended in two regions counts in each.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import dimensions

Unit = Literal["count", "people", "share", "mad", "days", "hours"]
Source = Literal["computed", "collected"]
Measure = Literal["count", "distinct", "sum", "median", "share", "collected"]
QuerysetFunction = Callable[..., QuerySet[Any]]

UNITS: dict[str, Promise] = {
    "count": _("count of records"),
    "people": _("count of distinct people"),
    "share": _("share"),
    "mad": _("Moroccan dirhams (MAD)"),
    "days": _("days"),
    "hours": _("hours"),
}


@dataclass(frozen=True)
class Axis:
    """Where a dimension is read on an indicator's records, and what it describes."""

    path: str
    of_person: bool  # an attribute of the person or record (True) or of the activity


def person(path: str) -> Axis:
    """An attribute of the person (or of the counted record): sums to the total."""
    return Axis(path, True)


def activity(path: str) -> Axis:
    """An attribute of the activity (its region, theme, event): for a count of distinct
    people, the rows may exceed the total."""
    return Axis(path, False)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise | str
    definition: Promise | str
    unit: Unit
    source: Source
    measure: Measure
    breakdowns: Mapping[str, Axis] = field(default_factory=dict)
    function: QuerysetFunction | None = None
    # The lookup counted distinctly ("person"), summed ("sales_mad") or whose median is
    # taken ("days").
    field: str | None = None
    # The activity's date (age bands; a person's first counted activity).
    date: str | None = None
    region: str | None = None
    province: str | None = None
    sources: tuple[str, ...] = ()
    numerator: str | None = None
    denominator: str | None = None
    # The part of the function's records this indicator counts (None: all of them).
    condition: Q | None = None
    # The function applies the scope itself (its records lie in several places).
    scoped: bool = False

    @property
    def is_share(self) -> bool:
        return self.measure == "share"

    @property
    def additive_by(self) -> tuple[str, ...]:
        """The breakdowns whose rows sum to the total."""
        if self.is_share or self.measure == "median":
            return ()
        if self.measure == "distinct":
            if self.unit != "people":  # distinct regions: one may have men and women
                return ()
            return tuple(code for code, axis in self.breakdowns.items() if axis.of_person)
        return tuple(self.breakdowns)

    def additive(self, by: tuple[str, ...]) -> bool:
        return all(code in self.additive_by for code in by)


REGISTRY: dict[str, Indicator] = {}


def _register(item: Indicator) -> Indicator:
    existing = REGISTRY.get(item.code)
    if existing is not None and existing != item:
        raise ValueError(f"indicator {item.code!r} is defined twice")
    for code in item.breakdowns:
        if code not in dimensions.REGISTRY:
            raise ValueError(f"indicator {item.code!r}: no dimension {code!r}")
    REGISTRY[item.code] = item
    return item


def indicator(code: str, *, name: Promise | str, definition: Promise | str, unit: Unit,
              breakdowns: Mapping[str, Axis], sources: tuple[str, ...],
              region: str | None = None, province: str | None = None,
              date: str | None = None, distinct: str | None = None, total: str | None = None,
              median: str | None = None, condition: Q | None = None, scoped: bool = False
              ) -> Callable[[QuerysetFunction], QuerysetFunction]:
    """Register ``function(*, date_from, date_to) -> QuerySet`` as the computed indicator
    ``code``: a count of its records (those matching ``condition`` when given), of
    distinct ``distinct`` (a person lookup), the sum of ``total`` (a field) or the median
    of ``median`` (a field or an annotation of the function's records).

    ``region`` (and ``province``) is the lookup of the records' place, by which the
    catalogue scopes them; a ``scoped`` indicator has none: its function receives the
    scope (``function(*, date_from, date_to, scope)``) and applies it.

    Used as a plain call, ``indicator(...)(function)`` registers another indicator over
    the same function: indicators sharing a function are measured in one query."""
    if sum(1 for given in (distinct, total, median) if given) > 1:
        raise TypeError("An indicator counts distinct values, sums a field or takes a "
                        "median, one of them.")
    if (region is None) != scoped:
        raise TypeError(f"indicator {code!r}: give the records' region, or scope them in "
                        "the function (scoped=True)")
    measure: Measure = ("distinct" if distinct else "sum" if total
                        else "median" if median else "count")
    if "age_band" in breakdowns and date is None:
        raise TypeError(f"indicator {code!r}: the age band needs the activity's date")

    if date is not None:  # the trend of every dated indicator, by month and by year
        breakdowns = {**breakdowns, "month": activity(date), "year": activity(date)}

    def register(function: QuerysetFunction) -> QuerysetFunction:
        _register(Indicator(
            code=code, name=name, definition=definition, unit=unit, source="computed",
            measure=measure, breakdowns=dict(breakdowns), function=function,
            field=distinct or total or median, date=date, region=region, province=province,
            sources=tuple(sources), condition=condition, scoped=scoped))
        return function

    return register


def share(code: str, *, name: Promise | str, definition: Promise | str, numerator: str,
          denominator: str) -> Indicator:
    """Register a share: ``numerator`` among ``denominator`` (both registered before it),
    with ``essor.core.definitions.share`` per breakdown row, over the breakdowns both
    support."""
    num, den = REGISTRY[numerator], REGISTRY[denominator]
    breakdowns = {c: axis for c, axis in den.breakdowns.items() if c in num.breakdowns}
    return _register(Indicator(
        code=code, name=name, definition=definition, unit="share", source="computed",
        measure="share", breakdowns=breakdowns, region=den.region, province=den.province,
        sources=tuple(dict.fromkeys(num.sources + den.sources)),
        numerator=numerator, denominator=denominator))


def collected(code: str, *, name: Promise | str, definition: Promise | str, unit: Unit,
              breakdowns: tuple[str, ...] = ()) -> Indicator:
    """Register an indicator whose values are entered or imported, not computed."""
    return _register(Indicator(
        code=code, name=name, definition=definition, unit=unit, source="collected",
        measure="collected", breakdowns={c: person(c) for c in breakdowns},
        sources=("observatory.CollectedValue",)))


_loaded = False


def load_indicators() -> None:
    """Import every app's ``indicators`` module so that its indicators register (once:
    looking again for the apps that have none costs a few milliseconds a figure)."""
    global _loaded
    if _loaded:
        return
    from importlib import import_module

    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("indicators")
    # The programme's indicators, over every app's (people reached by any measure).
    import_module("essor.observatory.programme")
    _loaded = True


class UnknownIndicator(LookupError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        from django.utils.translation import gettext

        return gettext("Unknown indicator: %(code)s") % {"code": self.code}


def get(code: str) -> Indicator:
    load_indicators()
    try:
        return REGISTRY[code]
    except KeyError:
        raise UnknownIndicator(code) from None


def all_indicators() -> list[Indicator]:
    load_indicators()
    return [REGISTRY[code] for code in sorted(REGISTRY)]


def watched_models() -> set[str]:
    """The models (``app.Model``) some indicator reads: their changes invalidate results."""
    return {label for item in REGISTRY.values() for label in item.sources}
