"""Back office for superusers: look up and correct records. Day-to-day work goes through
the incubation pages, whose services check rights and write the audit log; here, a
project's phase, its dates in the pipeline and its target groups (derived from its
holders) are read-only so that the phases' state machine is not bypassed."""

from django.contrib import admin

from .models import (
    Call,
    CoachingSession,
    Cohort,
    FollowUp,
    Incubator,
    Milestone,
    PhaseChange,
    Project,
)


@admin.register(Incubator)
class IncubatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "host", "region", "capacity", "opened_on"]
    list_filter = ["region"]
    search_fields = ["code", "name", "name_ar", "host__name"]
    raw_id_fields = ["host"]
    filter_horizontal = ["coaches"]
    list_select_related = ["host", "region"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "incubator", "opens_on", "closes_on", "status"]
    list_filter = ["status", "incubator"]
    search_fields = ["code", "title", "title_ar"]
    readonly_fields = ["status", "created_at"]
    list_select_related = ["incubator"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "incubator", "starts_on", "ends_on"]
    list_filter = ["incubator"]
    search_fields = ["code", "name"]
    raw_id_fields = ["call"]
    list_select_related = ["incubator"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "incubator", "cohort", "phase", "phase_since", "left_on"]
    list_filter = ["phase", "incubator", "sector"]
    search_fields = ["code", "title", "title_ar"]
    readonly_fields = ["phase", "phase_since", "left_on", "targets_young", "targets_women",
                       "targets_disability", "created_at", "updated_at"]
    raw_id_fields = ["incubator", "cohort", "application", "organisation", "province"]
    list_select_related = ["incubator", "cohort"]


@admin.register(PhaseChange)
class PhaseChangeAdmin(admin.ModelAdmin):
    """The dated history: read only (moves go through the pages)."""

    list_display = ["project", "from_phase", "to_phase", "date", "by"]
    list_filter = ["to_phase"]
    search_fields = ["project__code", "project__title"]
    list_select_related = ["project", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    """The phases' checklist, in French and Arabic; whether a milestone is required is
    set from a project's page (audited)."""

    list_display = ["code", "phase", "name_fr", "name_ar", "required", "order"]
    list_filter = ["phase"]
    search_fields = ["code", "name_fr", "name_ar"]
    readonly_fields = ["required"]


@admin.register(CoachingSession)
class CoachingSessionAdmin(admin.ModelAdmin):
    """Sessions without their notes: those are the incubator's coaches' only."""

    list_display = ["project", "coach", "date", "duration_hours", "mode"]
    list_filter = ["mode"]
    search_fields = ["project__code", "project__title", "topics"]
    exclude = ["notes"]
    raw_id_fields = ["project", "coach"]
    list_select_related = ["project", "coach"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["project", "months", "date", "active", "revenue_band"]
    list_filter = ["months", "active"]
    raw_id_fields = ["project"]
    list_select_related = ["project"]
