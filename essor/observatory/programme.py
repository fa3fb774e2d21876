"""The programme's own indicators, over every measure: the people it reached.

*People reached by the programme* (DESIGN.md, "Indicator definitions"): distinct people,
after duplicate merging, who in the period held the stand of an attended participation
(promotion's exhibitors), attended a workshop (training's attendances) or held a project
in the incubators (incubation's holders), each measure read through its own indicator,
so that the three definitions are written once. A merge moves a person's records to the
record kept and deletes the other, so merged duplicates count once. The scope applies to
each measure's own place (the event's, the workshop's, the project's region): a person of
Oriental who exhibited at a Casablanca fair is reached in Casablanca-Settat.

The overlaps are the breakdown ``measures`` (each person in exactly one combination:
``fair`` for the fairs and markets only, ``fair_workshop`` for a fair and a workshop but
not the incubator, …) and four companion figures counting every person of a pair (or of
all three), whatever their other measures.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from essor.registry.models import Person

from .catalogue import get, indicator, person

# Each measure: the indicator whose records reach people, and the lookup to the person.
MEASURES = {
    "fair": ("promotion.exhibitors", "holder"),
    "workshop": ("training.attendances", "person"),
    "incubator": ("incubation.holders", "person"),
}
SOURCES = ("registry.Person", "promotion.Event", "promotion.Participation",
           "training.Enrolment", "training.Workshop", "incubation.Holder",
           "incubation.Project")


def _reached_by(measure: str, date_from: datetime.date | None,
                date_to: datetime.date | None, scope: Any) -> Exists:
    from .compute import records

    code, path = MEASURES[measure]
    found = records(get(code), date_from=date_from, date_to=date_to, scope=scope)
    return Exists(found.filter(**{path: OuterRef("pk")}))


def _text(code: str) -> Value:
    return Value(code, output_field=CharField())


def _combination() -> Case:
    """The measures that reached a person, as one code (``fair_workshop``)."""
    def incubator(yes: str, no: str) -> Case:
        return Case(When(at_incubator=True, then=_text(yes)), default=_text(no),
                    output_field=CharField())

    return Case(
        When(at_fair=True, then=Case(
            When(at_workshop=True, then=incubator("fair_workshop_incubator", "fair_workshop")),
            default=incubator("fair_incubator", "fair"), output_field=CharField())),
        default=Case(When(at_workshop=True, then=incubator("workshop_incubator", "workshop")),
                     default=_text("incubator"), output_field=CharField()),
        output_field=CharField())


REACHED: dict[str, Any] = {"unit": "people", "scoped": True, "sources": SOURCES,
           "breakdowns": {"sex": person("sex"), "disability": person("disability"),
                          "measures": person("measures")}}


@indicator("programme.people_reached", name=_("People reached by the programme"),
           definition=_("Distinct people (after duplicate merging) who, in the period and "
                        "scope, held the stand of an attended participation at a fair or "
                        "market, attended a workshop, or held a project in the incubators "
                        "(each measure as its own indicator defines it, in its own place). "
                        "By measures: each person once, in the combination of measures that "
                        "reached them."),
           **REACHED)
def people_reached(*, date_from: datetime.date | None = None,
                   date_to: datetime.date | None = None, scope: Any = None
                   ) -> QuerySet[Person]:
    from .compute import Scope

    scope = scope or Scope()
    return (Person.objects.alias(**{f"at_{measure}": _reached_by(measure, date_from, date_to,
                                                                  scope)
                                    for measure in MEASURES})
            .filter(Q(at_fair=True) | Q(at_workshop=True) | Q(at_incubator=True))
            .alias(measures=_combination()))


OVERLAPS = {  # the report's key: (the companion indicator, its name, who it counts)
    "fair_and_workshop": (
        "programme.people_reached_fair_workshop",
        _("People reached at a fair and a workshop"),
        _("People reached by the programme who both held the stand of an attended "
          "participation and attended a workshop in the period (incubated or not)."),
        Q(at_fair=True, at_workshop=True)),
    "workshop_and_incubator": (
        "programme.people_reached_workshop_incubator",
        _("People reached at a workshop and the incubator"),
        _("People reached by the programme who both attended a workshop and held an "
          "incubated project in the period (exhibitors or not)."),
        Q(at_workshop=True, at_incubator=True)),
    "fair_and_incubator": (
        "programme.people_reached_fair_incubator",
        _("People reached at a fair and the incubator"),
        _("People reached by the programme who both held the stand of an attended "
          "participation and held an incubated project in the period (workshop "
          "attendees or not)."),
        Q(at_fair=True, at_incubator=True)),
    "all_three": (
        "programme.people_reached_all_measures",
        _("People reached by all three measures"),
        _("People reached by the programme who held the stand of an attended "
          "participation, attended a workshop and held an incubated project in the "
          "period."),
        Q(at_fair=True, at_workshop=True, at_incubator=True)),
}
for _code, _name, _definition, _condition in OVERLAPS.values():
    indicator(_code, name=_name, definition=_definition, condition=_condition,
              **REACHED)(people_reached)


def programme_figures(*, date_from: datetime.date | None = None,
                      date_to: datetime.date | None = None, region: Any = None
                      ) -> dict[str, Any]:
    """The people reached and their overlaps, read from the catalogue (one query)."""
    from .compute import values_many

    codes = {"people_reached": "programme.people_reached",
             **{key: entry[0] for key, entry in OVERLAPS.items()}}
    results = values_many([(code, ()) for code in codes.values()], date_from=date_from,
                          date_to=date_to, region=region)
    return {key: result.total for key, result in zip(codes, results, strict=True)}
