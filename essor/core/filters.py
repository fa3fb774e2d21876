"""API filters that refuse what the database cannot compare: a record id or a year out of
range (``?event=1e30``, ``?year=99999999999999999999``) is a 400 naming the parameter,
never a server error. The schema says the same bounds."""

from __future__ import annotations

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

MAX_ID = 2**63 - 1  # a big integer primary key, on SQLite and PostgreSQL alike
MIN_YEAR, MAX_YEAR = 1, 9999  # what a date can hold


class _IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField
    bounds: tuple[int, int] = (1, MAX_ID)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", self.bounds[0])
        kwargs.setdefault("max_value", self.bounds[1])
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(_IntegerFilter):
    """A record's id (``?event=12``)."""


@extend_schema_field({"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR})
class YearFilter(_IntegerFilter):
    """A year (``?year=2025``) of a date field: ``lookup_expr="year"`` by default."""

    bounds = (MIN_YEAR, MAX_YEAR)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        super().__init__(*args, **kwargs)
