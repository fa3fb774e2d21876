from django.db.models import QuerySet

from .models import AuditEntry


def entry_list(*, user, action: str = "", actor: str = "", object_type: str = "",
               object_id: str = "") -> QuerySet[AuditEntry]:
    if not user.is_national:
        return AuditEntry.objects.none()
    queryset = AuditEntry.objects.select_related("actor", "region")
    if action:
        queryset = queryset.filter(action__startswith=action)
    if actor:
        queryset = queryset.filter(actor_name__icontains=actor)
    if object_type:
        queryset = queryset.filter(object_type=object_type)
    if object_id:
        queryset = queryset.filter(object_id=object_id)
    return queryset
