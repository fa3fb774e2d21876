"""Training's indicators: workshops held, enrolments, attendances and beneficiaries.

One definition each (DESIGN.md, "Indicator definitions"): a workshop is *held in the
period* when its status is held or closed and its date is within the period; an
*attendance* is an enrolment ticked present in such a workshop
(``Enrolment.objects.attendances()``); a *beneficiary* a distinct person (after duplicate
merging) with at least one attendance; *young* is under 35 in the year of the workshop
(``essor.core.definitions.young_q``).
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from essor.core.definitions import young_q
from essor.observatory.catalogue import activity, indicator, person, share

from .figures import held_workshops
from .models import Enrolment, Workshop

SOURCES = ("training.Enrolment", "training.Workshop", "registry.Person")

# The person's attributes; the workshop's (and its event's) are the activity's.
PEOPLE_BREAKDOWNS = {
    "sex": person("person__sex"),
    "age_band": person("person__birth_year"),
    "disability": person("person__disability"),
    "region": activity("workshop__region"),
    "province": activity("workshop__province"),
    "theme": activity("workshop__theme"),
    "event": activity("workshop__event"),
    "event_kind": activity("workshop__event__kind"),
}
PLACE = {"region": "workshop__region", "province": "workshop__province",
         "date": "workshop__date"}
WORKSHOP = {"region": "region", "province": "province", "date": "date",
            "breakdowns": {"region": activity("region"), "province": activity("province"),
                           "theme": activity("theme"), "event": activity("event"),
                           "event_kind": activity("event__kind")},
            "sources": ("training.Workshop",)}


def _attendances(date_from: datetime.date | None,
                 date_to: datetime.date | None) -> QuerySet[Enrolment]:
    """Attendances (the one definition: ``attendances()``, i.e. in held workshops) in
    workshops dated within the period, as ``held_workshops`` dates them; filtered on the
    workshop's date directly so that the database can reach a person's attendances by
    the person (the age band's subquery)."""
    return _in_period(Enrolment.objects.attendances(), date_from, date_to)


def _in_period(queryset: QuerySet[Enrolment], date_from: datetime.date | None,
               date_to: datetime.date | None) -> QuerySet[Enrolment]:
    if date_from:
        queryset = queryset.filter(workshop__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(workshop__date__lte=date_to)
    return queryset


@indicator("training.workshops", name=_("Workshops held"),
           definition=_("Training workshops held in the period (status held or closed, "
                        "dated within the period), alongside an event or not."),
           unit="count", **WORKSHOP)
def workshops(*, date_from: datetime.date | None = None,
              date_to: datetime.date | None = None) -> QuerySet[Workshop]:
    return held_workshops(date_from=date_from, date_to=date_to)


indicator("training.workshops_alongside_events", name=_("Workshops held alongside an event"),
          definition=_("Workshops held in the period as part of a fair or market."),
          unit="count", condition=Q(event__isnull=False), **WORKSHOP)(workshops)


@indicator("training.enrolments", name=_("Enrolments"),
           definition=_("Places taken in workshops dated within the period: enrolments "
                        "with status enrolled (not waitlisted or cancelled), present or "
                        "not."),
           unit="count", breakdowns=PEOPLE_BREAKDOWNS, sources=SOURCES, **PLACE)
def enrolments(*, date_from: datetime.date | None = None,
               date_to: datetime.date | None = None) -> QuerySet[Enrolment]:
    return _in_period(Enrolment.objects.filter(status=Enrolment.Status.ENROLLED),
                      date_from, date_to)


# The attendances and the people counted among them share one function: measured
# together, one query for all (``essor.observatory.compute.values_many``).
@indicator("training.attendances", name=_("Attendances"),
           definition=_("Attendances: a person ticked present at a workshop held in the "
                        "period (one person at three workshops is three attendances)."),
           unit="count", breakdowns=PEOPLE_BREAKDOWNS, sources=SOURCES, **PLACE)
def attendances(*, date_from: datetime.date | None = None,
                date_to: datetime.date | None = None) -> QuerySet[Enrolment]:
    return _attendances(date_from, date_to)


PEOPLE = {"unit": "people", "distinct": "person", "breakdowns": PEOPLE_BREAKDOWNS,
          "sources": SOURCES, **PLACE}
indicator("training.beneficiaries", name=_("Beneficiaries"),
          definition=_("Distinct people (after duplicate merging) who attended at least "
                       "one workshop held in the period."), **PEOPLE)(attendances)
indicator("training.women_beneficiaries", name=_("Women beneficiaries"),
          definition=_("Beneficiaries who are women."),
          condition=Q(person__sex="F"), **PEOPLE)(attendances)
indicator("training.young_beneficiaries", name=_("Young beneficiaries"),
          definition=_("Beneficiaries under 35 in the year of a workshop they attended."),
          condition=young_q("person__birth_year", activity_date="workshop__date"),
          **PEOPLE)(attendances)
indicator("training.beneficiaries_with_disability", name=_("Beneficiaries with a disability"),
          definition=_("Beneficiaries recorded as people with a disability."),
          condition=Q(person__disability=True), **PEOPLE)(attendances)


share("training.women_beneficiaries_share", name=_("Women participation rate"),
      definition=_("Women among the beneficiaries (distinct people)."),
      numerator="training.women_beneficiaries", denominator="training.beneficiaries")
share("training.young_beneficiaries_share", name=_("Share of young people among "
                                                    "beneficiaries"),
      definition=_("Young beneficiaries (under 35 in the year of a workshop they "
                   "attended) among the beneficiaries."),
      numerator="training.young_beneficiaries", denominator="training.beneficiaries")
