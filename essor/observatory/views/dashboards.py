"""The dashboards: national (/observatory/dashboard/) and regional
(/observatory/dashboard/MA-02/), for staff who read the figures of their regions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from essor.accounts.permissions import can, requires
from essor.core.scoping import filter_by_region
from essor.core.web import export_response
from essor.territory.selectors import region_in_scope, region_list

from .. import dashboards
from ..catalogue import UnknownIndicator
from ..compute import IndicatorError
from .drilldown_pages import date_param


def _regions(user):
    """The regions the reader may open a dashboard of."""
    return filter_by_region(region_list(), user, field="pk").order_by("code")


@login_required
@requires("observatory.read_dashboards")
def dashboard(request, region: str | None = None):
    asked_region = request.GET.get("region")
    if region is None and asked_region:  # the region picker of the form
        query = request.GET.copy()
        query.pop("region")
        url = redirect("observatory:regional_dashboard", region=asked_region.strip()).url
        return redirect(f"{url}?{query.urlencode()}" if query else url)
    place = None
    if region is not None:
        place = region_in_scope(request.user, region)
        if place is None:
            raise Http404
    errors: list[str] = []
    date_from, date_to = date_param(request, "from", errors), date_param(request, "to", errors)
    code = request.GET.get("indicator") or None
    board = None
    try:
        if errors:
            raise IndicatorError(errors[0])
        board = dashboards.dashboard(
            request.user, indicator=code, date_from=date_from, date_to=date_to,
            region=place.code if place else None, step=request.GET.get("step"),
            linked=can(request.user, "observatory.drilldown"))
    except (UnknownIndicator, LookupError):
        errors = [_("This indicator cannot be charted: %(code)s") % {"code": code}]
    except IndicatorError as exc:
        errors = [str(exc)]
    if board is None:
        board = dashboards.dashboard(request.user, region=place.code if place else None,
                                     linked=can(request.user, "observatory.drilldown"))
    exported = None if errors else export_response(request,
                                                   dashboards.DashboardExporter(board))
    if exported is not None:
        return exported
    return render(request, "observatory/dashboard.html", {
        "board": board, "region": place, "regions": _regions(request.user),
        "indicators": dashboards.chart_indicators(), "errors": errors,
        "date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", ""),
        "step": request.GET.get("step", ""),
    }, status=400 if errors else 200)


@login_required
@requires("observatory.read_dashboards")
def indicator_list(request):
    """The catalogue: every indicator, its definition, unit and breakdowns."""
    from ..catalogue import UNITS, all_indicators
    from ..dimensions import REGISTRY as DIMENSIONS

    charted = {item.code for item in dashboards.chart_indicators()}
    return render(request, "observatory/indicator_list.html", {
        "indicators": [(item, UNITS[item.unit], [DIMENSIONS[c].name for c in item.breakdowns],
                        item.code in charted) for item in all_indicators()],
        "drills": can(request.user, "observatory.drilldown"),
    })


urlpatterns = [
    path("indicators/", indicator_list, name="indicator_list"),
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/<str:region>/", dashboard, name="regional_dashboard"),
]
