"""Numbers and lists as the programme's report writes them, in the reader's language:
``3.231``, ``60,5%``, ``2,5 h``, ``a, b`` in French; ``3,231``, ``60.5%``, ``2.5``,
``a، b`` in Arabic (Western digits, the Arabic comma between list items)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language, gettext, override

_SEPARATORS = {"fr": (".", ","), "ar": (",", "."), "en": (",", ".")}
_LIST_SEPARATORS = {"ar": "، "}  # U+060C ARABIC COMMA; every other language: ", "


def _language(language: str | None) -> str:
    return (language or get_language() or "fr")[:2]


def _separators(language: str | None) -> tuple[str, str]:
    return _SEPARATORS.get(_language(language), (".", ","))


def format_int(value: int | None, language: str | None = None) -> str:
    if value is None:
        return ""
    thousands, _decimal = _separators(language)
    return f"{int(value):,}".replace(",", thousands)


def format_percent(share: float | None, language: str | None = None) -> str:
    """A share (0.605) as a percent: whole percents without decimals, else one decimal."""
    if share is None:
        return ""
    _thousands, decimal = _separators(language)
    percent = round(share * 100, 1)
    if percent == int(percent):
        return f"{int(percent)}%"
    return f"{percent:.1f}".replace(".", decimal) + "%"


def format_decimal(value: Decimal | float | int | str | None, places: int = 2,
                   language: str | None = None) -> str:
    """A decimal number rounded to at most ``places`` decimals, trailing zeros dropped,
    with the language's separators: ``1234.5`` → ``1.234,5`` (fr), ``1,234.5`` (ar, en);
    ``2.0`` → ``2``. An empty or unreadable value gives ""."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return ""
    if not number.is_finite():
        return ""
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    thousands, decimal = _separators(language)
    return text.translate(str.maketrans(",.", thousands + decimal))


def format_duration(hours: Decimal | float | int | str | None,
                    language: str | None = None) -> str:
    """A duration in hours: ``2,5 h`` in French, ``2.5 h`` in English; the unit is
    translated (``ساعة`` in Arabic)."""
    text = format_decimal(hours, places=2, language=language)
    if not text:
        return ""
    if language:
        with override(language):
            return gettext("%(hours)s h") % {"hours": text}
    return gettext("%(hours)s h") % {"hours": text}


def join_list(items: Iterable[object], language: str | None = None) -> str:
    """Items joined for display: ``a, b, c``; in Arabic with the Arabic comma,
    ``أ، ب، ج``. Empty items are left out."""
    separator = _LIST_SEPARATORS.get(_language(language), ", ")
    return separator.join(str(item) for item in items if item not in (None, ""))
