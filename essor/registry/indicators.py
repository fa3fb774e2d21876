"""The registry's indicators: organisations and their members.

The registry is a stock, not a flow: these count what is recorded today, whatever the
period asked for (the period applies to activities, not to the registry).
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from essor.observatory.catalogue import indicator, person

from .models import Membership, Organisation


@indicator("registry.organisations", name=_("Organisations"),
           definition=_("Organisations recorded in the registry (cooperatives, "
                        "associations, mutuals and partners), whatever the period."),
           unit="count", region="region", province="province",
           breakdowns={"region": person("region"), "province": person("province"),
                       "organisation_kind": person("kind"), "sector": person("sector")},
           sources=("registry.Organisation",))
def organisations(*, date_from: datetime.date | None = None,
                  date_to: datetime.date | None = None) -> QuerySet[Organisation]:
    return Organisation.objects.all()


@indicator("registry.members", name=_("Members"),
           definition=_("Memberships recorded in the registry: a person's place in an "
                        "organisation (one person in two organisations counts twice), "
                        "whatever the period."),
           unit="count", region="organisation__region", province="organisation__province",
           breakdowns={"sex": person("person__sex"),
                       "disability": person("person__disability"),
                       "region": person("organisation__region"),
                       "province": person("organisation__province"),
                       "organisation_kind": person("organisation__kind"),
                       "sector": person("organisation__sector")},
           sources=("registry.Membership", "registry.Person", "registry.Organisation"))
def members(*, date_from: datetime.date | None = None,
            date_to: datetime.date | None = None) -> QuerySet[Membership]:
    return Membership.objects.all()
