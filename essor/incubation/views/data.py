"""Exports of incubation as CSV or XLSX files: the projects, their holders and the
coaching sessions of the incubators the user runs (scoped by ``selectors_coaching``);
holders' personal data masked and sessions' notes left out as ``exports`` says. Each
download is audited (``export.<file>``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path

from essor.accounts.permissions import requires
from essor.audit import services as audit

from .. import selectors_coaching as selectors
from ..exports import HolderExporter, ProjectExporter, SessionExporter
from ..models import Holder

FORMATS = ("csv", "xlsx")


def _download(request, exporter, fmt):
    if fmt not in FORMATS:
        raise Http404
    audit.record(f"export.{exporter.filename}", by=request.user,
                 changes={"format": fmt, "filters": request.GET.dict()})
    return exporter.response(fmt)


@login_required
@requires("incubation.read")
def export_projects(request, fmt):
    return _download(request, ProjectExporter(selectors.projects_visible(request.user)
                                              .order_by("code")), fmt)


@login_required
@requires("registry.read_people")
@requires("incubation.read")
def export_holders(request, fmt):
    holders = Holder.objects.filter(
        project__in=selectors.projects_visible(request.user).values("pk")).order_by(
        "project__code", "-lead", "pk")
    return _download(request, HolderExporter(holders, user=request.user), fmt)


@login_required
@requires("incubation.read")
def export_sessions(request, fmt):
    sessions = selectors.sessions_visible(request.user).order_by("project__code", "date", "pk")
    return _download(request, SessionExporter(sessions, user=request.user), fmt)


urlpatterns = [
    path("exports/projects.<str:fmt>", export_projects, name="export_projects"),
    path("exports/holders.<str:fmt>", export_holders, name="export_holders"),
    path("exports/sessions.<str:fmt>", export_sessions, name="export_sessions"),
]
