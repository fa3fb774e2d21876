"""The observatories' pages (their regions, host, analysts, datasets and notes) and the
regional profile, for staff; the public pages are under /open/ (views/opendata.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essor.accounts.permissions import can, requires
from essor.core.scoping import in_scope
from essor.core.web import error_message, form_errors_from
from essor.territory.selectors import region_by_code

from .. import selectors, services
from ..catalogue import all_indicators
from ..compute import IndicatorError
from ..dimensions import REGISTRY as DIMENSIONS
from ..forms import DatasetForm, NoteForm
from ..models import Dataset, Observatory, ObservatoryNote
from .drilldown_pages import date_param


def _observatory(request, code: str) -> Observatory:
    """The observatory, 404 when the reader may not read it (another region's)."""
    observatory = get_object_or_404(selectors.observatories_for(request.user), code=code)
    if not can(request.user, "observatory.read_observatory", observatory):
        raise Http404
    return observatory


@login_required
@requires("observatory.read_observatory")
def observatory_list(request):
    return render(request, "observatory/observatory_list.html",
                  {"observatories": selectors.observatories_for(request.user)})


def _detail(request, observatory: Observatory, *, dataset_form=None, note_form=None,
            status: int = 200):
    publishes = can(request.user, "observatory.publish_dataset", observatory)
    names = {item.code: item.name for item in all_indicators()}
    return render(request, "observatory/observatory_detail.html", {
        "observatory": observatory, "publishes": publishes,
        "regions": observatory.regions.order_by("code"),
        "analysts": observatory.analysts.order_by("last_name", "first_name"),
        "datasets": [(dataset, names.get(dataset.indicator_code, dataset.indicator_code),
                      [DIMENSIONS[c].name for c in dataset.by if c in DIMENSIONS])
                     for dataset in selectors.datasets_of(observatory)],
        "notes": selectors.notes_of(observatory),
        "dataset_form": dataset_form or (DatasetForm() if publishes else None),
        "note_form": note_form or (NoteForm() if publishes else None),
    }, status=status)


@login_required
@requires("observatory.read_observatory")
def observatory_detail(request, code: str):
    return _detail(request, _observatory(request, code))


def _saved(form, create, **kwargs) -> bool:
    """Run the service on a valid form; its refusal lands on the form, nothing lost."""
    if not form.is_valid():
        return False
    try:
        create(**kwargs, **form.cleaned_data)
    except ValidationError as exc:
        form_errors_from(exc, form)
        return False
    return True


@login_required
@require_POST
@requires("observatory.publish_dataset")
def dataset_new(request, code: str):
    observatory = _observatory(request, code)
    form = DatasetForm(request.POST)
    if _saved(form, services.dataset_create, observatory=observatory, by=request.user):
        messages.success(request, _("Dataset added: publish it when it is ready."))
        return redirect("observatory:observatory_detail", code=observatory.code)
    return _detail(request, observatory, dataset_form=form)


@login_required
@require_POST
@requires("observatory.publish_dataset")
def dataset_publish(request, code: str, pk: int):
    observatory = _observatory(request, code)
    dataset = get_object_or_404(Dataset, pk=pk, observatory=observatory)
    published = request.POST.get("published") == "1"
    try:
        services.dataset_publish(dataset, published=published, by=request.user)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("Dataset published as open data.") if published
                         else _("Dataset withdrawn from the open data."))
    return redirect("observatory:observatory_detail", code=observatory.code)


@login_required
@require_POST
@requires("observatory.publish_dataset")
def note_new(request, code: str):
    observatory = _observatory(request, code)
    form = NoteForm(request.POST)
    if _saved(form, services.note_create, observatory=observatory, by=request.user):
        messages.success(request, _("Note saved: publish it when it is ready."))
        return redirect("observatory:observatory_detail", code=observatory.code)
    return _detail(request, observatory, note_form=form)


@login_required
@require_POST
@requires("observatory.publish_dataset")
def note_publish(request, code: str, pk: int):
    observatory = _observatory(request, code)
    note = get_object_or_404(ObservatoryNote, pk=pk, observatory=observatory)
    published = request.POST.get("published") == "1"
    services.note_publish(note, published=published, by=request.user)
    messages.success(request, _("Note published.") if published else _("Note withdrawn."))
    return redirect("observatory:observatory_detail", code=observatory.code)


@login_required
@requires("observatory.read_dashboards")
def region_profile(request, region: str):
    place = region_by_code(region)
    if place is None or not in_scope(request.user, place.pk):
        raise Http404
    errors: list[str] = []
    date_from, date_to = date_param(request, "from", errors), date_param(request, "to", errors)
    profile = None
    if not errors:
        try:
            profile = selectors.region_profile(
                place, date_from=date_from, date_to=date_to,
                linked=can(request.user, "observatory.drilldown"))
        except IndicatorError as exc:
            errors.append(str(exc))
    return render(request, "observatory/region_profile.html", {
        "region": place, "profile": profile, "errors": errors,
        "date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", ""),
    }, status=400 if errors else 200)


urlpatterns = [
    path("observatories/", observatory_list, name="observatory_list"),
    path("observatories/<slug:code>/", observatory_detail, name="observatory_detail"),
    path("observatories/<slug:code>/datasets/new/", dataset_new, name="dataset_new"),
    path("observatories/<slug:code>/datasets/<int:pk>/publish/", dataset_publish,
         name="dataset_publish"),
    path("observatories/<slug:code>/notes/new/", note_new, name="note_new"),
    path("observatories/<slug:code>/notes/<int:pk>/publish/", note_publish,
         name="note_publish"),
    path("regions/<str:region>/", region_profile, name="region_profile"),
]
