"""The drill-down page: the records a figure counts, or their counts for an analyst."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from essor.accounts.permissions import requires
from essor.core.scoping import in_scope
from essor.territory.selectors import province_by_code, region_by_code

from .. import dimensions
from ..catalogue import UnknownIndicator
from ..compute import IndicatorError, period_date
from ..drilldown import drilldown as find
from ..labels import label, labels
from ..links import drilldown_url, result_url
from . import drilldown_columns

PAGE_SIZE = 50
RESERVED = {"from", "to", "region", "province", "page"}


def date_param(request, name: str, errors: list[str]) -> datetime.date | None:
    """The period's bound ``name`` of the query string; a bad one named in ``errors``."""
    try:
        return period_date(request.GET.get(name))
    except IndicatorError as exc:
        errors.append(str(exc))
        return None


def _place(request) -> tuple[str | None, str | None]:
    """The region and province asked for; 404 when outside the reader's scope."""
    region, province = request.GET.get("region") or None, request.GET.get("province") or None
    for code, finder in ((region, region_by_code), (province, province_by_code)):
        if code is None:
            continue
        place = finder(code)
        if place is None:
            continue  # named as refused by the catalogue's error
        region_id = getattr(place, "region_id", place.pk)
        if not in_scope(request.user, region_id):
            raise Http404
    return region, province


def _split(split) -> dict:
    dim = split.by[0]
    names = labels(dim, [row[dim] for row in split.rows])
    return {"dim": dim, "name": dimensions.REGISTRY[dim].name, "note": split.note,
            "rows": [(names[str(row[dim])], row["value"], result_url(split, row))
                     for row in split.rows]}


@login_required
@requires("observatory.drilldown")
def drilldown(request, code):
    errors: list[str] = []
    date_from, date_to = date_param(request, "from", errors), date_param(request, "to", errors)
    region, province = _place(request)
    cells = {k: v for k, v in request.GET.items() if k not in RESERVED}
    try:
        found = None if errors else find(code, user=request.user, date_from=date_from,
                                         date_to=date_to, region=region, province=province,
                                         cells=cells)
    except UnknownIndicator:
        raise Http404 from None
    except IndicatorError as exc:
        errors.append(str(exc))
        found = None
    context = {"errors": errors, "found": found, "code": code, "cells": [
        (str(dimensions.REGISTRY[k].name) if k in dimensions.REGISTRY else k, label(k, v))
        for k, v in cells.items()], "region": region, "province": province,
        "date_from": date_from, "date_to": date_to}
    if found is not None:
        context["total_url"] = result_url(found.result)
        if found.records is not None:
            listed = drilldown_columns.prepare(found.records.order_by("pk"))
            page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
            context["page"] = page
            context["headings"], context["rows"] = drilldown_columns.table(listed.model, page)
            context["query"] = request.GET.copy()
        context["splits"] = [_split(split) for split in found.splits]
        context["collected"] = found.indicator.function is None and not found.parts
        context["counts_only"] = (found.records is None and not found.parts
                                  and not context["collected"])
        context["parts"] = [(part.indicator, part.total, result_url(part))
                            for part in found.parts]
    status = 400 if errors else 200
    context["catalogue_url"] = reverse("observatory:drilldown", args=[code])
    context["drilldown_url"] = drilldown_url
    return render(request, "observatory/drilldown.html", context, status=status)
