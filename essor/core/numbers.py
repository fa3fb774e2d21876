"""Numbers as the programme's report writes them: ``3.231``, ``60,5%``, ``52%`` in French."""

from __future__ import annotations

from django.utils.translation import get_language

_SEPARATORS = {"fr": (".", ","), "ar": (",", "."), "en": (",", ".")}


def _separators(language: str | None) -> tuple[str, str]:
    return _SEPARATORS.get((language or get_language() or "fr")[:2], (".", ","))


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
