"""The public open-data pages (mounted under /open/ by essor.observatory.urls_open): no
account needed. Every figure comes from ``essor.observatory.opendata`` (the catalogue's
values, small cells suppressed); an unpublished dataset or note, another observatory's,
or an id out of range is not found."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from .. import opendata, selectors
from ..models import Dataset, Observatory

MAX_ID = 2**63 - 1  # beyond a database integer: no record, not a server error


def _observatory(code: str) -> Observatory:
    found = selectors.open_observatory(code)
    if found is None:
        raise Http404
    return found


def _published(observatory: Observatory, pk: int) -> Dataset:
    if pk > MAX_ID:
        raise Http404
    found = opendata.published_datasets(observatory).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _notes(observatory: Observatory):
    return selectors.notes_of(observatory, published_only=True)


@require_safe
def index(request):
    observatories = selectors.open_observatories()
    entries = [{"observatory": obs, "name": opendata.observatory_name(obs),
                "datasets": [(dataset, opendata.title(dataset))
                             for dataset in obs.published_datasets]}
               for obs in observatories]
    return render(request, "open/index.html", {"entries": entries})


@require_safe
def observatory(request, code):
    found = _observatory(code)
    datasets = list(opendata.published_datasets(found))
    tables = opendata.published(datasets)
    shown = [{"dataset": dataset, "title": opendata.title(dataset),
              "table": tables[dataset.pk],
              "blocks": opendata.blocks(tables[dataset.pk])
              if tables[dataset.pk].error is None else []}
             for dataset in datasets]
    return render(request, "open/observatory.html", {
        "observatory": found, "name": opendata.observatory_name(found),
        "regions": list(found.regions.all()), "datasets": shown,
        "notes": list(_notes(found)), "suppression_note": opendata.SUPPRESSION_NOTE,
        "formats": opendata.FORMATS})


@require_safe
def note(request, code, pk):
    found = _observatory(code)
    if pk > MAX_ID:
        raise Http404
    item = _notes(found).filter(pk=pk).first()
    if item is None:
        raise Http404
    return render(request, "open/note.html", {
        "observatory": found, "name": opendata.observatory_name(found), "note": item})


@require_safe
def dataset_file(request, code, pk, fmt):
    if fmt not in opendata.FORMATS:
        raise Http404
    found = _observatory(code)
    dataset = _published(found, pk)
    published = opendata.table(dataset)
    if published.error is not None:
        raise Http404
    content = opendata.render(published, fmt)
    ctype = opendata.MEDIATYPES[fmt] + ("; charset=utf-8" if fmt != "xlsx" else "")
    response = HttpResponse(content, content_type=ctype)
    disposition = "inline" if fmt == "json" else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="{opendata.file_stem(dataset)}.{fmt}"')
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def datapackage(request, code):
    found = _observatory(code)
    datasets = list(opendata.published_datasets(found))
    tables = opendata.published(datasets)
    descriptor = opendata.datapackage(
        found, [tables[dataset.pk] for dataset in datasets],
        homepage=request.build_absolute_uri(reverse("open:observatory", args=[found.code])))
    if not descriptor["resources"]:  # a data package holds at least one resource
        raise Http404
    response = HttpResponse(json.dumps(descriptor, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


urlpatterns = [
    path("", index, name="index"),
    path("<slug:code>/", observatory, name="observatory"),
    path("<slug:code>/datapackage.json", datapackage, name="datapackage"),
    path("<slug:code>/datasets/<int:pk>.<str:fmt>", dataset_file, name="dataset_file"),
    path("<slug:code>/notes/<int:pk>/", note, name="note"),
]
