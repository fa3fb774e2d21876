"""Reads of the calls for projects and their applications.

Staff scope: the calls of the incubators the user runs (``selectors_coaching.
incubators_visible``: the national admin every one; an officer, those of their regions;
a coach, those they coach in); a call or application outside it is answered as missing
(404). The public reads the published calls open today, and nothing of the applications.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from essor.accounts import permissions
from essor.core.scoping import OutOfScope, get_in_scope

from .models import Application, Call, Incubator
from .selectors_coaching import incubators_visible


def calls_visible(user) -> QuerySet[Call]:
    return Call.objects.filter(incubator__in=incubators_visible(user).values("pk")) \
        .select_related("incubator", "incubator__region")


def call_list(user, *, status: str = "", incubator: int | None = None) -> QuerySet[Call]:
    """The calls of the user's scope with their applications counted (one query)."""
    queryset = calls_visible(user).annotate(
        applications_count=Count("applications", distinct=True),
        confirmed_count=Count("applications", distinct=True,
                              filter=Q(applications__email_confirmed_at__isnull=False)),
        selected_count=Count("applications", distinct=True,
                             filter=Q(applications__status=Application.Status.SELECTED)))
    if status:
        queryset = queryset.filter(status=status)
    if incubator:
        queryset = queryset.filter(incubator_id=incubator)
    return queryset.order_by("-opens_on", "code")


def incubators_managed(user) -> QuerySet[Incubator]:
    """The incubators whose calls the user may create (``incubation.manage_project``)."""
    return incubators_visible(user).order_by("name")


def access_call(user, pk, *, write: bool = False) -> Call:
    call = get_in_scope(calls_visible(user), Call, pk)
    if write and not permissions.can(user, "incubation.manage_project", call):
        raise OutOfScope(call)
    return call


def applications_of(call: Call, *, status: str = "", confirmed: str = "") -> QuerySet[Application]:
    queryset = (call.applications.select_related("region", "province", "decided_by")
                .prefetch_related("holders__person").order_by("submitted_at", "pk"))
    if status:
        queryset = queryset.filter(status=status)
    if confirmed == "yes":
        queryset = queryset.filter(email_confirmed_at__isnull=False)
    elif confirmed == "no":
        queryset = queryset.filter(email_confirmed_at__isnull=True)
    return queryset


def access_application(user, pk, *, write: bool = False) -> Application:
    visible = (Application.objects.filter(call__in=calls_visible(user).values("pk"))
               .select_related("call", "call__incubator", "call__incubator__region", "region",
                               "province", "decided_by")
               .prefetch_related("holders__person", "holders__person__region"))
    application = get_in_scope(visible, Application, pk)
    if write and not permissions.can(user, "incubation.manage_project", application.call):
        raise OutOfScope(application)
    return application


def project_of(application: Application):
    from .models import Project

    return Project.objects.filter(application=application).first()


# -- public -----------------------------------------------------------------------------------

def public_calls(today: datetime.date | None = None) -> QuerySet[Call]:
    """Published calls open today, the soonest to close first."""
    today = today or timezone.localdate()
    return (Call.objects.filter(status=Call.Status.PUBLISHED, opens_on__lte=today,
                                closes_on__gte=today)
            .select_related("incubator", "incubator__region", "incubator__host")
            .order_by("closes_on", "code"))


def public_call(code: str) -> Call | None:
    """A published or closed call, by its code (a closed one says it is closed)."""
    return (Call.objects.filter(code=code, status__in=[Call.Status.PUBLISHED,
                                                       Call.Status.CLOSED])
            .select_related("incubator", "incubator__region", "incubator__host").first())
