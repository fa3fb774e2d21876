"""The observatory's own indicators: those collected by the observatories (the regional
census of cooperatives), entered or imported per observatory and counted once validated
(``essor.observatory.collected``; computed by ``essor.observatory.compute``)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from .catalogue import collected
from .models import CollectedValue

collected(
    "observatory.census_cooperatives", name=_("Cooperatives (census)"),
    definition=_("Cooperatives counted by the regional census of cooperatives, as "
                 "entered or imported by the observatory and validated."),
    unit="count", breakdowns=("sector",))

collected(
    "observatory.census_members", name=_("Members of cooperatives (census)"),
    definition=_("Members of the cooperatives counted by the regional census of "
                 "cooperatives, as entered or imported by the observatory and validated."),
    unit="people", breakdowns=("sector", "sex"))


def _collected_changed(sender, **kwargs) -> None:
    from . import cache
    from .compute import COLLECTED_SOURCE

    cache.bump(COLLECTED_SOURCE)


# The collected indicators read the collected values: any save or delete of one (a
# service, the admin, a script) invalidates their cached results. Connected here, where
# they register, since the catalogue's own receivers watch computed indicators' sources.
post_save.connect(_collected_changed, sender=CollectedValue,
                  dispatch_uid="essor.observatory.collected.saved")
post_delete.connect(_collected_changed, sender=CollectedValue,
                    dispatch_uid="essor.observatory.collected.deleted")
