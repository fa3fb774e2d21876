"""The promotion pages in the permission matrix (see essor/core/testing.py).

The event is an itinerant market of Casablanca-Settat in selection, coming up: the Oriental
personas must not find it, the coach (Casablanca-Settat) reads it without running it, and
the organisation account sees it because it applied and exhibits there.

Writes (``WRITES``): its managers write (a redirect, or 200 when an empty form comes back
with its errors); the exhibiting organisation withdraws its application and declares its
results, but does not give itself a stand (403 from the service); everyone else finds
nothing (404).
"""

import datetime

from django.utils import timezone

from essor.core.testing import ALL, CASA_OBJECT, EDITORS, row

from .factories import ApplicationFactory, EventFactory, ParticipationFactory, StandFactory

POST_ONLY = row(default=405)
STAFF_READ = {**CASA_OBJECT, "coach": 200}
MANAGERS_AND_EXHIBITOR = {**CASA_OBJECT, "organisation_account": 200}

ROWS = {
    "promotion:event_list": row(**ALL),
    "promotion:event_create": row(**EDITORS),
    "promotion:event_detail": row(**{**STAFF_READ, "organisation_account": 200}),
    "promotion:event_edit": row(**CASA_OBJECT),
    "promotion:event_status": POST_ONLY,
    "promotion:application_list": row(**CASA_OBJECT),
    # The organisation already applied: it is sent back to the event's page.
    "promotion:application_create": row(**{**CASA_OBJECT, "organisation_account": 302}),
    "promotion:selection": row(**CASA_OBJECT),
    "promotion:selection_accept_top": POST_ONLY,
    "promotion:stands": row(**CASA_OBJECT),
    "promotion:participation_list": row(**CASA_OBJECT),
    # Aggregates for staff who see the event; not for the exhibitors themselves.
    "promotion:event_summary": row(**{**STAFF_READ, "organisation_account": 403}),
    "promotion:my_applications": row(organisation_account=200, default=403),
    "promotion:application_decide": POST_ONLY,
    "promotion:application_withdraw": POST_ONLY,
    "promotion:participation_stand": POST_ONLY,
    "promotion:participation_status": POST_ONLY,
    "promotion:participation_results": row(**MANAGERS_AND_EXHIBITOR),
    "promotion:participation_satisfaction": row(**MANAGERS_AND_EXHIBITOR),
    "promotion:public_event_list": row(anonymous=200, default=200),
    "promotion:public_event_detail": row(anonymous=200, default=200),
}


MANAGE = {"national_admin": 302, "casablanca_officer": 302, "default": 404}
MANAGE_FORM = {**CASA_OBJECT}  # an empty form comes back with its errors: 200
WRITES = {
    "promotion:event_create": {"POST": row(**EDITORS)},
    "promotion:event_edit": {"POST": row(**MANAGE_FORM)},
    "promotion:event_status": {"POST": row(**MANAGE)},
    "promotion:application_create": {"POST": row(**{**CASA_OBJECT,
                                                    "organisation_account": 302})},
    "promotion:selection": {"POST": row(**MANAGE_FORM)},
    "promotion:selection_accept_top": {"POST": row(**MANAGE)},
    "promotion:stands": {"POST": row(**MANAGE_FORM)},
    "promotion:application_decide": {"POST": row(**MANAGE)},
    "promotion:application_withdraw": {"POST": row(**{**MANAGE,
                                                      "organisation_account": 302})},
    "promotion:participation_stand": {"POST": row(**{**MANAGE, "organisation_account": 403})},
    "promotion:participation_status": {"POST": row(**{**MANAGE,
                                                      "organisation_account": 403})},
    "promotion:participation_results": {"POST": row(**MANAGERS_AND_EXHIBITOR)},
    "promotion:participation_satisfaction": {"POST": row(**MANAGERS_AND_EXHIBITOR)},
}


def payloads(ctx) -> dict:
    return {("promotion:application_decide", "POST"): {"status": "withdrawn"},
            ("promotion:participation_status", "POST"): {"status": "absent"}}


def build(ctx) -> dict:
    start = timezone.localdate() + datetime.timedelta(days=30)
    event = EventFactory(region=ctx["casablanca_settat"], status="selection",
                         start_date=start, end_date=start + datetime.timedelta(days=3))
    organisation = ctx["organisation_account"].organisation
    application = ApplicationFactory(event=event, organisation=organisation,
                                     status="accepted")
    participation = ParticipationFactory(event=event, organisation=organisation,
                                         holder=application.holder, application=application,
                                         stand=StandFactory(event=event))
    ApplicationFactory(event=event)  # another organisation's, waiting for a decision
    by_event = {"pk": event.pk}
    by_application = {"pk": application.pk}
    by_participation = {"pk": participation.pk}
    return {
        **{name: by_event for name in (
            "promotion:event_detail", "promotion:event_edit", "promotion:event_status",
            "promotion:application_list", "promotion:application_create",
            "promotion:selection", "promotion:selection_accept_top", "promotion:stands",
            "promotion:participation_list", "promotion:event_summary")},
        "promotion:application_decide": by_application,
        "promotion:application_withdraw": by_application,
        **{name: by_participation for name in (
            "promotion:participation_stand", "promotion:participation_status",
            "promotion:participation_results", "promotion:participation_satisfaction")},
        "promotion:public_event_detail": {"code": event.code},
    }
