"""The attendance sheet, on a phone during the workshop, and on paper.

The page lists the enrolled (and waitlisted) names with a big tick toggle each, the
counters, a search box and a walk-in form. It works without JavaScript (POST, then
redirect); htmx, when present, swaps the list in place. The same page serves to enter
the ticks of a paper sheet afterwards.
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
from django.views.decorators.http import require_http_methods, require_POST

from essor.audit import services as audit
from essor.core import normalise, pdf
from essor.core.web import form_errors_from

from .. import selectors, services
from ..forms import WalkInForm
from ..models import Enrolment

PK = re.compile(r"[0-9]{1,18}")
ON_THE_SHEET = (Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED)
OUTCOMES = {"created": "new", "updated": "matched", "unchanged": "matched"}


def _sheet(workshop, q: str = ""):
    return (selectors.enrolment_list(workshop=workshop, q=q)
            .filter(status__in=ON_THE_SHEET))


def _counts(workshop) -> dict:
    counts = workshop.enrolments.aggregate(
        present=Count("id", filter=Q(attended=True)),
        enrolled=Count("id", filter=Q(status=Enrolment.Status.ENROLLED)))
    return {**counts, "capacity": workshop.capacity}


def _context(request, workshop, q: str, **extra) -> dict:
    from .workshops import _hub

    return {**_hub(workshop, request.user, "attendance"), "q": q,
            "rows": list(_sheet(workshop, q)), "counts": _counts(workshop),
            "afterwards": workshop.date < timezone.localdate(), **extra}


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    """GET: the sheet. POST ``enrolment`` and ``attended`` (1/0): tick or untick a name."""
    workshop = selectors.access_workshop(request.user, pk, write=True)
    q = normalise.search_text(request.POST.get("q") or request.GET.get("q"))
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    notice = None
    if request.method == "POST":
        eid = request.POST.get("enrolment", "")
        enrolment = _sheet(workshop).filter(pk=eid).first() if PK.fullmatch(eid) else None
        if enrolment is None:
            raise Http404
        try:
            services.attendance_mark(enrolment=enrolment, by=request.user,
                                     attended=request.POST.get("attended") == "1")
        except ValidationError as exc:
            notice = {"level": "danger", "text": " ".join(exc.messages)}
        if not partial:
            if notice:
                messages.error(request, notice["text"])
            url = reverse("training:attendance", args=[workshop.pk])
            return redirect(f"{url}?{urlencode({'q': q})}" if q else url)
    context = _context(request, workshop, q, notice=notice,
                       form=WalkInForm(user=request.user))
    response = render(request, "training/attendance_rows.html" if partial
                      else "training/attendance.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_POST
def walk_in(request, pk):
    """Add someone who came without enrolling, matched by the duplicate rules."""
    workshop = selectors.access_workshop(request.user, pk, write=True)
    form = WalkInForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            enrolment, outcome = services.walk_in(workshop=workshop, by=request.user,
                                                  **form.person_data())
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            name = enrolment.person.local_name
            if OUTCOMES.get(outcome) == "matched":
                messages.success(request, _("Already registered: %(name)s was matched with "
                                            "the existing record and marked present.")
                                 % {"name": name})
            else:
                messages.success(request, _("New person: %(name)s was registered and marked "
                                            "present.") % {"name": name})
            return redirect("training:attendance", pk=workshop.pk)
    context = _context(request, workshop, "", form=form, walk_in_open=True)
    return render(request, "training/attendance.html", context, status=200)


def _bilingual_title(workshop) -> dict:
    return {"fr": workshop.title, "ar": workshop.title_ar}


@login_required
def attendance_sheet_pdf(request, pk):
    """The paper sheet for places without a connection: A4, a box to tick and a
    signature per name, in French and Arabic."""
    workshop = selectors.access_workshop(request.user, pk, write=True)
    rows = list(selectors.enrolment_list(workshop=workshop)
                .filter(status=Enrolment.Status.ENROLLED))
    waitlisted = list(selectors.enrolment_list(workshop=workshop)
                      .filter(status=Enrolment.Status.WAITLISTED))
    with translation.override("fr"):
        content = pdf.render_pdf("training/attendance_sheet_pdf.html", {
            "workshop": workshop, "title": _bilingual_title(workshop), "rows": rows,
            "waitlisted": waitlisted, "blank_rows": range(8)})
    audit.record("training.attendance_sheet.printed", workshop, by=request.user,
                 changes={"names": len(rows) + len(waitlisted)})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="attendance-{workshop.code}.pdf"'
    return response


urlpatterns = [
    path("workshops/<int:pk>/attendance/", attendance, name="attendance"),
    path("workshops/<int:pk>/walk-in/", walk_in, name="walk_in"),
    path("workshops/<int:pk>/sheet.pdf", attendance_sheet_pdf, name="attendance_sheet_pdf"),
]
