import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from essor.core.imports import REGISTRY, ImportFileError, load_importers, run_import
from essor.registry import selectors as registry

from .forms import ImportForm


@login_required
def home(request):
    user = request.user
    figures = {"organisations": registry.organisation_visible(user).count()}
    if user.reads_people:
        figures["people"] = registry.person_visible(user).count()
    return render(request, "core/home.html", {"figures": figures})


def _importer_class(user, kind):
    if not user.edits_registry:
        raise PermissionDenied
    load_importers()
    if kind not in REGISTRY:
        raise Http404
    return REGISTRY[kind]


@login_required
def import_index(request):
    if not request.user.edits_registry:
        raise PermissionDenied
    load_importers()
    return render(request, "core/import_index.html", {"importers": REGISTRY.values()})


@login_required
def import_upload(request, kind):
    importer_class = _importer_class(request.user, kind)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = errors_file = None
    if request.method == "POST" and form.is_valid():
        mode = form.cleaned_data["mode"]
        upload = form.cleaned_data["file"]
        try:
            result = run_import(importer_class(by=request.user), upload, upload.name,
                                dry_run=mode == "dry_run", partial=mode == "partial")
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if result.errors and result.bad_rows:
                errors_file = base64.b64encode(result.errors_csv()).decode()
            if result.written:
                messages.success(request, _("Import done."))
    return render(request, "core/import_upload.html", {
        "form": form, "importer": importer_class, "result": result,
        "errors_file": errors_file})


@login_required
def import_template(request, kind, fmt):
    importer = _importer_class(request.user, kind)(by=request.user)
    if fmt == "xlsx":
        content = importer.template_xlsx()
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, ctype = importer.template_csv(), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="essor-{kind}-template.{fmt}"'
    return response
