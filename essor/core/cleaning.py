"""Turning spreadsheet cells into values, with messages in the user's language."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from essor.territory import selectors as territory

_TRUE = {"yes", "oui", "y", "o", "1", "true", "vrai", "x", "نعم"}
_FALSE = {"no", "non", "n", "0", "false", "faux", "", "لا"}
_WOMEN = {"f", "femme", "woman", "female", "w", "أنثى", "انثى", "امرأة"}
_MEN = {"m", "h", "homme", "man", "male", "ذكر", "رجل"}


class CellError(ValueError):
    pass


def boolean(value: str) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise CellError(_("Write yes or no."))


def sex(value: str) -> str:
    v = value.strip().lower()
    if v in _WOMEN:
        return "F"
    if v in _MEN:
        return "M"
    raise CellError(_("Write F (woman) or M (man)."))


def year(value: str, *, low: int = 1900) -> int | None:
    v = value.strip()
    if not v:
        return None
    try:
        number = int(float(v))
    except ValueError as exc:
        raise CellError(_("Write a year such as 1990.")) from exc
    if not low <= number <= timezone.localdate().year:
        raise CellError(_("This year is not plausible."))
    return number


def count(value: str) -> int | None:
    v = value.strip()
    if not v:
        return None
    try:
        number = int(float(v))
    except ValueError as exc:
        raise CellError(_("Write a whole number.")) from exc
    if number < 0:
        raise CellError(_("Write a whole number."))
    return number


def date(value: str) -> datetime.date:
    v = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(v[:10], fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise CellError(_("Write a date as YYYY-MM-DD."))


def region(value: str):
    found = territory.region_by_code(value)
    if found is None:
        raise CellError(_("Unknown region code: write an ISO 3166-2 code such as MA-06."))
    return found


def province(value: str, region=None):
    if not value.strip():
        return None
    found = territory.province_by_code(value)
    if found is None:
        raise CellError(_("Unknown province code: write an ISO 3166-2 code such as MA-CAS."))
    if region is not None and found.region_id != region.pk:
        raise CellError(_("This province is not in the region of the row."))
    return found


def choice(value: str, choices) -> str:
    v = value.strip().lower()
    for key, label in choices:
        if v in (str(key).lower(), str(label).lower()):
            return key
    raise CellError(_("Unknown value. Allowed: %(allowed)s.") % {
        "allowed": ", ".join(str(k) for k, _label in choices)})
