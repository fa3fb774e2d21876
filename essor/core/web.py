"""Small pieces every app's views share: service errors shown on forms and in messages,
and list exports (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError

from essor.audit import services as audit
from essor.core.exports import Exporter


def form_errors_from(exc: ValidationError, form) -> None:
    """A service's ValidationError shown on the form: by field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def error_message(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def export_response(request, exporter: Exporter):
    """The CSV or XLSX file when ``?format=`` asks for one (and audited), else None."""
    fmt = request.GET.get("format")
    if fmt not in ("csv", "xlsx"):
        return None
    audit.record(f"export.{exporter.filename}", by=request.user,
                 changes={"format": fmt, "filters": request.GET.dict()})
    return exporter.response(fmt)
