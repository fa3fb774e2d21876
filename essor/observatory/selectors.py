"""Reading observatories, their datasets and notes, and the regional profile's figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from essor.accounts.permissions import can
from essor.core.definitions import share
from essor.core.scoping import region_ids
from essor.territory.models import Region

from .compute import Number, Result, per_inhabitants, values_many
from .dashboards import KEY_INDICATORS
from .links import result_url
from .models import Dataset, Observatory, ObservatoryNote


def observatories_for(user) -> QuerySet[Observatory]:
    """The observatories ``user`` may read (observatory.read_observatory): every one for
    the national admin, their own for an analyst, those covering one of their regions
    for an officer."""
    found = Observatory.objects.select_related("host").prefetch_related("regions")
    if can(user, "observatory.own_observatories_only"):
        return found.filter(analysts=user)
    ids = region_ids(user)
    if ids is None:
        return found
    return found.filter(regions__in=ids).distinct()


def datasets_of(observatory: Observatory) -> QuerySet[Dataset]:
    return observatory.datasets.all()


def notes_of(observatory: Observatory, *, published_only: bool = False
             ) -> QuerySet[ObservatoryNote]:
    notes = observatory.notes.select_related("author")
    return notes.filter(published=True) if published_only else notes


def open_observatory(code: str) -> Observatory | None:
    """An observatory as the public pages show it (no login: any observatory)."""
    return (Observatory.objects.filter(code=code).select_related("host")
            .prefetch_related("regions").first())


def open_observatories():
    """Every observatory with its published datasets (``published_datasets``), for the
    open data's index."""
    return Observatory.objects.select_related("host").prefetch_related(
        "regions", Prefetch("datasets", queryset=Dataset.objects.filter(published=True),
                            to_attr="published_datasets"))


def observatories_of_region(region: Region) -> QuerySet[Observatory]:
    return Observatory.objects.filter(Q(regions=region)).distinct()


@dataclass
class ProfileLine:
    """One indicator on a region's profile: the region's value against the national
    one, the region's part of it, and per 100,000 inhabitants."""

    region: Result
    national: Result
    url: str | None
    part: float | None  # the region's value as a share of the national value
    region_per: Number | None
    national_per: Number | None


def region_profile(region: Region, *, date_from: datetime.date | None = None,
                   date_to: datetime.date | None = None, linked: bool = False
                   ) -> dict[str, Any]:
    """The key indicators of ``region`` against the national figures (aggregates: no
    record of another region is shown, only the national totals), with the targets set
    for the period, and the region's share of the population (2024 census)."""
    requests = [(code, ()) for code in KEY_INDICATORS]
    regional = values_many(requests, date_from=date_from, date_to=date_to, region=region,
                           with_target=True)
    national = values_many(requests, date_from=date_from, date_to=date_to, with_target=True)
    regions = list(Region.objects.all())
    by_code = {r.code: r for r in regions}
    lines = []
    for mine, everyone in zip(regional, national, strict=True):
        counted = not mine.indicator.is_share
        lines.append(ProfileLine(
            mine, everyone, result_url(mine) if linked else None,
            share(mine.total, everyone.total) if counted else None,  # type: ignore[arg-type]
            per_inhabitants(mine, regions=by_code).total if counted else None,
            per_inhabitants(everyone, regions=by_code).total if counted else None))
    population = sum(r.population for r in regions)
    women = sum(r.population_women for r in regions)
    return {
        "lines": lines,
        "population": region.population,
        "population_share": share(region.population, population),
        "women": region.population_women,
        "women_share": share(region.population_women, women),
        "observatories": list(observatories_of_region(region)),
    }
