"""Check-in and badges in the permission matrix (see essor/core/testing.py).

Check-in is for the staff who run the event: other roles are refused (403) before any
object is looked up, and an officer of another region finds nothing (404). A badge is
for the event's managers and for the exhibiting organisation's own account; the
organisation account of the matrix owns another cooperative, so it gets 404.
"""

from essor.core.testing import CASA_OBJECT, EDITORS, row
from essor.promotion.models import Event
from essor.promotion.tests.factories import EventFactory, ParticipationFactory, StandFactory

CHECKIN = {"national_admin": 200, "casablanca_officer": 200, "oriental_officer": 404,
           "default": 403}

ROWS = {
    "promotion:checkin": row(**CHECKIN),
    "promotion:checkin_lookup": row(**EDITORS),
    "promotion:checkin_code": row(**CHECKIN),
    "promotion:badge": row(**CASA_OBJECT),
    "promotion:badges": row(**CASA_OBJECT),
}


CHECKED_IN = {**CHECKIN, "national_admin": 302, "casablanca_officer": 302}
WRITES = {
    "promotion:checkin": {"POST": row(**CHECKED_IN)},
    "promotion:checkin_code": {"POST": row(**CHECKED_IN)},
}


def build(ctx) -> dict:
    market = EventFactory(region=ctx["casablanca_settat"], kind=Event.Kind.ITINERANT_MARKET,
                          status=Event.Status.SELECTION, title="Marché itinérant — Settat")
    exhibitor = ParticipationFactory(event=market, stand=StandFactory(event=market, number=7))
    ctx["checkin_exhibitor"] = exhibitor
    return {
        "promotion:checkin": {"pk": market.pk},
        "promotion:checkin_code": {"code": exhibitor.badge_code},
        "promotion:badge": {"pk": exhibitor.pk},
        "promotion:badges": {"pk": market.pk},
    }


def payloads(ctx) -> dict:
    return {("promotion:checkin", "POST"): {"participation": ctx["checkin_exhibitor"].pk}}
