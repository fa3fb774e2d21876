"""Places named in French and in Arabic: the venue, city and organiser of an event or a
workshop, in the reader's language.

A place has a French form and an Arabic form, either of which may be empty; the reader
gets the form of their language and, failing it, the other one. A city left empty, or
written as the province's French name ("Settat" in the province of Settat), is read in
Arabic from the territory data (سطات). The parts of a place are joined with the comma of
the reader's language: ``،`` in Arabic, so that no Latin comma sits in Arabic text.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from essor.core.normalise import name_key
from essor.core.numbers import join_list


def is_arabic(language: str | None = None) -> bool:
    """Whether the reader reads Arabic (the active language, or ``language``)."""
    return (language or get_language() or "").startswith("ar")


def local(french: str, arabic: str, language: str | None = None) -> str:
    """The form of the reader's language, failing it the other one."""
    first, other = (arabic, french) if is_arabic(language) else (french, arabic)
    return first or other or ""


def join(parts, language: str | None = None) -> str:
    """``["Place centrale", "Settat"]`` → ``Place centrale, Settat``, or with the Arabic
    comma in Arabic."""
    return join_list(parts, language)


def distinct(parts) -> list[str]:
    """The parts, each said once: a part already contained in an earlier one is left
    out ("Benslimane" is often the city, the province and part of the venue)."""
    kept: list[str] = []
    for part in parts:
        if part and not any(part.casefold() in seen.casefold() for seen in kept):
            kept.append(part)
    return kept


class LocalPlace:
    """For a model with ``venue``/``venue_ar``, ``city``/``city_ar``, ``province`` and
    ``region``: the place in the reader's language. Read ``province`` and ``region``
    with ``select_related`` in lists."""

    venue: str
    venue_ar: str
    city: str
    city_ar: str
    province: Any  # the models' foreign keys (territory Province, Region)
    region: Any

    @property
    def local_venue(self) -> str:
        return local(self.venue, self.venue_ar)

    @property
    def local_city(self) -> str:
        """The city in the reader's language. In Arabic, a city without an Arabic form
        that is empty or the province's French name is the province's Arabic name."""
        if is_arabic() and not self.city_ar and getattr(self, "province_id", None):
            province = self.province  # read only when the Arabic form is missing
            if not self.city or name_key(self.city) == name_key(province.name_fr):
                return province.name_ar
        return local(self.city, self.city_ar)

    @property
    def place_parts(self) -> list[str]:
        """Venue, city, province and region in the reader's language, each said once."""
        province = self.province if getattr(self, "province_id", None) else None
        region = self.region if getattr(self, "region_id", None) else None
        return distinct([self.local_venue, self.local_city,
                         province.name if province is not None else "",
                         region.name if region is not None else ""])

    @property
    def place(self) -> str:
        """The whole place, joined with the reader's comma."""
        return join(self.place_parts)

    @property
    def city_and_region(self) -> str:
        """The city and the region, joined with the reader's comma (headers, lists)."""
        region = self.region if getattr(self, "region_id", None) else None
        return join(distinct([self.local_city, region.name if region is not None else ""]))
