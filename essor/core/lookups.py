"""Cached lookups of records by code, for imports: one query per chunk of rows (or one
per import for small catalogues), never one per row.

An importer asks through the user's scope: ``CodeLookup(event_visible(user), "code")``
finds only the events the user may see, so another region's code answers like an unknown
one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from essor.core import normalise
from essor.core.cleaning import refused

_REGION_WORDS = ("region de l ", "region de ", "region du ", "region ", "jihat ", "جهة ", "l ")


class CodeLookup:
    """Records of ``queryset`` by the value of ``field``, fetched in batches and cached
    (misses included) for the importer's run."""

    def __init__(self, queryset: QuerySet, field: str = "code", *, normalise_key=str.strip):
        self.queryset = queryset
        self.field = field
        self.key = normalise_key
        self.cache: dict[str, Any] = {}

    def prefetch(self, values: Iterable[str]) -> None:
        wanted = {self.key(v) for v in values if v and v.strip()} - self.cache.keys()
        if not wanted:
            return
        for record in self.queryset.filter(**{f"{self.field}__in": wanted}):
            self.cache[getattr(record, self.field)] = record
        for value in wanted:
            self.cache.setdefault(value, None)

    def get(self, value: str):
        key = self.key(value)
        if key not in self.cache:
            self.prefetch([key])
        return self.cache[key]


def _name_keys(*names: str) -> set[str]:
    keys = set()
    for name in names:
        key = normalise.name_key(name)
        if key:
            keys.add(key)
    return keys


def _place_key(value: str) -> str:
    key = normalise.name_key(value)
    for word in _REGION_WORDS:
        if key.startswith(word) and len(key) > len(word):
            return key[len(word):]
    return key


class Territory:
    """Regions and provinces by ISO code or by name (French or Arabic; case, accents,
    hyphens and a leading "Région de" ignored). Both tables are small: loaded once."""

    def __init__(self):
        from essor.territory.models import Province, Region

        self.regions: dict[str, Any] = {}
        self.provinces: dict[str, Any] = {}
        by_pk = {}
        for region in Region.objects.all():
            by_pk[region.pk] = region
            self._index(self.regions, region)
        for province in Province.objects.all():
            province.region = by_pk[province.region_id]
            self._index(self.provinces, province)

    @staticmethod
    def _index(table: dict[str, Any], place) -> None:
        table[place.code.upper()] = place
        for key in _name_keys(place.name_fr, place.name_ar):
            table.setdefault("name:" + key, place)
            table.setdefault("name:" + _place_key(key), place)

    def _find(self, table: dict[str, Any], value: str):
        v = value.strip()
        return table.get(v.upper()) or table.get("name:" + normalise.name_key(v)) or table.get(
            "name:" + _place_key(v))

    def region(self, value: str):
        found = self._find(self.regions, value)
        if found is None:
            raise refused(value, _("unknown region: write a code such as MA-06 or a name "
                                   "such as Casablanca-Settat."))
        return found

    def province(self, value: str, region=None):
        if not value.strip():
            return None
        found = self._find(self.provinces, value)
        if found is None:
            raise refused(value, _("unknown province: write a code such as MA-CAS or a "
                                   "name such as Casablanca."))
        if region is not None and found.region_id != region.pk:
            raise refused(value, _("this province is not in the region of the row."))
        return found
