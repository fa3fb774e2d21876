"""The back office's view of collected values: read only. A validated value is locked
until an audited un-validation, and every write of the workflow is audited: both go
through the services (essor.observatory.collected), from the observatory's pages or the
API, never through a form of the admin that would pass over them."""

from django.contrib import admin

from .models import CollectedValue


@admin.register(CollectedValue)
class CollectedValueAdmin(admin.ModelAdmin):
    list_display = ("indicator_code", "observatory", "period_start", "period_end", "region",
                    "province", "cell_key", "value", "status")
    list_filter = ("status", "observatory", "region")
    search_fields = ("indicator_code", "cell_key")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
