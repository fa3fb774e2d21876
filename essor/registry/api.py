from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, serializers

from essor.accounts.permissions import HasPermission, can
from essor.core import normalise
from essor.core.api import CodeField, ServiceViewSet
from essor.territory.models import Province, Region

from . import selectors, services
from .models import Organisation, Person


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
    # Null when the reader's role does not see it (law 09-08: health data).
    disability = serializers.BooleanField(required=False, allow_null=True,
                                          help_text=_("null when your role does not see it"))

    class Meta:
        model = Person
        fields = ["id", "first_name", "last_name", "first_name_ar", "last_name_ar", "sex",
                  "birth_year", "disability", "region", "province", "phone", "national_id",
                  "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_disability(self, value):
        if value is None:
            raise serializers.ValidationError(_("Say true or false."))
        return value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user
        if not can(user, "registry.see_personal_data"):
            data["national_id"] = normalise.mask(instance.national_id)
            data["phone"] = normalise.mask(instance.phone)
            data["disability"] = None
        return data


class OrganisationViewSet(ServiceViewSet):
    """ESS organisations in the caller's scope."""

    serializer_class = OrganisationSerializer
    permission_classes = [permissions.IsAuthenticated,
                          HasPermission("registry.edit_organisation", writes_only=True)]
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
    permission_classes = [permissions.IsAuthenticated,
                          HasPermission("registry.edit_person", writes_only=True)]
    queryset = Person.objects.none()  # for the schema; requests use get_queryset
    filterset_fields = {"sex": ["exact"], "region__code": ["exact"],
                        "province__code": ["exact"]}

    def get_queryset(self):
        if not can(self.request.user, "registry.read_people"):
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
