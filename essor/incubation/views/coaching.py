"""Coaching pages of incubation: record, edit and delete a session (with its agreed next
steps), tick a next step, a coach's agenda week by week and the coaches' workload.

Objects are found through ``selectors_coaching`` (404 outside the user's scope: a coach
finds only the projects of the incubators they coach in); a session's notes are shown
and written only by the coaches of the project's incubator; every write goes through a
service.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essor.accounts.permissions import can, require
from essor.core.web import error_message, form_errors_from

from .. import selectors_coaching as selectors
from .. import services
from ..forms_coaching import CoachChoiceForm, SessionForm

SESSION_FIELDS = ["coach", "date", "duration_hours", "mode", "topics", "notes"]


def project_url(project) -> str:
    """The project's page (``incubation:project_detail``), or the agenda while it is
    missing."""
    try:
        return reverse("incubation:project_detail", kwargs={"pk": project.pk})
    except NoReverseMatch:  # pragma: no cover - the project pages are another module's
        return reverse("incubation:agenda")


def _back(request, fallback: str):
    """Back to the page the form came from (``next``), if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _session_data(form) -> dict:
    return {name: form.cleaned_data[name] for name in SESSION_FIELDS
            if name in form.cleaned_data}


# -- sessions ---------------------------------------------------------------------------------

@login_required
def session_new(request, pk):
    user = request.user
    require(user, "incubation.record_session")
    project = selectors.access_project(user, pk, record=True)
    form = SessionForm(request.POST or None, user=user, project=project,
                       initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(by=user, project=project,
                                              next_steps=form.next_steps,
                                              **_session_data(form))
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Coaching session of %(date)s recorded.")
                             % {"date": _local_date(session.date)})
            return _back(request, project_url(project))
    return render(request, "incubation/coaching/session_form.html", {
        "form": form, "project": project, "back": project_url(project),
        "next": request.GET.get("next", "")})


@login_required
def session_edit(request, pk):
    user = request.user
    require(user, "incubation.record_session")
    session = selectors.access_session(user, pk, write=True)
    project = session.project
    form = SessionForm(request.POST or None, user=user, project=project, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                # A fresh copy: the form has already written its values on ``session``.
                saved = services.session_update(
                    session=selectors.access_session(user, pk, write=True), by=user,
                    **_session_data(form))
                for step in form.next_steps:
                    services.next_step_add(session=saved, by=user, **step)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Changes saved."))
            return _back(request, project_url(project))
    steps = list(session.next_steps.all())
    return render(request, "incubation/coaching/session_form.html", {
        "form": form, "project": project, "session": session, "steps": steps,
        "back": project_url(project), "next": request.GET.get("next", ""),
        "today": timezone.localdate()})


@login_required
@require_POST
def session_delete(request, pk):
    user = request.user
    require(user, "incubation.record_session")
    session = selectors.access_session(user, pk, write=True)
    project = session.project
    try:
        services.session_delete(session=session, by=user)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("The coaching session of %(date)s is deleted.")
                         % {"date": _local_date(session.date)})
    return _back(request, project_url(project))


@login_required
@require_POST
def next_step_done(request, pk):
    """Tick a next step as done today (``done=0``: not done after all)."""
    user = request.user
    require(user, "incubation.record_session")
    step = selectors.access_next_step(user, pk)
    done = request.POST.get("done", "1") != "0"
    try:
        services.next_step_done(step=step, by=user, done=done)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        if done:
            messages.success(request, _("“%(text)s” is done.") % {"text": step.text})
        else:
            messages.info(request, _("“%(text)s” is open again.") % {"text": step.text})
    return _back(request, project_url(step.session.project))


def _local_date(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


# -- the agenda and the workload --------------------------------------------------------------

@login_required
def agenda(request):
    """A coach's sessions week by week, past and coming, and their open next steps (the
    overdue ones flagged). A coach reads their own; the national admin and the officers
    pick a coach of the incubators they run with ``?coach=``."""
    user = request.user
    require(user, "incubation.read")
    today = timezone.localdate()
    own = can(user, "incubation.own_incubators_only")
    coaches = selectors.coaches_visible(user)
    form = CoachChoiceForm(request.GET or None, coaches=coaches)
    start = None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data.get("start")
    chosen = request.GET.get("coach", "")
    if own:
        if chosen and chosen != str(user.pk):
            raise Http404  # a coach reads their own agenda only
        coach = user
    elif chosen:
        coach = selectors.access_coach(user, chosen if chosen.isdigit() else -1)
    else:
        coach = None
    weeks = selectors.agenda(user, coach, today, start) if coach else []
    steps = selectors.open_next_steps(user, coach, today) if coach else []
    anchor = selectors.monday(start or today)
    query = {"coach": coach.pk} if coach and not own else {}
    return render(request, "incubation/coaching/agenda.html", {
        "form": form, "own": own, "coach": coach, "weeks": weeks, "steps": steps,
        "overdue": sum(1 for s in steps if getattr(s, "overdue", False)), "today": today,
        "can_record": can(user, "incubation.record_session"),
        "earlier": "?" + urlencode({**query, "start": (anchor - datetime.timedelta(
            weeks=selectors.AGENDA_WEEKS_BACK)).isoformat()}),
        "later": "?" + urlencode({**query, "start": (anchor + datetime.timedelta(
            weeks=selectors.AGENDA_WEEKS_AHEAD)).isoformat()}),
        "this_week": "?" + urlencode(query)})


@login_required
def workload(request):
    """Per coach of the user's incubators: projects followed, sessions and hours over the
    last 30 and 90 days, open and overdue next steps (aggregates only, no note)."""
    user = request.user
    require(user, "incubation.read")
    today = timezone.localdate()
    return render(request, "incubation/coaching/workload.html", {
        "rows": selectors.workload(user, today), "periods": selectors.WORKLOAD_PERIODS,
        "today": today, "own": can(user, "incubation.own_incubators_only")})


urlpatterns = [
    path("projects/<int:pk>/sessions/new/", session_new, name="session_new"),
    path("sessions/<int:pk>/edit/", session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", session_delete, name="session_delete"),
    path("next-steps/<int:pk>/done/", next_step_done, name="next_step_done"),
    path("agenda/", agenda, name="agenda"),
    path("workload/", workload, name="workload"),
]
