"""The REST API of fairs and markets: events, their participations, and applications.

Reads go through the scoped selectors (a foreign region's event is not found), writes
through the audited services. Statuses are never client-writable: events move through
``event_set_status`` and applications through ``application_decide``.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, permissions, serializers, viewsets

from essor.accounts.permissions import HasPermission, can
from essor.core.api import CodeField, ServiceViewSet
from essor.core.filters import IdFilter, YearFilter
from essor.core.scoping import get_in_scope
from essor.territory.models import Province, Region

from . import selectors, services
from .models import Application, Event, Participation

# -- events -------------------------------------------------------------------------------------

class EventSerializer(serializers.ModelSerializer):
    region = CodeField(Region)
    province = CodeField(Province, required=False, allow_null=True)
    exhibitors = serializers.SerializerMethodField(
        help_text=_("Participations with status attended."))

    class Meta:
        model = Event
        fields = ["id", "code", "kind", "title", "title_ar", "edition", "start_date",
                  "end_date", "venue", "venue_ar", "region", "province", "city", "city_ar",
                  "organiser", "organiser_ar", "stands", "application_deadline", "status",
                  "exhibitors", "created_at", "updated_at"]
        read_only_fields = ["id", "status", "exhibitors", "created_at", "updated_at"]

    @extend_schema_field(serializers.IntegerField())
    def get_exhibitors(self, event) -> int:
        # The catalogue's exhibitors by event: one grouped query (cached) per response.
        if "exhibitors" not in self.context:
            self.context["exhibitors"] = selectors.exhibitors_by_event()
        return self.context["exhibitors"].get(event.code, 0)


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Event.Status.choices)
    region = django_filters.CharFilter(field_name="region__code",
                                       help_text=_("ISO 3166-2 code of the region, e.g. MA-06"))
    year = YearFilter(field_name="start_date", help_text=_("Year of the start date"))

    class Meta:
        model = Event
        fields = ["kind", "status", "region", "year"]


class EventViewSet(ServiceViewSet):
    """Fairs and itinerant markets the caller may see."""

    serializer_class = EventSerializer
    queryset = Event.objects.none()  # for the schema; requests use get_queryset
    # National admins and regional officers write events; the services then check that
    # the event is theirs (national fairs belong to national admins).
    permission_classes = [permissions.IsAuthenticated,
                          HasPermission("promotion.manage_event", writes_only=True)]
    filterset_class = EventFilter

    def get_queryset(self):
        return selectors.event_list(user=self.request.user,
                                    q=self.request.query_params.get("q", ""))

    def get_object(self):
        write = self.request.method not in permissions.SAFE_METHODS
        return selectors.access_event(self.request.user, self.kwargs["pk"], write=write)

    def create_service(self, *, by, **data):
        return services.event_create(by=by, **data)

    def update_service(self, instance, *, by, **data):
        return services.event_update(event=instance, by=by, **data)


# -- participations -----------------------------------------------------------------------------

class HolderSerializer(serializers.Serializer):
    """The person holding the stand, as much as the event's figures need: never a phone
    or a national ID."""

    name = serializers.CharField(source="full_name")
    sex = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)


class ParticipationSerializer(serializers.ModelSerializer):
    event_code = serializers.CharField(source="event.code")
    organisation_name = serializers.CharField(source="organisation.name")
    organisation_kind = serializers.CharField(source="organisation.kind")
    organisation_region = serializers.CharField(source="organisation.region.code")
    holder = HolderSerializer()
    stand = serializers.IntegerField(source="stand.number", allow_null=True, default=None)

    class Meta:
        model = Participation
        fields = ["id", "event", "event_code", "organisation", "organisation_name",
                  "organisation_kind", "organisation_region", "holder", "status", "stand",
                  "checked_in_at", "sales_mad", "visitors"]
        read_only_fields = fields


class ParticipationFilter(django_filters.FilterSet):
    # A plain number, not a choice among every event: an id outside the caller's scope
    # must answer like an unknown one (an empty list).
    event = IdFilter(field_name="event_id")
    status = django_filters.ChoiceFilter(choices=Participation.Status.choices)

    class Meta:
        model = Participation
        fields = ["event", "status"]


class ParticipationViewSet(viewsets.ReadOnlyModelViewSet):
    """Exhibitors of events (one participation per organisation per event). Filter by
    ``event`` (id) and ``status``."""

    serializer_class = ParticipationSerializer
    queryset = Participation.objects.none()  # for the schema; requests use get_queryset
    filterset_class = ParticipationFilter

    def get_queryset(self):
        queryset = selectors.participations_visible(self.request.user)
        if queryset is None:
            raise exceptions.PermissionDenied(
                _("Your role does not give access to participations."))
        return queryset.order_by("event", "organisation__name", "pk")

    def get_object(self):
        return get_in_scope(self.get_queryset(), Participation, self.kwargs["pk"])


# -- applications -------------------------------------------------------------------------------

class VisibleEventField(serializers.PrimaryKeyRelatedField):
    """An event the caller may see: any other id is "does not exist"."""

    def get_queryset(self):
        return selectors.event_visible(self.context["request"].user)


class ApplicationSerializer(serializers.ModelSerializer):
    event = VisibleEventField()
    event_code = serializers.CharField(source="event.code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "event", "event_code", "organisation", "organisation_name", "products",
                  "stand_needs", "first_time", "status", "submitted_at", "decided_at"]
        read_only_fields = ["id", "organisation", "status", "submitted_at", "decided_at"]


class ApplicationPermission(permissions.BasePermission):
    """Organisation accounts apply and read their own applications; national admins and
    regional officers read those to the events they may see."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return can(request.user, "promotion.read_applications")
        return can(request.user, "promotion.apply")


class ApplicationFilter(django_filters.FilterSet):
    event = IdFilter(field_name="event_id")
    status = django_filters.ChoiceFilter(choices=Application.Status.choices)

    class Meta:
        model = Application
        fields = ["event", "status"]


class ApplicationViewSet(ServiceViewSet):
    """Applications to exhibit. An organisation account applies for its own organisation
    to an event open for applications; decisions are taken on the selection page."""

    serializer_class = ApplicationSerializer
    queryset = Application.objects.none()  # for the schema; requests use get_queryset
    permission_classes = [permissions.IsAuthenticated, ApplicationPermission]
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = ApplicationFilter

    def get_queryset(self):
        return selectors.application_visible(self.request.user).order_by("-submitted_at",
                                                                         "-pk")

    def get_object(self):
        return get_in_scope(self.get_queryset(), Application, self.kwargs["pk"])

    def create_service(self, *, by, **data):
        # The organisation is the account's own, never taken from the request.
        return services.application_submit(organisation=by.organisation, by=by, **data)


def register(router) -> None:
    router.register("events", EventViewSet, basename="event")
    router.register("participations", ParticipationViewSet, basename="participation")
    router.register("applications", ApplicationViewSet, basename="application")
