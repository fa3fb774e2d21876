"""A project's page and its forms: the project itself, its holders (found in the
registry), the milestones' checklist, what it became (organisation, jobs, revenue), its
follow-ups after leaving, and leaving the incubator. Its coaching sessions are the
coaching module's (``templates/incubation/coaching/_project_sessions.html``).

Objects are found through ``selectors`` (404 outside the user's scope); every write
goes through a service, whose refusals name the refused value; a form that is refused
comes back with what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essor.accounts.permissions import can, requires
from essor.core import normalise
from essor.core.web import error_message, form_errors_from
from essor.registry import selectors as registry_selectors

from .. import selectors, selectors_coaching, services
from ..forms import FollowUpForm, LeaveForm, MoveForm, OutcomesForm, ProjectForm, ReachForm
from ..models import Milestone, Project

FOUND = 20
PROJECT_FIELDS = ["cohort", "code", "title", "title_ar", "summary", "sector", "region",
                  "province", "joined_on"]
FOLLOW_UP_FIELDS = ["date", "active", "jobs_women", "jobs_men", "revenue_band", "note"]


def _detail(pk) -> str:
    return reverse("incubation:project_detail", kwargs={"pk": pk})


def _found_people(user, project: Project, q: str) -> list:
    if not q or not can(user, "registry.read_people"):
        return []
    held = {h.person_id for h in project.holders.all()}
    found = list(registry_selectors.person_list(user=user, q=q)[:FOUND])
    for person in found:
        person.taken = person.pk in held  # type: ignore[attr-defined]
    return found


def _found_organisations(user, q: str) -> list:
    if not q:
        return []
    return list(registry_selectors.organisation_list(user=user, q=q)
                .filter(kind__in=selectors.OUTCOME_KINDS)[:FOUND])


@login_required
@requires("incubation.read")
def project_detail(request, pk):
    user = request.user
    project = selectors.access_project(user, pk)
    manage = can(user, "incubation.manage_project", project)
    q = normalise.search_text(request.GET.get("q")) if manage else ""
    org_q = normalise.search_text(request.GET.get("org_q")) if manage else ""
    moves = selectors.moves_of(project)
    in_incubator = not project.left_on and project.phase != "dropped"
    return render(request, "incubation/projects/detail.html", {
        "project": project, "can_manage": manage,
        "can_set_required": can(user, "incubation.manage_incubators"),
        "holders": list(project.holders.all()),
        "history": list(project.phase_changes.all()),
        "checklist": selectors.checklist(project),
        "sessions": selectors_coaching.sessions_for_project(user, project),
        "moves": moves, "move_form": MoveForm(project=project) if manage else None,
        "missing": services.missing_milestones(project, moves[0]["phase"])
        if moves[0]["kind"] == "forward" else [],
        "q": q, "found": _found_people(user, project, q),
        "org_q": org_q, "found_organisations": _found_organisations(user, org_q),
        "may_link_organisation": project.phase != "pre_creation",
        "outcomes_form": OutcomesForm(instance=project) if manage else None,
        "follow_ups": selectors.follow_ups_of(project),
        "follow_up_form": FollowUpForm(initial={"date": timezone.localdate()})
        if manage and project.left_on else None,
        "can_leave": manage and project.phase == "extension" and not project.left_on,
        "in_incubator": in_incubator, "today": timezone.localdate()})


@login_required
@requires("incubation.manage_project")
def project_create(request):
    user = request.user
    initial: dict[str, object] = {"joined_on": timezone.localdate()}
    chosen = request.GET.get("incubator", "")
    if chosen.isdigit():
        incubator = selectors.incubators_visible(user).filter(pk=chosen).first()
        if incubator is not None:
            initial.update({"incubator": incubator.pk, "region": incubator.region_id})
    form = ProjectForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                by=user, incubator=data["incubator"],
                **{name: data[name] for name in PROJECT_FIELDS})
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Project %(code)s added: add its holders.")
                             % {"code": project.code})
            return redirect("incubation:project_detail", pk=project.pk)
    return render(request, "incubation/projects/form.html", {"form": form})


@login_required
@requires("incubation.manage_project")
def project_edit(request, pk):
    user = request.user
    project = selectors.access_project(user, pk, write=True)
    form = ProjectForm(request.POST or None, user=user, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, by=user,
                                    **{name: form.cleaned_data[name]
                                       for name in PROJECT_FIELDS})
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("incubation:project_detail", pk=pk)
    return render(request, "incubation/projects/form.html", {"form": form,
                                                             "project": project})


# -- holders ----------------------------------------------------------------------------------

@login_required
@require_POST
@requires("incubation.manage_project")
def holder_add(request, pk):
    """Add a person found in the registry as a holder of the project."""
    user = request.user
    project = selectors.access_project(user, pk, write=True)
    person_id = request.POST.get("person", "")
    person = (registry_selectors.person_visible(user).filter(pk=person_id).first()
              if person_id.isdigit() else None)
    if person is None:
        messages.error(request, _("Choose a person from the search results."))
    else:
        try:
            services.holder_add(project=project, person=person, by=user)
        except ValidationError as exc:
            error_message(request, exc)
        else:
            messages.success(request, _("%(name)s holds the project.")
                             % {"name": person.local_name})
    return redirect(_detail(pk) + "#holders")


@login_required
@require_POST
@requires("incubation.manage_project")
def holder_remove(request, pk):
    holder = selectors.access_holder(request.user, pk)
    try:
        services.holder_remove(holder=holder, by=request.user)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("%(name)s no longer holds the project.")
                         % {"name": holder.person.local_name})
    return redirect(_detail(holder.project_id) + "#holders")


# -- milestones -------------------------------------------------------------------------------

@login_required
@require_POST
@requires("incubation.manage_project")
def milestone_reach(request, pk, milestone):
    """Tick a milestone of the project on a date (today by default); ``undo=1``
    withdraws it."""
    user = request.user
    project = selectors.access_project(user, pk, write=True)
    found = get_object_or_404(Milestone, pk=milestone)
    if request.POST.get("undo") == "1":
        services.milestone_unreach(project=project, milestone=found, by=user)
        messages.info(request, _("“%(name)s” is no longer reached.") % {"name": found.name})
        return redirect(_detail(pk) + "#milestones")
    form = ReachForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("“%(value)s” is not a date.")
                       % {"value": request.POST.get("date", "")})
        return redirect(_detail(pk) + "#milestones")
    try:
        services.milestone_reach(project=project, milestone=found, by=user,
                                 date=form.cleaned_data["date"])
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("“%(name)s” reached.") % {"name": found.name})
    return redirect(_detail(pk) + "#milestones")


@login_required
@require_POST
@requires("incubation.manage_incubators")
def milestone_required(request, pk):
    """Mark a milestone of the checklist required (``required=1``) or not, for every
    project; back to the project's page it was done from."""
    milestone = get_object_or_404(Milestone, pk=pk)
    required = request.POST.get("required") == "1"
    services.milestone_set_required(milestone=milestone, required=required,
                                    by=request.user)
    if required:
        messages.success(request, _("“%(name)s” is now required to leave its phase.")
                         % {"name": milestone.name})
    else:
        messages.info(request, _("“%(name)s” is no longer required.")
                      % {"name": milestone.name})
    target = request.POST.get("project", "")
    if target.isdigit() and selectors.projects_visible(request.user).filter(pk=target).exists():
        return redirect(_detail(target) + "#milestones")
    return redirect("incubation:pipeline")


# -- outcomes ---------------------------------------------------------------------------------

@login_required
@require_POST
@requires("incubation.manage_project")
def project_organisation(request, pk):
    """Link the registry organisation the project became (``organisation`` empty:
    unlink it). The service refuses it before the creation phase."""
    user = request.user
    project = selectors.access_project(user, pk, write=True)
    chosen = request.POST.get("organisation", "")
    organisation = None
    if chosen:
        organisation = (registry_selectors.organisation_visible(user).filter(pk=chosen).first()
                        if chosen.isdigit() else None)
        if organisation is None:
            messages.error(request, _("Choose an organisation from the search results."))
            return redirect(_detail(pk) + "#outcomes")
    try:
        services.project_update(project=project, by=user, organisation=organisation)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        if organisation is None:
            messages.info(request, _("The project is no longer linked to an organisation."))
        else:
            messages.success(request, _("%(project)s became %(organisation)s.")
                             % {"project": project.local_title,
                                "organisation": organisation.local_name})
    return redirect(_detail(pk) + "#outcomes")


@login_required
@requires("incubation.manage_project")
def project_outcomes(request, pk):
    """Jobs created by sex and the revenue band."""
    user = request.user
    project = selectors.access_project(user, pk, write=True)
    form = OutcomesForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=selectors.access_project(user, pk, write=True),
                                    by=user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Outcomes saved."))
            return redirect(_detail(pk) + "#outcomes")
    return render(request, "incubation/projects/outcomes.html", {"form": form,
                                                                 "project": project})


@login_required
@requires("incubation.manage_project")
def follow_up(request, pk):
    """The follow-up 12 or 24 months after the project left (recorded once, then
    corrected in place)."""
    user = request.user
    project = selectors.access_project(user, pk, write=True)
    months = request.GET.get("months", "12")
    recorded = {f.months: f for f in project.follow_ups.all()}
    record = recorded.get(int(months)) if months in ("12", "24") else None
    form = FollowUpForm(request.POST or None, instance=record,
                        initial={"months": months, "date": timezone.localdate()})
    if record is not None and not request.POST:
        form.initial["active"] = "yes" if record.active else "no"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.follow_up_record(project=project, months=data["months"], by=user,
                                              **{n: data[n] for n in FOLLOW_UP_FIELDS})
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("The %(months)s-month follow-up is recorded.")
                             % {"months": saved.months})
            return redirect(_detail(pk) + "#outcomes")
    return render(request, "incubation/projects/follow_up.html", {"form": form,
                                                                  "project": project})


@login_required
@require_POST
@requires("incubation.manage_project")
def project_leave(request, pk):
    """A project in extension leaves the incubator: its follow-ups count from then."""
    user = request.user
    project = selectors.access_project(user, pk, write=True)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("“%(value)s” is not a date.")
                       % {"value": request.POST.get("date", "")})
        return redirect(_detail(pk) + "#outcomes")
    try:
        left = services.project_leave(project=project, by=user, date=form.cleaned_data["date"])
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("%(project)s left the incubator on %(date)s.")
                         % {"project": left.local_title, "date": left.left_on})
    return redirect(_detail(pk) + "#outcomes")


urlpatterns = [
    path("projects/new/", project_create, name="project_create"),
    path("projects/<int:pk>/", project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", project_edit, name="project_edit"),
    path("projects/<int:pk>/holders/add/", holder_add, name="holder_add"),
    path("holders/<int:pk>/remove/", holder_remove, name="holder_remove"),
    path("projects/<int:pk>/milestones/<int:milestone>/", milestone_reach,
         name="milestone_reach"),
    path("milestones/<int:pk>/required/", milestone_required, name="milestone_required"),
    path("projects/<int:pk>/organisation/", project_organisation,
         name="project_organisation"),
    path("projects/<int:pk>/outcomes/", project_outcomes, name="project_outcomes"),
    path("projects/<int:pk>/follow-up/", follow_up, name="follow_up"),
    path("projects/<int:pk>/leave/", project_leave, name="project_leave"),
]
