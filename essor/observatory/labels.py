"""The label of a breakdown code in the reader's language (``F`` → « femme », ``MA-06``
→ « Casablanca-Settat », ``under_25`` → « moins de 25 ans »), for pages and files that
show an indicator's rows. Codes are what the data holds; labels only what is shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .dimensions import UNKNOWN

AGE_BAND_LABELS = {"under_25": _("under 25"), "25_34": _("25 to 34"), "35_54": _("35 to 54"),
                   "55_over": _("55 and over")}
YES_NO = {"yes": _("yes"), "no": _("no")}


def _choices(dim: str) -> Mapping[str, Any]:
    from essor.promotion.models import Event
    from essor.registry.models import Organisation, Sex

    return {"sex": dict(Sex.choices), "organisation_kind": dict(Organisation.Kind.choices),
            "sector": dict(Organisation.Sector.choices),
            "event_kind": dict(Event.Kind.choices)}.get(dim, {})


def labels(dim: str, codes: Iterable[object]) -> dict[str, str]:
    """What a reader sees for each of breakdown ``dim``'s codes (one query at most, for
    provinces; region names come from the boundaries file the charts read)."""
    texts = [str(code) for code in codes]
    places: Mapping[str, str] = {}
    if dim == "region":
        from .charts import region_names

        places = region_names()
    elif dim == "province":
        from essor.territory.models import Province

        arabic = (get_language() or "fr").startswith("ar")
        places = {p.code: p.name_ar if arabic else p.name_fr
                  for p in Province.objects.filter(code__in=texts)}
    return {text: places.get(text) or _label(dim, text) for text in texts}


def label(dim: str, code: object) -> str:
    """What a reader sees for breakdown ``dim``'s code ``code``."""
    return labels(dim, [code])[str(code)]


def _label(dim: str, text: str) -> str:
    if text == UNKNOWN or text == "":
        return str(_("unknown"))
    if dim == "age_band":
        return str(AGE_BAND_LABELS.get(text, text))
    if dim == "disability":
        return str(YES_NO.get(text, text))
    return str(_choices(dim).get(text, text))
