"""The back office's observatories (the national admin creates them, gives them their
regions, host and analysts: observatory.manage_observatories); each save is audited."""

from django.contrib import admin

from essor.accounts.permissions import can
from essor.audit import services as audit

from .models import Observatory


@admin.register(Observatory)
class ObservatoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fr", "host")
    search_fields = ("code", "name_fr", "name_ar")
    filter_horizontal = ("regions", "analysts")
    raw_id_fields = ("host",)

    def has_module_permission(self, request) -> bool:
        return can(request.user, "observatory.manage_observatories")

    def has_view_permission(self, request, obj=None) -> bool:
        return can(request.user, "observatory.manage_observatories")

    def has_add_permission(self, request) -> bool:
        return can(request.user, "observatory.manage_observatories")

    def has_change_permission(self, request, obj=None) -> bool:
        return can(request.user, "observatory.manage_observatories")

    def has_delete_permission(self, request, obj=None) -> bool:
        return can(request.user, "observatory.manage_observatories")

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        observatory = form.instance
        audit.record("observatory.observatory_saved", observatory, by=request.user, changes={
            "created": not change, "regions": sorted(r.code for r in observatory.regions.all()),
            "host": observatory.host_id,
            "analysts": sorted(u.username for u in observatory.analysts.all())})
