"""The report's training figures: one grouped database query per figure."""

from __future__ import annotations

import datetime

from essor.core.definitions import share

from .models import Workshop


def held_workshops(*, date_from: datetime.date | None = None,
                   date_to: datetime.date | None = None, region=None, theme=None, event=None):
    workshops = Workshop.objects.filter(status__in=Workshop.HELD_STATUSES)
    if date_from:
        workshops = workshops.filter(date__gte=date_from)
    if date_to:
        workshops = workshops.filter(date__lte=date_to)
    if region is not None:
        workshops = workshops.filter(region=region)
    if theme is not None:
        workshops = workshops.filter(theme=theme)
    if event is not None:
        workshops = workshops.filter(event=event)
    return workshops


FIGURES = {  # the report's key: the catalogue's indicator
    "workshops": "training.workshops",
    "workshops_alongside_events": "training.workshops_alongside_events",
    "beneficiaries": "training.beneficiaries",
    "women_beneficiaries": "training.women_beneficiaries",
    "youth_beneficiaries": "training.young_beneficiaries",
    "beneficiaries_with_disability": "training.beneficiaries_with_disability",
    "attendances": "training.attendances",
}


def _cells(theme, event) -> dict[str, str]:
    where = {}
    if theme is not None:
        where["theme"] = theme.code
    if event is not None:
        where["event"] = event.code
    return where


def training_figure_links(*, date_from: datetime.date | None = None,
                          date_to: datetime.date | None = None, region=None, theme=None,
                          event=None) -> dict[str, str]:
    """The drill-down of each figure of :func:`training_figures` (key → address)."""
    from essor.observatory.links import drilldown_url

    links = {key: drilldown_url(code, date_from=date_from, date_to=date_to,
                                region=region.code if region is not None else None,
                                cells=_cells(theme, event))
             for key, code in FIGURES.items()}
    links["women_share"] = drilldown_url(
        "training.women_beneficiaries_share", date_from=date_from, date_to=date_to,
        region=region.code if region is not None else None, cells=_cells(theme, event))
    return links


def training_figures(*, date_from: datetime.date | None = None,
                     date_to: datetime.date | None = None, region=None, theme=None,
                     event=None) -> dict:
    """Workshops held in the period; attendances (person × workshop ticked present);
    distinct beneficiaries (people who attended at least one of them, after duplicate
    merging), the women among them and their share (an unrounded fraction), young people
    (under 35 in the year of a workshop they attended) and people with a disability:
    read from the indicator catalogue (``essor/training/indicators.py``), the workshops
    in one query and the people in another, cached."""
    from essor.observatory.compute import values_many

    where = _cells(theme, event)
    results = values_many([(code, ()) for code in FIGURES.values()], date_from=date_from,
                          date_to=date_to, region=region, where=where)
    figures = {key: result.total for key, result in zip(FIGURES, results, strict=True)}
    figures["women_share"] = share(figures["women_beneficiaries"], figures["beneficiaries"])
    order = ("workshops", "workshops_alongside_events", "beneficiaries",
             "women_beneficiaries", "women_share", "youth_beneficiaries",
             "beneficiaries_with_disability", "attendances")
    return {key: figures[key] for key in order}
