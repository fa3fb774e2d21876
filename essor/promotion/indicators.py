"""Promotion's indicators: events held, their exhibitors, sales and visitors.

One definition each (DESIGN.md, "Indicator definitions"): an event is *held in the
period* when its status is held or closed and it starts within the period; an
*exhibitor* is an attended participation of such an event
(``Participation.objects.exhibitors()``); a *woman exhibitor* one whose stand holder is
a woman.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from essor.core.definitions import young_q
from essor.observatory.catalogue import activity, indicator, person, share

from .figures import held_events
from .models import Event, Participation

SOURCES = ("promotion.Event", "promotion.Participation", "registry.Person",
           "registry.Organisation")

# An exhibitor is a participation: its organisation's and stand holder's attributes are
# the record's own; the event's are the activity's. Counting records, every breakdown
# sums to the total.
EXHIBITOR_BREAKDOWNS = {
    "sex": person("holder__sex"),
    "age_band": person("holder__birth_year"),
    "disability": person("holder__disability"),
    "organisation_kind": person("organisation__kind"),
    "sector": person("organisation__sector"),
    "region": activity("event__region"),
    "province": activity("event__province"),
    "event_kind": activity("event__kind"),
    "event": activity("event"),
}
EXHIBITOR_PLACE = {"region": "event__region", "province": "event__province",
                   "date": "event__start_date"}


def _exhibitors(date_from: datetime.date | None,
                date_to: datetime.date | None) -> QuerySet[Participation]:
    """Exhibitors (the one definition: ``exhibitors()``, i.e. of held events) of events
    starting within the period, as ``held_events`` dates them."""
    queryset = Participation.objects.exhibitors()
    if date_from:
        queryset = queryset.filter(event__start_date__gte=date_from)
    if date_to:
        queryset = queryset.filter(event__start_date__lte=date_to)
    return queryset


@indicator("promotion.events", name=_("Events held"),
           definition=_("Fairs and itinerant markets held in the period: status held or "
                        "closed, starting within the period."),
           unit="count", region="region", province="province", date="start_date",
           breakdowns={"region": activity("region"), "province": activity("province"),
                       "event_kind": activity("kind")},
           sources=("promotion.Event",))
def events(*, date_from: datetime.date | None = None,
           date_to: datetime.date | None = None) -> QuerySet[Event]:
    return held_events(date_from=date_from, date_to=date_to)


# The exhibitors and what is counted or summed over them share one function: measured
# together, one query for all (``essor.observatory.compute.values_many``).
@indicator("promotion.exhibitors", name=_("Exhibitors"),
           definition=_("Participations (one per organisation per event) with status "
                        "attended, in events held in the period."),
           unit="count", breakdowns=EXHIBITOR_BREAKDOWNS, sources=SOURCES,
           **EXHIBITOR_PLACE)
def exhibitors(*, date_from: datetime.date | None = None,
               date_to: datetime.date | None = None) -> QuerySet[Participation]:
    return _exhibitors(date_from, date_to)


indicator("promotion.women_exhibitors", name=_("Women exhibitors"),
          definition=_("Exhibitors whose stand holder is a woman."),
          unit="count", breakdowns=EXHIBITOR_BREAKDOWNS, sources=SOURCES,
          condition=Q(holder__sex="F"), **EXHIBITOR_PLACE)(exhibitors)
indicator("promotion.young_exhibitors", name=_("Young exhibitors"),
          definition=_("Exhibitors whose stand holder is under 35 in the year of the "
                       "event."),
          unit="count", breakdowns=EXHIBITOR_BREAKDOWNS, sources=SOURCES,
          condition=young_q("holder__birth_year", activity_date="event__start_date"),
          **EXHIBITOR_PLACE)(exhibitors)
indicator("promotion.exhibitors_with_disability", name=_("Exhibitors with a disability"),
          definition=_("Exhibitors whose stand holder is recorded as a person with a "
                       "disability."),
          unit="count", breakdowns=EXHIBITOR_BREAKDOWNS, sources=SOURCES,
          condition=Q(holder__disability=True), **EXHIBITOR_PLACE)(exhibitors)
indicator("promotion.exhibitor_regions", name=_("Regions of the exhibitors"),
          definition=_("Distinct regions the exhibiting organisations come from."),
          unit="count", distinct="organisation__region", breakdowns=EXHIBITOR_BREAKDOWNS,
          sources=SOURCES, **EXHIBITOR_PLACE)(exhibitors)
indicator("promotion.exhibitors_declaring_sales", name=_("Exhibitors who declared sales"),
          definition=_("Exhibitors who declared their sales (zero included)."),
          unit="count", breakdowns=EXHIBITOR_BREAKDOWNS, sources=SOURCES,
          condition=Q(sales_mad__isnull=False), **EXHIBITOR_PLACE)(exhibitors)
indicator("promotion.satisfaction_answers", name=_("Exhibitors who rated the event"),
          definition=_("Exhibitors who gave their satisfaction with the event."),
          unit="count", breakdowns=EXHIBITOR_BREAKDOWNS, sources=SOURCES,
          condition=Q(satisfaction__isnull=False), **EXHIBITOR_PLACE)(exhibitors)
indicator("promotion.sales", name=_("Declared sales"),
          definition=_("Sales declared by the exhibitors of events held in the period, "
                       "in dirhams (exhibitors who declared none are not counted)."),
          unit="mad", total="sales_mad", breakdowns=EXHIBITOR_BREAKDOWNS, sources=SOURCES,
          **EXHIBITOR_PLACE)(exhibitors)
indicator("promotion.visitors", name=_("Visitors"),
          definition=_("Visitors declared by the exhibitors of events held in the period, "
                       "summed over exhibitors."),
          unit="count", total="visitors", breakdowns=EXHIBITOR_BREAKDOWNS, sources=SOURCES,
          **EXHIBITOR_PLACE)(exhibitors)


share("promotion.women_exhibitors_share", name=_("Share of women among exhibitors"),
      definition=_("Women exhibitors among exhibitors."),
      numerator="promotion.women_exhibitors", denominator="promotion.exhibitors")
share("promotion.young_exhibitors_share", name=_("Share of young people among exhibitors"),
      definition=_("Young exhibitors (under 35 in the year of the event) among "
                   "exhibitors."),
      numerator="promotion.young_exhibitors", denominator="promotion.exhibitors")
share("promotion.exhibitors_with_disability_share",
      name=_("Share of exhibitors with a disability"),
      definition=_("Exhibitors with a disability among exhibitors."),
      numerator="promotion.exhibitors_with_disability", denominator="promotion.exhibitors")
