"""The dashboards' figures and charts (national, regional, the staff home card), read from
the catalogue only: each figure is an indicator's value, each chart one indicator's
result by one breakdown, drawn by ``essor.observatory.charts``.

A dashboard shows the key figures of the programme (the activity report's) for a period
and scope, and for one chosen indicator its trend by month or year, its breakdown by sex
and age band, the comparison across regions (across provinces on a regional dashboard)
and a map of the 12 regions. Everything is computed for the reader: ``user`` restricts
it to their regions.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from essor.core.exports import Exporter

from . import charts, dimensions
from .catalogue import Indicator, all_indicators, get
from .compute import Result, values_many
from .labels import labels
from .links import result_url

# The programme's key figures, in the order of its activity report.
KEY_INDICATORS = (
    "promotion.events", "promotion.exhibitors", "promotion.women_exhibitors_share",
    "promotion.sales", "promotion.visitors", "training.workshops", "training.beneficiaries",
    "training.women_beneficiaries_share", "training.young_beneficiaries_share",
    "registry.organisations",
)
DEFAULT_INDICATOR = "training.beneficiaries"
# A trend by month over more months than this is drawn by year.
MONTHS_SHOWN = 24


@dataclass
class Figure:
    result: Result
    url: str | None

    @property
    def indicator(self) -> Indicator:
        return self.result.indicator


@dataclass
class Dashboard:
    indicator: Indicator
    figures: list[Figure]
    charts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    step: str = "year"
    notes: list[str] = field(default_factory=list)


def chart_indicators() -> list[Indicator]:
    """The indicators a dashboard can chart: computed, by region and in time."""
    return [item for item in all_indicators()
            if item.source == "computed" and {"region", "month"} <= set(item.breakdowns)]


def chosen_indicator(code: str | None) -> Indicator:
    """The indicator asked for, the default one when none; unknown or not chartable:
    LookupError naming it."""
    item = get(code or DEFAULT_INDICATOR)
    if item not in chart_indicators():
        raise LookupError(code)
    return item


def key_figures(user: Any, *, date_from: datetime.date | None = None,
                date_to: datetime.date | None = None, region: str | None = None,
                linked: bool = False) -> list[Figure]:
    """The key figures for the period and scope (one query per group of indicators over
    the same records); ``linked``: each with the address of its drill-down."""
    results = values_many([(code, ()) for code in KEY_INDICATORS], date_from=date_from,
                          date_to=date_to, region=region, user=user, with_target=True)
    return [Figure(result, result_url(result) if linked else None) for result in results]


def _step(date_from: datetime.date | None, date_to: datetime.date | None,
          asked: str | None) -> str:
    if asked in ("month", "year"):
        return asked
    if date_from and date_to:
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        return "month" if months <= MONTHS_SHOWN else "year"
    return "year"


def dashboard(user: Any, *, indicator: str | None = None,
              date_from: datetime.date | None = None, date_to: datetime.date | None = None,
              region: str | None = None, step: str | None = None,
              linked: bool = False) -> Dashboard:
    """The national dashboard (``region`` None: every region the user may read) or one
    region's. Raises LookupError for an indicator it cannot chart, IndicatorError for a
    bad period or region."""
    item = chosen_indicator(indicator)
    step = _step(date_from, date_to, step)
    board = Dashboard(item, key_figures(user, date_from=date_from, date_to=date_to,
                                        region=region, linked=linked), step=step)
    name, unit = str(item.name), item.unit
    # Every chart's result in one call: one read of the cache, one query per breakdown
    # missing from it.
    dims = [dim for dim in ("sex", "age_band") if dim in item.breakdowns]
    places = "province" if region and "province" in item.breakdowns else "region"
    trend, *by_dim, across = values_many(
        [(item, (step,)), *((item, (dim,)) for dim in dims), (item, (places,))],
        date_from=date_from, date_to=date_to, region=region, user=user)

    board.charts.append(("trend", charts.trend(
        [{"period": row[step], "value": row["value"]} for row in trend.rows
         if row[step] != dimensions.UNKNOWN],
        by=step, unit=unit, value_label=name,
        title=_("%(indicator)s by month") % {"indicator": name} if step == "month"
        else _("%(indicator)s by year") % {"indicator": name})))
    for dim, result in zip(dims, by_dim, strict=True):
        order = [*dimensions.get(dim).order, dimensions.UNKNOWN]
        codes = order + [row[dim] for row in result.rows if row[dim] not in order]
        board.charts.append((dim, charts.breakdown(
            result.rows, dim, labels=labels(dim, codes), unit=unit, value_label=name,
            title=_("%(indicator)s by %(breakdown)s")
            % {"indicator": name, "breakdown": dimensions.get(dim).name})))
    if places == "region":
        known = [row for row in across.rows if row["region"] != dimensions.UNKNOWN]
        board.charts.append(("regions", charts.regions(
            known, unit=unit, value_label=name,
            title=_("%(indicator)s by region") % {"indicator": name})))
        board.charts.append(("map", charts.region_map(
            known, unit=unit, value_label=name,
            title=_("Map of the regions: %(indicator)s") % {"indicator": name})))
    else:
        largest = sorted(across.rows, key=lambda row: -(row["value"] or 0))
        names = labels("province", [row["province"] for row in largest])
        board.charts.append(("provinces", charts.breakdown(
            largest, "province", labels=names, unit=unit, value_label=name,
            title=_("%(indicator)s by province or prefecture") % {"indicator": name})))
    for result in (trend, across):
        if result.note and str(result.note) not in board.notes:
            board.notes.append(str(result.note))
    return board


class DashboardExporter(Exporter):
    """The dashboard's figures as a file: the key figures, then each chart's table."""

    filename = "dashboard"

    def __init__(self, board: Dashboard):
        self.board = board

    def header(self) -> list[str]:
        return [_("part"), _("indicator"), _("code"), _("row"), _("value"), _("unit")]

    def rows(self) -> Iterable[list[Any]]:
        for figure in self.board.figures:
            yield [_("Key figures"), str(figure.indicator.name), figure.indicator.code,
                   _("total"), figure.result.total, figure.indicator.unit]
        item = self.board.indicator
        for _name, spec in self.board.charts:
            meta = spec["usermeta"]["essor"]
            for label, value in meta["rows"]:
                yield [meta["title"], str(item.name), item.code, label, value, item.unit]
        for note in self.board.notes:  # rows that do not add up say so in the file too
            yield [_("Note"), str(item.name), item.code, note, None, ""]
