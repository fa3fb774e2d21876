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
