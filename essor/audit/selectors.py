from django.db.models import QuerySet

from essor.accounts.permissions import can
from essor.core.normalise import search_text

from .models import AuditEntry


def entry_list(*, user, action: str = "", actor: str = "", object_type: str = "",
               object_id: str = "") -> QuerySet[AuditEntry]:
    if not can(user, "audit.read"):
        return AuditEntry.objects.none()
    queryset = AuditEntry.objects.select_related("actor", "region")
    action, actor, object_type, object_id = (
        search_text(v) for v in (action, actor, object_type, object_id))
    if action:
        queryset = queryset.filter(action__startswith=action)
    if actor:
        queryset = queryset.filter(actor_name__icontains=actor)
    if object_type:
        queryset = queryset.filter(object_type=object_type)
    if object_id:
        queryset = queryset.filter(object_id=object_id)
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
