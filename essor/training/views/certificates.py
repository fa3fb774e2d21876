"""Attendance certificates (PDF) and their public verification page.

A certificate is for an attendee only (``attended`` ticked) and is printed by the
workshop's managers (permission ``training.manage_workshop``): one attendee's, or every
attendee's, one page each. Staff pick the language on the attendee's row (links "French"
and "Arabic", which ask ``?lang=fr`` or ``?lang=ar``); without ``lang`` the reader's
language is used, and any other value answers 404. The verification page is public: anyone holding a certificate types its
code (or scans its QR code) and sees whether it is valid, with the person's name, the
workshop, its date and place, and nothing else about the person.
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from essor.audit import services as audit
from essor.core import normalise

from .. import certificates, selectors
from ..models import Enrolment

# What a typed code may look like before normalisation: letters, digits, spaces, dashes.
TYPED_CODE = re.compile(r"[-\w ]{1,40}")


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _language(request) -> str:
    lang = certificates.document_language(request.GET.get("lang"))
    if lang is None:
        raise Http404(_("Certificates are printed in French or in Arabic."))
    return lang


@login_required
def certificate(request, pk):
    """One attendee's certificate."""
    enrolment = selectors.access_enrolment(request.user, pk, write=True)
    if enrolment.attended is not True:
        raise Http404(_("Only an attendee has a certificate."))
    workshop = selectors.access_workshop(request.user, enrolment.workshop_id, write=True)
    lang = _language(request)
    audit.record("training.certificate.downloaded", enrolment, by=request.user,
                 region=workshop.region, changes={"language": lang})
    content = certificates.render_pdf(request, workshop, [enrolment], lang)
    return _pdf(content, f"certificate-{workshop.code}-{enrolment.pk}-{lang}.pdf")


@login_required
def workshop_certificates(request, pk):
    """Every attendee's certificate, one page each; 404 when nobody attended."""
    workshop = selectors.access_workshop(request.user, pk, write=True)
    attendees = list(selectors.enrolment_list(workshop=workshop).filter(attended=True))
    if not attendees:
        raise Http404(_("Nobody attended this workshop: there is no certificate to print."))
    lang = _language(request)
    audit.record("training.certificates.downloaded", workshop, by=request.user,
                 changes={"certificates": len(attendees), "language": lang})
    content = certificates.render_pdf(request, workshop, attendees, lang)
    return _pdf(content, f"certificates-{workshop.code}-{lang}.pdf")


def _unknown(request, code: str) -> HttpResponse:
    return render(request, "training/certificate_verify.html",
                  {"code": code[:40], "unknown": True}, status=404)


def verify(request):
    """The public page: type a certificate's code."""
    typed = normalise.search_text(request.GET.get("code"), limit=300)
    if not typed:
        return render(request, "training/certificate_verify.html", {})
    code = typed.rstrip("/").rsplit("/", 1)[-1]  # a pasted verification address works too
    if not TYPED_CODE.fullmatch(code):
        return _unknown(request, typed)
    return redirect("training:verify_code", code=code)


def verify_code(request, code):
    """Valid or not, and for a valid one: name, workshop, date and place — no more."""
    enrolment: Enrolment | None = (selectors.certificate_by_code(code)
                                   if TYPED_CODE.fullmatch(code) else None)
    if enrolment is None:
        return _unknown(request, code)
    workshop = enrolment.workshop
    return render(request, "training/certificate_verify.html", {
        "valid": True, "code": certificates.display_code(enrolment.certificate_code),
        "name": enrolment.person.local_name, "other_name": enrolment.person.other_name,
        "workshop": workshop, "place": workshop.place_parts})


urlpatterns = [
    path("enrolments/<int:pk>/certificate.pdf", certificate, name="certificate"),
    path("workshops/<int:pk>/certificates.pdf", workshop_certificates, name="certificates"),
    path("verify/", verify, name="verify"),
    path("verify/<str:code>/", verify_code, name="verify_code"),
]
