"""The REST API of training workshops: workshops, their enrolments, and the themes.

Reads go through the scoped selectors (a foreign region's workshop is not found; a
trainer sees the workshops they run), writes through the audited services. Statuses are
never client-writable: workshops move through ``workshop_set_status``. Enrolled people
appear by name, sex and birth year only.
"""

from decimal import Decimal

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, permissions, serializers, viewsets

from essor.accounts.permissions import HasPermission, can
from essor.core.api import CodeField, ServiceViewSet
from essor.core.filters import IdFilter, YearFilter
from essor.core.scoping import get_in_scope
from essor.promotion import selectors as promotion_selectors
from essor.territory.models import Province, Region

from . import selectors, services
from .models import Enrolment, Theme, Workshop

# -- themes -------------------------------------------------------------------------------------

class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "code", "name_fr", "name_ar"]
        read_only_fields = fields


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue of training themes, in French and Arabic."""

    serializer_class = ThemeSerializer
    queryset = Theme.objects.all()

    def get_queryset(self):
        return selectors.theme_list()


# -- workshops ----------------------------------------------------------------------------------

class VisibleEventField(CodeField):
    """An event, by its code, among those the caller may see."""

    def get_queryset(self):
        return promotion_selectors.event_visible(self.context["request"].user)


class WorkshopSerializer(serializers.ModelSerializer):
    theme = CodeField(Theme)
    region = CodeField(Region)
    province = CodeField(Province, required=False, allow_null=True)
    event = VisibleEventField(required=False, allow_null=True)
    duration_hours = serializers.DecimalField(max_digits=4, decimal_places=1, required=False,
                                              min_value=Decimal("0.5"))
    trainer_label = serializers.CharField(read_only=True)
    enrolled = serializers.SerializerMethodField()
    attendees = serializers.SerializerMethodField()

    class Meta:
        model = Workshop
        fields = ["id", "code", "title", "title_ar", "theme", "trainer", "trainer_name",
                  "trainer_label", "date", "duration_hours", "region", "province", "city",
                  "city_ar", "venue", "venue_ar", "event", "capacity", "status", "enrolled",
                  "attendees", "created_at", "updated_at"]
        read_only_fields = ["id", "trainer", "status", "enrolled", "attendees", "created_at",
                            "updated_at"]

    @extend_schema_field(serializers.IntegerField())
    def get_enrolled(self, workshop) -> int:
        if hasattr(workshop, "enrolled"):  # annotated by selectors.workshop_list
            return workshop.enrolled
        return workshop.enrolments.filter(status=Enrolment.Status.ENROLLED).count()

    @extend_schema_field(serializers.IntegerField())
    def get_attendees(self, workshop) -> int:
        if hasattr(workshop, "attendees"):
            return workshop.attendees
        return workshop.enrolments.filter(attended=True).count()


class WorkshopFilter(django_filters.FilterSet):
    theme = django_filters.CharFilter(field_name="theme__code",
                                      help_text=_("Code of the theme, e.g. governance"))
    status = django_filters.ChoiceFilter(choices=Workshop.Status.choices)
    region = django_filters.CharFilter(field_name="region__code",
                                       help_text=_("ISO 3166-2 code of the region, e.g. MA-06"))
    year = YearFilter(field_name="date", help_text=_("Year of the workshop's date"))

    class Meta:
        model = Workshop
        fields = ["theme", "status", "region", "year"]


class WorkshopViewSet(ServiceViewSet):
    """Training workshops the caller may see. Filter by ``theme`` (code), ``status``,
    ``region`` (code) and ``year``."""

    serializer_class = WorkshopSerializer
    queryset = Workshop.objects.none()  # for the schema; requests use get_queryset
    # National admins and regional officers create and edit workshops, trainers edit
    # their own; the services check that the workshop (or its region) is the caller's.
    permission_classes = [permissions.IsAuthenticated,
                          HasPermission("training.manage_workshop", writes_only=True)]
    filterset_class = WorkshopFilter

    def get_queryset(self):
        return selectors.workshop_list(user=self.request.user,
                                       q=self.request.query_params.get("q", ""))

    def get_object(self):
        write = self.request.method not in permissions.SAFE_METHODS
        workshop = selectors.access_workshop(self.request.user, self.kwargs["pk"],
                                             write=write)
        self.check_object_permissions(self.request, workshop)
        return workshop

    def create_service(self, *, by, **data):
        return services.workshop_create(by=by, **data)

    def update_service(self, instance, *, by, **data):
        return services.workshop_update(workshop=instance, by=by, **data)


# -- enrolments ---------------------------------------------------------------------------------

class EnrolledPersonSerializer(serializers.Serializer):
    """The person enrolled, as much as the workshop's figures need: never a phone or a
    national ID."""

    name = serializers.CharField(source="full_name")
    sex = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)


class EnrolmentSerializer(serializers.ModelSerializer):
    workshop_code = serializers.CharField(source="workshop.code")
    person = EnrolledPersonSerializer()

    class Meta:
        model = Enrolment
        fields = ["id", "workshop", "workshop_code", "person", "status", "source", "attended",
                  "enrolled_at"]
        read_only_fields = fields


class EnrolmentFilter(django_filters.FilterSet):
    # A plain number, not a choice among every workshop: an id outside the caller's scope
    # answers like an unknown one (an empty list).
    workshop = IdFilter(field_name="workshop_id")
    status = django_filters.ChoiceFilter(choices=Enrolment.Status.choices)
    attended = django_filters.BooleanFilter()

    class Meta:
        model = Enrolment
        fields = ["workshop", "status", "attended"]


class EnrolmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Enrolments in the workshops the caller may see. Filter by ``workshop`` (id),
    ``status`` and ``attended``. Analysts work on aggregates and get none."""

    serializer_class = EnrolmentSerializer
    queryset = Enrolment.objects.none()  # for the schema; requests use get_queryset
    filterset_class = EnrolmentFilter

    def get_queryset(self):
        user = self.request.user
        if not can(user, "registry.read_people"):
            raise exceptions.PermissionDenied(_("Your role does not give access to people."))
        visible = selectors.workshop_visible(user).values("pk")
        return (Enrolment.objects.filter(workshop__in=visible)
                .select_related("workshop", "person")
                .order_by("workshop", "person__last_name", "person__first_name", "pk"))

    def get_object(self):
        return get_in_scope(self.get_queryset(), Enrolment, self.kwargs["pk"])


def register(router) -> None:
    router.register("workshops", WorkshopViewSet, basename="workshop")
    router.register("enrolments", EnrolmentViewSet, basename="enrolment")
    router.register("themes", ThemeViewSet, basename="theme")
