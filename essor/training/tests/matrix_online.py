"""Online enrolment in the permission matrix: organisation accounts only, which enrol
their own members in the planned workshops of their region."""

import datetime

from django.utils import timezone

from essor.core.testing import row
from essor.registry.models import Membership
from essor.registry.tests.factories import PersonFactory

from .factories import WorkshopFactory

ROWS = {
    "training:online": row(organisation_account=200, default=403),
    "training:online_enrol": row(default=405),
}
WRITES = {"training:online_enrol": {"POST": row(organisation_account=302, default=403)}}


def payloads(ctx) -> dict:
    return {("training:online_enrol", "POST"): {"person": ctx["online_member"].pk}}


def build(ctx) -> dict:
    organisation = ctx["organisation_account"].organisation
    workshop = WorkshopFactory(region=organisation.region, status="planned",
                               date=timezone.localdate() + datetime.timedelta(days=20))
    member = PersonFactory(region=organisation.region)
    Membership.objects.create(organisation=organisation, person=member)
    ctx["online_member"] = member
    return {"training:online": {}, "training:online_enrol": {"pk": workshop.pk}}
