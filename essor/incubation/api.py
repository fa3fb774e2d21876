"""The REST API of incubation: incubators, their projects (with the move between phases),
the projects' holders and the coaching sessions.

Reads are scoped as the pages are (``selectors_coaching``: the national admin reads
every incubator, an officer those of their regions, a coach those they coach in); a
record outside the scope is not found. Writes go through the audited services; a
project's phase is never written directly but moved by ``POST …/move/``
(``services.project_move``). A session's notes are read and written only by the coaches
of the project's incubator (``incubation.read_notes``); holders appear by name, sex and
birth year only.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from essor.accounts.permissions import HasPermission, can
from essor.core.api import CodeField, ServiceViewSet, api_error
from essor.core.filters import IdFilter
from essor.core.scoping import get_in_scope
from essor.core.text import check_text
from essor.registry.models import Organisation
from essor.territory.models import Province, Region

from . import selectors_coaching as selectors
from . import services
from .models import CoachingSession, Holder, Incubator, Phase, Project
from .selectors import cohorts_visible, holders_visible

HALF_HOUR = Decimal("0.5")

# -- incubators ---------------------------------------------------------------------------------


class IncubatorSerializer(serializers.ModelSerializer):
    region = CodeField(read_only=True)

    class Meta:
        model = Incubator
        fields = ["id", "code", "name", "name_ar", "region", "capacity", "opened_on"]
        read_only_fields = fields


class IncubatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The incubators the caller runs."""

    serializer_class = IncubatorSerializer
    queryset = Incubator.objects.none()
    permission_classes = [permissions.IsAuthenticated, HasPermission("incubation.read")]

    def get_queryset(self):
        return selectors.incubators_visible(self.request.user).order_by("name")

    def get_object(self):
        return get_in_scope(self.get_queryset(), Incubator, self.kwargs["pk"])


# -- filters ------------------------------------------------------------------------------------

class CodeFilter(django_filters.CharFilter):
    """A record's code (``?incubator=cira-ess``): a value that is no clean text (a NUL
    byte, a control character, a lone surrogate) names nothing, an empty list, never a
    server error."""

    def filter(self, qs, value):
        if value and not _clean(value):
            return qs.none()
        return super().filter(qs, value)


def _clean(value: str) -> bool:
    try:
        value.encode("utf-8")
        check_text(value)
    except (UnicodeEncodeError, DjangoValidationError):
        return False
    return True


class ProjectFilter(django_filters.FilterSet):
    incubator = CodeFilter(field_name="incubator__code",
                           help_text=_("Code of the incubator, e.g. cira-ess-casablanca"))
    cohort = CodeFilter(field_name="cohort__code", help_text=_("Code of the cohort"))
    region = CodeFilter(field_name="region__code",
                        help_text=_("ISO 3166-2 code of the region, e.g. MA-06"))
    phase = django_filters.ChoiceFilter(choices=Phase.choices)
    sector = django_filters.ChoiceFilter(choices=Organisation.Sector.choices)

    class Meta:
        model = Project
        fields = ["incubator", "cohort", "region", "phase", "sector"]


class HolderFilter(django_filters.FilterSet):
    # A plain number: a project outside the caller's scope answers as an unknown one.
    project = IdFilter(field_name="project_id")

    class Meta:
        model = Holder
        fields = ["project"]


class SessionFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    coach = IdFilter(field_name="coach_id")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte",
                                          help_text=_("Sessions on or after this day"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte",
                                        help_text=_("Sessions on or before this day"))

    class Meta:
        model = CoachingSession
        fields = ["project", "coach", "date_from", "date_to"]


# -- projects -----------------------------------------------------------------------------------

class VisibleIncubatorField(CodeField):
    """An incubator, by its code, among those the caller runs."""

    def get_queryset(self):
        return selectors.incubators_visible(self.context["request"].user)


class VisibleCohortField(CodeField):
    """A cohort, by its code, of an incubator the caller runs."""

    def get_queryset(self):
        return cohorts_visible(self.context["request"].user)


class ProjectSerializer(serializers.ModelSerializer):
    incubator = VisibleIncubatorField()
    cohort = VisibleCohortField(required=False, allow_null=True)
    region = CodeField(Region, required=False,
                       help_text=_("ISO 3166-2 code; the incubator's region by default"))
    province = CodeField(Province, required=False, allow_null=True)
    sector = serializers.ChoiceField(choices=Organisation.Sector.choices)

    class Meta:
        model = Project
        fields = ["id", "code", "title", "title_ar", "summary", "incubator", "cohort",
                  "sector", "region", "province", "phase", "phase_since", "joined_on",
                  "left_on", "organisation", "targets_young", "targets_women",
                  "targets_disability", "jobs_women", "jobs_men", "revenue_band",
                  "created_at", "updated_at"]
        read_only_fields = ["id", "phase", "phase_since", "left_on", "organisation",
                            "targets_young", "targets_women", "targets_disability",
                            "created_at", "updated_at"]

    def validate_incubator(self, value):
        if self.instance is not None and value.pk != self.instance.incubator_id:
            raise serializers.ValidationError(_("A project keeps its incubator."))
        return value

    def validate(self, attrs):
        if self.instance is None and "region" not in attrs and "incubator" in attrs:
            attrs["region"] = attrs["incubator"].region
        return attrs


class MoveSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=Phase.choices)
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000,
        help_text=_("Needed for every move but one step forward"))
    date = serializers.DateField(required=False, allow_null=True, default=None,
                                 help_text=_("The day of the move; today by default"))

    def validate_reason(self, value: str) -> str:
        try:
            return check_text(value, multiline=True)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class ProjectViewSet(ServiceViewSet):
    """Incubated projects of the incubators the caller runs. Filter by ``incubator``,
    ``cohort`` and ``region`` (codes), ``phase`` and ``sector``. ``POST …/move/`` with
    ``phase`` (and ``reason``, ``date``) moves one between phases, under the rules of
    the state machine: a refused move answers 400 with the reason of the refusal."""

    serializer_class = ProjectSerializer
    queryset = Project.objects.none()
    permission_classes = [permissions.IsAuthenticated, HasPermission("incubation.read"),
                          HasPermission("incubation.manage_project", writes_only=True)]
    filterset_class = ProjectFilter

    def get_queryset(self):
        return selectors.projects_visible(self.request.user).select_related(
            "cohort", "province").order_by("code")

    def get_object(self):
        project = get_in_scope(self.get_queryset(), Project, self.kwargs["pk"])
        self.check_object_permissions(self.request, project)
        return project

    def create_service(self, *, by, **data):
        return services.project_create(by=by, **data)

    def update_service(self, instance, *, by, **data):
        data.pop("incubator", None)
        return services.project_update(project=instance, by=by, **data)

    @extend_schema(request=MoveSerializer, responses=ProjectSerializer, filters=False)
    @action(detail=True, methods=["post"], filterset_class=None)
    def move(self, request, pk=None):
        project = self.get_object()
        move = MoveSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        date: datetime.date | None = move.validated_data["date"]
        try:
            project = services.project_move(project=project, by=request.user,
                                            phase=move.validated_data["phase"],
                                            reason=move.validated_data["reason"], date=date)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise api_error(exc) from exc
        return Response(ProjectSerializer(project, context={"request": request}).data)


# -- holders ------------------------------------------------------------------------------------

class ProjectHolderSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    name = serializers.CharField(source="person.full_name", read_only=True)
    sex = serializers.CharField(source="person.sex", read_only=True)
    birth_year = serializers.IntegerField(source="person.birth_year", allow_null=True,
                                          read_only=True)

    class Meta:
        model = Holder
        fields = ["id", "project", "project_code", "name", "sex", "birth_year", "lead",
                  "added_at"]
        read_only_fields = fields


class HolderViewSet(viewsets.ReadOnlyModelViewSet):
    """The holders of the projects the caller may see, by name, sex and birth year:
    never a phone, a national ID or a disability. Filter by ``project`` (id)."""

    serializer_class = ProjectHolderSerializer
    queryset = Holder.objects.none()
    permission_classes = [permissions.IsAuthenticated, HasPermission("incubation.read"),
                          HasPermission("registry.read_people")]
    filterset_class = HolderFilter

    def get_queryset(self):
        return holders_visible(self.request.user).order_by(
            "project__code", "-lead", "pk")

    def get_object(self):
        return get_in_scope(self.get_queryset(), Holder, self.kwargs["pk"])


# -- coaching sessions --------------------------------------------------------------------------

class VisibleProjectField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.projects_visible(self.context["request"].user)


class VisibleCoachField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.coaches_visible(self.context["request"].user)


class CoachingSessionSerializer(serializers.ModelSerializer):
    project = VisibleProjectField()
    project_code = serializers.CharField(source="project.code", read_only=True)
    coach = VisibleCoachField(required=False,
                              help_text=_("The coach's id; the caller when a coach"))
    coach_username = serializers.CharField(source="coach.username", read_only=True)
    notes = serializers.CharField(
        required=False, allow_blank=True, allow_null=True,
        help_text=_("Read and written by the coaches of the project's incubator only; "
                    "null for everyone else"))

    class Meta:
        model = CoachingSession
        fields = ["id", "project", "project_code", "coach", "coach_username", "date",
                  "duration_hours", "mode", "topics", "notes", "created_at"]
        read_only_fields = ["id", "created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user
        if not can(user, "incubation.read_notes", instance):
            data["notes"] = None
        return data

    def validate_duration_hours(self, value):
        if value % HALF_HOUR:
            raise serializers.ValidationError(
                _("%(value)s hours: give the duration by half hours (1, 1.5, 2…).")
                % {"value": value})
        return value

    def validate_project(self, value):
        if self.instance is not None and value.pk != self.instance.project_id:
            raise serializers.ValidationError(_("A session keeps its project."))
        return value

    def validate(self, attrs):
        user = self.context["request"].user
        project = attrs.get("project") or getattr(self.instance, "project", None)
        notes = attrs.pop("notes", None)
        if notes and project is not None and not can(user, "incubation.read_notes", project):
            raise serializers.ValidationError({"notes": _(
                "Only the coaches of the project's incubator write its sessions' notes.")})
        if notes is not None and (notes or self.instance is not None):
            attrs["notes"] = notes
        return attrs


class CoachingSessionViewSet(ServiceViewSet):
    """Coaching sessions of the projects the caller may see; the notes only for the
    coaches of the project's incubator. Filter by ``project`` and ``coach`` (ids),
    ``date_from`` and ``date_to``."""

    serializer_class = CoachingSessionSerializer
    queryset = CoachingSession.objects.none()
    permission_classes = [permissions.IsAuthenticated, HasPermission("incubation.read"),
                          HasPermission("incubation.record_session", writes_only=True)]
    filterset_class = SessionFilter

    def get_queryset(self):
        return selectors.sessions_visible(self.request.user).order_by("-date", "-pk")

    def get_object(self):
        session = get_in_scope(self.get_queryset(), CoachingSession, self.kwargs["pk"])
        self.check_object_permissions(self.request, session)
        return session

    def create_service(self, *, by, **data):
        return services.session_create(by=by, **data)

    def update_service(self, instance, *, by, **data):
        return services.session_update(session=instance, by=by, **data)


def register(router) -> None:
    router.register("incubators", IncubatorViewSet, basename="incubator")
    router.register("incubation-projects", ProjectViewSet, basename="incubation-project")
    router.register("incubation-holders", HolderViewSet, basename="incubation-holder")
    router.register("coaching-sessions", CoachingSessionViewSet, basename="coaching-session")
