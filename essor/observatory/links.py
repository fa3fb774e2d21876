"""Links from a figure to the records behind it (the drill-down, issue 9 point 3).

``drilldown_url("training.beneficiaries", region="MA-06", cells={"sex": "F"})`` is the
address of the list of what that value counts, scoped to the reader by the page itself.
Every page that shows a value links it through this function, so that the parameters are
written in one place.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.urls import reverse
from django.utils.http import urlencode


def drilldown_url(code: str, *, date_from: datetime.date | None = None,
                  date_to: datetime.date | None = None, region: str | None = None,
                  province: str | None = None, cells: Mapping[str, str] | None = None) -> str:
    query: dict[str, str] = {}
    if date_from:
        query["from"] = date_from.isoformat()
    if date_to:
        query["to"] = date_to.isoformat()
    if region:
        query["region"] = region
    if province:
        query["province"] = province
    for dim, value in (cells or {}).items():
        query[dim] = str(value)
    url = reverse("observatory:drilldown", args=[code])
    return f"{url}?{urlencode(query)}" if query else url


def result_url(result, row: Mapping[str, object] | None = None) -> str:
    """The drill-down of a computed Result's total, or of one of its rows."""
    scope = result.scope
    cells = {dim: str(row[dim]) for dim in result.by} if row is not None else {}
    return drilldown_url(result.indicator.code, date_from=result.date_from,
                         date_to=result.date_to,
                         region=scope.region.code if scope.region is not None else None,
                         province=scope.province.code if scope.province is not None else None,
                         cells=cells)
