"""Staff pages of training workshops: list, forms, the workshop's hub (overview,
enrolments, evaluations), results per theme and the figures.

Objects are found through the selectors' access helpers (404 out of scope: a trainer
finds only the workshops they run); every write goes through a service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essor.accounts.permissions import can, require
from essor.core import normalise
from essor.core.web import error_message, export_response, form_errors_from
from essor.registry import selectors as registry_selectors
from essor.registry import services as registry_services
from essor.registry.forms import PersonForm

from .. import figures, selectors, services
from ..forms import EvaluationForm, FiguresForm, WorkshopFilterForm, WorkshopForm
from ..models import Enrolment, Evaluation, Workshop

try:  # a colleague's exporter; the list works without it
    from ..exports import EnrolmentExporter, WorkshopExporter
except ImportError:  # pragma: no cover
    EnrolmentExporter = WorkshopExporter = None

PAGE_SIZE = 50
FOUND = 20


def _hub(workshop, user, tab: str) -> dict:
    """The header of every tab of the workshop's hub: the tabs this user may open."""
    manage = can(user, "training.manage_workshop", workshop)
    tabs = [("overview", _("Overview"), "training:workshop_detail")]
    if manage:
        tabs += [("enrolments", _("Enrolments"), "training:enrolment_list"),
                 ("attendance", _("Attendance sheet"), "training:attendance")]
    tabs.append(("evaluations", _("Evaluations"), "training:workshop_evaluations"))
    return {"workshop": workshop, "tab": tab, "can_manage": manage,
            "tabs": [{"label": label, "active": key == tab,
                      "url": reverse(name, kwargs={"pk": workshop.pk})}
                     for key, label, name in tabs]}


def _counts(workshop) -> dict:
    return workshop.enrolments.aggregate(
        enrolled=Count("id", filter=Q(status=Enrolment.Status.ENROLLED)),
        waitlisted=Count("id", filter=Q(status=Enrolment.Status.WAITLISTED)),
        present=Count("id", filter=Q(attended=True)))


# -- workshops --------------------------------------------------------------------------------

@login_required
def workshop_list(request):
    user = request.user
    require(user, "training.read_workshops")
    form = WorkshopFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.workshop_list(user=user, **filters)
    if WorkshopExporter is not None:
        exported = export_response(request, WorkshopExporter(queryset))
        if exported:
            return exported
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/workshop_list.html", {
        "form": form, "page": page, "query": request.GET.copy(),
        "can_create": can(user, "training.create_workshop"), "can_export": WorkshopExporter is not None})


@login_required
def workshop_create(request):
    require(request.user, "training.create_workshop")
    form = WorkshopForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.workshop_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Workshop %(code)s created.") % {"code": workshop.code})
            return redirect("training:workshop_detail", pk=workshop.pk)
    return render(request, "training/workshop_form.html", {"form": form})


@login_required
def workshop_edit(request, pk):
    workshop = selectors.access_workshop(request.user, pk, write=True)
    form = WorkshopForm(request.POST or None, instance=workshop, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: the form has already written its values on ``workshop``.
            services.workshop_update(
                workshop=selectors.access_workshop(request.user, pk, write=True),
                by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("training:workshop_detail", pk=pk)
    return render(request, "training/workshop_form.html", {"form": form,
                                                           "workshop": workshop})


@login_required
def workshop_detail(request, pk):
    workshop = selectors.access_workshop(request.user, pk)
    context = _hub(workshop, request.user, "overview")
    flow = [str(s) for s in Workshop.FLOW]
    here = flow.index(workshop.status)
    context["flow"] = [{"label": Workshop.Status(s).label, "done": i < here,
                        "current": i == here} for i, s in enumerate(flow)]
    context["next_statuses"] = ([(s, Workshop.Status(s).label) for s in flow[here + 1:]]
                                if context["can_manage"] else [])
    context["counts"] = _counts(workshop)
    return render(request, "training/workshop_detail.html", context)


@login_required
@require_POST
def workshop_status(request, pk):
    workshop = selectors.access_workshop(request.user, pk, write=True)
    try:
        workshop = services.workshop_set_status(workshop=workshop, by=request.user,
                                                status=request.POST.get("status", ""))
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("The workshop is now: %(status)s.")
                         % {"status": workshop.get_status_display()})
    return redirect("training:workshop_detail", pk=pk)


# -- enrolments -------------------------------------------------------------------------------

@login_required
def enrolment_list(request, pk):
    user = request.user
    workshop = selectors.access_workshop(user, pk, write=True)
    if EnrolmentExporter is not None:
        exported = export_response(request, EnrolmentExporter(selectors.enrolment_list(
            workshop=workshop)))
        if exported:
            return exported
    q = normalise.search_text(request.GET.get("q"))
    enrolments = list(selectors.enrolment_list(workshop=workshop).order_by("enrolled_at", "pk"))
    taken = {e.person_id for e in enrolments if e.status != Enrolment.Status.CANCELLED}
    found = []
    if q and can(user, "registry.read_people"):
        found = list(registry_selectors.person_list(user=user, q=q)[:FOUND])
        for person in found:
            person.taken = person.pk in taken
    by_status = {s: [e for e in enrolments if e.status == s] for s in Enrolment.Status.values}
    return render(request, "training/enrolment_list.html", {
        **_hub(workshop, user, "enrolments"), "q": q, "found": found,
        "query": request.GET.copy(),
        "enrolled": by_status[Enrolment.Status.ENROLLED],
        "waitlisted": by_status[Enrolment.Status.WAITLISTED],
        "cancelled": by_status[Enrolment.Status.CANCELLED],
        "person_form": PersonForm(user=user, initial={"region": workshop.region_id})})


def _enrolled_message(request, enrolment) -> None:
    name = enrolment.person.local_name
    if enrolment.status == Enrolment.Status.WAITLISTED:
        messages.warning(request, _("The workshop is full: %(name)s is on the waiting list.")
                         % {"name": name})
    else:
        messages.success(request, _("%(name)s is enrolled.") % {"name": name})


@login_required
@require_POST
def workshop_enrol(request, pk):
    """Enrol a person found in the registry."""
    user = request.user
    workshop = selectors.access_workshop(user, pk, write=True)
    person_id = request.POST.get("person", "")
    person = (registry_selectors.person_visible(user).filter(pk=person_id).first()
              if person_id.isdigit() else None)
    if person is None:
        messages.error(request, _("Choose a person from the search results."))
    else:
        try:
            _enrolled_message(request, services.enrol(workshop=workshop, person=person, by=user))
        except ValidationError as exc:
            error_message(request, exc)
    return redirect("training:enrolment_list", pk=pk)


@login_required
def workshop_enrol_new(request, pk):
    """Enrol someone not found: typed with the person form, matched with the registry."""
    user = request.user
    workshop = selectors.access_workshop(user, pk, write=True)
    require(user, "registry.add_person")
    form = PersonForm(request.POST or None, user=user,
                      initial={"region": workshop.region_id})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                person, _outcome = registry_services.person_get_or_create(
                    by=user, **{k: v for k, v in form.cleaned_data.items()
                                if v not in ("", None)})
                enrolment = services.enrol(workshop=workshop, person=person, by=user)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            _enrolled_message(request, enrolment)
            return redirect("training:enrolment_list", pk=pk)
    return render(request, "training/enrolment_new.html", {
        **_hub(workshop, user, "enrolments"), "form": form})


@login_required
@require_POST
def enrolment_cancel(request, pk):
    enrolment = selectors.access_enrolment(request.user, pk, write=True)
    try:
        promoted = services.enrolment_cancel(enrolment=enrolment, by=request.user)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("Enrolment of %(name)s cancelled.")
                         % {"name": enrolment.person.local_name})
        if promoted is not None:
            messages.info(request, _("%(name)s moves up from the waiting list and is now "
                                     "enrolled.") % {"name": promoted.person.local_name})
    return redirect("training:enrolment_list", pk=enrolment.workshop_id)


# -- evaluations ------------------------------------------------------------------------------

EVALUATION_FIGURES = {"answers": Count("id"), "rating": Avg("rating"),
                      "usefulness": Avg("usefulness")}


@login_required
def workshop_evaluations(request, pk):
    workshop = selectors.access_workshop(request.user, pk)
    evaluations = Evaluation.objects.filter(enrolment__workshop=workshop)
    context = _hub(workshop, request.user, "evaluations")
    attendees = []
    if context["can_manage"]:
        attendees = list(selectors.enrolment_list(workshop=workshop)
                         .filter(attended=True).select_related("evaluation"))
    return render(request, "training/workshop_evaluations.html", {
        **context, "results": evaluations.aggregate(**EVALUATION_FIGURES),
        "comments": list(evaluations.exclude(comment="").values_list("comment", flat=True)
                         .order_by("-created_at")[:50]),
        "attendees": attendees})


@login_required
def evaluation_form(request, pk):
    enrolment = selectors.access_enrolment(request.user, pk, write=True)
    answer = Evaluation.objects.filter(enrolment=enrolment).first()
    initial = ({"rating": answer.rating, "usefulness": answer.usefulness,
                "comment": answer.comment} if answer else None)
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_answer(enrolment=enrolment, by=request.user,
                                       **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Evaluation of %(name)s saved.")
                             % {"name": enrolment.person.local_name})
            return redirect("training:workshop_evaluations", pk=enrolment.workshop_id)
    return render(request, "training/evaluation_form.html", {
        "enrolment": enrolment, "workshop": enrolment.workshop, "form": form,
        "answer": answer})


@login_required
def theme_results(request):
    """Evaluation results per theme, over the workshops the user sees."""
    require(request.user, "training.read_workshops")
    visible = selectors.workshop_visible(request.user)
    rows = (Evaluation.objects.filter(enrolment__workshop__in=visible.values("pk"))
            .values("enrolment__workshop__theme").annotate(**EVALUATION_FIGURES)
            .order_by("enrolment__workshop__theme"))
    by_theme = {row["enrolment__workshop__theme"]: row for row in rows}
    themes = list(selectors.theme_list())
    for theme in themes:
        theme.results = by_theme.get(theme.pk)
    return render(request, "training/theme_results.html", {"themes": themes})


# -- figures ----------------------------------------------------------------------------------

@login_required
def training_figures(request):
    user = request.user
    require(user, "training.read_figures")
    form = FiguresForm(request.GET or None, user=user)
    if not form.is_bound:
        form = FiguresForm({"region": form.fields["region"].initial or ""}, user=user)
    result = (figures.training_figures(**form.cleaned_data) if form.is_valid() else None)
    links = (figures.training_figure_links(**form.cleaned_data)
             if result is not None and can(user, "observatory.drilldown") else {})
    return render(request, "training/figures.html", {"form": form, "figures": result,
                                                     "links": links})


urlpatterns = [
    path("workshops/", workshop_list, name="workshop_list"),
    path("workshops/new/", workshop_create, name="workshop_create"),
    path("workshops/<int:pk>/", workshop_detail, name="workshop_detail"),
    path("workshops/<int:pk>/edit/", workshop_edit, name="workshop_edit"),
    path("workshops/<int:pk>/status/", workshop_status, name="workshop_status"),
    path("workshops/<int:pk>/enrolments/", enrolment_list, name="enrolment_list"),
    path("workshops/<int:pk>/enrol/", workshop_enrol, name="workshop_enrol"),
    path("workshops/<int:pk>/enrol/new/", workshop_enrol_new, name="workshop_enrol_new"),
    path("workshops/<int:pk>/evaluations/", workshop_evaluations,
         name="workshop_evaluations"),
    path("enrolments/<int:pk>/cancel/", enrolment_cancel, name="enrolment_cancel"),
    path("enrolments/<int:pk>/evaluation/", evaluation_form, name="evaluation_form"),
    path("themes/results/", theme_results, name="theme_results"),
    path("figures/", training_figures, name="figures"),
]
