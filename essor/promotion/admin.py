"""Back office for superusers: look up and correct records. Day-to-day work goes through
the pages, whose services check rights and write the audit log; here, statuses and
badge codes are read-only so that workflows are not bypassed."""

from django.contrib import admin

from .models import Application, Event, Participation, Satisfaction, Stand


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kind", "status", "start_date", "end_date", "region",
                    "stands"]
    list_filter = ["kind", "status", "region"]
    search_fields = ["code", "title", "title_ar", "city"]
    date_hierarchy = "start_date"
    readonly_fields = ["status", "created_at", "updated_at"]
    list_select_related = ["region"]
    raw_id_fields = ["province"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "event", "status", "first_time", "submitted_at"]
    list_filter = ["status", "first_time", "event__kind"]
    search_fields = ["organisation__name", "organisation__name_ar", "event__code"]
    readonly_fields = ["status", "submitted_at", "decided_at"]
    raw_id_fields = ["event", "organisation", "holder"]
    list_select_related = ["organisation", "event"]


@admin.register(Stand)
class StandAdmin(admin.ModelAdmin):
    list_display = ["event", "number", "area"]
    search_fields = ["event__code"]
    raw_id_fields = ["event"]
    list_select_related = ["event"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "event", "status", "stand", "sales_mad", "visitors"]
    list_filter = ["status", "event__kind"]
    search_fields = ["organisation__name", "organisation__name_ar", "event__code",
                     "badge_code"]
    readonly_fields = ["status", "badge_code", "checked_in_at", "created_at"]
    raw_id_fields = ["event", "organisation", "holder", "application", "stand"]
    list_select_related = ["organisation", "event", "stand"]


@admin.register(Satisfaction)
class SatisfactionAdmin(admin.ModelAdmin):
    list_display = ["participation", "rating", "organisation_rating", "would_return",
                    "created_at"]
    list_filter = ["rating", "would_return"]
    raw_id_fields = ["participation"]
    list_select_related = ["participation__organisation", "participation__event"]
