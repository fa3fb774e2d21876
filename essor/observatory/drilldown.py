"""The records behind a figure (issue 9, point 3): what one value of an indicator counts.

``drilldown("training.beneficiaries", user=…, cells={"sex": "F"}, region="MA-06")`` gives
the value (computed by the catalogue, as every page shows it) and, for a reader who may
see names, the records it counts: the distinct people of a count of people, the
participations, attendances or workshops of a count of records, the records summed by a
sum. Their number is the value: the listing and the figure are one query's two faces.

A reader who may not see names (an analyst) gets the counts instead, down to the last
breakdown: the value split by each breakdown the indicator supports beyond the cells
already chosen, each count a further drill-down.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet

from essor.accounts.permissions import can

from . import compute
from .catalogue import Indicator, get


@dataclass
class Drilldown:
    indicator: Indicator
    result: compute.Result  # the value of the cells (its total)
    cells: dict[str, str]
    records: QuerySet[Any] | None = None  # None: this reader sees counts only
    counted: str = "records"  # "records" or "distinct": what a listed row is
    splits: list[compute.Result] = field(default_factory=list)
    parts: list[compute.Result] = field(default_factory=list)  # a share's two figures


def _target(model: type[Model], path: str) -> type[Model]:
    """The model a lookup path (``person``, ``organisation__region``) leads to."""
    for name in path.split("__"):
        related = model._meta.get_field(name).related_model
        assert related is not None, f"{path} is not a relation"
        model = related
    return model


def drilldown(code: str, *, user: Any, date_from: datetime.date | None = None,
              date_to: datetime.date | None = None, region: str | None = None,
              province: str | None = None, cells: Mapping[str, str] | None = None
              ) -> Drilldown:
    """The value of ``code`` in ``cells`` and what it counts, scoped to ``user``.
    Raises UnknownIndicator, IndicatorError (a refused value, named)."""
    item = get(code)
    cells = {str(k): str(v) for k, v in (cells or {}).items()}
    result = compute.values(item, date_from=date_from, date_to=date_to, region=region,
                            province=province, user=user, where=cells or None)
    found = Drilldown(item, result, cells)
    if item.is_share:
        assert item.numerator and item.denominator
        found.parts = compute.values_many(
            [(item.numerator, ()), (item.denominator, ())], date_from=date_from,
            date_to=date_to, region=region, province=province, user=user, where=cells or None)
        return found
    if item.function is None:  # collected: no record behind it but the values entered
        return found
    if can(user, "observatory.drilldown_names"):
        queryset = compute.records(item, date_from=date_from, date_to=date_to,
                                   scope=compute.scope_for(region, province, user), where=cells or None)
        if item.measure == "distinct":
            assert item.field
            target = _target(queryset.model, item.field)
            found.records = target._default_manager.filter(
                pk__in=queryset.values(item.field))
            found.counted = "distinct"
        else:
            if item.measure in ("sum", "median"):
                assert item.field
                queryset = queryset.filter(**{f"{item.field}__isnull": False})
            found.records = queryset
    else:
        further = [dim for dim in item.breakdowns if dim not in cells]
        found.splits = compute.values_many(
            [(item, (dim,)) for dim in further], date_from=date_from, date_to=date_to,
            region=region, province=province, user=user, where=cells or None)
    return found
