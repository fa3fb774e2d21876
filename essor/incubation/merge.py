"""How project holders and applicants merge when two records of one person become one.

One row per person and project (and per person and application): when both records hold
the same project, one row stays, a lead holder if either was one, the earlier otherwise.
"""

from __future__ import annotations

from typing import Any

from essor.registry.merge import MergeLog, rule
from essor.registry.models import Person

from .models import ApplicationHolder, Holder


def _merge_rows(model: type[Holder] | type[ApplicationHolder], parent: str, keep: Person, drop: Person,
                log: MergeLog) -> None:
    rows: Any = model._default_manager
    kept = {getattr(row, f"{parent}_id"): row for row in rows.filter(person=keep)}
    for row in rows.filter(person=drop).order_by("pk"):
        mine = kept.get(getattr(row, f"{parent}_id"))
        if mine is None:
            row.person = keep
            row.save(update_fields=["person"])
            log.move(model)
            continue
        if row.lead and not mine.lead:
            mine.lead = True
            mine.save(update_fields=["lead"])
        log.fold(model, kept=mine, deleted=row, lead=mine.lead)
        row.delete()


@rule("incubation", "incubation.Holder.person", "incubation.ApplicationHolder.person")
def merge_person(keep: Person, drop: Person, log: MergeLog) -> None:
    _merge_rows(Holder, "project", keep, drop, log)
    _merge_rows(ApplicationHolder, "application", keep, drop, log)
