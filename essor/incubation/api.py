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

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from essor.accounts.permissions import HasPermission, can
from essor.core.api import CodeField, ServiceViewSet, api_error
from essor.core.scoping import get_in_scope
from essor.registry.models import Organisation
from essor.territory.models import Province, Region

from . import selectors_coaching as selectors
from . import services
from .models import CoachingSession, Cohort, Holder, Incubator, Phase, Project

# -- incubators ---------------------------------------------------------------------------------


class IncubatorSerializer(serializers.ModelSerializer):
    region = CodeField(Region, read_only=True)

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


# -- projects -----------------------------------------------------------------------------------

class VisibleIncubatorField(CodeField):
    def get_queryset(self):
        return selectors.incubators_visible(self.context["request"].user)


class ProjectSerializer(serializers.ModelSerializer):
    incubator = VisibleIncubatorField()
    cohort = CodeField(Cohort, required=False, allow_null=True)
    region = CodeField(Region)
    province = CodeField(Province, required=False, allow_null=True)
    sector = serializers.ChoiceField(choices=Organisation.Sector.choices)

    class Meta:
        model = Project
        fields = ["id", "code", "title", "title_ar", "summary", "incubator", "cohort",
                  "sector", "region", "province", "phase", "phase_since", "joined_on",
                  "left_on", "targets_young", "targets_women", "targets_disability",
                  "jobs_women", "jobs_men", "revenue_band", "created_at", "updated_at"]
        read_only_fields = ["id", "phase", "phase_since", "left_on", "targets_young",
                            "targets_women", "targets_disability", "created_at",
                            "updated_at"]

    def validate_incubator(self, value):
        if self.instance is not None and value.pk != self.instance.incubator_id:
            raise serializers.ValidationError(_("A project keeps its incubator."))
        return value


class MoveSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=Phase.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    date = serializers.DateField(required=False, allow_null=True, default=None)


class ProjectViewSet(ServiceViewSet):
    """Incubated projects of the incubators the caller runs. ``POST …/move/`` with
    ``phase`` (and ``reason``, ``date``) moves one between phases."""

    serializer_class = ProjectSerializer
    queryset = Project.objects.none()
    permission_classes = [permissions.IsAuthenticated, HasPermission("incubation.read"),
                          HasPermission("incubation.manage_project", writes_only=True)]

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

    @extend_schema(request=MoveSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
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

class HolderSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code")
    name = serializers.CharField(source="person.full_name")
    sex = serializers.CharField(source="person.sex")
    birth_year = serializers.IntegerField(source="person.birth_year", allow_null=True)

    class Meta:
        model = Holder
        fields = ["id", "project", "project_code", "name", "sex", "birth_year", "lead",
                  "added_at"]
        read_only_fields = fields


class HolderViewSet(viewsets.ReadOnlyModelViewSet):
    """The holders of the projects the caller may see: never a phone or a national ID."""

    serializer_class = HolderSerializer
    queryset = Holder.objects.none()
    permission_classes = [permissions.IsAuthenticated, HasPermission("incubation.read"),
                          HasPermission("registry.read_people")]

    def get_queryset(self):
        queryset = Holder.objects.filter(
            project__in=selectors.projects_visible(self.request.user).values("pk")
        ).select_related("project", "person").order_by("project__code", "-lead", "pk")
        project = self.request.query_params.get("project", "")
        return queryset.filter(project_id=project) if project.isdigit() else queryset

    def get_object(self):
        return get_in_scope(self.get_queryset(), Holder, self.kwargs["pk"])


# -- coaching sessions --------------------------------------------------------------------------

class VisibleProjectField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.projects_visible(self.context["request"].user)


class CoachingSessionSerializer(serializers.ModelSerializer):
    project = VisibleProjectField()
    project_code = serializers.CharField(source="project.code", read_only=True)
    coach_username = serializers.CharField(source="coach.username", read_only=True)

    class Meta:
        model = CoachingSession
        fields = ["id", "project", "project_code", "coach", "coach_username", "date",
                  "duration_hours", "mode", "topics", "notes", "created_at"]
        read_only_fields = ["id", "coach", "created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user
        if not can(user, "incubation.read_notes", instance):
            data.pop("notes", None)
        return data

    def validate(self, attrs):
        user = self.context["request"].user
        project = attrs.get("project") or getattr(self.instance, "project", None)
        if "notes" in attrs and project is not None \
                and not can(user, "incubation.read_notes", project):
            attrs.pop("notes")  # who cannot read the notes does not write them
        return attrs


class CoachingSessionViewSet(ServiceViewSet):
    """Coaching sessions of the projects the caller may see; the notes only for the
    coaches of the project's incubator. Filter by ``project`` (id)."""

    serializer_class = CoachingSessionSerializer
    queryset = CoachingSession.objects.none()
    permission_classes = [permissions.IsAuthenticated, HasPermission("incubation.read"),
                          HasPermission("incubation.record_session", writes_only=True)]

    def get_queryset(self):
        queryset = selectors.sessions_visible(self.request.user).order_by("-date", "-pk")
        project = self.request.query_params.get("project", "")
        return queryset.filter(project_id=project) if project.isdigit() else queryset

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
