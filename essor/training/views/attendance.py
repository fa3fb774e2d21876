"""The attendance sheet, on a phone during the workshop, and on paper.

The page lists the enrolled (and waitlisted) names with a big tick toggle each, the
counters, a search box and a walk-in form. It works without JavaScript (POST, then
redirect); htmx, when present, swaps the list in place. The same page serves to enter
the ticks of a paper sheet afterwards. Unticking a present name asks for a confirmation
first (rendered here, no browser dialog), and every tick and untick says whose name it
was, with the birth year and organisation that tell namesakes apart.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from essor.audit import services as audit
from essor.core import normalise, numbers, pdf
from essor.core.web import form_errors_from

from .. import certificates, selectors, services
from ..forms import WalkInForm
from ..models import Enrolment

PK = re.compile(r"[0-9]{1,18}")
OUTCOMES = {"created": "new", "updated": "matched", "unchanged": "matched"}


def _counts(workshop) -> dict:
    counts = workshop.enrolments.aggregate(
        present=Count("id", filter=Q(attended=True)),
        enrolled=Count("id", filter=Q(status=Enrolment.Status.ENROLLED)))
    return {**counts, "capacity": workshop.capacity}


def _pk(value: str | None) -> int | None:
    return int(value) if value and PK.fullmatch(value) else None


def _context(request, workshop, q: str, *, confirming: int | None = None, **extra) -> dict:
    from .workshops import _hub

    rows = selectors.attendance_sheet(workshop=workshop, q=q)
    confirm = next((e for e in rows if e.pk == confirming and e.attended), None)
    return {**_hub(workshop, request.user, "attendance"), "q": q, "rows": rows,
            "counts": _counts(workshop), "afterwards": workshop.date < timezone.localdate(),
            "confirming": confirm.pk if confirm else None,
            "confirm_label": selectors.person_label(confirm.person) if confirm else "",
            **extra}


def _sheet_url(workshop, q: str = "", **params) -> str:
    url = reverse("training:attendance", args=[workshop.pk])
    query = urlencode({k: v for k, v in {"q": q, **params}.items() if v})
    return f"{url}?{query}" if query else url


def _search_status(q: str, rows: list) -> str:
    if not q:
        return ""
    return ngettext("%(count)s name matches “%(q)s”.", "%(count)s names match “%(q)s”.",
                    len(rows)) % {"count": numbers.format_int(len(rows)), "q": q}


def _mark(request, workshop, enrolment, attended: bool) -> dict:
    """Tick or untick; the notice names the person (and tells namesakes apart)."""
    enrolment.person.sheet_memberships = list(
        enrolment.person.memberships.select_related("organisation")
        .order_by("organisation__name", "pk"))
    who = selectors.person_label(enrolment.person)
    try:
        services.attendance_mark(enrolment=enrolment, by=request.user, attended=attended)
    except ValidationError as exc:
        return {"level": "danger", "text": " ".join(exc.messages)}
    if attended:
        return {"level": "success", "text": _("%(person)s is marked present.") % {"person": who}}
    return {"level": "warning", "text": _("%(person)s is marked absent.") % {"person": who}}


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    """GET: the sheet (``?confirm=<enrolment>`` asks to confirm unticking that name).
    POST ``enrolment`` and ``attended`` (1/0): tick a name at once; untick it only with
    ``confirm=1``, else the sheet comes back asking for the confirmation, nothing
    written. With htmx the list is swapped in place and the notice goes to the page's
    status region; without, the answer is a redirect and the notice a message."""
    workshop = selectors.access_workshop(request.user, pk, write=True)
    q = normalise.search_text(request.POST.get("q") or request.GET.get("q"))
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    notice, confirming = None, _pk(request.GET.get("confirm"))
    if request.method == "POST":
        eid = _pk(request.POST.get("enrolment"))
        enrolment = selectors.sheet_enrolment(workshop=workshop, pk=eid) if eid else None
        if enrolment is None:
            raise Http404
        attended = request.POST.get("attended") == "1"
        if not attended and enrolment.attended and request.POST.get("confirm") != "1":
            if not partial:
                return redirect(_sheet_url(workshop, q, confirm=enrolment.pk)
                                + f"#enrolment-{enrolment.pk}")
            confirming = enrolment.pk
        else:
            notice = _mark(request, workshop, enrolment, attended)
            if not partial:
                getattr(messages, "error" if notice["level"] == "danger" else
                        notice["level"])(request, notice["text"])
                return redirect(_sheet_url(workshop, q))
    context = _context(request, workshop, q, confirming=confirming,
                       form=WalkInForm(user=request.user))
    if partial:
        context["status"] = notice or {"level": "", "text": (
            "" if context["confirming"] else _search_status(q, context["rows"]))}
    response = render(request, "training/attendance_rows.html" if partial
                      else "training/attendance.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_POST
def walk_in(request, pk):
    """Add someone who came without enrolling, matched by the duplicate rules. A refused
    form comes back filled, its first wrong field with ``autofocus`` (the browser opens
    the page there, however many names are above it), and a summary of the errors, with
    links to the fields, at the top. No ``#walk-in`` in the form's address: a page whose
    address names an element ignores ``autofocus``."""
    workshop = selectors.access_workshop(request.user, pk, write=True)
    form = WalkInForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            enrolment, outcome = services.walk_in(workshop=workshop, by=request.user,
                                                  **form.person_data())
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            name = selectors.person_label(enrolment.person)
            if OUTCOMES.get(outcome) == "matched":
                messages.success(request, _("Already registered: %(name)s was matched with "
                                            "the existing record and marked present.")
                                 % {"name": name})
            else:
                messages.success(request, _("New person: %(name)s was registered and marked "
                                            "present.") % {"name": name})
            return redirect("training:attendance", pk=workshop.pk)
    form.focus_first_error()
    context = _context(request, workshop, "", form=form, walk_in_open=True)
    return render(request, "training/attendance.html", context, status=200)


def _bilingual(text, lang: str) -> dict:
    """A heading in the document's language, then in the other one."""
    other = "fr" if lang == "ar" else "ar"
    with translation.override(lang):
        first = str(text)
    with translation.override(other):
        second = str(text)
    return {"text": first, "other": second, "other_lang": other}


HEADINGS = {"sheet": gettext_lazy("Attendance sheet"), "name": gettext_lazy("Name"),
            "born": gettext_lazy("Birth year"), "organisation": gettext_lazy("Organisation"),
            "phone": gettext_lazy("Phone"), "present": gettext_lazy("Present"),
            "signature": gettext_lazy("Signature"), "trainer": gettext_lazy("Trainer")}


@login_required
def attendance_sheet_pdf(request, pk):
    """The paper sheet for places without a connection: A4, a box to tick and a
    signature per name. In the reader's language (``?lang=fr`` or ``?lang=ar`` to
    choose; any other value answers 404), the page set in its direction, every heading
    in both languages; names sorted and shown first in the language's script, with the
    birth year and organisation that tell namesakes apart."""
    workshop = selectors.access_workshop(request.user, pk, write=True)
    lang = certificates.document_language(request.GET.get("lang"))
    if lang is None:
        raise Http404(_("The paper sheet is printed in French or in Arabic."))
    with translation.override(lang):
        rows = selectors.attendance_sheet(workshop=workshop,
                                          statuses=(Enrolment.Status.ENROLLED,))
        waitlisted = selectors.attendance_sheet(workshop=workshop,
                                                statuses=(Enrolment.Status.WAITLISTED,))
        content = pdf.render_pdf("training/attendance_sheet_pdf.html", {
            "workshop": workshop, "lang": lang, "rtl": lang == "ar",
            "title": workshop.local_title,
            "other_title": (workshop.title if workshop.local_title != workshop.title
                            else workshop.title_ar),
            "place": workshop.place_parts,
            "headings": {key: _bilingual(text, lang) for key, text in HEADINGS.items()},
            "rows": rows, "waitlisted": waitlisted, "blank_rows": range(8)})
    audit.record("training.attendance_sheet.printed", workshop, by=request.user,
                 changes={"names": len(rows) + len(waitlisted), "language": lang})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="attendance-{workshop.code}-{lang}.pdf"')
    return response


urlpatterns = [
    path("workshops/<int:pk>/attendance/", attendance, name="attendance"),
    path("workshops/<int:pk>/walk-in/", walk_in, name="walk_in"),
    path("workshops/<int:pk>/sheet.pdf", attendance_sheet_pdf, name="attendance_sheet_pdf"),
]
