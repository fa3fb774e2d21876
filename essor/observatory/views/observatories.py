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
from essor.core.web import error_message, form_errors_from
from essor.territory.selectors import region_in_scope

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


def _add(request, code: str, form_class, create, form_name: str, done: str):
    """A dataset or a note through its service: back to the observatory when saved, the
    page again with the form, its refusal on it and nothing typed lost, when not."""
    observatory = _observatory(request, code)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            create(observatory=observatory, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, done)
            return redirect("observatory:observatory_detail", code=observatory.code)
    return _detail(request, observatory, **{form_name: form})


def _publish(request, code: str, model, pk: int, publish, published_message: str,
             withdrawn_message: str):
    """Publish (``published=1``) or withdraw one of the observatory's datasets or notes;
    the service's refusal as the page's message."""
    observatory = _observatory(request, code)
    item = get_object_or_404(model, pk=pk, observatory=observatory)
    published = request.POST.get("published") == "1"
    try:
        publish(item, published=published, by=request.user)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, published_message if published else withdrawn_message)
    return redirect("observatory:observatory_detail", code=observatory.code)


@login_required
@require_POST
@requires("observatory.publish_dataset")
def dataset_new(request, code: str):
    return _add(request, code, DatasetForm, services.dataset_create, "dataset_form",
                _("Dataset added: publish it when it is ready."))


@login_required
@require_POST
@requires("observatory.publish_dataset")
def dataset_publish(request, code: str, pk: int):
    return _publish(request, code, Dataset, pk, services.dataset_publish,
                    _("Dataset published as open data."),
                    _("Dataset withdrawn from the open data."))


@login_required
@require_POST
@requires("observatory.publish_dataset")
def note_new(request, code: str):
    return _add(request, code, NoteForm, services.note_create, "note_form",
                _("Note saved: publish it when it is ready."))


@login_required
@require_POST
@requires("observatory.publish_dataset")
def note_publish(request, code: str, pk: int):
    return _publish(request, code, ObservatoryNote, pk, services.note_publish,
                    _("Note published."), _("Note withdrawn."))


@login_required
@requires("observatory.read_dashboards")
def region_profile(request, region: str):
    place = region_in_scope(request.user, region)
    if place is None:
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
