"""Check-in on the day, from a phone, and the exhibitors' badges (PDF with a QR code).

Staff find an exhibitor by name or badge code on the event's check-in page, or scan the
QR code of a badge with the phone's camera app: it opens ``checkin_code``. Both work
without JavaScript; htmx, when present, refreshes the results as one types. A badge code
is typed as it is read aloud: small or capital letters, with or without the spaces and
dashes between its groups (``k7m 2qx-9pa`` is ``K7M2QX9PA``, ``essor.core.codes``).
"""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from essor.accounts.permissions import require
from essor.audit import services as audit
from essor.audit.middleware import record_refusal
from essor.core import codes, normalise

from .. import badges, selectors, services
from ..models import BADGE_CODE_LENGTH, Participation

RESULTS = 30  # on a phone, more is scrolling: type more of the name instead
CODE = re.compile(r"[-\w]{1,64}", re.ASCII)  # what the URL's <slug:code> accepts
PK = re.compile(r"[0-9]{1,18}")
ALERT = {messages.SUCCESS: "success", messages.INFO: "info", messages.ERROR: "danger"}


def _require_checkin_role(user) -> None:
    """Who checks exhibitors in: those who run events (which events: each one's own
    ``promotion.manage_event``, through the access helpers)."""
    require(user, "promotion.manage_event")


def _counts(event) -> dict:
    return selectors.participation_list(event=event).aggregate(
        expected=Count("id", filter=~Q(status=Participation.Status.CANCELLED)),
        present=Count("id", filter=Q(status=Participation.Status.ATTENDED)))


def _search(event, q: str) -> tuple[list, bool]:
    """The exhibitors matching every word typed (organisation, holder or badge code); a
    badge code typed in groups (``K7M 2QX 9PA``) is one code, not three words."""
    queryset = selectors.participation_list(event=event)
    code = codes.normalise_code(q)
    if len(code) == BADGE_CODE_LENGTH and codes.is_readable(code):
        found = list(queryset.filter(badge_code=code))
        if found:
            return found, False
    for word in q.split()[:5]:
        queryset = queryset.filter(
            pk__in=selectors.participation_list(event=event, q=word).values("pk"))
    found = list(queryset[:RESULTS + 1])
    return found[:RESULTS], len(found) > RESULTS


def _by_badge_code(user, code: str) -> Participation:
    """The participation of a badge, if the user checks in at its event; 404 otherwise."""
    event_id = selectors.event_id_of_badge(code)
    if event_id is None:
        raise Http404
    event = selectors.access_event(user, event_id, write=True)
    participation = selectors.participation_list(event=event).get(badge_code=code)
    participation.event = event
    return participation


def _check_in(request, participation) -> tuple[int, str]:
    """Check the exhibitor in; the (message level, text) to show."""
    name = participation.organisation.local_name
    try:
        participation, new = services.participation_check_in(participation=participation,
                                                             by=request.user)
    except ValidationError as exc:
        return messages.ERROR, _("%(organisation)s: %(reason)s") % {
            "organisation": name, "reason": " ".join(exc.messages)}
    at = time_format(timezone.localtime(participation.checked_in_at), "H:i")
    if new:
        return messages.SUCCESS, _("%(organisation)s checked in at %(time)s.") % {
            "organisation": name, "time": at}
    return messages.INFO, _("%(organisation)s was already checked in at %(time)s.") % {
        "organisation": name, "time": at}


def _unknown_code(request, code: str, exc: Http404 | None = None) -> HttpResponse:
    """The same clear page for a code that does not exist and for one of an event the user
    does not run (the refusal is audited, as the middleware would)."""
    if exc is not None:
        record_refusal(request, exc)
    return render(request, "promotion/checkin_code.html",
                  {"code": code[:64], "unknown": True}, status=404)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request, pk):
    _require_checkin_role(request.user)
    event = selectors.access_event(request.user, pk, write=True)
    # NUL cannot reach PostgreSQL's text columns; the rest is escaped by the ORM.
    q = normalise.search_text(request.POST.get("q") or request.GET.get("q"))
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    notice = None
    if request.method == "POST":
        pid = request.POST.get("participation", "")
        participation = (selectors.participation_list(event=event).filter(pk=pid).first()
                         if PK.fullmatch(pid) else None)
        if participation is None:
            raise Http404
        level, text = _check_in(request, participation)
        if not partial:
            messages.add_message(request, level, text)
            url = reverse("promotion:checkin", args=[event.pk])
            return redirect(f"{url}?{urlencode({'q': q})}" if q else url)
        notice = {"level": ALERT[level], "text": text}
    results, more = _search(event, q)
    today = timezone.localdate()
    response = render(request, "promotion/checkin_results.html" if partial
                      else "promotion/checkin.html", {
                          "event": event, "q": q, "results": results, "more": more,
                          "limit": RESULTS, "counts": _counts(event), "notice": notice,
                          "on_the_day": event.start_date <= today <= event.end_date})
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def checkin_lookup(request):
    """Type the code printed under a badge's QR code (or paste the QR's address)."""
    _require_checkin_role(request.user)
    typed = "".join(request.GET.get("code", "").split())
    if not typed:
        return render(request, "promotion/checkin_code.html", {})
    code = codes.normalise_code(typed.rstrip("/").rsplit("/", 1)[-1])
    if not CODE.fullmatch(code):
        return _unknown_code(request, typed)
    return redirect("promotion:checkin_code", code=code)


@login_required
@require_http_methods(["GET", "POST"])
def checkin_code(request, code):
    """The page a badge's QR code opens: who it is, and a button to check them in."""
    _require_checkin_role(request.user)
    try:
        participation = _by_badge_code(request.user, codes.normalise_code(code))
    except Http404 as exc:
        return _unknown_code(request, code, exc)
    if request.method == "POST":
        messages.add_message(request, *_check_in(request, participation))
        return redirect("promotion:checkin_code", code=participation.badge_code)
    return render(request, "promotion/checkin_code.html",
                  {"participation": participation, "event": participation.event,
                   "code": code})


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def badge(request, pk):
    """One exhibitor's badge: for the event's managers and for the organisation itself."""
    participation = selectors.access_participation(request.user, pk, write=True)
    if participation.status == Participation.Status.CANCELLED:
        raise Http404(_("A cancelled participation has no badge."))
    event = participation.event
    audit.record("promotion.badge.printed", participation, by=request.user,
                 region=event.region)
    return _pdf(badges.render_pdf(request, event, [participation]),
                f"badge-{event.code}-{participation.pk}.pdf")


@login_required
def event_badges(request, pk):
    """Every badge of the event (cancelled participations excepted), one per page."""
    event = selectors.access_event(request.user, pk, write=True)
    participations = list(selectors.participation_list(event=event).exclude(
        status=Participation.Status.CANCELLED))
    audit.record("promotion.badges.printed", event, by=request.user,
                 changes={"badges": len(participations)})
    return _pdf(badges.render_pdf(request, event, participations), f"badges-{event.code}.pdf")


urlpatterns = [
    path("events/<int:pk>/checkin/", checkin, name="checkin"),
    path("events/<int:pk>/badges.pdf", event_badges, name="badges"),
    path("checkin/", checkin_lookup, name="checkin_lookup"),
    path("checkin/<slug:code>/", checkin_code, name="checkin_code"),
    path("participations/<int:pk>/badge.pdf", badge, name="badge"),
]
