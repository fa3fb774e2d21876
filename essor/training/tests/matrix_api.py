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


def build(ctx) -> dict:
    from essor.training.models import Theme

    workshop = WorkshopFactory(region=ctx["casablanca_settat"], trainer_name="Latifa Bennani")
    enrolment = EnrolmentFactory(workshop=workshop)
    return {"workshop-detail": {"pk": workshop.pk}, "enrolment-detail": {"pk": enrolment.pk},
            "theme-detail": {"pk": Theme.objects.get(code="governance").pk}}
