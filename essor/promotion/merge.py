"""How fair and market records merge when two records of one person become one.

A person holds stands (participations) and is named on applications as the intended stand
holder. Both are one per organisation and event, whoever holds them, so the two records'
rows never conflict: every application and participation of the dropped record moves to
the kept one, with its status, check-in, badge and stand. The event's exhibitors (one
attended participation per organisation) are therefore unchanged by a merge.
"""

from __future__ import annotations

from essor.registry.merge import MergeLog, rule
from essor.registry.models import Person

from .models import Application, Participation


@rule("promotion", "promotion.Participation.holder", "promotion.Application.holder")
def merge_person(keep: Person, drop: Person, log: MergeLog) -> None:
    log.move(Participation, Participation.objects.filter(holder=drop).update(holder=keep))
    log.move(Application, Application.objects.filter(holder=drop).update(holder=keep))
