from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essor.accounts.permissions import can, require
from essor.core.web import export_response, form_errors_from

from . import selectors, services
from .exports import OrganisationExporter, PersonExporter
from .forms import (
    OrganisationFilterForm,
    OrganisationForm,
    OrganisationProfileForm,
    PersonFilterForm,
    PersonForm,
    region_choices,
)
from .models import Membership

PAGE_SIZE = 50



def _export_or_page(request, queryset, exporter, template, context):
    exported = export_response(request, exporter)
    if exported:
        return exported
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {**context, "page": page,
                                      "query": request.GET.copy()})


# -- organisations --------------------------------------------------------------------------

@login_required
def organisation_list(request):
    if can(request.user, "core.own_organisation_only"):
        if request.user.organisation_id:
            return redirect("registry:organisation_detail", pk=request.user.organisation_id)
        raise Http404
    form = OrganisationFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.organisation_list(user=request.user, **filters)
    return _export_or_page(request, queryset, OrganisationExporter(queryset),
                           "registry/organisation_list.html", {"form": form})


@login_required
def organisation_detail(request, pk):
    organisation = selectors.access_organisation(request.user, pk)
    can_edit = selectors.organisation_can_edit(request.user, organisation)
    members = organisation.memberships.select_related("person").order_by("person__last_name")
    member_q = request.GET.get("member_q", "").strip()
    found: Any = []
    if member_q and can(request.user, "registry.edit_members", organisation):
        found = selectors.person_list(user=request.user, q=member_q)[:10]
    return render(request, "registry/organisation_detail.html", {
        "organisation": organisation, "can_edit": can_edit,
        "members": members[:200] if can(request.user, "registry.read_people") else None,
        "member_q": member_q, "found": found, "roles": Membership.Role.choices,
    })


@login_required
@require_POST
def organisation_member_add(request, pk):
    require(request.user, "registry.edit_members")
    organisation = selectors.access_organisation(request.user, pk, write=True)
    person = selectors.access_person(request.user, request.POST.get("person", "0"))
    role = request.POST.get("role", Membership.Role.MEMBER)
    if role not in Membership.Role.values:
        role = Membership.Role.MEMBER
    services.membership_add(organisation=organisation, person=person, role=role,
                            by=request.user)
    messages.success(request, _("%(name)s is now a member.") % {"name": person.full_name})
    return redirect("registry:organisation_detail", pk=pk)


@login_required
@require_POST
def organisation_member_remove(request, pk, membership):
    require(request.user, "registry.edit_members")
    organisation = selectors.access_organisation(request.user, pk, write=True)
    found = get_object_or_404(organisation.memberships.select_related("organisation"),
                              pk=membership)
    services.membership_remove(membership=found, by=request.user)
    messages.success(request, _("Membership removed."))
    return redirect("registry:organisation_detail", pk=pk)


@login_required
def organisation_create(request):
    require(request.user, "registry.create_organisation")
    form = OrganisationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Organisation created."))
            return redirect("registry:organisation_detail", pk=organisation.pk)
    return render(request, "registry/organisation_form.html", {"form": form})


@login_required
def organisation_edit(request, pk):
    organisation = selectors.access_organisation(request.user, pk, write=True)
    form_class = (OrganisationProfileForm if can(request.user, "core.organisation_account")
                  else OrganisationForm)
    form = form_class(request.POST or None, instance=organisation, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=selectors.access_organisation(
                request.user, pk, write=True), by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:organisation_detail", pk=pk)
    return render(request, "registry/organisation_form.html",
                  {"form": form, "organisation": organisation})


# -- people -----------------------------------------------------------------------------------

def _require_people(user):
    require(user, "registry.read_people")


@login_required
def person_list(request):
    _require_people(request.user)
    form = PersonFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.person_list(user=request.user, **filters)
    exporter = PersonExporter(queryset, full=can(request.user, "registry.see_personal_data"))
    return _export_or_page(request, queryset, exporter, "registry/person_list.html",
                           {"form": form})


@login_required
def person_detail(request, pk):
    person = selectors.access_person(request.user, pk)
    services.national_ids_shown(people=[person], by=request.user, where="person_page")
    return render(request, "registry/person_detail.html", {
        "person": person,
        "can_edit": selectors.person_can_edit(request.user, person),
        "memberships": selectors.person_memberships(person),
        "candidates": selectors.person_match_candidates(user=request.user, person=person,
                                                        limit=10)
        if can(request.user, "registry.merge_people") else [],
    })


@login_required
def person_create(request):
    _require_people(request.user)
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person, outcome = services.person_get_or_create(by=request.user,
                                                            **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            if outcome == "created":
                messages.success(request, _("Person registered."))
            else:
                messages.info(request, _("This person was already registered: the existing "
                                         "record is shown, with any missing details added."))
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form})


@login_required
def person_edit(request, pk):
    person = selectors.access_person(request.user, pk, write=True)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=selectors.access_person(request.user, pk, write=True),
                                   by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:person_detail", pk=pk)
    if "national_id" in form.fields:
        services.national_ids_shown(people=[person], by=request.user, where="edit_page")
    return render(request, "registry/person_form.html", {"form": form, "person": person})


@login_required
def person_matches(request):
    require(request.user, "registry.merge_people")
    regions = region_choices(request.user)  # the reader's own regions only
    region = request.GET.get("region", "")
    if region not in {code for code, _name in regions}:
        region = ""
    pairs = selectors.person_match_pairs(user=request.user, region=region)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/person_matches.html", {
        "candidates": selectors.person_match_page(user=request.user, pairs=page.object_list),
        "page": page, "regions": regions, "region": region, "query": request.GET.copy()})


@login_required
def person_merge(request, keep, drop):
    require(request.user, "registry.merge_people")
    kept = selectors.access_person(request.user, keep, write=True)
    dropped = selectors.access_person(request.user, drop, write=True)
    if kept.pk == dropped.pk:
        raise Http404
    if request.method == "POST":
        try:
            services.person_merge(keep=kept, drop=dropped, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The two records are now one."))
            return redirect("registry:person_detail", pk=kept.pk)
    services.national_ids_shown(people=[kept, dropped], by=request.user, where="merge_page")
    return render(request, "registry/person_merge.html", {"keep": kept, "drop": dropped})


@login_required
@require_POST
def person_match_dismiss(request, a, b):
    require(request.user, "registry.merge_people")
    first = selectors.access_person(request.user, a, write=True)
    second = selectors.access_person(request.user, b, write=True)
    if first.pk == second.pk:
        raise Http404
    services.match_dismiss(a=first, b=second, by=request.user)
    messages.success(request, _("These two people will no longer be proposed for merging."))
    return redirect("registry:person_matches")
