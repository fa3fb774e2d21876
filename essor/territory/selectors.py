"""Read access to the regions and prefectures/provinces."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Province, Region


def _normalise(code: str | None) -> str:
    """ " ma-06 " -> "MA-06": codes are stored upper-case, as ISO 3166-2 writes them."""
    return str(code or "").strip().upper()


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def province_list(*, region: Region | None = None) -> QuerySet[Province]:
    provinces = Province.objects.select_related("region")
    return provinces.filter(region=region) if region is not None else provinces


def region_by_code(code: str | None) -> Region | None:
    """The region with this ISO 3166-2 code ("MA-06", any case or padding), or None."""
    code = _normalise(code)
    return Region.objects.filter(code=code).first() if code else None


def province_by_code(code: str | None) -> Province | None:
    """The prefecture/province with this ISO 3166-2 code ("MA-CAS"), or None."""
    code = _normalise(code)
    return Province.objects.select_related("region").filter(code=code).first() if code else None


def region_in_scope(user, code: str | None) -> Region | None:
    """The region with this code if ``user`` may read it (their regions), else None: a
    page answers 404 for another region's code as for an unknown one."""
    from essor.core.scoping import in_scope

    region = region_by_code(code)
    return region if region is not None and in_scope(user, region.pk) else None
