import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from essor.accounts.permissions import can, require, requires
from essor.core.home import cards_for
from essor.core.imports import REGISTRY, ImportFileError, load_importers, run_import

from . import uploads
from .forms import ImportAgainForm, ImportForm


@login_required
def home(request):
    """The user's cards (``essor.core.home``): what needs them today, for their role."""
    today, user = timezone.localdate(), request.user
    return render(request, "core/home.html", {
        "cards": cards_for(user, today), "today": today,
        # An organisation's or partner's account reads its organisation, not a region.
        "shows_scope": not can(user, "core.own_organisation_only")})


def _importer_class(user, kind):
    require(user, "core.import")
    load_importers()
    if kind not in REGISTRY:
        raise Http404
    return REGISTRY[kind]


@login_required
@requires("core.import")
def import_index(request):
    load_importers()
    return render(request, "core/import_index.html", {"importers": REGISTRY.values()})


@login_required
def import_upload(request, kind):
    """Upload and import; after a dry run the file is kept (``essor.core.uploads``) and
    the real import runs on it from the result's own form."""
    importer_class = _importer_class(request.user, kind)
    if request.method == "POST" and "upload" in request.POST:
        return _import_kept(request, importer_class)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = errors_file = kept = None
    if request.method == "POST" and form.is_valid():
        mode = form.cleaned_data["mode"]
        upload = form.cleaned_data["file"]
        result, errors_file = _run(request, importer_class, form, upload, upload.name,
                                   dry_run=mode == "dry_run", partial=mode == "partial")
        if result is not None and result.dry_run:
            kept = uploads.keep(request, kind, upload)
    return render(request, "core/import_upload.html", {
        "form": form, "importer": importer_class, "result": result,
        "errors_file": errors_file, "kept": kept, "again": ImportAgainForm(
            initial={"upload": kept, "mode": "all"}) if kept else None})


def _run(request, importer_class, form, stream, name, **modes):
    """The import and what its page shows: the result, the bad rows as a downloadable
    file; a file that cannot be read is an error on the form."""
    try:
        result = run_import(importer_class(by=request.user), stream, name, **modes)
    except ImportFileError as exc:
        form.add_error("file", str(exc))
        return None, None
    if result.written:
        messages.success(request, _("Import done."))
    errors_file = (base64.b64encode(result.errors_csv()).decode()
                   if result.errors and result.bad_rows else None)
    return result, errors_file


def _import_kept(request, importer_class):
    form = ImportForm()
    again = ImportAgainForm(request.POST)
    found = again.is_valid() and uploads.find(request, importer_class.kind,
                                              again.cleaned_data["upload"])
    if not found:
        messages.error(request, _("The file checked earlier is no longer kept: choose it "
                                  "again."))
        return render(request, "core/import_upload.html", {
            "form": form, "importer": importer_class, "result": None})
    path, name = found
    with path.open("rb") as stream:
        result, errors_file = _run(request, importer_class, form, stream, name,
                                   partial=again.cleaned_data["mode"] == "partial")
    uploads.discard(request, again.cleaned_data["upload"])
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
