"""Attendance certificates: one A4 landscape PDF page per attendee, in French or Arabic.

Each certificate carries its verification code (``Enrolment.certificate_code``) and a QR
code of the absolute address of the public verification page, so that anyone handed the
paper can check it. Like the exhibitors' badges (``essor.promotion.badges``), the PDF is
made by ``essor.core.pdf`` with the repository's fonts (Noto Sans for Latin, Noto Naskh
Arabic for Arabic, set right to left) and nothing is fetched: the QR code is a data URI.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from essor.core import numbers, pdf
from essor.core.places import is_arabic
from essor.core.qr import qr_data_uri

from .models import Enrolment, Workshop

LANGUAGES = ("fr", "ar")


def document_language(requested: str | None) -> str | None:
    """The language of a document (certificate, paper sheet): ``fr`` or ``ar`` when
    asked for exactly; the reader's language when nothing is asked (French for a reader
    of any other language); None for anything else, which the views answer with 404."""
    if requested is None or requested == "":
        return "ar" if is_arabic() else "fr"
    return requested if requested in LANGUAGES else None


def verify_url(request, enrolment: Enrolment) -> str:
    """The absolute address of the public verification page of this certificate."""
    return request.build_absolute_uri(
        reverse("training:verify_code", args=[enrolment.certificate_code]))


def display_code(code: str) -> str:
    """ABCDE23456 → ABCDE-23456: easier to read aloud and to type back."""
    return f"{code[:5]}-{code[5:]}" if len(code) > 6 else code


def duration(workshop: Workshop) -> str:
    hours = workshop.duration_hours
    # The plural form follows a whole number (Arabic has six); a fraction takes the form
    # of "many" (11).
    count = int(hours) if hours == int(hours) else 11
    return ngettext("%(hours)s hour", "%(hours)s hours", count) % {
        "hours": numbers.format_decimal(hours)}


def render_html(request, workshop: Workshop, enrolments: Iterable[Enrolment],
                lang: str) -> str:
    certificates = []
    for enrolment in enrolments:
        url = verify_url(request, enrolment)
        certificates.append({"enrolment": enrolment, "person": enrolment.person, "url": url,
                             "code": display_code(enrolment.certificate_code),
                             "qr": qr_data_uri(url)})
    with translation.override(lang):
        return render_to_string("training/certificate_pdf.html", {
            "workshop": workshop, "certificates": certificates, "lang": lang,
            "rtl": lang == "ar", "place": workshop.place, "duration": duration(workshop),
        })


def render_pdf(request, workshop: Workshop, enrolments: Iterable[Enrolment],
               lang: str) -> bytes:
    """The certificates, one A4 landscape page each."""
    return pdf.html_to_pdf(render_html(request, workshop, enrolments, lang))
