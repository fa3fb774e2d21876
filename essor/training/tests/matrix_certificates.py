"""Certificates in the permission matrix (see essor/core/testing.py).

A certificate is printed by the workshop's managers: the Casablanca-Settat workshop's
certificates are not found by the Oriental personas (the trainer included: it is not
theirs) nor by the coach, who reads workshops without running them. The verification
page is public: everyone, anonymous included, gets 200 for a valid code.
"""

from essor.core.testing import CASA_OBJECT, row

from .factories import EnrolmentFactory, WorkshopFactory

PUBLIC = row(anonymous=200, default=200)

ROWS = {
    "training:certificate": row(**CASA_OBJECT),
    "training:certificates": row(**CASA_OBJECT),
    "training:verify": PUBLIC,
    "training:verify_code": PUBLIC,
}


def build(ctx) -> dict:
    workshop = WorkshopFactory(region=ctx["casablanca_settat"], trainer_name="Latifa Bennani",
                               status="held")
    enrolment = EnrolmentFactory(workshop=workshop, attended=True)
    return {
        "training:certificate": {"pk": enrolment.pk},
        "training:certificates": {"pk": workshop.pk},
        "training:verify_code": {"code": enrolment.certificate_code},
    }
