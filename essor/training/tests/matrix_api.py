"""The training API in the permission matrix (see essor/core/testing.py).

The workshop belongs to Casablanca-Settat and is run by an external trainer: the Oriental
personas (the trainer included) do not find it; the Casablanca-Settat coach reads it.
Enrolments name people: roles that do not read people (analyst, partner, organisation
account) are refused.
"""

from essor.core.testing import CASA_OBJECT_READ, row

from .factories import EnrolmentFactory, WorkshopFactory

NO_PEOPLE = {"analyst": 403, "partner": 403, "organisation_account": 403}

ROWS = {
    "workshop-list": row(anonymous=401, default=200),
    "workshop-detail": row(anonymous=401, **CASA_OBJECT_READ),
    "enrolment-list": row(anonymous=401, default=200, **NO_PEOPLE),
    "enrolment-detail": row(anonymous=401, **{**CASA_OBJECT_READ, **NO_PEOPLE}),
    "theme-list": row(anonymous=401, default=200),
    "theme-detail": row(anonymous=401, default=200),
}


WRITES = {
    # Trainers may write workshops, but not create one (403 from the service) nor find
    # another's (404).
    "workshop-list": {"POST": row(anonymous=401, national_admin=201, casablanca_officer=201,
                                  default=403)},
    "workshop-detail": {"PATCH": row(anonymous=401, national_admin=200,
                                     casablanca_officer=200, oriental_officer=404,
                                     trainer=404, default=403)},
}


def payloads(ctx) -> dict:
    return {
        ("workshop-list", "POST"): {"code": "AT-MA06-2026-090", "title": "Atelier comptabilité",
                                    "theme": "governance", "date": "2026-06-01",
                                    "region": "MA-06", "city": "Settat", "capacity": 20},
        ("workshop-detail", "PATCH"): {"title": "Atelier de gouvernance coopérative"},
    }


def build(ctx) -> dict:
    from essor.training.models import Theme

    workshop = WorkshopFactory(region=ctx["casablanca_settat"], trainer_name="Latifa Bennani")
    enrolment = EnrolmentFactory(workshop=workshop)
    return {"workshop-detail": {"pk": workshop.pk}, "enrolment-detail": {"pk": enrolment.pk},
            "theme-detail": {"pk": Theme.objects.get(code="governance").pk}}
