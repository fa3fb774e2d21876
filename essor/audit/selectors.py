import datetime

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat

from essor.accounts.permissions import can
from essor.core.normalise import search_text

from .actions import ZONE
from .models import AuditEntry


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight of that day in Morocco (the dates typed in the filter are Moroccan)."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=ZONE)


def entry_list(*, user, action: str = "", actor: str = "", object_type: str = "",
               object_id: str = "", date_from: datetime.date | None = None,
               date_to: datetime.date | None = None) -> QuerySet[AuditEntry]:
    if not can(user, "audit.read"):
        return AuditEntry.objects.none()
    queryset = AuditEntry.objects.select_related("actor", "region")
    action, actor, object_type, object_id = (
        search_text(v) for v in (action or "", actor or "", object_type or "",
                                 object_id or ""))
    if action:
        # A code exactly; a code's start (``registry.person.``) for a family of them.
        queryset = queryset.filter(action=action) if not action.endswith(".") else (
            queryset.filter(action__startswith=action))
    if actor:
        # The user name stored, or the full name of the user it was.
        queryset = queryset.alias(actor_full_name=Concat(
            "actor__first_name", Value(" "), "actor__last_name")).filter(
            Q(actor_name__icontains=actor) | Q(actor_full_name__icontains=actor))
    if object_type:
        queryset = queryset.filter(object_type=object_type)
    if object_id:
        queryset = queryset.filter(object_id=object_id)
    if date_from:
        queryset = queryset.filter(at__gte=_start_of(date_from))
    if date_to:
        queryset = queryset.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return queryset


def imports_with_errors(*, user, since) -> QuerySet[AuditEntry]:
    """Imports written since ``since`` (an aware datetime) that left rows out for their
    errors (a partial import): a national admin's, every one; a regional officer's, their
    own and those of users of their region(s). Latest first."""
    from django.db.models import Q

    from essor.core.scoping import region_ids

    if not can(user, "core.import"):
        return AuditEntry.objects.none()
    queryset = AuditEntry.objects.filter(action__startswith="import.", at__gte=since,
                                         changes__error_rows__gt=0)
    ids = region_ids(user)
    if ids is not None:
        queryset = queryset.filter(Q(actor=user) | Q(actor__regions__in=ids)).distinct()
    return queryset.select_related("actor").order_by("-at", "-id")
