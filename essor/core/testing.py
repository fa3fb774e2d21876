"""Helpers for the permission matrix: every app lists the answer each persona gets.

An app declares its rows in ``essor/<app>/tests/matrix.py``:

    ROWS = {"promotion:event_list": row(**STAFF)}       # URL name → persona → status
    def build(ctx) -> dict:                             # URL name → reverse() kwargs
        event = EventFactory(region=ctx["casablanca_settat"])
        return {"promotion:event_detail": {"pk": event.pk}}

``ctx`` holds the region fixtures (``oriental``, ``casablanca_settat``) and every persona
by name. Objects made in ``build`` should belong to Casablanca-Settat, so that the
Oriental personas must get 404 on them.
"""

PERSONAS = ["anonymous", "national_admin", "oriental_officer", "casablanca_officer",
            "trainer", "coach", "analyst", "partner", "organisation_account"]


def row(anonymous=302, **others):
    expected = {"anonymous": anonymous}
    for persona in PERSONAS[1:]:
        expected[persona] = others.get(persona, others.get("default"))
    return expected


ALL = {p: 200 for p in PERSONAS if p != "anonymous"}
EDITORS = {"national_admin": 200, "oriental_officer": 200, "casablanca_officer": 200,
           "default": 403}
CASA_OBJECT = {"national_admin": 200, "casablanca_officer": 200, "default": 404}
CASA_OBJECT_READ = {**CASA_OBJECT, "coach": 200}
