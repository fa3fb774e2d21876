"""The REST API of collected values: list and read them, create and edit drafts, and move
them through the workflow (``submit``, ``validate``, ``send-back``, ``unvalidate``), by the
same services as the pages (essor.observatory.collected). The status, the people and the
dates of the workflow are never client-writable; a validated value is refused by name.
A value outside the caller's observatories or regions is not found (404)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from essor.accounts.permissions import HasPermission
from essor.core.api import CodeField, ServiceViewSet, api_error
from essor.core.scoping import get_in_scope
from essor.territory.models import Province, Region

from . import collected
from .models import CollectedValue


class VisibleObservatoryField(CodeField):
    """An observatory, by its code, among those the caller may open."""

    def get_queryset(self):
        return collected.observatory_visible(self.context["request"].user)


class CollectedValueSerializer(serializers.ModelSerializer):
    observatory = VisibleObservatoryField()
    region = CodeField(Region)
    province = CodeField(Province, required=False, allow_null=True)
    cells = serializers.DictField(child=serializers.CharField(), required=False,
                                  help_text=_('The breakdown cell, e.g. {"sector": "crafts", '
                                              '"sex": "F"}; empty for the total.'))

    class Meta:
        model = CollectedValue
        fields = ["id", "observatory", "indicator_code", "period_start", "period_end",
                  "region", "province", "cells", "value", "source", "status",
                  "entered_by", "submitted_at", "validated_by", "validated_at", "updated_at"]
        read_only_fields = ["id", "status", "entered_by", "submitted_at", "validated_by",
                            "validated_at", "updated_at"]
        # The services check what the model's constraints say (and name the value).
        validators: list = []


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class CollectedValueFilter(django_filters.FilterSet):
    observatory = django_filters.CharFilter(field_name="observatory__code")
    indicator = django_filters.CharFilter(field_name="indicator_code")
    status = django_filters.ChoiceFilter(choices=CollectedValue.Status.choices)
    region = django_filters.CharFilter(field_name="region__code")

    class Meta:
        model = CollectedValue
        fields = ["observatory", "indicator", "status", "region"]


class CollectedValueViewSet(ServiceViewSet):
    """Collected values of the caller's observatories, in their regions. Filter by
    ``observatory`` (code), ``indicator``, ``status`` and ``region`` (code)."""

    serializer_class = CollectedValueSerializer
    queryset = CollectedValue.objects.none()  # for the schema; requests use get_queryset
    permission_classes = [permissions.IsAuthenticated,
                          HasPermission("observatory.read_observatory")]
    filterset_class = CollectedValueFilter

    def get_queryset(self):
        return collected.value_visible(self.request.user).order_by(
            "observatory__code", "indicator_code", "-period_start", "region__code",
            "cell_key", "pk")

    def get_object(self):
        value = get_in_scope(self.get_queryset(), CollectedValue, self.kwargs["pk"])
        self.check_object_permissions(self.request, value)
        return value

    def create_service(self, *, by, **data):
        return collected.value_create(by=by, **data)

    def update_service(self, instance, *, by, **data):
        for fixed in ("observatory", "indicator_code"):
            given = data.pop(fixed, None)
            current = getattr(instance, fixed)
            if given is not None and given != current:
                raise DjangoValidationError({fixed: _("It cannot be changed: enter a new "
                                                      "value instead.")})
        return collected.value_update(value=instance, data=data, by=by)

    def _step(self, request, service, *, reason: bool = False):
        value = self.get_object()
        kwargs = {}
        if reason:
            given = ReasonSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            kwargs["reason"] = given.validated_data["reason"]
        try:
            value = service(value=value, by=request.user, **kwargs)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise api_error(exc) from exc
        return Response(self.get_serializer(value).data)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """A draft goes to validation."""
        return self._step(request, collected.value_submit)

    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        """A submitted value is validated (national admin): counted, and locked."""
        return self._step(request, collected.value_validate)

    @action(detail=True, methods=["post"], url_path="send-back", url_name="send-back",
            serializer_class=CollectedValueSerializer)
    def send_back(self, request, pk=None):
        """A submitted value goes back to draft, with a ``reason``."""
        return self._step(request, collected.value_send_back, reason=True)

    @action(detail=True, methods=["post"])
    def unvalidate(self, request, pk=None):
        """A validated value is unlocked (back to draft), with a ``reason`` (audited)."""
        return self._step(request, collected.value_unvalidate, reason=True)


def register(router) -> None:
    """Add this module's viewsets to the API router."""
    router.register("collected-values", CollectedValueViewSet, basename="collected-value")
