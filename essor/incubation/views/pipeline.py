"""The pipeline board (projects per phase, moved by a button or by drag and drop over
the same form), the move between phases, and the incubators' list, page and forms.

Objects are found through ``selectors`` (404 outside the user's scope: a coach finds
only the incubators they coach in, an officer those of their regions); every write goes
through a service, whose refusals are shown on the form that was sent, values kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from essor.accounts.permissions import can, requires
from essor.core.web import form_errors_from

from .. import selectors, services
from ..forms import BoardFilterForm, IncubatorForm, MoveForm
from .coaching import _back

INCUBATOR_FIELDS = ["code", "name", "name_ar", "host", "region", "capacity", "opened_on"]


# -- the board --------------------------------------------------------------------------------

@login_required
@requires("incubation.read")
def pipeline(request):
    """Projects per phase in the incubators the user runs, filtered by incubator and
    cohort; dropped and left projects counted beside the columns."""
    user = request.user
    form = BoardFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    board = selectors.board(user, incubator=filters.get("incubator"),
                            cohort=filters.get("cohort"))
    return render(request, "incubation/pipeline/board.html", {
        "form": form, "board": board, "here": request.get_full_path(),
        "can_manage": can(user, "incubation.manage_project"),
        "can_add": can(user, "incubation.manage_project")
        and selectors.incubators_visible(user).exists()})


@login_required
@requires("incubation.manage_project")
def project_move(request, pk):
    """Move a project to another phase: the board's buttons and its drag and drop post
    here; a refused move (a reason needed, milestones missing, a wrong date) is shown on
    this page with what was typed."""
    user = request.user
    project = selectors.access_project(user, pk, write=True)
    moves = selectors.moves_of(project)
    form = MoveForm(request.POST or None, project=project,
                    initial={"phase": request.GET.get("phase") or moves[0]["phase"]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.project_move(project=project, by=user, phase=data["phase"],
                                          reason=data["reason"], date=data["date"])
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("%(project)s is now in %(phase)s.")
                             % {"project": moved.local_title,
                                "phase": services.phase_label(moved.phase)})
            return _back(request, reverse("incubation:pipeline"))
    return render(request, "incubation/pipeline/move.html", {
        "form": form, "project": project, "moves": moves,
        "missing": services.missing_milestones(project, moves[0]["phase"]),
        "next": _local(request.POST.get("next") or request.GET.get("next", ""))})


def _local(url: str) -> str:
    """``url`` if it is a path of this site (the page a form came from), else ""."""
    return url if url.startswith("/") and not url.startswith(("//", "/\\")) else ""


# -- incubators -------------------------------------------------------------------------------

@login_required
@requires("incubation.read")
def incubator_list(request):
    user = request.user
    return render(request, "incubation/incubator_list.html", {
        "incubators": selectors.incubator_list(user),
        "can_create": can(user, "incubation.manage_incubators")})


@login_required
@requires("incubation.read")
def incubator_detail(request, pk):
    user = request.user
    incubator = selectors.access_incubator(user, pk)
    projects = (selectors.projects_visible(user).filter(incubator=incubator)
                .filter(selectors.IN_INCUBATOR).select_related("cohort")
                .order_by("phase", "title", "pk"))
    return render(request, "incubation/incubator_detail.html", {
        "incubator": incubator, **selectors.incubator_page(incubator),
        "projects": projects,
        "can_edit": can(user, "incubation.manage_incubators"),
        "can_add": can(user, "incubation.manage_project", incubator)})


@login_required
@requires("incubation.manage_incubators")
def incubator_create(request):
    user = request.user
    form = IncubatorForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            incubator = services.incubator_create(
                by=user, coaches=form.cleaned_data["coaches"],
                **{name: form.cleaned_data[name] for name in INCUBATOR_FIELDS})
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Incubator %(name)s created.")
                             % {"name": incubator.local_name})
            return redirect("incubation:incubator_detail", pk=incubator.pk)
    return render(request, "incubation/incubator_form.html", {"form": form})


@login_required
@requires("incubation.manage_incubators")
def incubator_edit(request, pk):
    user = request.user
    incubator = selectors.access_incubator(user, pk)
    form = IncubatorForm(request.POST or None, user=user, instance=incubator)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: the form has already written its values on ``incubator``.
            services.incubator_update(
                incubator=selectors.access_incubator(user, pk), by=user,
                coaches=form.cleaned_data["coaches"],
                **{name: form.cleaned_data[name] for name in INCUBATOR_FIELDS})
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("incubation:incubator_detail", pk=pk)
    return render(request, "incubation/incubator_form.html", {"form": form,
                                                              "incubator": incubator})


urlpatterns = [
    path("", pipeline, name="pipeline"),
    path("projects/<int:pk>/move/", project_move, name="project_move"),
    path("incubators/", incubator_list, name="incubator_list"),
    path("incubators/new/", incubator_create, name="incubator_create"),
    path("incubators/<int:pk>/", incubator_detail, name="incubator_detail"),
    path("incubators/<int:pk>/edit/", incubator_edit, name="incubator_edit"),
]
