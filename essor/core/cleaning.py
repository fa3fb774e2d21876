"""Turning spreadsheet cells into values, with messages in the user's language.

Cells come as spreadsheet programs save them: numbers where text was meant (a phone
``612345678`` that lost its 0, a year ``1990.0``), dates as date cells or as Excel serial
numbers, ``oui``/``non``, region names instead of codes, stray spaces. Each converter
accepts these and, when it refuses a value, names it: ``"MA-99": unknown region code``.
"""

from __future__ import annotations

import datetime
import math
import time
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils import timezone
from django.utils.translation import gettext as _

from essor.core import normalise
from essor.core import text as core_text

_TRUE = {"yes", "oui", "y", "o", "1", "true", "vrai", "x", "نعم"}
_FALSE = {"no", "non", "n", "0", "false", "faux", "", "لا"}
_WOMEN = {"f", "femme", "woman", "female", "w", "أنثى", "انثى", "امرأة"}
_MEN = {"m", "h", "homme", "man", "male", "ذكر", "رجل"}


class CellError(ValueError):
    pass


def shown(value: Any, limit: int = 40) -> str:
    """The refused value as the message quotes it: trimmed, cut, control characters made
    visible."""
    text = core_text.CONTROL_CHARACTERS.sub(lambda m: core_text.visible(m.group()),
                                            str(value).strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def refused(value: Any, message: str) -> CellError:
    """``"MA-99": unknown region code.``"""
    return CellError(_('"%(value)s": %(message)s') % {"value": shown(value), "message": message})


def text(value: str) -> str:
    """A one-line text cell: tabs and line breaks become spaces; other control
    characters (NUL, backspace, vertical tab…) are refused, as ``essor.core.text``
    refuses them in every stored field."""
    if value.isprintable():  # the common case, checked in C
        return value.strip()
    char = core_text.control_character(value)
    if char is not None:
        raise CellError(_("This cell holds a control character (%(char)s): remove it and "
                          "try again.") % {"char": core_text.visible(char)})
    return core_text.one_line(value).strip()


def boolean(value: str) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise refused(value, _("write yes or no."))


def sex(value: str) -> str:
    v = value.strip().lower()
    if v in _WOMEN:
        return "F"
    if v in _MEN:
        return "M"
    raise refused(value, _("write F (woman) or M (man)."))


def _number(value: str) -> float | None:
    """A finite number from a cell, or None: ``inf``, ``nan`` and ``1e400`` are not."""
    try:
        number = float(value.replace(",", ".") if value.count(",") == 1 else value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


_YEAR: list[float] = [0.0, 0.0]


def _this_year() -> int:
    """This year in essor's time zone, read at most once a minute (a row costs less)."""
    if time.monotonic() - _YEAR[0] > 60:
        _YEAR[:] = [time.monotonic(), timezone.localdate().year]
    return int(_YEAR[1])


def year(value: str, *, low: int = 1900) -> int | None:
    v = value.strip()
    if not v:
        return None
    number = _number(v)
    if number is None or not number.is_integer():
        raise refused(value, _("write a year such as 1990."))
    if not low <= number <= _this_year():
        raise refused(value, _("this year is not plausible (%(low)s to %(high)s).") % {
            "low": low, "high": _this_year()})
    return int(number)


def count(value: str) -> int | None:
    v = value.strip()
    if not v:
        return None
    number = _number(v)
    if number is None or not number.is_integer() or not 0 <= number <= 2_000_000_000:
        raise refused(value, _("write a whole number."))
    return int(number)


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def date(value: str) -> datetime.date:
    v = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(v[:10], fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    number = _number(v)
    if number is not None and 20_000 <= number <= 80_000:  # an Excel serial (1954 to 2119)
        return _EXCEL_EPOCH + datetime.timedelta(days=int(number))
    raise refused(value, _("write a date as YYYY-MM-DD."))


def phone(value: str) -> str:
    """Any spelling of a phone number → its canonical form (``06 12 34 56 78``); a
    number whose 0 a spreadsheet dropped (``612345678``) gets it back."""
    from essor.registry.models import validate_phone

    v = value.strip()
    if not v:
        return ""
    try:
        validate_phone(v)
    except ValidationError as exc:
        raise refused(value, " ".join(exc.messages)) from exc
    return normalise.phone_canonical(v)


def national_id(value: str) -> str:
    from essor.registry.models import validate_national_id

    key = normalise.national_id_key(value)
    try:
        validate_national_id(key)
    except ValidationError as exc:
        raise refused(value, " ".join(exc.messages)) from exc
    return key


def choice(value: str, choices) -> str:
    v = value.strip().lower()
    for key, label in choices:
        if v in (str(key).lower(), str(label).lower()):
            return key
    raise refused(value, _("unknown value. Allowed: %(allowed)s.") % {
        "allowed": ", ".join(str(k) for k, _label in choices)})


def validated(validator: Callable[[str], None]) -> Callable[[str], str]:
    """A converter from a Django validator: the value as it is, or its messages."""
    def check(value: str) -> str:
        try:
            validator(value)
        except ValidationError as exc:
            raise refused(value, " ".join(exc.messages)) from exc
        return value
    return check


def region(value: str):
    """A region by its ISO code or its name in French or Arabic (any case or accents).
    Uncached: importers use ``lookups.Territory``."""
    from essor.core.lookups import Territory

    return Territory().region(value)


def province(value: str, region=None):
    from essor.core.lookups import Territory

    return Territory().province(value, region)


def code(value: str) -> str:
    """A record's code (an event's, a workshop's): letters, digits, hyphens, underscores."""
    try:
        validate_slug(value)
    except ValidationError as exc:
        raise refused(value, _("a code is letters, digits, hyphens and underscores.")) from exc
    return value
