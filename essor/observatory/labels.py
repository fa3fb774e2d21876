"""The label of a breakdown code in the reader's language (``F`` → « femme », ``MA-06``
→ « Casablanca-Settat », ``under_25`` → « moins de 25 ans »), for pages and files that
show an indicator's rows. Codes are what the data holds; labels only what is shown."""

from __future__ import annotations

from collections.abc import Mapping
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


def _place_name(dim: str, code: str) -> str | None:
    from essor.territory.models import Province, Region

    model = Region if dim == "region" else Province
    place = model.objects.filter(code=code).first()
    if place is None:
        return None
    return place.name_ar if (get_language() or "fr").startswith("ar") else place.name_fr


def label(dim: str, code: object) -> str:
    """What a reader sees for breakdown ``dim``'s code ``code``."""
    text = str(code)
    if text == UNKNOWN or text == "":
        return str(_("unknown"))
    if dim == "age_band":
        return str(AGE_BAND_LABELS.get(text, text))
    if dim == "disability":
        return str(YES_NO.get(text, text))
    if dim in ("region", "province"):
        return _place_name(dim, text) or text
    return str(_choices(dim).get(text, text))
