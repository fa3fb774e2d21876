"""The audit log as a spreadsheet: the entries a filter selects, as people read them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from essor.core.exports import Exporter

from . import actions

CHUNK = 1_000  # entries resolved together: one query per object type per chunk


class EntryExporter(Exporter):
    filename = "audit"

    def __init__(self, queryset: QuerySet, *, user):
        self.queryset = queryset
        self.user = user
        self.count = 0

    def header(self) -> list[Any]:
        return [_("Time (%(zone)s)") % {"zone": actions.ZONE_NAME}, _("Who"), _("Action"),
                _("What happened"), _("Kind of record"), _("Record number"), _("Record"),
                _("Change")]

    def rows(self) -> Iterable[list[Any]]:
        entries: Iterator = self.queryset.iterator(chunk_size=CHUNK)
        while chunk := list(islice(entries, CHUNK)):
            for row in actions.rows(chunk, self.user):
                self.count += 1
                entry = row.entry
                yield [row.time, actions.actor_label(entry), row.name, row.text,
                       entry.object_type, entry.object_id, row.object_label,
                       "; ".join(f"{name}: {before} → {after}" if before else
                                 f"{name}: {after}" for name, before, after in row.changes)]
