"""Region scope of a user: which regions' records they may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404


def region_ids(user) -> set[int] | None:
    """None means every region (national scope); otherwise the ids of the user's regions."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if getattr(user, "is_national", False):
        return None
    cached = getattr(user, "_essor_region_ids", None)
    if cached is None and getattr(user, "role", "") == "organisation":
        # An organisation account writes within its organisation's region only (the
        # person who holds its stand, say); what it reads is limited by each selector.
        cached = {user.organisation.region_id} if user.organisation_id else set()
        user._essor_region_ids = cached
    if cached is None:
        cached = set(user.regions.values_list("id", flat=True))
        user._essor_region_ids = cached
    return cached


def in_scope(user, region_id: int | None) -> bool:
    ids = region_ids(user)
    return ids is None or region_id in ids


def filter_by_region(queryset: QuerySet, user, field: str = "region") -> QuerySet:
    ids = region_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


class OutOfScope(Http404):
    """The object exists but lies outside the user's scope: answered like a missing one."""

    def __init__(self, obj):
        super().__init__()
        self.obj = obj


def get_in_scope(visible: QuerySet, model, pk):
    """The object from ``visible``; 404 when missing, OutOfScope (also 404) when hidden."""
    found = visible.filter(pk=pk).first()
    if found is None:
        hidden = model._default_manager.filter(pk=pk).first()
        if hidden is not None:
            raise OutOfScope(hidden)
        raise Http404
    return found
