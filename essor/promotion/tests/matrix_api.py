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


def build(ctx) -> dict:
    casablanca = ctx["casablanca_settat"]
    event = EventFactory(region=casablanca)
    participation = ParticipationFactory(event=event)
    # A second event, so that applying to it does not make the first one visible to the
    # organisation account.
    applied = EventFactory(region=casablanca, status="open")
    application = ApplicationFactory(event=applied,
                                     organisation=ctx["organisation_account"].organisation)
    return {"event-detail": {"pk": event.pk},
            "participation-detail": {"pk": participation.pk},
            "application-detail": {"pk": application.pk}}
