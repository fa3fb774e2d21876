"""Staff pages of the calls for projects: the list of calls, a call's form and page with
its applications, its status (publish, close), the selection page (criteria, ranking,
"select the top N") and an application's page where it is decided one by one.

Calls and applications are found through ``selectors_calls`` (404 outside the user's
scope: an officer of another region, a coach of another incubator); every write goes
through ``calls``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from essor.accounts.permissions import can, requires
from essor.core.web import error_message, form_errors_from
from essor.registry.models import Organisation

from .. import calls, selection, selectors_calls
from ..forms_calls import (
    ApplicationFilterForm,
    CallFilterForm,
    CallForm,
    DecisionForm,
    SelectionRulesForm,
)
from ..models import Application, Call, Cohort
from .coaching import project_url

PAGE_SIZE = 50
CALL_FIELDS = ["incubator", "code", "title", "title_ar", "criteria", "criteria_ar",
               "opens_on", "closes_on", "places"]
STATUS_BUTTONS = {Call.Status.PUBLISHED: gettext_lazy("Publish"),
                  Call.Status.CLOSED: gettext_lazy("Close")}


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _tabs(call, user, tab: str) -> dict:
    manage = can(user, "incubation.manage_project", call)
    tabs = [("applications", _("Applications"), "incubation:call_detail")]
    if manage:
        tabs.append(("selection", _("Selection"), "incubation:selection"))
    return {"call": call, "tab": tab, "can_manage": manage,
            "is_open": calls.is_open(call),
            "tabs": [{"label": label, "active": key == tab,
                      "url": reverse(name, kwargs={"pk": call.pk})}
                     for key, label, name in tabs]}


# -- calls ------------------------------------------------------------------------------------

@login_required
@requires("incubation.read")
def call_list(request):
    user = request.user
    form = CallFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = Paginator(selectors_calls.call_list(user, status=status),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "incubation/calls/call_list.html", {
        "form": form, "page": page, "query": request.GET.copy(),
        "can_create": can(user, "incubation.manage_project")
        and selectors_calls.incubators_managed(user).exists()})


@login_required
@requires("incubation.manage_project")
def call_create(request):
    user = request.user
    form = CallForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            call = calls.call_create(by=user, **{n: form.cleaned_data[n] for n in CALL_FIELDS})
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Call %(code)s created: publish it to open the "
                                        "public form.") % {"code": call.code})
            return redirect("incubation:call_detail", pk=call.pk)
    return render(request, "incubation/calls/call_form.html", {"form": form})


@login_required
@requires("incubation.manage_project")
def call_edit(request, pk):
    user = request.user
    call = selectors_calls.access_call(user, pk, write=True)
    form = CallForm(request.POST or None, instance=call, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: the form has already written its values on ``call``.
            calls.call_update(call=selectors_calls.access_call(user, pk, write=True), by=user,
                              **{n: form.cleaned_data[n] for n in CALL_FIELDS})
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("incubation:call_detail", pk=pk)
    return render(request, "incubation/calls/call_form.html", {"form": form, "call": call})


@login_required
@requires("incubation.read")
def call_detail(request, pk):
    user = request.user
    call = selectors_calls.access_call(user, pk)
    form = ApplicationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors_calls.applications_of(call, **filters),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(Application.Status.choices)
    by_status = dict(call.applications.order_by().values_list("status")
                     .annotate(n=Count("id")).values_list("status", "n"))
    context = _tabs(call, user, "applications")
    context.update({
        "form": form, "page": page, "query": request.GET.copy(),
        "by_status": [(labels[s], by_status.get(s, 0)) for s in labels],
        "unconfirmed": call.applications.filter(email_confirmed_at__isnull=True).count(),
        "moves": [(str(s), STATUS_BUTTONS.get(s, Call.Status(s).label))
                  for s in calls.CALL_MOVES[Call.Status(call.status)]]
        if context["can_manage"] else [],
        "cohort": Cohort.objects.filter(call=call).first(),
        "public_url": request.build_absolute_uri(
            reverse("incubation:public_call", kwargs={"code": call.code}))})
    return render(request, "incubation/calls/call_detail.html", context)


@login_required
@require_POST
@requires("incubation.manage_project")
def call_status(request, pk):
    call = selectors_calls.access_call(request.user, pk, write=True)
    try:
        call = calls.call_set_status(call=call, status=request.POST.get("status", ""),
                                     by=request.user)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("The call is now: %(status)s.")
                         % {"status": call.get_status_display()})
    return redirect("incubation:call_detail", pk=pk)


# -- selection --------------------------------------------------------------------------------

@login_required
@requires("incubation.manage_project")
def selection_page(request, pk):
    user = request.user
    call = selectors_calls.access_call(user, pk, write=True)
    board = selection.board(call)
    form = SelectionRulesForm(request.POST or None, rules=board.rules)
    if request.method == "POST" and form.is_valid():
        try:
            calls.call_update(call=call, by=user, selection_rules=form.rules().to_json())
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Selection criteria saved; the ranking is updated."))
            return redirect("incubation:selection", pk=pk)
    sectors = dict(Organisation.Sector.choices)
    year = call.opens_on.year
    rows = []
    for ranked in board.ranking:
        application = board.applications[ranked.entry.key]
        rows.append({"ranked": ranked, "application": application,
                     "holders": [(h, year - h.person.birth_year
                                  if h.person.birth_year else None)
                                 for h in application.holders.all()],
                     "points": [(selection.CRITERIA[key][0], ranked.points[key])
                                for key in selection.WEIGHTS]})
    return render(request, "incubation/calls/selection.html", {
        **_tabs(call, user, "selection"), "board": board, "form": form, "rows": rows,
        "criteria": selection.CRITERIA, "youth_age": selection.YOUTH_AGE,
        "sectors": [(sectors.get(sector, "—"), n) for sector, n in board.after.sectors]})


@login_required
@require_POST
@requires("incubation.manage_project")
def selection_select_top(request, pk):
    """Select the top N as shown: the page posts the applications it proposed, and they
    are selected only if the ranking still proposes exactly those."""
    user = request.user
    call = selectors_calls.access_call(user, pk, write=True)
    shown = {int(v) for v in request.POST.getlist("application") if v.isdigit()}
    try:
        selected = calls.select_top(call=call, by=user, shown=shown)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("%(n)s applications selected into the cohort.")
                         % {"n": len(selected)})
    return redirect("incubation:selection", pk=pk)


# -- applications -----------------------------------------------------------------------------

@login_required
@requires("incubation.read")
def application_detail(request, pk):
    """An application, its holders and its decision; the staff who run the call decide
    it here (select, or not with a reason), one by one."""
    user = request.user
    application = selectors_calls.access_application(user, pk)
    call = application.call
    manage = can(user, "incubation.manage_project", call)
    decidable = manage and application.status in calls.DECISION_MOVES
    form = DecisionForm(request.POST or None) if decidable else None
    if request.method == "POST":
        application = selectors_calls.access_application(user, pk, write=True)
        if form is None:
            messages.error(request, _("The application %(reference)s is already decided.")
                           % {"reference": application.reference})
            return redirect("incubation:application_detail", pk=pk)
        if form.is_valid():
            try:
                decided = calls.application_decide(application=application, by=user,
                                                   **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("%(reference)s: %(status)s.")
                                 % {"reference": decided.reference,
                                    "status": decided.get_status_display()})
                return _back(request, reverse("incubation:selection", kwargs={"pk": call.pk}))
    year = call.opens_on.year
    ranked = selection.points_of(call, application) if decidable else None
    project = selectors_calls.project_of(application)
    return render(request, "incubation/calls/application_detail.html", {
        **_tabs(call, user, "applications"), "application": application, "form": form,
        "holders": [(h, year - h.person.birth_year if h.person.birth_year else None)
                    for h in application.holders.all()],
        "points": [(selection.CRITERIA[k][0], ranked[0][k]) for k in selection.WEIGHTS]
        if ranked else None, "score": ranked[1] if ranked else None,
        "project": project, "project_url": project_url(project) if project else "",
        "next": request.POST.get("next") or request.GET.get("next", "")})


urlpatterns = [
    path("calls/", call_list, name="call_list"),
    path("calls/new/", call_create, name="call_create"),
    path("calls/<int:pk>/", call_detail, name="call_detail"),
    path("calls/<int:pk>/edit/", call_edit, name="call_edit"),
    path("calls/<int:pk>/status/", call_status, name="call_status"),
    path("calls/<int:pk>/selection/", selection_page, name="selection"),
    path("calls/<int:pk>/selection/select/", selection_select_top, name="selection_select_top"),
    path("applications/<int:pk>/", application_detail, name="application_detail"),
]
