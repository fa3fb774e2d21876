"""The promotion API in the permission matrix (see essor/core/testing.py).

Objects belong to Casablanca-Settat: the Oriental personas must not find them.
"""

from essor.core.testing import CASA_OBJECT_READ, row

from .factories import ApplicationFactory, EventFactory, ParticipationFactory

MANAGERS_AND_APPLICANT = {"national_admin": 200, "oriental_officer": 200,
                          "casablanca_officer": 200, "organisation_account": 200,
                          "default": 403}

ROWS = {
    "event-list": row(anonymous=401, default=200),
    "event-detail": row(anonymous=401, **CASA_OBJECT_READ),
    # Analysts work on aggregates: no list of named stand holders.
    "participation-list": row(anonymous=401, default=200, analyst=403),
    "participation-detail": row(anonymous=401, **{**CASA_OBJECT_READ, "analyst": 403}),
    "application-list": row(anonymous=401, **MANAGERS_AND_APPLICANT),
    "application-detail": row(anonymous=401, **{**MANAGERS_AND_APPLICANT,
                                                 "oriental_officer": 404}),
}


CASA_API_WRITE = {"anonymous": 401, "national_admin": 200, "casablanca_officer": 200,
                  "oriental_officer": 404, "default": 403}
WRITES = {
    # The Oriental officer's market in Casablanca-Settat is refused by the service.
    "event-list": {"POST": row(anonymous=401, national_admin=201, casablanca_officer=201,
                               default=403)},
    "event-detail": {"PATCH": row(**CASA_API_WRITE)},
    # Only organisation accounts apply, for their own organisation.
    "application-list": {"POST": row(anonymous=401, organisation_account=201, default=403)},
}


def payloads(ctx) -> dict:
    return {
        ("event-list", "POST"): {"code": "MI-MA06-2026-90", "kind": "itinerant_market",
                                 "title": "Marché itinérant de l'ESS — Berrechid",
                                 "start_date": "2026-05-04", "end_date": "2026-05-07",
                                 "region": "MA-06", "city": "Berrechid"},
        ("event-detail", "PATCH"): {"title": "Marché itinérant de l'ESS — Settat"},
        ("application-list", "POST"): {"event": ctx["open_event"].pk,
                                       "products": "Couscous et miel"},
    }


def build(ctx) -> dict:
    casablanca = ctx["casablanca_settat"]
    event = EventFactory(region=casablanca)
    participation = ParticipationFactory(event=event)
    # A second event, so that applying to it does not make the first one visible to the
    # organisation account.
    applied = EventFactory(region=casablanca, status="open")
    application = ApplicationFactory(event=applied,
                                     organisation=ctx["organisation_account"].organisation)
    ctx["open_event"] = EventFactory(region=casablanca, status="open")  # not applied to yet
    return {"event-detail": {"pk": event.pk},
            "participation-detail": {"pk": participation.pk},
            "application-detail": {"pk": application.pk}}
