"""Exhibitors' badges: a QR code that opens the check-in page, printed on an A6 PDF.

The QR code holds the absolute address of ``promotion:checkin_code`` for the badge: staff
scan it with the phone's own camera app (no camera library in the page) and land on the
exhibitor's check-in page, behind the login. Badges are bilingual whatever the reader's
language: French and Arabic titles and names, Arabic set right to left in Noto Naskh
Arabic, Latin in Noto Sans — the repository's fonts (``essor.core.pdf``). The QR codes
come from ``essor.core.qr``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from essor.core import pdf
from essor.core.qr import qr_data_uri

from .models import Event, Participation

# Badge labels, printed in French and in Arabic whatever the reader's language.
LABELS = {
    "exhibitor": gettext_noop("Exhibitor"),
    "stand": gettext_noop("Stand"),
    "no_stand": gettext_noop("Stand to be allocated"),
}


def checkin_url(request, participation: Participation) -> str:
    """The absolute address the badge's QR code opens."""
    return request.build_absolute_uri(
        reverse("promotion:checkin_code", args=[participation.badge_code]))


def _bilingual(message: str) -> dict[str, str]:
    with translation.override("fr"):
        french = gettext(message)
    with translation.override("ar"):
        arabic = gettext(message)
    return {"fr": french, "ar": arabic if arabic != french else ""}


def render_html(request, event: Event, participations: Iterable[Participation]) -> str:
    badges = [{"participation": p, "qr": qr_data_uri(checkin_url(request, p))}
              for p in participations]
    return render_to_string("promotion/badge.html", {
        "event": event, "badges": badges,
        "labels": {key: _bilingual(text) for key, text in LABELS.items()},
    }, request=request)


def render_pdf(request, event: Event, participations: Iterable[Participation]) -> bytes:
    """The badges, one A6 page each (the QR codes are data URIs, nothing is fetched)."""
    return pdf.html_to_pdf(render_html(request, event, participations))
