from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, permissions, serializers, viewsets

from essor.core import normalise
from essor.territory.models import Province, Region

from . import selectors, services
from .models import Organisation, Person


class CodeField(serializers.SlugRelatedField):
    def __init__(self, model, **kwargs):
        super().__init__(slug_field="code", queryset=model.objects.all(), **kwargs)


class OrganisationSerializer(serializers.ModelSerializer):
    region = CodeField(Region)
    province = CodeField(Province, required=False, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "name_ar", "kind", "sector", "region", "province", "city",
                  "founding_year", "members_women", "members_men", "ice",
                  "registration_number", "email", "phone", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class PersonSerializer(serializers.ModelSerializer):
    region = CodeField(Region)
    province = CodeField(Province, required=False, allow_null=True)

    class Meta:
        model = Person
        fields = ["id", "first_name", "last_name", "first_name_ar", "last_name_ar", "sex",
                  "birth_year", "disability", "region", "province", "phone", "national_id",
                  "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user
        if not user.sees_personal_data:
            data["national_id"] = normalise.mask(instance.national_id)
            data["phone"] = normalise.mask(instance.phone)
            data["disability"] = None
        return data


class RegistryWritePermission(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(getattr(request.user, "edits_registry", False))


def _to_drf(exc):
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc))
    if hasattr(exc, "message_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError(exc.messages)


class ServiceViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin,
                     viewsets.ReadOnlyModelViewSet):
    """Reads through the scoped selectors; writes through the audited services."""

    permission_classes = [permissions.IsAuthenticated, RegistryWritePermission]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        try:
            serializer.instance = self.create_service(by=self.request.user,
                                                      **serializer.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _to_drf(exc) from exc

    def perform_update(self, serializer):
        try:
            serializer.instance = self.update_service(serializer.instance,
                                                      by=self.request.user,
                                                      **serializer.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _to_drf(exc) from exc


class OrganisationViewSet(ServiceViewSet):
    """ESS organisations in the caller's scope."""

    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.none()  # for the schema; requests use get_queryset
    filterset_fields = {"kind": ["exact"], "sector": ["exact"], "region__code": ["exact"],
                        "province__code": ["exact"]}

    def get_queryset(self):
        return selectors.organisation_list(user=self.request.user,
                                           q=self.request.query_params.get("q", ""))

    def get_object(self):
        write = self.request.method not in permissions.SAFE_METHODS
        return selectors.access_organisation(self.request.user, self.kwargs["pk"], write=write)

    def create_service(self, *, by, **data):
        return services.organisation_create(by=by, **data)

    def update_service(self, instance, *, by, **data):
        return services.organisation_update(organisation=instance, by=by, **data)


def _audit_national_ids(request, ids: list[int], where: str) -> None:
    """One audit entry per answer that showed national IDs in full."""
    if ids:
        services.national_ids_shown(people=Person.objects.filter(pk__in=ids),
                                    by=request.user, where=where)


class PersonViewSet(ServiceViewSet):
    """People in the caller's scope; national ID, phone and disability masked for roles
    without the need."""

    serializer_class = PersonSerializer
    queryset = Person.objects.none()  # for the schema; requests use get_queryset
    filterset_fields = {"sex": ["exact"], "region__code": ["exact"],
                        "province__code": ["exact"]}

    def get_queryset(self):
        if not self.request.user.reads_people:
            raise exceptions.PermissionDenied(_("Your role does not give access to people."))
        return selectors.person_list(user=self.request.user,
                                     q=self.request.query_params.get("q", ""))

    def get_object(self):
        write = self.request.method not in permissions.SAFE_METHODS
        return selectors.access_person(self.request.user, self.kwargs["pk"], write=write)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = response.data.get("results", response.data) if isinstance(
            response.data, dict) else response.data
        _audit_national_ids(request, [row["id"] for row in rows if row.get("national_id")],
                            "api_list")
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if response.data.get("national_id"):
            _audit_national_ids(request, [response.data["id"]], "api_detail")
        return response

    def create_service(self, *, by, **data):
        return services.person_create(by=by, **data)

    def update_service(self, instance, *, by, **data):
        return services.person_update(person=instance, by=by, **data)


def register(router) -> None:
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("people", PersonViewSet, basename="person")
