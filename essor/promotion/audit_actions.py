"""Promotion's audit codes as sentences, and how its records are named and linked."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from essor.audit.actions import Resolved, describe, objects

from . import selectors
from .models import Application, Participation, Satisfaction

AT = "%(organisation)s at %(event)s"

describe("promotion.event.created", _("Event created"),
         _("%(actor)s created the event %(object)s"))
describe("promotion.event.updated", _("Event edited"),
         _("%(actor)s edited the event %(object)s"))
describe("promotion.event.status", _("Event moved to another stage"),
         _("%(actor)s moved %(object)s from %(status_before)s to %(status_after)s"))
describe("promotion.application.submitted", _("Application submitted"),
         _("%(actor)s submitted the application of %(organisation)s to %(event)s"),
         refs={"event": "promotion.event", "organisation": "registry.organisation"})
describe("promotion.application.decided", _("Application decided"),
         _("%(actor)s decided the application of %(organisation)s to %(event)s: "
           "%(status_after)s"))
describe("promotion.stands.created", _("Stands added"),
         _("%(actor)s added %(count)s stands to %(object)s"))
describe("promotion.stand.allocated", _("Stand allocated"),
         _("%(actor)s changed the stand of %(organisation)s at %(event)s"))
describe("promotion.participation.registered", _("Exhibitor registered"),
         _("%(actor)s registered %(organisation)s at %(event)s, with %(holder)s "
           "holding the stand"), refs={"holder": "registry.person"})
describe("promotion.participation.updated", _("Exhibitor's participation edited"),
         _("%(actor)s edited the participation of %(organisation)s at %(event)s"))
describe("promotion.participation.status", _("Exhibitor's attendance recorded"),
         _("%(actor)s marked %(organisation)s %(status_after)s at %(event)s"))
describe("promotion.participation.checked_in", _("Exhibitor checked in"),
         _("%(actor)s checked in %(organisation)s at %(event)s"))
describe("promotion.participation.results", _("Sales and visitors entered"),
         _("%(actor)s entered the sales (%(sales_mad)s MAD) and visitors (%(visitors)s) "
           "of %(organisation)s at %(event)s"))
describe("promotion.satisfaction.answered", _("Satisfaction form answered"),
         _("%(actor)s answered the satisfaction form of %(organisation)s at %(event)s "
           "(%(rating)s/5)"))
describe("promotion.badge.printed", _("Badge printed"),
         _("%(actor)s printed the badge of %(organisation)s at %(event)s"))
describe("promotion.badges.printed", _("Badges printed"),
         _("%(actor)s printed %(badges)s badges for %(object)s"))
describe("export.events", _("Events exported"),
         _("%(actor)s exported the list of events (%(format)s)"))
describe("export.participations", _("Exhibitors exported"),
         _("%(actor)s exported an event's exhibitors (%(format)s)"))
describe("export.applications", _("Applications exported"),
         _("%(actor)s exported an event's applications (%(format)s)"))
describe("import.events", _("Events imported"),
         _("%(actor)s imported events from %(file)s: %(rows)s rows, %(created)s created, "
           "%(updated)s updated, %(unchanged)s unchanged, %(error_rows)s refused"))
describe("import.participations", _("Exhibitors imported"),
         _("%(actor)s imported exhibitors from %(file)s: %(rows)s rows, %(created)s "
           "created, %(updated)s updated, %(unchanged)s unchanged, %(error_rows)s refused"))


def _event_url(event_id) -> str:
    return reverse("promotion:event_detail", args=[event_id])


@objects("promotion.event")
def _events(user, ids):
    return {e.pk: Resolved(str(e), _event_url(e.pk))
            for e in selectors.event_visible(user).filter(pk__in=ids)}


def _of_participation(p: Participation, url: str) -> Resolved:
    organisation, event = p.organisation.local_name, str(p.event)
    return Resolved(f"{organisation} — {event}", url,
                    {"organisation": organisation, "event": event})


@objects("promotion.participation")
def _participations(user, ids):
    found = (Participation.objects.filter(pk__in=ids,
                                          event__in=selectors.event_visible(user))
             .select_related("organisation", "event"))
    return {p.pk: _of_participation(p, reverse("promotion:participation_list",
                                               args=[p.event_id])) for p in found}


@objects("promotion.application")
def _applications(user, ids):
    found = (Application.objects.filter(pk__in=ids, event__in=selectors.event_visible(user))
             .select_related("organisation", "event"))
    return {a.pk: Resolved(f"{a.organisation.local_name} — {a.event}",
                           reverse("promotion:application_list", args=[a.event_id]),
                           {"organisation": a.organisation.local_name, "event": str(a.event)})
            for a in found}


@objects("promotion.satisfaction")
def _satisfactions(user, ids):
    found = (Satisfaction.objects.filter(
        pk__in=ids, participation__event__in=selectors.event_visible(user))
        .select_related("participation__organisation", "participation__event"))
    return {s.pk: _of_participation(s.participation, _event_url(s.participation.event_id))
            for s in found}
