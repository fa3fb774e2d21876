"""What every app's REST API shares: the service viewset (reads through the scoped
selectors, writes through the audited services), the mapping of the services' Django
errors to API errors, and the field that names a record by its code.

    class WorkshopViewSet(ServiceViewSet):
        permission_classes = [IsAuthenticated,
                              HasPermission("training.manage_workshop", writes_only=True)]

        def create_service(self, *, by, **data):
            return services.workshop_create(by=by, **data)
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, mixins, permissions, serializers, viewsets

from essor.core.text import CONTROL_CHARACTERS


class CodeField(serializers.SlugRelatedField):
    """A related record named by its ``code`` (regions, provinces: ``MA-06``). A code
    with a control character or that is not valid text names nothing: it is refused as
    unknown before it reaches the database (PostgreSQL refuses NUL bytes outright)."""

    def __init__(self, model=None, **kwargs):
        if model is not None:
            kwargs["queryset"] = model.objects.all()
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and not _is_clean_text(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


def _is_clean_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        return False
    return not CONTROL_CHARACTERS.search(value)


def api_error(exc: DjangoValidationError | DjangoPermissionDenied) -> exceptions.APIException:
    """A service's refusal as the API says it: 403 with its message, or 400 with the
    messages by field (a plain list when the service names no field)."""
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError(exc.messages)


class ServiceViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin,
                     viewsets.ReadOnlyModelViewSet):
    """Reads through the scoped selectors; writes through the audited services.

    Subclasses give ``create_service(by=…, **data)`` and ``update_service(instance,
    by=…, **data)``, and the permission of their writes in ``permission_classes``.
    """

    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create_service(self, *, by, **data):
        raise exceptions.MethodNotAllowed("POST")

    def update_service(self, instance, *, by, **data):
        raise exceptions.MethodNotAllowed("PATCH")

    def perform_create(self, serializer):
        try:
            serializer.instance = self.create_service(by=self.request.user,
                                                      **serializer.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise api_error(exc) from exc

    def perform_update(self, serializer):
        try:
            serializer.instance = self.update_service(serializer.instance,
                                                      by=self.request.user,
                                                      **serializer.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise api_error(exc) from exc
