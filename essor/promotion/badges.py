"""Exhibitors' badges: a QR code that opens the check-in page, printed on an A6 PDF.

The QR code holds the absolute address of ``promotion:checkin_code`` for the badge: staff
scan it with the phone's own camera app (no camera library in the page) and land on the
exhibitor's check-in page, behind the login. Badges are bilingual whatever the reader's
language: French and Arabic titles and names, Arabic set right to left in Noto Naskh
Arabic (Debian's fonts-noto-core), Latin in DejaVu Sans.
"""

from __future__ import annotations

from collections.abc import Iterable

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from .models import Event, Participation

# At least level M: about 15% of the modules may be lost (a folded or smudged badge)
# and it still reads; segno raises the level when the code size allows it.
QR_ERROR = "m"
QR_BORDER = 4  # the quiet zone the standard asks for, in modules

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


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=QR_ERROR, micro=False)


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an SVG document sized by its viewBox only (the page
    gives it its size), black modules on a transparent ground."""
    return qr_code(url).svg_inline(border=QR_BORDER, omitsize=True)


def qr_data_uri(url: str) -> str:
    """The same SVG as a ``data:`` URI, for an <img> in the badge (and the page's CSP)."""
    return qr_code(url).svg_data_uri(border=QR_BORDER, omitsize=True)


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
    """The badges, one A6 page each. Nothing is fetched: the QR codes are data URIs and
    the style is in the template, so no address in the data can make WeasyPrint call out."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_html(request, event, participations)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
