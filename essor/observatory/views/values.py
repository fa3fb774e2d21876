"""The observatory's collected values pages (entry, workflow, comments, import), under
/observatory/<observatory code>/values/. An observatory the reader may not open, or a
value outside their regions, is not found (404); a write their role may not do is 403."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essor.accounts.permissions import can, requires
from essor.core.imports import ImportFileError, run_import
from essor.core.web import error_message, form_errors_from

from .. import collected
from ..catalogue import REGISTRY
from ..forms_values import CommentForm, ReasonForm, ValueFilterForm, ValueForm, ValueImportForm
from ..imports import CollectedValueImporter

PAGE_SIZE = 50
READ = "observatory.read_observatory"


def _may(user, name: str, observatory) -> bool:
    return can(user, name, observatory)


def _require(user, name: str, observatory) -> None:
    if not can(user, name, observatory):
        raise PermissionDenied


@login_required
@requires(READ)
def value_list(request, observatory):
    obs = collected.access_observatory(request.user, observatory)
    form = ValueFilterForm(request.GET or None, observatory=obs)
    listed = collected.value_list(obs, request.user, **form.filters()).order_by(
        "indicator_code", "-period_start", "region__code", "province__code", "cell_key", "pk")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    names = {code: item.name for code, item in REGISTRY.items()}
    return render(request, "observatory/values/list.html", {
        "observatory": obs, "form": form, "page": page, "query": query,
        "rows": [(value, names.get(value.indicator_code, value.indicator_code),
                  collected.cell_labels(value)) for value in page],
        "may_enter": _may(request.user, "observatory.enter_values", obs)})


@login_required
@requires("observatory.enter_values")
def value_new(request, observatory):
    obs = collected.access_observatory(request.user, observatory)
    _require(request.user, "observatory.enter_values", obs)
    form = ValueForm(request.POST or None, observatory=obs, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            value = collected.value_create(observatory=obs, by=request.user,
                                           **form.service_data())
        except ValidationError as exc:
            form_errors_from(exc, form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Value saved as a draft."))
            return redirect("observatory:value_detail", observatory=obs.code, pk=value.pk)
    return render(request, "observatory/values/form.html", {"observatory": obs,
                                                           "form": form})


@login_required
@requires(READ)
def value_detail(request, observatory, pk):
    obs = collected.access_observatory(request.user, observatory)
    value = collected.access_value(request.user, obs, pk)
    user = request.user
    status = value.status
    enter = _may(user, "observatory.enter_values", obs)
    validate = _may(user, "observatory.validate_values", obs)
    S = collected.Status
    return render(request, "observatory/values/detail.html", {
        "observatory": obs, "value": value, "cell": collected.cell_labels(value),
        "indicator": REGISTRY.get(value.indicator_code),
        "comments": collected.comment_list(value), "comment_form": CommentForm(),
        "reason_form": ReasonForm(),
        "may_edit": enter and status == S.DRAFT,
        "may_submit": enter and status == S.DRAFT,
        "may_validate": validate and status == S.SUBMITTED,
        "may_unvalidate": validate and status == S.VALIDATED,
        "locked": status == S.VALIDATED})


@login_required
@requires("observatory.enter_values")
def value_edit(request, observatory, pk):
    obs = collected.access_observatory(request.user, observatory)
    value = collected.access_value(request.user, obs, pk)
    _require(request.user, "observatory.enter_values", obs)
    form = ValueForm(request.POST or None, observatory=obs, user=request.user,
                     instance=value)
    if value.status != collected.Status.DRAFT:
        form.add_error(None, _("Only a draft can be changed: %(value)s is %(status)s.")
                       % {"value": collected.describe(value),
                          "status": value.get_status_display()})
    elif request.method == "POST" and form.is_valid():
        try:
            collected.value_update(value=value, data=form.service_data(), by=request.user)
        except ValidationError as exc:
            form_errors_from(exc, form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("observatory:value_detail", observatory=obs.code, pk=value.pk)
    return render(request, "observatory/values/form.html", {"observatory": obs,
                                                           "form": form, "value": value})


def _action(request, observatory, pk, permission: str, run, done: str, reason: bool = False):
    """A POSTed step of the workflow: 404 outside the reader's scope, 403 without the
    permission, the service's refusal as a message."""
    obs = collected.access_observatory(request.user, observatory)
    value = collected.access_value(request.user, obs, pk)
    _require(request.user, permission, obs)
    target = redirect("observatory:value_detail", observatory=obs.code, pk=value.pk)
    kwargs = {}
    if reason:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason."))
            return target
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        run(value=value, by=request.user, **kwargs)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, done)
    return target


@login_required
@require_POST
@requires("observatory.enter_values")
def value_submit(request, observatory, pk):
    return _action(request, observatory, pk, "observatory.enter_values",
                   collected.value_submit, _("Value submitted for validation."))


@login_required
@require_POST
@requires("observatory.validate_values")
def value_validate(request, observatory, pk):
    return _action(request, observatory, pk, "observatory.validate_values",
                   collected.value_validate, _("Value validated: it is now locked."))


@login_required
@require_POST
@requires("observatory.validate_values")
def value_send_back(request, observatory, pk):
    return _action(request, observatory, pk, "observatory.validate_values",
                   collected.value_send_back, _("Value sent back to draft."), reason=True)


@login_required
@require_POST
@requires("observatory.validate_values")
def value_unvalidate(request, observatory, pk):
    return _action(request, observatory, pk, "observatory.validate_values",
                   collected.value_unvalidate,
                   _("Value un-validated: it is a draft again, no longer counted."),
                   reason=True)


@login_required
@require_POST
@requires("observatory.enter_values")
def value_delete(request, observatory, pk):
    obs = collected.access_observatory(request.user, observatory)
    value = collected.access_value(request.user, obs, pk)
    _require(request.user, "observatory.enter_values", obs)
    try:
        collected.value_delete(value=value, by=request.user)
    except ValidationError as exc:
        error_message(request, exc)
        return redirect("observatory:value_detail", observatory=obs.code, pk=value.pk)
    messages.success(request, _("Value deleted."))
    return redirect("observatory:values", observatory=obs.code)


@login_required
@require_POST
@requires(READ)
def value_comment(request, observatory, pk):
    obs = collected.access_observatory(request.user, observatory)
    value = collected.access_value(request.user, obs, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            collected.value_comment(value=value, body=form.cleaned_data["body"],
                                    by=request.user)
        except ValidationError as exc:
            error_message(request, exc)
        else:
            messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write the comment."))
    return redirect("observatory:value_detail", observatory=obs.code, pk=value.pk)


@login_required
@requires("observatory.enter_values")
def value_import(request, observatory):
    obs = collected.access_observatory(request.user, observatory)
    _require(request.user, "observatory.enter_values", obs)
    form = ValueImportForm(request.POST or None, request.FILES or None)
    result = errors_file = None
    if request.method == "POST" and form.is_valid():
        mode = form.cleaned_data["mode"]
        upload = form.cleaned_data["file"]
        try:
            result = run_import(CollectedValueImporter(by=request.user, observatory=obs),
                                upload, upload.name, dry_run=mode == "dry_run",
                                partial=mode == "partial")
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if result.written:
                messages.success(request, _("Import done."))
            if result.errors and result.bad_rows:
                errors_file = base64.b64encode(result.errors_csv()).decode()
    return render(request, "observatory/values/import.html", {
        "observatory": obs, "form": form, "result": result, "errors_file": errors_file,
        "importer": CollectedValueImporter})


@login_required
@requires("observatory.enter_values")
def value_import_template(request, observatory, fmt):
    obs = collected.access_observatory(request.user, observatory)
    _require(request.user, "observatory.enter_values", obs)
    importer = CollectedValueImporter(by=request.user, observatory=obs)
    if fmt == "xlsx":
        content = importer.template_xlsx()
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, ctype = importer.template_csv(), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = (f'attachment; filename="essor-{obs.code}-values-'
                                       f'template.{fmt}"')
    return response


PREFIX = "<slug:observatory>/values/"
urlpatterns = [
    path(PREFIX, value_list, name="values"),
    path(PREFIX + "new/", value_new, name="value_new"),
    path(PREFIX + "import/", value_import, name="value_import"),
    path(PREFIX + "import/template.<str:fmt>", value_import_template,
         name="value_import_template"),
    path(PREFIX + "<int:pk>/", value_detail, name="value_detail"),
    path(PREFIX + "<int:pk>/edit/", value_edit, name="value_edit"),
    path(PREFIX + "<int:pk>/submit/", value_submit, name="value_submit"),
    path(PREFIX + "<int:pk>/validate/", value_validate, name="value_validate"),
    path(PREFIX + "<int:pk>/send-back/", value_send_back, name="value_send_back"),
    path(PREFIX + "<int:pk>/unvalidate/", value_unvalidate, name="value_unvalidate"),
    path(PREFIX + "<int:pk>/delete/", value_delete, name="value_delete"),
    path(PREFIX + "<int:pk>/comment/", value_comment, name="value_comment"),
]
