"""Staff and organisation pages of fairs and markets.

The event page is the hub; its tabs (applications, selection, stands, participations,
summary) are pages of their own. Every object is found through the selectors' access
helpers (404 out of scope) and every write goes through a service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from essor.accounts.permissions import can, require
from essor.core.web import error_message, export_response, form_errors_from
from essor.registry import selectors as registry_selectors
from essor.registry import services as registry_services
from essor.registry.models import Organisation
from essor.territory.models import Region

from .. import selection, selectors, services
from ..exports import ApplicationExporter, EventExporter, ParticipationExporter
from ..forms import (
    APPLICANT_KINDS,
    ApplicationFilterForm,
    ApplicationForm,
    EventFilterForm,
    EventForm,
    ParticipationFilterForm,
    ResultsForm,
    SatisfactionForm,
    SelectionRulesForm,
    StandsForm,
)
from ..models import Application, Event, Participation, Satisfaction, Stand

PAGE_SIZE = 50


# -- helpers ----------------------------------------------------------------------------------



def _back(request, fallback: str):
    """Redirect to the page the form came from (``next``), if it is ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _is_organisation(user) -> bool:
    return can(user, "core.organisation_account")



# The button that moves an application to each status.
ACTIONS = {
    Application.Status.SHORTLISTED: gettext_lazy("Shortlist"),
    Application.Status.ACCEPTED: gettext_lazy("Accept"),
    Application.Status.WAITLISTED: gettext_lazy("Waitlist"),
    Application.Status.REJECTED: gettext_lazy("Reject"),
    Application.Status.WITHDRAWN: gettext_lazy("Withdraw"),
}


def _moves(application, *, withdraw: bool = False) -> list[tuple[str, str]]:
    """The decisions that may follow the application's status, as (status, button)."""
    allowed = Application.MOVES[application.status]
    return [(str(status), label) for status, label in ACTIONS.items()
            if status in allowed and (withdraw or status != Application.Status.WITHDRAWN)]


def _hub(event, user, tab: str) -> dict:
    """What every tab of the event's hub needs for its header: the tabs this user may
    open (managers run the event; other staff read its overview and summary)."""
    manage = can(user, "promotion.manage_event", event)
    tabs = [("overview", _("Overview"), "promotion:event_detail")]
    if manage:
        tabs += [("applications", _("Applications"), "promotion:application_list"),
                 ("selection", _("Selection"), "promotion:selection"),
                 ("stands", _("Stands"), "promotion:stands"),
                 ("participations", _("Exhibitors"), "promotion:participation_list")]
    if can(user, "promotion.see_event_summary", event):
        tabs.append(("summary", _("Summary"), "promotion:event_summary"))
    return {"event": event, "tab": tab, "can_manage": manage,
            "tabs": [{"label": label, "active": key == tab,
                      "url": reverse(name, kwargs={"pk": event.pk})}
                     for key, label, name in tabs]}


# -- events -----------------------------------------------------------------------------------

@login_required
def event_list(request):
    user = request.user
    form = EventFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.event_list(user=user, **filters)
    exported = export_response(request, EventExporter(queryset))
    if exported:
        return exported
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    own = selectors.own_applications_by_event(user, page) if _is_organisation(user) else {}
    exhibitors = {} if _is_organisation(user) else selectors.exhibitors_by_event(user)
    for event in page:
        event.own_application = own.get(event.pk)
        event.exhibitors = exhibitors.get(event.code, 0)
    return render(request, "promotion/event_list.html", {
        "form": form, "page": page, "query": request.GET.copy(),
        "can_create": can(user, "promotion.manage_event"),
        "organisation_view": _is_organisation(user),
        # An organisation account sees its own application in that column instead.
        "show_exhibitors": not _is_organisation(user)})


@login_required
def event_create(request):
    require(request.user, "promotion.manage_event")
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Event %(code)s created.") % {"code": event.code})
            return redirect("promotion:event_detail", pk=event.pk)
    return render(request, "promotion/event_form.html", {"form": form})


@login_required
def event_edit(request, pk):
    event = selectors.access_event(request.user, pk, write=True)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: the form has already written its values on ``event``.
            services.event_update(event=selectors.access_event(request.user, pk, write=True),
                                  by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("promotion:event_detail", pk=pk)
    return render(request, "promotion/event_form.html", {"form": form, "event": event})


def _next_statuses(event) -> list[tuple[str, str]]:
    flow = [str(s) for s in Event.FLOW]
    later = flow[flow.index(event.status) + 1:]
    return [(s, Event.Status(s).label) for s in later]


@login_required
def event_detail(request, pk):
    user = request.user
    event = selectors.access_event(user, pk)
    context = _hub(event, user, "overview")
    flow = [str(s) for s in Event.FLOW]
    here = flow.index(event.status)
    context["flow"] = [{"label": Event.Status(s).label, "done": i < here, "current": i == here}
                       for i, s in enumerate(flow)]
    context["is_public"] = selectors.public_events().filter(pk=event.pk).exists()
    if _is_organisation(user):
        context["own_application"] = selectors.own_application(user, event)
        context["own_participation"] = selectors.own_participation(user, event)
        own = context["own_application"]
        context["can_withdraw"] = own is not None and (
            Application.Status.WITHDRAWN in Application.MOVES[own.status])
    else:
        labels = dict(Application.Status.choices)
        by_status = dict(event.applications.order_by().values_list("status")
                         .annotate(n=Count("id")).values_list("status", "n"))
        context["applications"] = [(labels[s], by_status.get(s, 0)) for s in labels]
        labels = dict(Participation.Status.choices)
        by_status = dict(event.participations.order_by().values_list("status")
                         .annotate(n=Count("id")).values_list("status", "n"))
        context["participations"] = [(labels[s], by_status.get(s, 0)) for s in labels]
        context["stand_counts"] = event.stand_set.aggregate(
            total=Count("id"), given=Count("id", filter=Q(participation__isnull=False)))
        if context["can_manage"]:
            context["next_statuses"] = _next_statuses(event)
    return render(request, "promotion/event_detail.html", context)


@login_required
@require_POST
def event_status(request, pk):
    event = selectors.access_event(request.user, pk, write=True)
    try:
        event = services.event_set_status(event=event, status=request.POST.get("status", ""),
                                          by=request.user)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("The event is now: %(status)s.")
                         % {"status": event.get_status_display()})
    return redirect("promotion:event_detail", pk=pk)


# -- applications -----------------------------------------------------------------------------

def _access_application(user, pk, *, own_ok: bool = False) -> Application:
    """The application if the user manages its event (or, with ``own_ok``, if it is the
    organisation's own); otherwise 404."""
    application = selectors.application_get(pk)
    if application is None:
        raise Http404
    if own_ok and _is_organisation(user) and user.organisation_id == application.organisation_id:
        return application
    selectors.access_event(user, application.event_id, write=True)
    return application


@login_required
def application_list(request, pk):
    event = selectors.access_event(request.user, pk, write=True)
    form = ApplicationFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    queryset = selectors.application_list(event=event, status=status)
    exported = export_response(request, ApplicationExporter(queryset))
    if exported:
        return exported
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for application in page:
        application.moves = _moves(application, withdraw=True)
    return render(request, "promotion/application_list.html", {
        **_hub(event, request.user, "applications"), "form": form, "page": page,
        "query": request.GET.copy()})


def _applicants(user, event, q: str):
    """Organisations staff may enter an application for: in their scope and, except at a
    national fair, from the event's region."""
    queryset = registry_selectors.organisation_list(user=user, q=q).filter(
        kind__in=APPLICANT_KINDS)
    if event.kind != Event.Kind.NATIONAL_FAIR:
        queryset = queryset.filter(region=event.region_id)
    return queryset


def _stand_holder(user, organisation, form):
    """The member chosen, or the person typed in, matched with the registry."""
    if form.member is not None:
        return form.member
    data = {**form.person_data(), "region": organisation.region}
    # An organisation account registers its stand holder in its own region (its scope).
    person, _outcome = registry_services.person_get_or_create(by=user, **data)
    return person


@login_required
def application_create(request, pk):
    """An organisation applies online; staff enter an application for an organisation."""
    user = request.user
    if _is_organisation(user):
        event = selectors.access_event(user, pk)
        organisation = user.organisation
        if organisation is None:
            raise PermissionDenied
        if selectors.has_applied(event, organisation):
            messages.info(request, _("Your organisation has already applied to this event."))
            return redirect("promotion:event_detail", pk=pk)
        if not event.is_open:
            messages.error(request, _("Applications to this event are closed."))
            return redirect("promotion:event_detail", pk=pk)
    else:
        event = selectors.access_event(user, pk, write=True)
        q = request.GET.get("q", "").strip()
        chosen = request.POST.get("organisation") or request.GET.get("organisation", "")
        organisation = (_applicants(user, event, "").filter(pk=chosen).first()
                        if chosen.isdigit() else None)
        if organisation is None:
            found = _applicants(user, event, q)[:20] if q else []
            return render(request, "promotion/application_form.html", {
                **_hub(event, user, "applications"), "q": q, "found": found,
                "choose": True})
    form = ApplicationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                holder = _stand_holder(user, organisation, form)
                services.application_submit(event=event, organisation=organisation, by=user,
                                            holder=holder, **form.application_data())
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            if _is_organisation(user):
                messages.success(request, _("Your application is sent. You will receive the "
                                            "decision by e-mail."))
                return redirect("promotion:event_detail", pk=pk)
            messages.success(request, _("Application of %(organisation)s recorded.")
                             % {"organisation": organisation.local_name})
            return redirect("promotion:application_list", pk=pk)
    return render(request, "promotion/application_form.html", {
        **_hub(event, user, "applications"), "form": form, "organisation": organisation})


@login_required
def my_applications(request):
    user = request.user
    require(user, "promotion.apply")
    applications = selectors.own_applications(user)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "promotion/my_applications.html", {
        "page": page, "query": request.GET.copy(),
        "withdrawable": [str(s) for s, moves in Application.MOVES.items()
                         if Application.Status.WITHDRAWN in moves]})


@login_required
@require_POST
def application_decide(request, pk):
    application = _access_application(request.user, pk)
    status = request.POST.get("status", "")
    try:
        application = services.application_decide(application=application, status=status,
                                                   by=request.user)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("%(organisation)s: %(status)s.") % {
            "organisation": application.organisation.local_name,
            "status": application.get_status_display()})
    return _back(request, reverse("promotion:application_list",
                                  kwargs={"pk": application.event_id}))


@login_required
@require_POST
def application_withdraw(request, pk):
    application = _access_application(request.user, pk, own_ok=True)
    try:
        services.application_decide(application=application,
                                    status=Application.Status.WITHDRAWN, by=request.user)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("The application is withdrawn."))
    return _back(request, reverse("promotion:event_detail",
                                  kwargs={"pk": application.event_id}))


# -- selection --------------------------------------------------------------------------------

SELECTION_PAGE = 100


@login_required
def selection_page(request, pk):
    user = request.user
    event = selectors.access_event(user, pk, write=True)
    board = selection.board(event)
    national = event.kind == Event.Kind.NATIONAL_FAIR
    form = SelectionRulesForm(request.POST or None, rules=board.rules, national=national)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=user,
                                  selection_rules=form.rules().to_json())
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Selection criteria saved; the ranking is updated."))
            return redirect("promotion:selection", pk=pk)
    page = Paginator(board.ranking, SELECTION_PAGE).get_page(request.GET.get("page"))
    sectors = dict(Organisation.Sector.choices)
    rows = []
    for ranked in page:
        application = board.applications[ranked.entry.key]
        holder = application.holder
        rows.append({"ranked": ranked, "application": application,
                     "moves": _moves(application),
                     "points": [(selection.CRITERIA[key][0], ranked.points[key])
                                for key in selection.WEIGHTS],
                     "age": event.start_date.year - holder.birth_year
                     if holder and holder.birth_year else None})
    return render(request, "promotion/selection.html", {
        **_hub(event, user, "selection"), "board": board, "form": form, "page": page,
        "rows": rows, "query": request.GET.copy(), "criteria": selection.CRITERIA,
        "regions": [r.name for r in Region.objects.filter(code__in=board.after.regions)],
        "sectors": [(sectors.get(sector, "—"), n) for sector, n in board.after.sectors],
        "youth_age": selection.YOUTH_AGE,
        "cap": selection.region_cap(board.rules, event.stands)})


@login_required
@require_POST
def selection_accept_top(request, pk):
    """Accept the top N as shown: the page posts the applications it proposed, and they
    are accepted only if the ranking still proposes exactly those."""
    user = request.user
    event = selectors.access_event(user, pk, write=True)
    board = selection.board(event)
    proposed = {r.entry.key for r in board.proposed}
    posted = {int(v) for v in request.POST.getlist("application") if v.isdigit()}
    if not proposed:
        messages.info(request, _("No application to accept: every stand is taken, or no "
                                 "application can be accepted."))
    elif posted != proposed:
        messages.error(request, _("The applications or the stands changed since the page "
                                  "was shown. Check the new ranking and try again."))
    else:
        try:
            with transaction.atomic():
                for ranked in board.proposed:
                    services.application_decide(
                        application=board.applications[ranked.entry.key],
                        status=Application.Status.ACCEPTED, by=user)
        except ValidationError as exc:
            error_message(request, exc)
        else:
            messages.success(request, _("%(n)s applications accepted.") % {"n": len(proposed)})
    return redirect("promotion:selection", pk=pk)


# -- stands -----------------------------------------------------------------------------------

STANDS_PAGE = 25


@login_required
def stands_page(request, pk):
    user = request.user
    event = selectors.access_event(user, pk, write=True)
    form = StandsForm(request.POST or None, initial={"count": event.stands or 10})
    if request.method == "POST" and form.is_valid():
        created = services.stands_create(event=event, by=user, **form.cleaned_data)
        messages.success(request, _("%(n)s stands added.") % {"n": created})
        return redirect("promotion:stands", pk=pk)
    stands = list(event.stand_set.select_related("participation", "participation__organisation")
                  .order_by("number"))
    free = [s for s in stands if _holder_of(s) is None]
    participations = selectors.participations_for_stands(event)
    page = Paginator(participations, STANDS_PAGE).get_page(request.GET.get("page"))
    # Propose a different free stand to each exhibitor without one, in order.
    waiting = [p for p in page if p.stand_id is None]
    for participation, stand in zip(waiting, free, strict=False):
        participation.suggested = stand.pk
    return render(request, "promotion/stands.html", {
        **_hub(event, user, "stands"), "form": form, "stands": stands, "free": free,
        "page": page, "query": request.GET.copy()})


def _holder_of(stand):
    try:
        return stand.participation
    except Participation.DoesNotExist:
        return None


@login_required
@require_POST
def participation_stand(request, pk):
    """Give a stand to a participation (or free it, with an empty choice)."""
    participation = selectors.access_participation(request.user, pk, write=True)
    choice = request.POST.get("stand", "")
    stand = None
    if choice:
        if not choice.isdigit():
            raise Http404
        stand = Stand.objects.filter(pk=choice).first()
        if stand is None:
            raise Http404
    try:
        participation = services.stand_allocate(participation=participation, stand=stand,
                                                by=request.user)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        if stand is None:
            messages.success(request, _("The stand of %(organisation)s is free again.")
                             % {"organisation": participation.organisation.local_name})
        else:
            messages.success(request, _("Stand %(number)s given to %(organisation)s.")
                             % {"number": stand.number,
                                "organisation": participation.organisation.local_name})
    return _back(request, reverse("promotion:stands", kwargs={"pk": participation.event_id}))


# -- participations ---------------------------------------------------------------------------

@login_required
def participation_list(request, pk):
    event = selectors.access_event(request.user, pk, write=True)
    form = ParticipationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.participation_list(event=event, **filters)
    exported = export_response(request, ParticipationExporter(queryset))
    if exported:
        return exported
    page = Paginator(queryset.select_related("satisfaction"),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "promotion/participation_list.html", {
        **_hub(event, request.user, "participations"), "form": form, "page": page,
        "query": request.GET.copy(), "statuses": Participation.Status.choices})


@login_required
@require_POST
def participation_status(request, pk):
    participation = selectors.access_participation(request.user, pk, write=True)
    try:
        participation = services.participation_set_status(
            participation=participation, status=request.POST.get("status", ""),
            by=request.user)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("%(organisation)s: %(status)s.") % {
            "organisation": participation.organisation.local_name,
            "status": participation.get_status_display()})
    return _back(request, reverse("promotion:participation_list",
                                  kwargs={"pk": participation.event_id}))


def _after_participation(request, participation):
    if _is_organisation(request.user):
        return redirect("promotion:event_detail", pk=participation.event_id)
    return _back(request, reverse("promotion:participation_list",
                                  kwargs={"pk": participation.event_id}))


@login_required
def participation_results(request, pk):
    """Declared sales and visitors, entered by staff or by the organisation itself."""
    participation = selectors.access_participation(request.user, pk, write=True)
    form = ResultsForm(request.POST or None, initial={"sales_mad": participation.sales_mad,
                                                      "visitors": participation.visitors})
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_record_results(participation=participation,
                                                  by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Results of %(organisation)s saved.")
                             % {"organisation": participation.organisation.local_name})
            return _after_participation(request, participation)
    return render(request, "promotion/participation_results.html", {
        "participation": participation, "event": participation.event, "form": form})


@login_required
def participation_satisfaction(request, pk):
    """The exhibitor's satisfaction with the event (its own answer, or entered by staff)."""
    participation = selectors.access_participation(request.user, pk, write=True)
    answer = Satisfaction.objects.filter(participation=participation).first()
    initial = ({"rating": answer.rating, "organisation_rating": answer.organisation_rating,
                "would_return": answer.would_return, "comment": answer.comment}
               if answer else None)
    form = SatisfactionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.satisfaction_answer(participation=participation, by=request.user,
                                         **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Thank you: the answer is saved."))
            return _after_participation(request, participation)
    return render(request, "promotion/satisfaction_form.html", {
        "participation": participation, "event": participation.event, "form": form,
        "answer": answer})


# -- summary ----------------------------------------------------------------------------------

@login_required
def event_summary(request, pk):
    user = request.user
    event = selectors.access_event(user, pk)
    require(user, "promotion.see_event_summary", event)
    figures = selectors.event_summary(event)
    satisfaction = selectors.event_satisfaction(event)
    labels = dict(Participation.Status.choices)
    links = (selectors.event_summary_links(event) if can(user, "observatory.drilldown")
             else {})
    return render(request, "promotion/event_summary.html", {
        **_hub(event, user, "summary"), "figures": figures, "links": links,
        "regions": satisfaction["regions"], "satisfaction": satisfaction,
        "again_share": satisfaction["again_share"],
        "by_status": [(labels[s], figures["by_status"].get(s, 0)) for s in labels]})


urlpatterns = [
    path("events/", event_list, name="event_list"),
    path("events/new/", event_create, name="event_create"),
    path("events/<int:pk>/", event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", event_edit, name="event_edit"),
    path("events/<int:pk>/status/", event_status, name="event_status"),
    path("events/<int:pk>/applications/", application_list, name="application_list"),
    path("events/<int:pk>/apply/", application_create, name="application_create"),
    path("events/<int:pk>/selection/", selection_page, name="selection"),
    path("events/<int:pk>/selection/accept/", selection_accept_top,
         name="selection_accept_top"),
    path("events/<int:pk>/stands/", stands_page, name="stands"),
    path("events/<int:pk>/participations/", participation_list, name="participation_list"),
    path("events/<int:pk>/summary/", event_summary, name="event_summary"),
    path("applications/", my_applications, name="my_applications"),
    path("applications/<int:pk>/decide/", application_decide, name="application_decide"),
    path("applications/<int:pk>/withdraw/", application_withdraw,
         name="application_withdraw"),
    path("participations/<int:pk>/stand/", participation_stand, name="participation_stand"),
    path("participations/<int:pk>/status/", participation_status,
         name="participation_status"),
    path("participations/<int:pk>/results/", participation_results,
         name="participation_results"),
    path("participations/<int:pk>/satisfaction/", participation_satisfaction,
         name="participation_satisfaction"),
]
