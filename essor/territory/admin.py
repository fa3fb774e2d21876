from django.contrib import admin

from .models import Province, Region


class ReferenceDataAdmin(admin.ModelAdmin):
    """Reference data comes from territory.json through migrations: view it, never edit it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    list_display = ["code", "hcp_code", "name_fr", "name_ar", "population"]
    search_fields = ["code", "hcp_code", "name_fr", "name_ar"]


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ["code", "hcp_code", "name_fr", "name_ar", "kind", "region", "population"]
    list_filter = ["region", "kind"]
    list_select_related = ["region"]
    search_fields = ["code", "hcp_code", "name_fr", "name_ar"]
